//! The directory's firms as the Sirene register describes them: what an
//! import compares the register with, and the import itself, written in one
//! transaction with its audit line.

use crate::domain::import::sirene_plan::{Registered, SirenePlan};
use crate::domain::name::name_key;
use crate::domain::plural::count;
use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::{now, Db, StoreError};

/// Rows per INSERT: 11 bound values a row, far below SQLite's limit.
const ROWS_PER_INSERT: usize = 500;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    siret: String,
    name: String,
    naf_code: Option<String>,
    headcount_band: Option<String>,
    commune_code: Option<String>,
    register_closed_on: Option<crate::store::Day>,
}

/// The territory's firms that have a SIRET.
pub async fn registered(db: &Db, territory_id: i64) -> Result<Vec<Registered>, StoreError> {
    let rows: Vec<Row> = sql::query_as(
        "SELECT id, siret, name, naf_code, headcount_band, commune_code, register_closed_on
         FROM firms WHERE territory_id = ? AND siret IS NOT NULL",
    )
    .bind(territory_id)
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Registered {
            id: r.id,
            siret: r.siret,
            name: r.name,
            naf_code: r.naf_code,
            headcount_band: r.headcount_band,
            commune_code: r.commune_code,
            register_closed_on: r.register_closed_on.map(String::from),
        })
        .collect())
}

/// Writes the plan, all of it or nothing.
pub async fn import(
    db: &Db,
    actor: Actor<'_>,
    territory_id: i64,
    plan: &SirenePlan,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    import_in(&mut tx, actor, territory_id, plan).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes the plan inside the caller's transaction.
pub async fn import_in(
    conn: &mut Conn,
    actor: Actor<'_>,
    territory_id: i64,
    plan: &SirenePlan,
) -> Result<(), StoreError> {
    let at = now();
    for rows in plan.create.chunks(ROWS_PER_INSERT) {
        let mut insert = sql::QueryBuilder::new(
            "INSERT INTO firms (territory_id, name, name_key, siret, commune, size_band, naf_code,
                                headcount_band, commune_code, origin, created_at) ",
        );
        insert.push_values(rows, |mut b, firm| {
            b.push_bind(territory_id)
                .push_bind(firm.name.clone())
                .push_bind(name_key(&firm.name))
                .push_bind(firm.siret.clone())
                .push_bind(firm.commune_name.clone())
                .push_bind(firm.size_band)
                .push_bind(firm.naf_code.clone())
                .push_bind(firm.headcount_band.clone())
                .push_bind(firm.commune_code.clone())
                .push_bind("directory")
                .push_bind(at.clone());
        });
        insert.build().execute(&mut *conn).await?;
    }
    for (id, firm) in &plan.update {
        sql::query(
            "UPDATE firms SET name = ?, name_key = ?, commune = ?, size_band = COALESCE(?, size_band),
                    naf_code = ?, headcount_band = ?, commune_code = ?, register_closed_on = NULL,
                    origin = 'directory', state = 'accepted', proposed_by_contribution_id = NULL
             WHERE territory_id = ? AND id = ?",
        )
        .bind(&firm.name)
        .bind(name_key(&firm.name))
        .bind(&firm.commune_name)
        .bind(firm.size_band)
        .bind(&firm.naf_code)
        .bind(&firm.headcount_band)
        .bind(&firm.commune_code)
        .bind(territory_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    for closed in &plan.closed {
        sql::query("UPDATE firms SET register_closed_on = ? WHERE territory_id = ? AND id = ?")
            .bind(crate::store::Day::from(closed.on.as_str()))
            .bind(territory_id)
            .bind(closed.id)
            .execute(&mut *conn)
            .await?;
    }
    let detail = format!(
        "registre Sirene\u{a0}: {}, {}, {}",
        count(plan.create.len(), "ajoutée", "ajoutées"),
        count(plan.update.len(), "mise à jour", "mises à jour"),
        count(plan.closed.len(), "signalée fermée", "signalées fermées")
    );
    audit::record(conn, actor, "firm_import", &detail).await
}

/// What the register says of one firm, for its page.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Attributes {
    pub naf_code: Option<String>,
    pub headcount_band: Option<String>,
    pub commune_code: Option<String>,
    pub register_closed_on: Option<String>,
}

impl Attributes {
    pub fn is_empty(&self) -> bool {
        self.naf_code.is_none()
            && self.headcount_band.is_none()
            && self.commune_code.is_none()
            && self.register_closed_on.is_none()
    }

    /// NAF code and its division's label.
    pub fn activity(&self) -> Option<String> {
        self.naf_code
            .as_deref()
            .map(crate::domain::naf::activity_label)
    }

    /// The NAF section of the activity, with its letter.
    pub fn section(&self) -> Option<String> {
        let division = crate::domain::naf::division_of(self.naf_code.as_deref()?)?;
        let section = crate::domain::naf::section_of(division)?;
        Some(format!("{} — {}", section.letter, section.label))
    }

    /// The headcount band's words.
    pub fn headcount(&self) -> Option<&'static str> {
        self.headcount_band
            .as_deref()
            .and_then(crate::domain::naf::band_label)
    }

    pub fn closed_on(&self) -> Option<String> {
        self.register_closed_on
            .as_deref()
            .map(crate::domain::french_time::day)
    }
}

/// The register's attributes of a firm of the territory (empty if none).
pub async fn attributes(
    db: &Db,
    territory_id: i64,
    firm_id: i64,
) -> Result<Attributes, StoreError> {
    Ok(sql::query_as(
        "SELECT naf_code, headcount_band, commune_code, register_closed_on
         FROM firms WHERE territory_id = ? AND id = ?",
    )
    .bind(territory_id)
    .bind(firm_id)
    .fetch_optional(&db.read)
    .await?
    .unwrap_or_default())
}
