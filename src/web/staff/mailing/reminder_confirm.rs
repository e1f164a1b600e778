//! What the mailing page asks before a reminder leaves: « Envoyer 12
//! relances ? » naming who gets them and by which rule, or, for a reminder
//! scheduled, when it leaves and the rule by which it will choose its
//! recipients then (nobody can be counted before that moment).

use crate::domain::french_time;
use crate::domain::plural;
use crate::store::mailing::invitations::Pending;
use crate::store::mailing::reminders::{Audience, ReminderRules};
use crate::store::workshops::sessions::Session;
use crate::web::paths;
use crate::web::staff::mailing::schedule::audience_label;
use crate::web::staff::mailing::send_confirm::{count_of, Ask};

/// At most this many people are named on the page; the others are counted,
/// so that a reminder to hundreds keeps a page one can read.
const NAMED: usize = 50;

/// What the posted form said, carried again by the confirmation.
pub(super) struct Typed<'a> {
    pub slug: &'a str,
    pub audience: &'a str,
    pub remind_at: &'a str,
}

/// « Envoyer 12 relances ? », with who gets them, for a reminder sent now.
pub(super) fn now(
    typed: &Typed<'_>,
    audience: Audience<'_>,
    due: &[Pending],
    rules: &ReminderRules,
    sessions: &[Session],
) -> Ask {
    let reminders = count_of(due.len() as i64, "relance", "relances");
    let lines = vec![
        format!(
            "Une relance part maintenant vers chaque personne invitée qui n'a pas encore envoyé ses réponses et ne s'est pas désinscrite{}, dont le dernier courriel date d'au moins {} et qui a reçu moins de {}. Les adresses en échec sont écartées.",
            among(audience, sessions),
            plural::count(rules.reminder_gap_days, "jour", "jours"),
            plural::count(rules.reminder_max, "relance", "relances"),
        ),
        format!("Destinataires\u{a0}: {}.", named(due)),
    ];
    Ask {
        question: format!("Envoyer {reminders}\u{a0}?"),
        lines,
        action: paths::campaign(typed.slug).reminders(),
        hidden: vec![
            ("audience".into(), typed.audience.to_string()),
            ("remind_at".into(), typed.remind_at.to_string()),
            ("count".into(), due.len().to_string()),
        ],
        button: format!("Envoyer les {reminders}"),
        back: paths::campaign(typed.slug).mailing(),
    }
}

/// « Programmer la relance ? », with when it leaves and by which rule.
pub(super) fn scheduled(
    typed: &Typed<'_>,
    at: &str,
    audience: Audience<'_>,
    rules: &ReminderRules,
    sessions: &[Session],
) -> Ask {
    let lines = vec![
        format!(
            "La relance partira le {}.",
            french_time::date_time(at)
        ),
        format!(
            "Elle choisira ses destinataires en partant\u{a0}: chaque personne invitée qui n'aura pas encore envoyé ses réponses ni ne se sera désinscrite{}, dont le dernier courriel datera d'au moins {} et qui aura reçu moins de {}, selon les règles d'envoi actuelles si elles ne changent pas d'ici là. Les adresses en échec seront écartées.",
            among(audience, sessions),
            plural::count(rules.reminder_gap_days, "jour", "jours"),
            plural::count(rules.reminder_max, "relance", "relances"),
        ),
    ];
    Ask {
        question: "Programmer la relance\u{a0}?".to_string(),
        lines,
        action: paths::campaign(typed.slug).reminders(),
        hidden: vec![
            ("audience".into(), typed.audience.to_string()),
            ("remind_at".into(), typed.remind_at.to_string()),
        ],
        button: "Programmer la relance".to_string(),
        back: paths::campaign(typed.slug).mailing(),
    }
}

/// The group chosen, when it is not everyone: « , parmi celles qui… ».
fn among(audience: Audience<'_>, sessions: &[Session]) -> String {
    match audience {
        Audience::All => String::new(),
        other => format!(", parmi {}", audience_label(other, sessions)),
    }
}

/// « Marie Martin, Scierie Durand (marie@scierie.fr), … et 12 autres
/// personnes ». Names typed on the open link are never mailed, so those
/// people are named by their address alone.
fn named(due: &[Pending]) -> String {
    let mut names: Vec<String> = due
        .iter()
        .take(NAMED)
        .map(|p| {
            let name = format!("{} {}", p.first_name, p.last_name);
            let name = name.trim();
            match (name, p.firm_name.as_deref()) {
                ("", _) => p.email.clone(),
                (name, Some(firm)) if !firm.is_empty() => {
                    format!("{name}, {firm} ({})", p.email)
                }
                (name, _) => format!("{name} ({})", p.email),
            }
        })
        .collect();
    let others = due.len().saturating_sub(NAMED);
    if others > 0 {
        names.push(format!(
            "et {}",
            plural::count(others, "autre personne", "autres personnes")
        ));
    }
    names.join(", ")
}
