//! Completing an existing contribution with a capture, inside the save's
//! transaction: what it holds is read there, merged with what was typed
//! (`domain::capture`), and written back through the shared writers.

use super::{drop_contribution, who, Capture};
use crate::domain::capture::{merge_levers, merge_links, merge_swot, EXISTING_ROWS_FROM};
use crate::domain::links::{LinkDraft, LinkStatus};
use crate::domain::name::name_key;
use crate::domain::ranking::ObjectiveRanking;
use crate::store::audit::{self, Actor};
use crate::store::contributions::{self, Answers, LinksRefused, NamedLinks, Part};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::{now, StoreError};

pub(super) enum Completed {
    Done(i64),
    Refused(LinksRefused),
    /// Merged, it would pass a limit of one contribution.
    TooBig(String),
}

/// Completes the `target` contribution with the capture: its links, SWOT
/// items and lever rankings merged (`domain::capture`), the contribution
/// counted as submitted. A correction that completes another contribution
/// is folded into it: the entry being corrected goes.
pub(super) async fn complete(
    conn: &mut Conn,
    actor: Actor<'_>,
    capture: &Capture<'_>,
    target: i64,
    editing: Option<i64>,
) -> Result<Completed, StoreError> {
    let current = contributions::answers_on(conn, target).await?;
    let existing_links: Vec<LinkDraft> = current
        .links
        .iter()
        .enumerate()
        .map(|(row, l)| LinkDraft {
            row,
            firm_key: name_key(&l.firm_name),
            firm_name: l.firm_name.clone(),
            kind_ids: l.kind_ids.clone(),
            intensity_id: l.intensity_id,
            status: LinkStatus::parse(&l.status).unwrap_or(LinkStatus::Existing),
        })
        .collect();
    let merged = merge_links(&existing_links, capture.links.drafts)
        .and_then(|links| Ok((links, merge_swot(&current.swot, capture.swot)?)));
    let (links, swot) = match merged {
        Ok(parts) => parts,
        Err(why) => return Ok(Completed::TooBig(why)),
    };
    let levers = merge_levers(&rankings_of(&current), capture.levers);
    let named = NamedLinks {
        drafts: &links,
        own_firm: capture.links.own_firm,
        may_propose: capture.links.may_propose,
    };
    if let Err(refused) =
        contributions::write_named_links(conn, target, capture.territory_id, &named).await?
    {
        // A refusal on a link the contribution already had is one of the
        // merge, not of what was typed.
        let on_existing = refused.errors.iter().any(|e| {
            e.field
                .strip_prefix("firm_")
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|row| row >= EXISTING_ROWS_FROM)
        });
        return Ok(match on_existing {
            true => Completed::TooBig("Complétée, la contribution existante citerait plus d'entreprises hors annuaire qu'une contribution ne le peut\u{a0}: gardez une saisie distincte.".into()),
            false => Completed::Refused(refused),
        });
    }
    contributions::replace_part(conn, target, capture.territory_id, &Part::Swot(&swot)).await?;
    contributions::replace_part(conn, target, capture.territory_id, &Part::Levers(&levers)).await?;
    let at = now();
    let (participant_id, online): (Option<i64>, bool) = sql::query_as(
        "UPDATE contributions SET step_reached = 3, updated_at = ?, submitted_at = COALESCE(submitted_at, ?)
         WHERE id = ? RETURNING participant_id, source_session_id IS NULL",
    )
    .bind(&at)
    .bind(&at)
    .bind(target)
    .fetch_one(&mut *conn)
    .await?;
    if let (Some(participant_id), true) = (participant_id, online) {
        // Their online answers now count as sent: no reminder to send them.
        sql::query(
            "UPDATE participants SET started_at = COALESCE(started_at, ?), submitted_at = COALESCE(submitted_at, ?)
             WHERE id = ?",
        )
        .bind(&at)
        .bind(&at)
        .bind(participant_id)
        .execute(&mut *conn)
        .await?;
        crate::store::mailing::outbox::drop_reminders(conn, participant_id).await?;
    }
    let folded = match editing {
        Some(old) => {
            drop_contribution(conn, capture.territory_id, old).await?;
            format!("\u{a0}; la saisie n° {old} y est réunie")
        }
        None => String::new(),
    };
    let detail = format!(
        "contribution n° {target} complétée par la saisie en salle ({}), session n° {}{folded}",
        who(capture),
        capture.session_id
    );
    audit::record(conn, actor, "room_entry_completed", &detail).await?;
    Ok(Completed::Done(target))
}

/// The saved rankings and proposals, one value per objective.
fn rankings_of(answers: &Answers) -> Vec<ObjectiveRanking> {
    let objectives = answers
        .rankings
        .iter()
        .map(|(objective, _, _)| *objective)
        .chain(answers.proposals.iter().map(|(objective, _)| *objective));
    let mut out: Vec<ObjectiveRanking> = Vec::new();
    for objective in objectives {
        if out.iter().any(|r| r.objective_id == objective) {
            continue;
        }
        out.push(ObjectiveRanking {
            objective_id: objective,
            // Saved rankings come in rank order.
            lever_ids: answers
                .rankings
                .iter()
                .filter(|(o, _, _)| *o == objective)
                .map(|(_, _, lever)| *lever)
                .collect(),
            proposal: answers
                .proposals
                .iter()
                .find(|(o, _)| *o == objective)
                .map(|(_, text)| text.clone()),
        });
    }
    out
}
