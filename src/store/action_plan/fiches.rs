//! Fiches actions: the fiche, its links to the catalogue, themes, wished links,
//! partners, budget lines, indicators, and its dated history.
//!
//! Over 400 lines: one fiche spans nine tables (migration 0020), read and
//! written together here so that a fiche is always saved whole in one
//! transaction.

use crate::domain::action_plan::fiche::{BudgetLine, FicheInput, FicheStatus, Indicator, Partner};
use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::{now, Db, StoreError};
use std::collections::BTreeMap;

#[derive(Debug, Clone, sqlx::FromRow)]
struct Head {
    id: i64,
    title: String,
    summary: String,
    lead_organisation: String,
    starts_on: Option<crate::store::Day>,
    ends_on: Option<crate::store::Day>,
    status: String,
    progress: i64,
}

/// A fiche as the plan's table shows it, with what it is linked to.
#[derive(Debug, Clone)]
pub struct FicheRow {
    pub id: i64,
    pub title: String,
    pub lead_organisation: String,
    pub status: FicheStatus,
    pub progress: i64,
    /// Objectives and levers (catalogue entry ids).
    pub entry_ids: Vec<i64>,
    pub theme_ids: Vec<i64>,
}

/// A line of a fiche's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Update {
    pub at: crate::store::Stamp,
    pub staff_email: String,
    pub meeting: Option<String>,
    pub meeting_on: Option<crate::store::Day>,
    pub status: String,
    pub progress: i64,
    pub note: String,
}

impl Update {
    pub fn status_label(&self) -> &'static str {
        FicheStatus::parse(&self.status).map_or("", FicheStatus::label)
    }

    pub fn date(&self) -> String {
        crate::domain::french_time::date(&self.at)
    }

    /// "Comité de projet du 4 juin 2019", or "".
    pub fn meeting_title(&self) -> String {
        match (&self.meeting, &self.meeting_on) {
            (Some(m), Some(on)) => format!("{m} du {}", crate::domain::french_time::day(on)),
            _ => String::new(),
        }
    }
}

/// A whole fiche. `input.meeting_id` and `input.note` are those of its
/// latest history line.
#[derive(Debug, Clone)]
pub struct Fiche {
    pub id: i64,
    pub input: FicheInput,
    pub history: Vec<Update>,
}

pub(super) fn status_of(raw: &str) -> FicheStatus {
    // The column's CHECK allows only the five statuses.
    FicheStatus::parse(raw).unwrap_or(FicheStatus::Proposed)
}

/// The campaign's fiches, in creation order.
pub async fn list(db: &Db, campaign_id: i64) -> Result<Vec<FicheRow>, StoreError> {
    let heads: Vec<Head> = sql::query_as(
        "SELECT id, title, '' AS summary, lead_organisation, starts_on, ends_on, status, progress
         FROM action_fiches WHERE campaign_id = ? ORDER BY id",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?;
    let entries: Vec<(i64, i64)> = sql::query_as(
        "SELECT e.fiche_id, e.entry_id FROM action_fiche_entries e
         JOIN action_fiches f ON f.id = e.fiche_id WHERE f.campaign_id = ? ORDER BY e.entry_id",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?;
    let themes: Vec<(i64, i64)> = sql::query_as(
        "SELECT t.fiche_id, t.theme_id FROM action_fiche_themes t
         JOIN action_fiches f ON f.id = t.fiche_id WHERE f.campaign_id = ? ORDER BY t.theme_id",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?;
    let group = |pairs: Vec<(i64, i64)>| {
        let mut by: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for (fiche, id) in pairs {
            by.entry(fiche).or_default().push(id);
        }
        by
    };
    let (mut entries, mut themes) = (group(entries), group(themes));
    Ok(heads
        .into_iter()
        .map(|h| FicheRow {
            entry_ids: entries.remove(&h.id).unwrap_or_default(),
            theme_ids: themes.remove(&h.id).unwrap_or_default(),
            id: h.id,
            title: h.title,
            lead_organisation: h.lead_organisation,
            status: status_of(&h.status),
            progress: h.progress,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct PartnerRow {
    firm_id: Option<i64>,
    name: String,
}

#[derive(sqlx::FromRow)]
struct BudgetRow {
    label: String,
    amount_cents: i64,
    funder: String,
}

#[derive(sqlx::FromRow)]
struct IndicatorRow {
    label: String,
    target: String,
}

pub async fn find(db: &Db, campaign_id: i64, id: i64) -> Result<Option<Fiche>, StoreError> {
    let head: Option<Head> = sql::query_as(
        "SELECT id, title, summary, lead_organisation, starts_on, ends_on, status, progress
         FROM action_fiches WHERE campaign_id = ? AND id = ?",
    )
    .bind(campaign_id)
    .bind(id)
    .fetch_optional(&db.read)
    .await?;
    let Some(h) = head else {
        return Ok(None);
    };
    // Objectives and levers share one table; the catalogue says which is which.
    let entries: Vec<(i64, String)> = sql::query_as(
        "SELECT e.entry_id, c.catalogue FROM action_fiche_entries e
         JOIN catalogue_entries c ON c.id = e.entry_id WHERE e.fiche_id = ? ORDER BY c.position, c.id",
    )
    .bind(id)
    .fetch_all(&db.read)
    .await?;
    let theme_ids: Vec<i64> = sql::query_scalar(
        "SELECT theme_id FROM action_fiche_themes WHERE fiche_id = ? ORDER BY theme_id",
    )
    .bind(id)
    .fetch_all(&db.read)
    .await?;
    let links: Vec<(i64, i64)> = sql::query_as(
        "SELECT firm_a, firm_b FROM action_fiche_links WHERE fiche_id = ? ORDER BY firm_a, firm_b",
    )
    .bind(id)
    .fetch_all(&db.read)
    .await?;
    let partners: Vec<PartnerRow> = sql::query_as(
        "SELECT firm_id, name FROM action_fiche_partners WHERE fiche_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(&db.read)
    .await?;
    let budget: Vec<BudgetRow> = sql::query_as(
        "SELECT label, amount_cents, funder FROM action_fiche_budget_lines WHERE fiche_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(&db.read)
    .await?;
    let indicators: Vec<IndicatorRow> = sql::query_as(
        "SELECT label, target FROM action_fiche_indicators WHERE fiche_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(&db.read)
    .await?;
    let history: Vec<Update> = sql::query_as(
        "SELECT u.at, u.staff_email, m.instance AS meeting, m.held_on AS meeting_on, u.status, u.progress, u.note
         FROM action_fiche_updates u LEFT JOIN committee_meetings m ON m.id = u.meeting_id
         WHERE u.fiche_id = ? ORDER BY u.at, u.id",
    )
    .bind(id)
    .fetch_all(&db.read)
    .await?;
    let pick = |kind: &str| -> Vec<i64> {
        entries
            .iter()
            .filter(|(_, k)| k == kind)
            .map(|(e, _)| *e)
            .collect()
    };
    Ok(Some(Fiche {
        id: h.id,
        input: FicheInput {
            title: h.title,
            summary: h.summary,
            objective_ids: pick("objective"),
            lever_ids: pick("lever"),
            theme_ids,
            links,
            lead_organisation: h.lead_organisation,
            partners: partners
                .into_iter()
                .map(|p| Partner {
                    firm_id: p.firm_id,
                    name: p.name,
                })
                .collect(),
            budget: budget
                .into_iter()
                .map(|b| BudgetLine {
                    label: b.label,
                    amount_cents: b.amount_cents,
                    funder: b.funder,
                })
                .collect(),
            indicators: indicators
                .into_iter()
                .map(|i| Indicator {
                    label: i.label,
                    target: i.target,
                })
                .collect(),
            starts_on: h.starts_on.map(String::from),
            ends_on: h.ends_on.map(String::from),
            status: status_of(&h.status),
            progress: h.progress,
            meeting_id: None,
            note: String::new(),
        },
        history,
    }))
}

/// The ids a fiche may point at must belong to its campaign: the web layer
/// checks them against `FicheChoices`; this writes what it was given.
async fn write_lists(conn: &mut Conn, id: i64, f: &FicheInput) -> Result<(), StoreError> {
    for table in [
        "action_fiche_entries",
        "action_fiche_themes",
        "action_fiche_links",
        "action_fiche_partners",
        "action_fiche_budget_lines",
        "action_fiche_indicators",
    ] {
        sql::query(&format!("DELETE FROM {table} WHERE fiche_id = ?"))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    let entries: Vec<i64> = f
        .objective_ids
        .iter()
        .chain(&f.lever_ids)
        .copied()
        .collect();
    super::insert_rows(
        &mut *conn,
        "INSERT INTO action_fiche_entries (fiche_id, entry_id) ",
        &entries,
        |mut row, e| {
            row.push_bind(id).push_bind(*e);
        },
    )
    .await?;
    super::insert_rows(
        &mut *conn,
        "INSERT INTO action_fiche_themes (fiche_id, theme_id) ",
        &f.theme_ids,
        |mut row, t| {
            row.push_bind(id).push_bind(*t);
        },
    )
    .await?;
    super::insert_rows(
        &mut *conn,
        "INSERT INTO action_fiche_links (fiche_id, firm_a, firm_b) ",
        &f.links,
        |mut row, (a, z)| {
            row.push_bind(id).push_bind(*a).push_bind(*z);
        },
    )
    .await?;
    super::insert_rows(
        &mut *conn,
        "INSERT INTO action_fiche_partners (fiche_id, position, firm_id, name) ",
        f.partners.iter().enumerate(),
        |mut row, (i, p)| {
            row.push_bind(id)
                .push_bind(i as i64)
                .push_bind(p.firm_id)
                .push_bind(&p.name);
        },
    )
    .await?;
    super::insert_rows(
        &mut *conn,
        "INSERT INTO action_fiche_budget_lines (fiche_id, position, label, amount_cents, funder) ",
        f.budget.iter().enumerate(),
        |mut row, (i, l)| {
            row.push_bind(id)
                .push_bind(i as i64)
                .push_bind(&l.label)
                .push_bind(l.amount_cents)
                .push_bind(&l.funder);
        },
    )
    .await?;
    super::insert_rows(
        &mut *conn,
        "INSERT INTO action_fiche_indicators (fiche_id, position, label, target) ",
        f.indicators.iter().enumerate(),
        |mut row, (i, ind)| {
            row.push_bind(id)
                .push_bind(i as i64)
                .push_bind(&ind.label)
                .push_bind(&ind.target);
        },
    )
    .await?;
    Ok(())
}

async fn add_update(
    conn: &mut Conn,
    actor: Actor<'_>,
    id: i64,
    f: &FicheInput,
    at: &crate::store::Stamp,
) -> Result<(), StoreError> {
    sql::query(
        "INSERT INTO action_fiche_updates (fiche_id, at, staff_email, meeting_id, status, progress, note)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(at)
    .bind(actor.staff_email)
    .bind(f.meeting_id)
    .bind(f.status.as_str())
    .bind(f.progress)
    .bind(&f.note)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn create(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    f: &FicheInput,
) -> Result<i64, StoreError> {
    let mut tx = db.begin().await?;
    let at = now();
    let id: i64 = sql::query_scalar(
        "INSERT INTO action_fiches (campaign_id, title, summary, lead_organisation, starts_on, ends_on, status, progress, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(campaign_id)
    .bind(&f.title)
    .bind(&f.summary)
    .bind(&f.lead_organisation)
    .bind(f.starts_on.as_deref().map(crate::store::Day::from))
    .bind(f.ends_on.as_deref().map(crate::store::Day::from))
    .bind(f.status.as_str())
    .bind(f.progress)
    .bind(&at)
    .bind(&at)
    .fetch_one(&mut *tx)
    .await?;
    write_lists(&mut tx, id, f).await?;
    add_update(&mut tx, actor, id, f, &at).await?;
    let detail = format!("«\u{a0}{}\u{a0}» créée ({})", f.title, f.status.label());
    audit::record(&mut tx, actor, "fiche_create", &detail).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves a fiche; a history line is added when its status or progress moved,
/// or a note was written.
pub async fn update(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    before: &Fiche,
    f: &FicheInput,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let at = now();
    sql::query(
        "UPDATE action_fiches SET title = ?, summary = ?, lead_organisation = ?, starts_on = ?, ends_on = ?,
                status = ?, progress = ?, updated_at = ?
         WHERE campaign_id = ? AND id = ?",
    )
    .bind(&f.title)
    .bind(&f.summary)
    .bind(&f.lead_organisation)
    .bind(f.starts_on.as_deref().map(crate::store::Day::from))
    .bind(f.ends_on.as_deref().map(crate::store::Day::from))
    .bind(f.status.as_str())
    .bind(f.progress)
    .bind(&at)
    .bind(campaign_id)
    .bind(before.id)
    .execute(&mut *tx)
    .await?;
    write_lists(&mut tx, before.id, f).await?;
    let moved = f.status != before.input.status || f.progress != before.input.progress;
    if moved || !f.note.is_empty() {
        add_update(&mut tx, actor, before.id, f, &at).await?;
    }
    let detail = if f.status != before.input.status {
        format!(
            "«\u{a0}{}\u{a0}»\u{a0}: {} → {}",
            f.title,
            before.input.status.label(),
            f.status.label()
        )
    } else {
        format!("«\u{a0}{}\u{a0}» modifiée", f.title)
    };
    audit::record(&mut tx, actor, "fiche_edit", &detail).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    fiche: &Fiche,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    sql::query("DELETE FROM action_fiches WHERE campaign_id = ? AND id = ?")
        .bind(campaign_id)
        .bind(fiche.id)
        .execute(&mut *tx)
        .await?;
    let detail = format!("«\u{a0}{}\u{a0}» supprimée", fiche.input.title);
    audit::record(&mut tx, actor, "fiche_delete", &detail).await?;
    tx.commit().await?;
    Ok(())
}
