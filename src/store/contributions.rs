//! A contribution's three parts. Each save replaces one part whole, inside one
//! transaction, with multi-row INSERTs: the cost of a save follows the number of
//! statements, not of rows (STACK.md).

mod links;

use super::{now, Db, StoreError};
use crate::domain::links::LinkStatus;
use crate::domain::ranking::ObjectiveRanking;
use crate::domain::swot::{Quadrant, SwotItem};
use crate::store::participants::Respondent;
pub use links::{link_target_errors, write_named_links, LinksRefused, NamedLinks};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// The other firm of a link, once resolved. Names typed by people are resolved
/// by `write_named_links`, inside the save's transaction; this is for writers
/// that already hold firm ids (the demo, the benchmarks' generator, tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirmTarget {
    Known(i64),
}

#[derive(Debug, Clone)]
pub struct ResolvedLink {
    pub target: FirmTarget,
    pub kind_ids: Vec<i64>,
    pub intensity_id: i64,
    pub status: LinkStatus,
}

/// One part of the answers, ready to be written.
pub enum Part<'a> {
    Links(&'a [ResolvedLink]),
    Swot(&'a [SwotItem]),
    Levers(&'a [ObjectiveRanking]),
}

impl Part<'_> {
    fn step(&self) -> i64 {
        match self {
            Part::Links(_) => 1,
            Part::Swot(_) => 2,
            Part::Levers(_) => 3,
        }
    }
}

/// Saves one step of a respondent's online contribution: creates the contribution
/// on the first save, records the furthest step reached, replaces the part.
pub async fn save_online_step(
    db: &Db,
    respondent: &Respondent,
    part: Part<'_>,
) -> Result<i64, StoreError> {
    let mut tx = db.write.begin().await?;
    let contribution_id = upsert_online(&mut tx, respondent, part.step()).await?;
    replace_part(&mut tx, contribution_id, respondent.territory_id, &part).await?;
    mark_started(&mut tx, respondent).await?;
    tx.commit().await?;
    Ok(contribution_id)
}

/// Saves step 1 as typed: the names are resolved, new ones proposed, and the
/// links replaced in one transaction; a refused save writes nothing.
pub async fn save_online_links(
    db: &Db,
    respondent: &Respondent,
    links: &NamedLinks<'_>,
) -> Result<Result<i64, LinksRefused>, StoreError> {
    let mut tx = db.write.begin().await?;
    let contribution_id = upsert_online(&mut tx, respondent, 1).await?;
    let written =
        write_named_links(&mut tx, contribution_id, respondent.territory_id, links).await?;
    if let Err(refused) = written {
        tx.rollback().await?;
        return Ok(Err(refused));
    }
    mark_started(&mut tx, respondent).await?;
    tx.commit().await?;
    Ok(Ok(contribution_id))
}

/// The respondent's online contribution, created on their first save, with the
/// furthest step reached.
async fn upsert_online(
    conn: &mut SqliteConnection,
    respondent: &Respondent,
    step: i64,
) -> Result<i64, StoreError> {
    let at = now();
    Ok(sqlx::query_scalar(
        "INSERT INTO contributions (campaign_id, participant_id, firm_id, step_reached, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (participant_id) WHERE source_session_id IS NULL DO UPDATE SET
             updated_at = excluded.updated_at,
             step_reached = CASE WHEN contributions.step_reached < excluded.step_reached
                                 THEN excluded.step_reached ELSE contributions.step_reached END
         RETURNING id",
    )
    .bind(respondent.campaign_id)
    .bind(respondent.participant_id)
    .bind(respondent.firm_id)
    .bind(step)
    .bind(&at)
    .bind(&at)
    .fetch_one(conn)
    .await?)
}

async fn mark_started(
    conn: &mut SqliteConnection,
    respondent: &Respondent,
) -> Result<(), StoreError> {
    if respondent.started_at.is_none() {
        sqlx::query("UPDATE participants SET started_at = ? WHERE id = ? AND started_at IS NULL")
            .bind(now())
            .bind(respondent.participant_id)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Replaces one part of any contribution (online or typed in the room).
pub async fn replace_part(
    conn: &mut SqliteConnection,
    contribution_id: i64,
    territory_id: i64,
    part: &Part<'_>,
) -> Result<(), StoreError> {
    match part {
        Part::Links(links) => {
            links::replace_links(conn, contribution_id, territory_id, links).await
        }
        Part::Swot(items) => replace_swot(conn, contribution_id, items).await,
        Part::Levers(rankings) => replace_rankings(conn, contribution_id, rankings).await,
    }
}

async fn replace_swot(
    conn: &mut SqliteConnection,
    contribution_id: i64,
    items: &[SwotItem],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM swot_items WHERE contribution_id = ?")
        .bind(contribution_id)
        .execute(&mut *conn)
        .await?;
    if items.is_empty() {
        return Ok(());
    }
    let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
        "INSERT INTO swot_items (contribution_id, position, quadrant, text, norm_key) ",
    );
    // The one writer of SWOT items computes the grouping key the syntheses read.
    insert.push_values(items.iter().enumerate(), |mut b, (position, item)| {
        b.push_bind(contribution_id)
            .push_bind(position as i64)
            .push_bind(item.quadrant.as_str())
            .push_bind(&item.text)
            .push_bind(crate::synthesis::normalize_key(&item.text));
    });
    insert.build().execute(&mut *conn).await?;
    Ok(())
}

async fn replace_rankings(
    conn: &mut SqliteConnection,
    contribution_id: i64,
    rankings: &[ObjectiveRanking],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM lever_rankings WHERE contribution_id = ?")
        .bind(contribution_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM proposed_levers WHERE contribution_id = ?")
        .bind(contribution_id)
        .execute(&mut *conn)
        .await?;
    let ranked: Vec<(i64, u8, i64)> = rankings
        .iter()
        .flat_map(|r| {
            r.ranked()
                .map(move |(rank, lever)| (r.objective_id, rank.get(), lever))
        })
        .collect();
    if !ranked.is_empty() {
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO lever_rankings (contribution_id, objective_id, rank, lever_id) ",
        );
        insert.push_values(ranked, |mut b, (objective, rank, lever)| {
            b.push_bind(contribution_id)
                .push_bind(objective)
                .push_bind(i64::from(rank))
                .push_bind(lever);
        });
        insert.build().execute(&mut *conn).await?;
    }
    let proposals: Vec<(i64, &str)> = rankings
        .iter()
        .filter_map(|r| Some((r.objective_id, r.proposal.as_deref()?)))
        .collect();
    if !proposals.is_empty() {
        let mut insert: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO proposed_levers (contribution_id, objective_id, text) ");
        insert.push_values(proposals, |mut b, (objective, text)| {
            b.push_bind(contribution_id)
                .push_bind(objective)
                .push_bind(text);
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Marks the respondent's contribution as submitted (the first time only).
pub async fn submit_online(db: &Db, respondent: &Respondent) -> Result<(), StoreError> {
    let mut tx = db.write.begin().await?;
    let at = now();
    sqlx::query("UPDATE contributions SET submitted_at = COALESCE(submitted_at, ?), updated_at = ? WHERE participant_id = ? AND source_session_id IS NULL")
        .bind(&at)
        .bind(&at)
        .bind(respondent.participant_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE participants SET submitted_at = COALESCE(submitted_at, ?) WHERE id = ?")
        .bind(&at)
        .bind(respondent.participant_id)
        .execute(&mut *tx)
        .await?;
    // Someone who has answered is not reminded to answer.
    super::outbox::drop_reminders(&mut tx, respondent.participant_id).await?;
    tx.commit().await?;
    Ok(())
}

/// A saved link, as the review page and the form show it back.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SavedLink {
    pub position: i64,
    pub firm_name: String,
    pub intensity_id: i64,
    pub status: String,
    #[sqlx(skip)]
    pub kind_ids: Vec<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct Answers {
    pub links: Vec<SavedLink>,
    pub swot: Vec<SwotItem>,
    /// (objective id, rank, lever id), by objective then rank.
    pub rankings: Vec<(i64, i64, i64)>,
    pub proposals: Vec<(i64, String)>,
}

pub async fn load_answers(db: &Db, contribution_id: i64) -> Result<Answers, StoreError> {
    let mut conn = db.read.acquire().await?;
    answers_on(&mut conn, contribution_id).await
}

/// `load_answers` on a given connection: inside a save's transaction, what it
/// reads cannot change before the save writes.
pub async fn answers_on(
    conn: &mut SqliteConnection,
    contribution_id: i64,
) -> Result<Answers, StoreError> {
    let mut links: Vec<SavedLink> = sqlx::query_as(
        "SELECT l.position, f.name AS firm_name, l.intensity_id, l.status
         FROM contribution_links l JOIN firms f ON f.id = l.target_firm_id
         WHERE l.contribution_id = ? ORDER BY l.position",
    )
    .bind(contribution_id)
    .fetch_all(&mut *conn)
    .await?;
    let kinds: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT k.position, k.kind_id FROM contribution_link_kinds k
         JOIN catalogue_entries e ON e.id = k.kind_id
         WHERE k.contribution_id = ? ORDER BY k.position, e.position",
    )
    .bind(contribution_id)
    .fetch_all(&mut *conn)
    .await?;
    for (position, kind) in kinds {
        if let Some(link) = links.iter_mut().find(|l| l.position == position) {
            link.kind_ids.push(kind);
        }
    }
    let swot_rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT quadrant, text FROM swot_items WHERE contribution_id = ? ORDER BY position",
    )
    .bind(contribution_id)
    .fetch_all(&mut *conn)
    .await?;
    let swot = swot_rows
        .into_iter()
        .filter_map(|(q, text)| {
            Some(SwotItem {
                quadrant: Quadrant::parse(&q)?,
                text,
            })
        })
        .collect();
    let rankings = sqlx::query_as(
        "SELECT objective_id, rank, lever_id FROM lever_rankings WHERE contribution_id = ? ORDER BY objective_id, rank",
    )
    .bind(contribution_id)
    .fetch_all(&mut *conn)
    .await?;
    let proposals =
        sqlx::query_as("SELECT objective_id, text FROM proposed_levers WHERE contribution_id = ?")
            .bind(contribution_id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(Answers {
        links,
        swot,
        rankings,
        proposals,
    })
}

/// The wording other respondents of the campaign already used, per quadrant, most
/// cited first: what the SWOT fields suggest while typing.
pub async fn swot_suggestions(
    db: &Db,
    campaign_id: i64,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT s.quadrant, s.text FROM swot_items s
         JOIN contributions c ON c.id = s.contribution_id
         WHERE c.campaign_id = ?
         GROUP BY s.quadrant, s.text
         ORDER BY COUNT(*) DESC, s.text
         LIMIT 400",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?)
}

pub struct NewContribution<'a> {
    pub campaign_id: i64,
    pub participant_id: Option<i64>,
    pub firm_id: Option<i64>,
    pub source_session_id: Option<i64>,
    pub table_label: Option<&'a str>,
    pub entered_by_staff_id: Option<i64>,
    pub step_reached: i64,
    pub at: &'a str,
    pub submitted: bool,
}

/// Creates a contribution with no answers yet (room entries, demo, imports).
pub async fn insert(
    conn: &mut SqliteConnection,
    new: &NewContribution<'_>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO contributions (campaign_id, participant_id, firm_id, source_session_id, table_label,
                                    entered_by_staff_id, step_reached, created_at, updated_at, submitted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.campaign_id)
    .bind(new.participant_id)
    .bind(new.firm_id)
    .bind(new.source_session_id)
    .bind(new.table_label)
    .bind(new.entered_by_staff_id)
    .bind(new.step_reached)
    .bind(new.at)
    .bind(new.at)
    .bind(new.submitted.then_some(new.at))
    .fetch_one(conn)
    .await?)
}
