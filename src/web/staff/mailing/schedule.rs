//! The mailing page's scheduled reminders, in French: when each leaves, to
//! whom, and what it would do if it left now — with why, when that is nobody
//! (invited the same day, say: the gap is not over yet); and their cancelling.

use crate::domain::french_time;
use crate::store::mailing::reminders::{self, Audience, Nobody};
use crate::store::mailing::scheduled_reminders;
use crate::store::Db;
use crate::web::error::AppError;
use crate::web::form::Posted;
use crate::web::paths;
use crate::web::response::see_other;
use crate::web::staff::access::Access;
use crate::web::staff::actor;
use crate::web::State;
use actix_web::HttpResponse;
use serde::Deserialize;

/// One scheduled reminder as the page says it.
pub struct ScheduledLine {
    pub id: i64,
    /// "mardi 15 avril 2025, 9 h 30"
    pub when: String,
    pub audience: String,
    pub gone: bool,
    /// What it did, or would do now.
    pub outcome: String,
}

pub async fn lines(db: &Db, campaign_id: i64) -> Result<Vec<ScheduledLine>, AppError> {
    let sessions = crate::store::workshops::sessions::list(db, campaign_id).await?;
    let mut lines = Vec::new();
    for scheduled in scheduled_reminders::of_campaign(db, campaign_id).await? {
        let audience = Audience::parse(&scheduled.audience).unwrap_or(Audience::All);
        let outcome = match scheduled.queued {
            Some(n) if scheduled.done_at.is_some() => format!(
                "Partie le {}\u{a0}: {}.",
                french_time::date_time(scheduled.done_at.as_deref().unwrap_or_default()),
                match n {
                    0 => "aucune relance mise en file, personne n'en attendait".to_string(),
                    1 => "1 relance mise en file".to_string(),
                    n => format!("{n} relances mises en file"),
                }
            ),
            _ => match reminders::reach_now(db, campaign_id, audience).await? {
                Ok(1) => "Si elle partait maintenant, elle irait à 1 personne.".to_string(),
                Ok(n) => format!("Si elle partait maintenant, elle irait à {n} personnes."),
                Err(why) => format!(
                    "Si elle partait maintenant, elle n'irait à personne\u{a0}: {}.",
                    because(why)
                ),
            },
        };
        lines.push(ScheduledLine {
            id: scheduled.id,
            when: french_time::date_time(&scheduled.send_at),
            audience: audience_label(audience, &sessions),
            gone: scheduled.done_at.is_some(),
            outcome,
        });
    }
    Ok(lines)
}

fn because(why: Nobody) -> String {
    match why {
        Nobody::NoParticipant => "la campagne n'a encore aucun participant".into(),
        Nobody::NoneInvited => "aucune invitation n'est encore partie".into(),
        Nobody::AllAnsweredOrExcluded => {
            "toutes les personnes invitées ont répondu, se sont désinscrites ou ont une adresse en échec"
                .into()
        }
        Nobody::NoneInAudience => "personne de ce groupe n'attend de relance".into(),
        Nobody::NotYet { gap_days } => format!(
            "le dernier courriel de chacun date de moins {}, ou chacun a reçu toutes les relances permises, ou un courriel l'attend déjà en file",
            if gap_days == 1 {
                "d'un jour".to_string()
            } else {
                format!("de {gap_days} jours")
            }
        ),
    }
}

pub(super) fn audience_label(
    audience: Audience<'_>,
    sessions: &[crate::store::workshops::sessions::Session],
) -> String {
    use crate::store::mailing::reminders::Progress;
    match audience {
        Audience::All | Audience::Selected(_) => {
            "toutes les personnes qui n'ont pas répondu".into()
        }
        Audience::ChoseOnline => "celles qui ont choisi de répondre en ligne".into(),
        Audience::Attended(id) => match sessions.iter().find(|s| s.id == id) {
            Some(session) => format!("les inscrits de «\u{a0}{}\u{a0}»", session.label),
            None => "les inscrits d'une session supprimée".into(),
        },
        Audience::Status(Progress::Invited) => {
            "celles qui n'ont pas encore ouvert leur lien".into()
        }
        Audience::Status(Progress::Opened) => {
            "celles qui ont ouvert leur lien sans commencer".into()
        }
        Audience::Status(Progress::Started) => "celles qui ont commencé sans envoyer".into(),
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CancelForm {
    programmee: String,
}

/// Cancels a scheduled reminder that has not left yet.
pub async fn cancel(
    state: State,
    access: Access,
    Posted(form): Posted<CancelForm>,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    let cancelled = match form.programmee.trim().parse::<i64>() {
        Ok(id) => scheduled_reminders::cancel(&state.db, actor(&access), campaign.id, id).await?,
        Err(_) => false,
    };
    // Gone already, or never this campaign's: the page shows what there is.
    let done = if cancelled {
        "?fait=relance-annulee"
    } else {
        ""
    };
    Ok(see_other(&format!(
        "{}{done}",
        paths::campaign(&campaign.slug).mailing()
    )))
}
