//! The firm directory as staff manage it: list, search, edit, merge, import.
//! The respondents' proposals, and what organisers decide about them, are in
//! `proposals`.

mod listing;
pub mod proposals;

pub use listing::{count, listed, page, FirmCriteria, FirmSort};

use crate::domain::import::firms::{FirmRow, Known, Plan};
use crate::domain::name::name_key;
use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::firms::{Described, NewFirm};
use crate::store::{now, Db, StoreError};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    #[sqlx(flatten)]
    pub described: Described,
    pub origin: String,
    pub participants: i64,
    /// From the Sirene register: NAF code, INSEE headcount band, the day it
    /// closed.
    pub naf_code: Option<String>,
    pub headcount_band: Option<String>,
    pub register_closed_on: Option<crate::store::Day>,
}

impl Listed {
    /// The activity as the directory shows it: NAF code and its division.
    pub fn activity(&self) -> Option<String> {
        self.naf_code
            .as_deref()
            .map(crate::domain::naf::activity_label)
    }

    /// The headcount band's words (« 20 à 49 salariés »).
    pub fn headcount(&self) -> Option<&'static str> {
        self.headcount_band
            .as_deref()
            .and_then(crate::domain::naf::band_label)
    }

    /// The day the register lists it as closed, in French.
    pub fn closed_on(&self) -> Option<String> {
        self.register_closed_on
            .as_deref()
            .map(crate::domain::french_time::day)
    }
}

impl std::ops::Deref for Listed {
    type Target = Described;
    fn deref(&self) -> &Described {
        &self.described
    }
}

/// The directory of a territory (accepted firms: proposals are listed apart),
/// filtered by a name or SIRET fragment.
pub async fn list(db: &Db, territory_id: i64, search: &str) -> Result<Vec<Listed>, StoreError> {
    let key = format!("%{}%", name_key(search));
    let digits = format!("%{}%", search.replace(' ', ""));
    Ok(sql::query_as(
        "SELECT f.id, f.name, f.siret, f.sector, f.commune, f.size_band, f.origin,
                (SELECT COUNT(*) FROM participants p WHERE p.firm_id = f.id) AS participants,
                f.naf_code, f.headcount_band, f.register_closed_on
         FROM firms f
         WHERE f.territory_id = ? AND f.state = 'accepted' AND (f.name_key LIKE ? OR f.siret LIKE ?)
         ORDER BY f.name_key, f.name COLLATE fr, f.id",
    )
    .bind(territory_id)
    .bind(key)
    .bind(digits)
    .fetch_all(&db.read)
    .await?)
}

/// What import matching needs to know about every firm of the territory,
/// proposals included: a row naming one makes it a directory firm rather than a
/// second firm of that name.
pub async fn known(db: &Db, territory_id: i64) -> Result<Vec<Known>, StoreError> {
    let rows: Vec<(i64, String, String, Option<String>)> =
        sql::query_as("SELECT id, name, name_key, siret FROM firms WHERE territory_id = ?")
            .bind(territory_id)
            .fetch_all(&db.read)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, name_key, siret)| Known {
            id,
            name,
            name_key,
            siret,
        })
        .collect())
}

/// The firm of the territory holding this SIRET, other than `except`.
pub async fn siret_taken(
    db: &Db,
    territory_id: i64,
    siret: &str,
    except: Option<i64>,
) -> Result<bool, StoreError> {
    let id: Option<i64> =
        sql::query_scalar("SELECT id FROM firms WHERE territory_id = ? AND siret = ?")
            .bind(territory_id)
            .bind(siret)
            .fetch_optional(&db.read)
            .await?;
    Ok(id.is_some_and(|id| Some(id) != except))
}

/// The state ('accepted' or 'proposed') of the firm without SIRET that holds
/// this name in the territory, other than `except`: one such firm per name.
pub async fn name_taken(
    db: &Db,
    territory_id: i64,
    name: &str,
    except: Option<i64>,
) -> Result<Option<String>, StoreError> {
    let found: Option<(i64, String)> = sql::query_as(
        "SELECT id, state FROM firms WHERE territory_id = ? AND name_key = ? AND siret IS NULL",
    )
    .bind(territory_id)
    .bind(name_key(name))
    .fetch_optional(&db.read)
    .await?;
    Ok(found
        .filter(|(id, _)| Some(*id) != except)
        .map(|(_, state)| state))
}

pub async fn create(db: &Db, territory_id: i64, firm: &NewFirm<'_>) -> Result<i64, StoreError> {
    let mut conn = db.write.acquire().await?;
    crate::store::firms::insert(&mut conn, territory_id, firm, "directory").await
}

pub async fn update(
    db: &Db,
    territory_id: i64,
    firm_id: i64,
    firm: &NewFirm<'_>,
) -> Result<(), StoreError> {
    sql::query(
        "UPDATE firms SET name = ?, name_key = ?, siret = ?, sector = ?, commune = ?, size_band = ?, origin = 'directory',
                state = 'accepted', proposed_by_contribution_id = NULL
         WHERE territory_id = ? AND id = ?",
    )
    .bind(firm.name)
    .bind(name_key(firm.name))
    .bind(firm.siret)
    .bind(firm.sector)
    .bind(firm.commune)
    .bind(firm.size_band)
    .bind(territory_id)
    .bind(firm_id)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// Merges the duplicate `drop` into `keep`, in one transaction: links,
/// participants and contributions point to `keep`, which takes the fields it
/// lacked, and `drop` is deleted.
pub async fn merge(
    db: &Db,
    actor: Actor<'_>,
    territory_id: i64,
    keep: i64,
    drop: i64,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let (dropped, kept) = merge_into(&mut tx, territory_id, keep, drop).await?;
    let detail = format!("«\u{a0}{dropped}\u{a0}» fusionnée dans «\u{a0}{kept}\u{a0}»");
    audit::record(&mut tx, actor, "firm_merge", &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// The merge itself, inside the caller's transaction: the names of the dropped
/// and of the kept firm.
async fn merge_into(
    conn: &mut Conn,
    territory_id: i64,
    keep: i64,
    drop: i64,
) -> Result<(String, String), StoreError> {
    for sql in [
        "UPDATE contribution_links SET target_firm_id = ? WHERE target_firm_id = ?",
        "UPDATE participants SET firm_id = ? WHERE firm_id = ?",
        "UPDATE contributions SET firm_id = ? WHERE firm_id = ?",
    ] {
        sql::query(sql)
            .bind(keep)
            .bind(drop)
            .execute(&mut *conn)
            .await?;
    }
    let dropped: (String, Option<String>, Option<String>, Option<String>, Option<String>) =
        sql::query_as(
            "DELETE FROM firms WHERE territory_id = ? AND id = ? RETURNING name, siret, sector, commune, size_band",
        )
        .bind(territory_id)
        .bind(drop)
        .fetch_one(&mut *conn)
        .await?;
    let kept: String = sql::query_scalar(
        "UPDATE firms SET siret = COALESCE(siret, ?), sector = COALESCE(sector, ?),
                commune = COALESCE(commune, ?), size_band = COALESCE(size_band, ?)
         WHERE territory_id = ? AND id = ? RETURNING name",
    )
    .bind(&dropped.1)
    .bind(&dropped.2)
    .bind(&dropped.3)
    .bind(&dropped.4)
    .bind(territory_id)
    .bind(keep)
    .fetch_one(&mut *conn)
    .await?;
    Ok((dropped.0, kept))
}

/// Rows per INSERT of an import: SQLite takes at most 32,766 bound values per
/// statement (9 a row), and a 2 MB file can hold a few hundred thousand rows.
const IMPORT_ROWS_PER_INSERT: usize = 1_000;

/// Applies an import plan inside the caller's transaction (the one that also
/// deletes the preview it was made from): all of it, or nothing.
pub async fn import(
    conn: &mut Conn,
    actor: Actor<'_>,
    territory_id: i64,
    plan: &Plan,
) -> Result<(), StoreError> {
    let at = now();
    let as_new = |row: &FirmRow| (row.name.clone(), name_key(&row.name));
    for rows in plan.create.chunks(IMPORT_ROWS_PER_INSERT) {
        let mut insert = sql::QueryBuilder::new(
            "INSERT INTO firms (territory_id, name, name_key, siret, sector, commune, size_band, origin, created_at) ",
        );
        insert.push_values(rows, |mut b, row| {
            let (name, key) = as_new(row);
            b.push_bind(territory_id)
                .push_bind(name)
                .push_bind(key)
                .push_bind(row.siret.clone())
                .push_bind(row.sector.clone())
                .push_bind(row.commune.clone())
                .push_bind(row.size_band.clone())
                .push_bind("directory")
                .push_bind(at.clone());
        });
        insert.build().execute(&mut *conn).await?;
    }
    for (id, row) in &plan.update {
        sql::query(
            "UPDATE firms SET name = ?, name_key = ?, siret = COALESCE(?, siret), sector = COALESCE(?, sector),
                    commune = COALESCE(?, commune), size_band = COALESCE(?, size_band), origin = 'directory',
                    state = 'accepted', proposed_by_contribution_id = NULL
             WHERE territory_id = ? AND id = ?",
        )
        .bind(&row.name)
        .bind(name_key(&row.name))
        .bind(&row.siret)
        .bind(&row.sector)
        .bind(&row.commune)
        .bind(&row.size_band)
        .bind(territory_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    let detail = format!(
        "{}, {} à jour, {}",
        crate::domain::plural::count(plan.create.len(), "créée", "créées"),
        crate::domain::plural::count(plan.update.len(), "mise", "mises"),
        crate::domain::plural::count(plan.refuse.len(), "ligne refusée", "lignes refusées")
    );
    audit::record(conn, actor, "firm_import", &detail).await
}
