//! Firms of a territory: the directory (accepted) and the names respondents
//! typed that matched none (proposed, each attached to the contribution that
//! proposed it until an organiser decides).

pub mod directory;
pub mod register;

use crate::domain::name::name_key;
use crate::store::db::sql;
use crate::store::db::sql::QueryBuilder;
use crate::store::db::Conn;
use crate::store::{now, Db, StoreError};

/// Most names the respondents' firm picker offers: a directory is a few
/// thousand firms at most, and past this the page would weigh more than the
/// picker helps (a name typed in full still matches the directory).
pub const MAX_OFFERED_NAMES: i64 = 2000;

/// What the directory says of a firm, wherever a firm is shown.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Described {
    pub id: i64,
    pub name: String,
    pub siret: Option<String>,
    pub sector: Option<String>,
    pub commune: Option<String>,
    pub size_band: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Firm {
    #[sqlx(flatten)]
    pub described: Described,
    /// 'accepted' (the directory) or 'proposed' (typed by a respondent).
    pub state: String,
}

impl std::ops::Deref for Firm {
    type Target = Described;
    fn deref(&self) -> &Described {
        &self.described
    }
}

impl Firm {
    pub fn is_proposal(&self) -> bool {
        self.state == "proposed"
    }
}

#[derive(Debug, Clone, Default)]
pub struct NewFirm<'a> {
    pub name: &'a str,
    pub siret: Option<&'a str>,
    pub sector: Option<&'a str>,
    pub commune: Option<&'a str>,
    pub size_band: Option<&'a str>,
}

/// The names of a territory's directory, for the firm pickers. Proposals are
/// left out: a name typed by one respondent is offered to no one else until an
/// organiser accepts it.
pub async fn names(db: &Db, territory_id: i64) -> Result<Vec<String>, StoreError> {
    Ok(sql::query_scalar(
        "SELECT name FROM firms WHERE territory_id = ? AND state = 'accepted' ORDER BY name_key, name COLLATE fr LIMIT ?",
    )
    .bind(territory_id)
    .bind(MAX_OFFERED_NAMES)
    .fetch_all(&db.read)
    .await?)
}

/// Every firm of a territory (id, name), to recognise partners by name.
pub async fn ids_and_names(db: &Db, territory_id: i64) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(
        sql::query_as("SELECT id, name FROM firms WHERE territory_id = ? ORDER BY id")
            .bind(territory_id)
            .fetch_all(&db.read)
            .await?,
    )
}

/// Matches typed names (by their key) to any firm: `(key, id)` pairs.
pub async fn ids_by_keys(
    db: &Db,
    territory_id: i64,
    keys: &[&str],
) -> Result<Vec<(String, i64)>, StoreError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut builder =
        sql::QueryBuilder::new("SELECT name_key, MIN(id) FROM firms WHERE territory_id = ");
    builder.push_bind(territory_id).push(" AND name_key IN (");
    let mut separated = builder.separated(", ");
    for key in keys {
        separated.push_bind(*key);
    }
    builder.push(") GROUP BY name_key");
    Ok(builder.build_query_as().fetch_all(&db.read).await?)
}

/// A firm found under a typed name's key.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KnownFirm {
    pub name_key: String,
    pub id: i64,
    pub state: String,
}

/// The firms under these keys, directory firms first then the oldest: the
/// first row of a key is the one a typed name means.
pub async fn known_by_keys(
    conn: &mut Conn,
    territory_id: i64,
    keys: &[&str],
) -> Result<Vec<KnownFirm>, StoreError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut builder: QueryBuilder =
        QueryBuilder::new("SELECT name_key, id, state FROM firms WHERE territory_id = ");
    builder.push_bind(territory_id).push(" AND name_key IN (");
    let mut separated = builder.separated(", ");
    for key in keys {
        separated.push_bind(*key);
    }
    builder.push(") ORDER BY name_key, CASE state WHEN 'accepted' THEN 0 ELSE 1 END, id");
    Ok(builder.build_query_as().fetch_all(conn).await?)
}

/// Creates the proposals of a contribution, `(name, key)` each: returns
/// `(key, id)` pairs.
pub async fn insert_proposals(
    conn: &mut Conn,
    territory_id: i64,
    contribution_id: i64,
    names: &[(&str, &str)],
) -> Result<Vec<(String, i64)>, StoreError> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let at = now();
    let mut insert: QueryBuilder = QueryBuilder::new(
        "INSERT INTO firms (territory_id, name, name_key, origin, state, proposed_by_contribution_id, created_at) ",
    );
    insert.push_values(names, |mut b, (name, key)| {
        b.push_bind(territory_id)
            .push_bind(*name)
            .push_bind(*key)
            .push_bind("respondent")
            .push_bind("proposed")
            .push_bind(contribution_id)
            .push_bind(at.clone());
    });
    insert.push(" RETURNING name_key, id");
    Ok(insert.build_query_as().fetch_all(conn).await?)
}

/// Creates one proposal that no contribution made (a walk-in's firm, typed by
/// a facilitator): its id.
pub async fn insert_proposal(
    conn: &mut Conn,
    territory_id: i64,
    name: &str,
) -> Result<i64, StoreError> {
    Ok(sql::query_scalar(
        "INSERT INTO firms (territory_id, name, name_key, origin, state, created_at)
         VALUES (?, ?, ?, 'respondent', 'proposed', ?) RETURNING id",
    )
    .bind(territory_id)
    .bind(name)
    .bind(name_key(name))
    .bind(now())
    .fetch_one(conn)
    .await?)
}

/// Deletes, among these firms, the proposals that no link, participant or
/// contribution refers to any more.
pub async fn drop_unused_proposals(
    conn: &mut Conn,
    territory_id: i64,
    candidates: &[i64],
) -> Result<(), StoreError> {
    if candidates.is_empty() {
        return Ok(());
    }
    let mut delete: QueryBuilder =
        QueryBuilder::new("DELETE FROM firms WHERE state = 'proposed' AND territory_id = ");
    delete.push_bind(territory_id).push(" AND id IN (");
    let mut separated = delete.separated(", ");
    for id in candidates {
        separated.push_bind(*id);
    }
    delete.push(
        ") AND NOT EXISTS (SELECT 1 FROM contribution_links l WHERE l.target_firm_id = firms.id)
           AND NOT EXISTS (SELECT 1 FROM participants p WHERE p.firm_id = firms.id)
           AND NOT EXISTS (SELECT 1 FROM contributions c WHERE c.firm_id = firms.id)",
    );
    delete.build().execute(conn).await?;
    Ok(())
}

pub async fn insert(
    conn: &mut Conn,
    territory_id: i64,
    firm: &NewFirm<'_>,
    origin: &str,
) -> Result<i64, StoreError> {
    Ok(sql::query_scalar(
        "INSERT INTO firms (territory_id, name, name_key, siret, sector, commune, size_band, origin, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(territory_id)
    .bind(firm.name)
    .bind(name_key(firm.name))
    .bind(firm.siret)
    .bind(firm.sector)
    .bind(firm.commune)
    .bind(firm.size_band)
    .bind(origin)
    .bind(now())
    .fetch_one(conn)
    .await?)
}

pub async fn find(db: &Db, territory_id: i64, firm_id: i64) -> Result<Option<Firm>, StoreError> {
    Ok(sql::query_as(
        "SELECT id, name, siret, sector, commune, size_band, state FROM firms WHERE territory_id = ? AND id = ?",
    )
    .bind(territory_id)
    .bind(firm_id)
    .fetch_optional(&db.read)
    .await?)
}
