//! A campaign's emails on the staff side: send (or schedule) the invitations
//! and the reminders, set the reminder rules, see what the outbox holds
//! (queued, sent, failed with the server's reply), retry a failure.
//!
//! Over 400 lines: the page and every send it offers share one renderer and one
//! notice list; the confirmation wording and the invitation text have their own
//! files.

pub mod reminder_confirm;
pub mod schedule;
pub mod send_confirm;
pub mod wording;

use crate::domain::schedule::parse_paris;
use crate::domain::wording::check_placeholders;
use crate::domain::FieldErrors;
use crate::letters::compose::Kind;
use crate::store::campaigns::wording::{self as campaign_wording, Wording};
use crate::store::mailing::invitations;
use crate::store::mailing::letterhead::Letterhead;
use crate::store::mailing::outbox;
use crate::store::mailing::reminders::{self, Audience, By, ReminderRules};
use crate::store::mailing::scheduled_reminders;
use crate::web::error::{page, AppError};
use crate::web::form::{FormData, Posted};
use crate::web::paths;
use crate::web::response::{see_other, status_for};
use crate::web::staff::access::Access;
use crate::web::staff::actor;
use crate::web::staff::done::Done;
use crate::web::staff::support::StaffPage;
use crate::web::staff::Nav;
use crate::web::staff::Typed;
use crate::web::State;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::Utc;
use send_confirm::{count_of, Ask};
use serde::{Deserialize, Serialize};

#[derive(Template)]
#[template(path = "staff/mailing.html")]
struct MailingPage {
    nav: Nav,
    access: Access,
    counts: outbox::Counts,
    messages: Vec<outbox::Listed>,
    not_invited: i64,
    rules: ReminderRules,
    /// Sessions that took place: their attendees can be asked to complete online.
    past_sessions: Vec<(i64, String)>,
    wording: Wording,
    /// The reminders scheduled, waiting or gone.
    scheduled: Vec<crate::web::staff::mailing::schedule::ScheduledLine>,
    people: Vec<(i64, String)>,
    /// An invitation composed for one recipient: subject and text.
    preview: Option<(String, String)>,
    typed: Typed,
    errors: FieldErrors,
    notice: String,
}

impl MailingPage {
    fn status_label(&self, status: &str) -> &'static str {
        match status {
            "queued" => "en file",
            "sent" => "envoyé",
            "failed" => "échec",
            "dropped" => "abandonné",
            _ => "?",
        }
    }

    fn kind_label(&self, kind: &str) -> &'static str {
        match kind {
            "invitation" => "invitation",
            "reminder" => "relance",
            "link" => "lien renvoyé",
            "rsvp_session" => "inscription à un atelier",
            "rsvp_cancel" => "annulation d'atelier",
            "rsvp_online" => "réponse en ligne choisie",
            "results" => "résultats",
            "test" => "essai envoyé à soi-même",
            "retention_notice" => "annonce de l'anonymisation",
            _ => "autre",
        }
    }

    /// The wording as the form shows it: what was typed (a preview or an
    /// error), else what is stored.
    fn word(&self, name: &str) -> String {
        if !self.typed.get("wording").is_empty() {
            return self.typed.get(name).to_string();
        }
        match name {
            "invitation_subject" => self.wording.invitation_subject.clone(),
            "invitation_intro" => self.wording.invitation_intro.clone(),
            "reply_to" => self.wording.reply_to.clone(),
            _ => self.wording.signature.clone(),
        }
    }

    fn placeholders(&self) -> String {
        crate::domain::wording::PLACEHOLDERS.join(", ")
    }

    /// The rules as the form shows them: what was typed, else what is stored.
    fn rule(&self, name: &str) -> String {
        match self.typed.get(name) {
            "" => match name {
                "reminder_gap_days" => self.rules.reminder_gap_days.to_string(),
                _ => self.rules.reminder_max.to_string(),
            },
            typed => typed.to_string(),
        }
    }
}

/// The mailing page's forms (invitations, reminders, rules): one declaration,
/// so that each comes back with everything typed in any of them.
#[derive(Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MailingForm {
    audience: String,
    invite_at: String,
    remind_at: String,
    reminder_gap_days: String,
    reminder_max: String,
    auto_reminders: String,
    open_link_confirms_email: String,
    /// `oui` once the confirmation page was answered, for `count` people.
    confirm: String,
    count: String,
}

async fn render(
    state: &State,
    access: Access,
    nav: Nav,
    typed: Typed,
    errors: FieldErrors,
    notice: String,
) -> Result<HttpResponse, AppError> {
    render_with(state, access, nav, typed, errors, notice, None).await
}

pub(super) async fn render_with(
    state: &State,
    access: Access,
    nav: Nav,
    typed: Typed,
    errors: FieldErrors,
    notice: String,
    preview: Option<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    let counts = outbox::counts(&state.db, campaign.id).await?;
    let messages = outbox::of_campaign(&state.db, campaign.id, 200).await?;
    let not_invited = invitations::not_yet_invited(&state.db, campaign.id).await?;
    let rules = reminders::reminder_rules(&state.db, campaign.id).await?;
    let wording = campaign_wording::wording(&state.db, campaign.id).await?;
    let today = crate::store::Day::from(&crate::store::now()[..10]);
    let past_sessions = crate::store::workshops::sessions::list(&state.db, campaign.id)
        .await?
        .into_iter()
        .filter(|s| s.day < today)
        .map(|s| (s.planned.id, s.planned.label))
        .collect();
    let people = campaign_wording::people_for_preview(&state.db, campaign.id).await?;
    let scheduled = crate::web::staff::mailing::schedule::lines(&state.db, campaign.id).await?;
    page(
        status_for(&errors),
        &MailingPage {
            nav,
            access,
            counts,
            messages,
            not_invited,
            rules,
            past_sessions,
            wording,
            scheduled,
            people,
            preview,
            typed,
            errors,
            notice,
        },
    )
}

pub async fn show(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let done = query.fait.as_str();
    let notice = if done == "relance" {
        "Le message sera de nouveau tenté dans un instant.".to_string()
    } else if done == "texte" {
        "Le texte des invitations est enregistré.".to_string()
    } else if done == "essai" {
        format!(
            "Un essai de l'invitation part vers votre adresse, {}, par la file d'envoi.",
            access.staff.email
        )
    } else if done == "regles" {
        "Les règles d'envoi sont enregistrées.".to_string()
    } else if let Some(n) = done.strip_prefix("invitations-") {
        let n = n.parse::<u64>().unwrap_or(0);
        format!(
            "{} en file d'envoi. Cette page montre leur progression.",
            crate::domain::plural::count(n, "invitation mise", "invitations mises")
        )
    } else if done == "relance-programmee" {
        "La relance est programmée\u{a0}: elle ira aux personnes qui, à son heure, n'auront pas répondu.".to_string()
    } else if done == "relance-annulee" {
        "La relance programmée est annulée.".to_string()
    } else if let Some(n) = done.strip_prefix("relances-") {
        let n = n.parse::<u64>().unwrap_or(0);
        format!(
            "{} en file d'envoi, aux seules personnes qui n'ont pas encore répondu.",
            crate::domain::plural::count(n, "relance mise", "relances mises")
        )
    } else {
        String::new()
    };
    render(
        &state,
        access,
        nav,
        Typed::default(),
        FieldErrors::default(),
        notice,
    )
    .await
}

/// The moment typed in `field`, in the instance's zone; None for "now".
fn send_time(typed: &str, field: &str, errors: &mut FieldErrors) -> Option<String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    match parse_paris(typed, Utc::now()) {
        Ok(at) => Some(crate::store::stamp(at).into_string()),
        Err(e) => {
            errors.add(field, e);
            None
        }
    }
}

/// Queues (or schedules) an invitation for everyone not yet invited.
pub async fn send_invitations(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<MailingForm>,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?.clone();
    if campaign.status.is_closed() {
        return Err(AppError::CampaignClosed);
    }
    let mut errors = FieldErrors::default();
    let at = send_time(&form.invite_at, "invite_at", &mut errors);
    if !errors.is_empty() {
        let typed = Typed::of(&form);
        return render(&state, access, nav, typed, errors, String::new()).await;
    }
    let letterhead = Letterhead::load(&state.db, &campaign).await?;
    check_placeholders(
        &letterhead.wording.invitation_subject,
        &letterhead.wording.invitation_intro,
        &letterhead.wording.signature,
        campaign.online_closes_at.is_some(),
        &mut errors,
    );
    if !errors.is_empty() {
        let typed = Typed::of(&form);
        return render(&state, access, nav, typed, errors, String::new()).await;
    }
    let count = invitations::not_yet_invited(&state.db, campaign.id).await?;
    if count > 1 && (form.confirm != "oui" || form.count != count.to_string()) {
        let ask = confirm_invitations(&campaign.slug, count, &form.invite_at, at.as_deref());
        return send_confirm::ask(access, nav, ask).await;
    }
    let batch = invitations::queue_invitations(
        &state.db,
        actor(&access),
        campaign.id,
        at.as_deref(),
        letterhead.composer(Kind::Invitation, &state.base_url),
    )
    .await?;
    state.mail_wake.notify_one();
    Ok(see_other(&paths::done(
        paths::campaign(&campaign.slug).mailing(),
        &format!("invitations-{}", batch.queued),
    )))
}

/// « Envoyer 72 invitations ? », with what confirming sends again.
fn confirm_invitations(slug: &str, count: i64, typed_at: &str, at: Option<&str>) -> Ask {
    let invitations = count_of(count, "invitation", "invitations");
    let mut lines = vec![format!(
        "Chacune des {count} personnes qui n'ont pas encore reçu d'invitation recevra un courriel personnel, avec son propre lien. Les personnes désinscrites ne reçoivent rien."
    )];
    if let Some(at) = at {
        lines.push(format!(
            "Les invitations partiront le {}.",
            crate::domain::french_time::date_time(at)
        ));
    }
    lines.push(
        "Pour relire le message tel qu'il arrivera, envoyez-vous d'abord un essai depuis la page des courriels."
            .to_string(),
    );
    Ask {
        question: format!("Envoyer {invitations}\u{a0}?"),
        lines,
        action: paths::campaign(slug).invitations(),
        hidden: vec![
            ("invite_at".into(), typed_at.to_string()),
            ("count".into(), count.to_string()),
        ],
        button: format!("Envoyer les {invitations}"),
        back: paths::campaign(slug).mailing(),
    }
}

/// Queues a reminder for those who have not answered, or schedules one that
/// will choose them when it leaves; either asks first, naming how many for a
/// reminder sent now to more than one person, and asks again if that changed.
pub async fn send_reminders(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<MailingForm>,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?.clone();
    if !campaign.status.is_open() {
        return Err(AppError::CampaignClosed);
    }
    let mut errors = FieldErrors::default();
    let at = send_time(&form.remind_at, "remind_at", &mut errors);
    let audience = Audience::parse(&form.audience).unwrap_or_else(|| {
        errors.add("audience", "Choisissez à qui envoyer la relance.");
        Audience::All
    });
    if !errors.is_empty() {
        let typed = Typed::of(&form);
        return render(&state, access, nav, typed, errors, String::new()).await;
    }
    let typed = reminder_confirm::Typed {
        slug: &campaign.slug,
        audience: &form.audience,
        remind_at: &form.remind_at,
    };
    if let Some(at) = at {
        if form.confirm != "oui" {
            let rules = reminders::reminder_rules(&state.db, campaign.id).await?;
            let sessions = crate::store::workshops::sessions::list(&state.db, campaign.id).await?;
            let ask = reminder_confirm::scheduled(&typed, &at, audience, &rules, &sessions);
            return send_confirm::ask(access, nav, ask).await;
        }
        // Who it goes to is decided when it leaves, not now.
        let value = match form.audience.as_str() {
            "" => "tous",
            value => value,
        };
        scheduled_reminders::schedule(&state.db, actor(&access), campaign.id, value, &at).await?;
        return Ok(see_other(&paths::done(
            paths::campaign(&campaign.slug).mailing(),
            "relance-programmee",
        )));
    }
    let due = reminders::due_reminders(&state.db, campaign.id, audience).await?;
    if due.len() > 1 && (form.confirm != "oui" || form.count != due.len().to_string()) {
        let rules = reminders::reminder_rules(&state.db, campaign.id).await?;
        let sessions = crate::store::workshops::sessions::list(&state.db, campaign.id).await?;
        let ask = reminder_confirm::now(&typed, audience, &due, &rules, &sessions);
        return send_confirm::ask(access, nav, ask).await;
    }
    let letterhead = Letterhead::load(&state.db, &campaign).await?;
    let batch = reminders::queue_reminders(
        &state.db,
        By::Staff(actor(&access)),
        campaign.id,
        audience,
        None,
        letterhead.composer(Kind::Reminder, &state.base_url),
    )
    .await?;
    state.mail_wake.notify_one();
    Ok(see_other(&paths::done(
        paths::campaign(&campaign.slug).mailing(),
        &format!("relances-{}", batch.queued),
    )))
}

/// The email rules: the reminders' gap and maximum, automatic reminders, and
/// whether the open link confirms addresses by email.
pub async fn set_rules(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<MailingForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::default();
    let mut number = |typed: &str,
                      field: &str,
                      range: std::ops::RangeInclusive<i64>,
                      message: &str| match typed.trim().parse::<i64>() {
        Ok(n) if range.contains(&n) => n,
        _ => {
            errors.add(field, message);
            0
        }
    };
    let rules = ReminderRules {
        reminder_gap_days: number(
            &form.reminder_gap_days,
            "reminder_gap_days",
            1..=90,
            "Indiquez un nombre de jours entre 1 et 90.",
        ),
        reminder_max: number(
            &form.reminder_max,
            "reminder_max",
            0..=10,
            "Indiquez un nombre de relances entre 0 et 10.",
        ),
        auto_reminders: form.auto_reminders == "oui",
        open_link_confirms_email: form.open_link_confirms_email == "oui",
    };
    if !errors.is_empty() {
        let typed = Typed::of(&form);
        return render(&state, access, nav, typed, errors, String::new()).await;
    }
    let campaign = access.campaign()?;
    reminders::set_reminder_rules(&state.db, actor(&access), campaign.id, &rules).await?;
    Ok(see_other(&paths::done(
        paths::campaign(&campaign.slug).mailing(),
        "regles",
    )))
}

#[derive(Deserialize)]
pub struct MessagePath {
    message: i64,
}

/// Tries a failed message again.
pub async fn retry(
    state: State,
    access: Access,
    path: web::Path<MessagePath>,
    _form: FormData,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    // A message already retried (or of another campaign) is left as it is.
    let done = if outbox::requeue_failed(&state.db, campaign.id, path.message).await? {
        state.mail_wake.notify_one();
        "?fait=relance"
    } else {
        ""
    };
    Ok(see_other(&format!(
        "{}{done}",
        paths::campaign(&campaign.slug).mailing()
    )))
}
