//! A contribution's three parts. Each save is one store function and one
//! transaction that replaces one part whole: its statements go to SQLite
//! together (`batch`), with multi-row INSERTs, since the cost of a save follows
//! the number of round trips to SQLite, not the number of rows.
//!
//! A step save of an online contribution makes three round trips (BEGIN, the
//! batch, COMMIT); step 1 one more, to read which firms the typed names are,
//! and one more when it proposes new names or drops a link to a proposal.
//! Saves that reach the writer together share the BEGIN and the COMMIT (the
//! writer's group commit), so under load a step save costs its own one or two
//! round trips and a share of two.

mod answers;
mod batch;
mod links;

use super::{Db, StoreError};
use crate::domain::links::targets::OwnFirm;
use crate::domain::links::{LinkDraft, LinkStatus};
use crate::domain::ranking::ObjectiveRanking;
use crate::domain::swot::{normalize_key, SwotItem};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::firms;
use crate::store::participants::Respondent;
pub use answers::{answers_on, load_answers, swot_suggestions, Answers, SavedLink};
use batch::{Batch, Contribution};
pub use links::{link_target_errors, write_named_links, LinksRefused, NamedLinks};
use std::convert::Infallible;

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

/// The answers of step 2 or 3, owned: the save runs in the writer's task
/// (its group commit, `Db::save_grouped`), not the request's.
pub enum StepAnswers {
    Swot(Vec<SwotItem>),
    Levers(Vec<ObjectiveRanking>),
}

impl StepAnswers {
    fn part(&self) -> Part<'_> {
        match self {
            StepAnswers::Swot(items) => Part::Swot(items),
            StepAnswers::Levers(rankings) => Part::Levers(rankings),
        }
    }
}

/// Saves one step of a respondent's online contribution: creates the contribution
/// on the first save, records the furthest step reached, replaces the part.
/// Answers once the save is on the disk.
pub async fn save_online_step(
    db: &Db,
    respondent: &Respondent,
    answers: StepAnswers,
) -> Result<(), StoreError> {
    let saved: Result<(), Infallible> = db
        .save_grouped(
            (respondent.clone(), answers),
            |(respondent, answers), conn| {
                Box::pin(async move {
                    let part = answers.part();
                    let contribution = Contribution::Online {
                        respondent,
                        step: part.step(),
                    };
                    write_part(conn, &contribution, respondent.territory_id, &part).await?;
                    Ok(Ok(()))
                })
            },
        )
        .await?;
    let Ok(()) = saved;
    Ok(())
}

/// Step 1 as typed, owned (see `StepAnswers`).
pub struct OnlineLinks {
    pub drafts: Vec<LinkDraft>,
    /// The respondent's firm, which their links may not name.
    pub own_firm: Option<OwnFirm>,
    /// The caller's rate limit on saves that propose firms (see `NamedLinks`).
    pub may_propose: Box<dyn Fn() -> Result<(), u64> + Send + Sync>,
}

/// Saves step 1 as typed: the names are resolved, new ones proposed, and the
/// links replaced in one transaction; a refused save writes nothing. Answers
/// once the save is on the disk.
pub async fn save_online_links(
    db: &Db,
    respondent: &Respondent,
    links: OnlineLinks,
) -> Result<Result<(), LinksRefused>, StoreError> {
    // The rate limit counts each time it is asked: a save the writer runs
    // twice (see `Db::save_grouped`) asks it once.
    let asked = std::sync::OnceLock::new();
    let state = (respondent.clone(), links, asked);
    db.save_grouped(state, |(respondent, links, asked), conn| {
        Box::pin(async move {
            let may_propose = || *asked.get_or_init(|| (links.may_propose)());
            let named = NamedLinks {
                drafts: &links.drafts,
                own_firm: links.own_firm,
                may_propose: &may_propose,
            };
            let contribution = Contribution::Online {
                respondent,
                step: 1,
            };
            links::write_named(conn, &contribution, respondent.territory_id, &named).await
        })
    })
    .await
}

/// Replaces one part of a contribution already created (typed in the room,
/// the demo), inside the caller's transaction.
pub async fn replace_part(
    conn: &mut Conn,
    contribution_id: i64,
    territory_id: i64,
    part: &Part<'_>,
) -> Result<(), StoreError> {
    let contribution = Contribution::Existing(contribution_id);
    write_part(conn, &contribution, territory_id, part).await
}

/// A link the save replaced: the firm it named, and whether that firm is a
/// proposal (which the save deletes if nothing cites it any more).
#[derive(sqlx::FromRow)]
struct ReplacedLink {
    target_firm_id: i64,
    proposal: bool,
}

/// Writes one part in one round trip (the upsert of an online contribution
/// and when its participant started included), then drops the proposals that
/// replaced links cited and nothing cites any more.
async fn write_part(
    conn: &mut Conn,
    contribution: &Contribution<'_>,
    territory_id: i64,
    part: &Part<'_>,
) -> Result<(), StoreError> {
    let hidden = match (part, contribution) {
        (Part::Swot(_), Contribution::Existing(id)) => hidden_marks(conn, *id).await?,
        // An online contribution's items are never hidden: the room's
        // moderation hides items of a session's contributions only.
        _ => Vec::new(),
    };
    let mut batch = Batch::new(contribution);
    match part {
        Part::Links(links) => links::push_replace(&mut batch, contribution, links),
        Part::Swot(items) => push_replace_swot(&mut batch, contribution, items, &hidden),
        Part::Levers(rankings) => push_replace_rankings(&mut batch, contribution, rankings),
    }
    batch.mark_started(contribution);
    let replaced: Vec<ReplacedLink> = batch.run(conn).await?;
    let proposals: Vec<i64> = replaced
        .iter()
        .filter(|l| l.proposal)
        .map(|l| l.target_firm_id)
        .collect();
    firms::drop_unused_proposals(conn, territory_id, &proposals).await
}

/// An item hidden by the room's moderation: (quadrant, text, when, by whom).
type HiddenMark = (String, String, crate::store::Stamp, Option<i64>);

/// The hidden items of a contribution, read before its SWOT part is rewritten
/// so that an item hidden stays hidden whatever rewrites its contribution (a
/// phone's next post, a correction on the capture page).
async fn hidden_marks(
    conn: &mut Conn,
    contribution_id: i64,
) -> Result<Vec<HiddenMark>, StoreError> {
    Ok(sql::query_as(
        "SELECT quadrant, text, hidden_at, hidden_by_staff_id FROM swot_items
         WHERE contribution_id = ? AND hidden_at IS NOT NULL",
    )
    .bind(contribution_id)
    .fetch_all(&mut *conn)
    .await?)
}

fn push_replace_swot<'a>(
    batch: &mut Batch<'a>,
    contribution: &Contribution<'a>,
    items: &'a [SwotItem],
    hidden: &[HiddenMark],
) {
    batch.delete_rows_of("swot_items", contribution);
    // The one writer of SWOT items computes the grouping key the syntheses
    // read, and carries the hidden mark of an item kept (same quadrant, same
    // text).
    let rows = items.iter().enumerate().map(|(position, item)| {
        let mark = hidden
            .iter()
            .find(|(q, text, _, _)| q == item.quadrant.as_str() && *text == item.text);
        (
            position,
            item,
            mark.map(|m| m.2.clone()),
            mark.and_then(|m| m.3),
        )
    });
    batch.insert_rows_of(
        "swot_items",
        &[
            "position",
            "quadrant",
            "text",
            "norm_key",
            "hidden_at",
            "hidden_by_staff_id",
        ],
        contribution,
        rows,
        |mut row, (position, item, hidden_at, hidden_by)| {
            row.push_bind(position as i64)
                .push_bind(item.quadrant.as_str())
                .push_bind(item.text.as_str())
                .push_bind(normalize_key(&item.text))
                .push_bind(hidden_at)
                .push_bind(hidden_by);
        },
    );
}

fn push_replace_rankings<'a>(
    batch: &mut Batch<'a>,
    contribution: &Contribution<'a>,
    rankings: &'a [ObjectiveRanking],
) {
    batch.delete_rows_of("lever_rankings", contribution);
    batch.delete_rows_of("proposed_levers", contribution);
    let ranked = rankings.iter().flat_map(|r| {
        r.ranked()
            .map(move |(rank, lever)| (r.objective_id, rank.get(), lever))
    });
    batch.insert_rows_of(
        "lever_rankings",
        &["objective_id", "rank", "lever_id"],
        contribution,
        ranked,
        |mut row, (objective, rank, lever)| {
            row.push_bind(objective)
                .push_bind(i64::from(rank))
                .push_bind(lever);
        },
    );
    let proposals = rankings
        .iter()
        .filter_map(|r| Some((r.objective_id, r.proposal.as_deref()?)));
    batch.insert_rows_of(
        "proposed_levers",
        &["objective_id", "text"],
        contribution,
        proposals,
        |mut row, (objective, text)| {
            row.push_bind(objective).push_bind(text);
        },
    );
}

/// Marks the respondent's contribution as submitted (the first time only).
pub async fn submit_online(db: &Db, respondent: &Respondent) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let at = super::now();
    sql::query(
        "UPDATE contributions SET submitted_at = COALESCE(submitted_at, ?), updated_at = ?
         WHERE participant_id = ? AND source_session_id IS NULL",
    )
    .bind(&at)
    .bind(&at)
    .bind(respondent.participant_id)
    .execute(&mut *tx)
    .await?;
    sql::query("UPDATE participants SET submitted_at = COALESCE(submitted_at, ?) WHERE id = ?")
        .bind(&at)
        .bind(respondent.participant_id)
        .execute(&mut *tx)
        .await?;
    // Someone who has answered is not reminded to answer.
    crate::store::mailing::outbox::drop_reminders(&mut tx, respondent.participant_id).await?;
    tx.commit().await?;
    Ok(())
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
pub async fn insert(conn: &mut Conn, new: &NewContribution<'_>) -> Result<i64, StoreError> {
    Ok(sql::query_scalar(
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
    .bind(crate::store::Stamp::from(new.at))
    .bind(crate::store::Stamp::from(new.at))
    .bind(new.submitted.then(|| crate::store::Stamp::from(new.at)))
    .fetch_one(conn)
    .await?)
}
