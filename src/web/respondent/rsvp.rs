//! The workshop choice on the welcome page: one of the campaign's sessions
//! (full or past ones shown, not selectable), "I will answer online", or "I
//! cannot take part". A plain form: it works without JavaScript.

use super::{see_other, welcome_page, Journey};
use crate::domain::FieldErrors;
use crate::letters::compose::{CampaignLetterhead, Recipient};
use crate::letters::rsvp::compose_rsvp;
use crate::store::workshops::rsvp::{self, Choice, Outcome};
use crate::web::csrf::CsrfToken;
use crate::web::error::AppError;
use crate::web::form::Posted;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

const ONLINE: &str = "en-ligne";
const DECLINED: &str = "aucune";

/// The radio value of a choice.
fn value_of(choice: Choice) -> String {
    match choice {
        Choice::Session(id) => id.to_string(),
        Choice::Online => ONLINE.into(),
        Choice::Declined => DECLINED.into(),
    }
}

fn parse(value: &str) -> Option<Choice> {
    match value {
        ONLINE => Some(Choice::Online),
        DECLINED => Some(Choice::Declined),
        id => id.parse().ok().map(Choice::Session),
    }
}

/// Sessions before today, in the territory's time, are no longer offered.
fn today() -> String {
    crate::domain::french_time::today()
}

/// A session as the choice list shows it.
pub struct Offered {
    pub id: i64,
    pub label: String,
    pub when: String,
    pub place: String,
    /// "complète", "3 places restantes", "session passée", or "".
    pub seats: String,
    pub selectable: bool,
}

/// The choice section of the welcome page.
#[derive(Default)]
pub struct Panel {
    pub sessions: Vec<Offered>,
    /// The radio checked.
    pub checked: String,
    /// The recorded choice, in a sentence.
    pub recorded: Option<String>,
    pub opted_out: bool,
    pub notice: &'static str,
}

/// The posted choice: a session id, `en-ligne` or `aucune`.
#[derive(Deserialize)]
pub struct Chosen {
    #[serde(default)]
    choix: String,
}

/// The page's answer after a choice (`?choix=…`).
#[derive(Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    choix: String,
}

impl Panel {
    pub async fn load(state: &State, journey: &Journey, saved: &Saved) -> Result<Self, AppError> {
        let respondent = &journey.respondent;
        let slots = rsvp::slots(&state.db, respondent.campaign_id).await?;
        if slots.is_empty() {
            return Ok(Self::default());
        }
        let current = rsvp::current(&state.db, respondent.participant_id).await?;
        let today = today();
        let mine = |id: i64| current.choice == Some(Choice::Session(id));
        let recorded = current.choice.map(|choice| match choice {
            Choice::Session(id) => slots.iter().find(|s| s.id == id).map_or_else(
                || "Votre inscription à une session d'atelier est enregistrée.".to_string(),
                |s| {
                    // A workshop that has taken place is spoken of in the past.
                    if s.past(&today) {
                        format!(
                            "L'atelier que vous aviez choisi, «\u{a0}{}\u{a0}», a eu lieu le {}.",
                            s.label,
                            crate::domain::french_time::day(&s.day)
                        )
                    } else {
                        format!(
                            "Votre inscription à la session «\u{a0}{}\u{a0}», {}, est enregistrée.",
                            s.label,
                            s.workshop().when()
                        )
                    }
                },
            ),
            Choice::Online => "Vous avez choisi de répondre en ligne.".into(),
            Choice::Declined => "Vous avez indiqué ne pas pouvoir participer.".into(),
        });
        let notice = match (saved.choix.as_str(), current.choice) {
            ("enregistre", Some(Choice::Session(_))) => "Votre choix est enregistré. Un courriel de confirmation, avec l'invitation pour votre agenda, vous est envoyé.",
            ("enregistre", Some(Choice::Online)) => "Votre choix est enregistré. Votre lien pour répondre en ligne vous est envoyé par courriel.",
            ("enregistre", Some(Choice::Declined)) => "Votre choix est enregistré. Merci de nous avoir prévenus.",
            ("sans-courriel", Some(_)) => "Votre choix est enregistré. Vous avez demandé à ne plus recevoir les courriels de ce diagnostic\u{a0}: aucune confirmation ne vous est envoyée.",
            ("inchange", Some(_)) => "Ce choix était déjà enregistré\u{a0}: rien n'a changé.",
            _ => "",
        };
        let sessions = slots
            .iter()
            .map(|s| {
                let past = s.past(&today);
                let seats = match (past, s.full(), s.seats_left()) {
                    (true, _, _) => "session passée".to_string(),
                    (false, true, _) => "complète".to_string(),
                    (false, false, Some(1)) => "1 place restante".to_string(),
                    (false, false, Some(n)) => format!("{n} places restantes"),
                    (false, false, None) => String::new(),
                };
                Offered {
                    id: s.id,
                    label: s.label.clone(),
                    when: s.workshop().when(),
                    place: s.place.clone(),
                    seats,
                    // One's own seat stays selectable even when the session is full.
                    selectable: !past && (!s.full() || mine(s.id)),
                }
            })
            .collect();
        Ok(Self {
            sessions,
            checked: current.choice.map(value_of).unwrap_or_default(),
            recorded,
            opted_out: current.opted_out,
            notice,
        })
    }

    pub fn shown(&self) -> bool {
        !self.sessions.is_empty()
    }

    pub fn is_checked(&self, value: &str) -> bool {
        self.checked == value
    }
}

/// "Enregistrer mon choix".
pub async fn choose(
    state: State,
    token: web::Path<String>,
    csrf: CsrfToken,
    Posted(chosen): Posted<Chosen>,
) -> Result<HttpResponse, AppError> {
    // A closed campaign refuses, in French (AppError::CampaignClosed).
    let journey = Journey::load_editable(&state, &token).await?;
    let Some(choice) = parse(&chosen.choix) else {
        return refused(
            &state,
            journey,
            csrf,
            "Choisissez une session, la réponse en ligne, ou indiquez que vous ne pourrez pas participer.",
        )
        .await;
    };
    let respondent = &journey.respondent;
    let wording =
        crate::store::campaigns::wording::wording(&state.db, respondent.campaign_id).await?;
    let head = CampaignLetterhead {
        title: &respondent.campaign_title,
        territory: &respondent.territory_name,
        closes_at: respondent.online_closes_at.as_deref(),
        signature: &wording.signature,
        // Only the invitation takes the organiser's subject and introduction.
        invitation_subject: "",
        invitation_intro: "",
        reply_to: &wording.reply_to,
    };
    let base_url = state.base_url.as_str();
    let outcome = rsvp::choose(
        &state.db,
        respondent.participant_id,
        choice,
        &today(),
        |letter, person, links| {
            let recipient = Recipient {
                first_name: &person.first_name,
                last_name: &person.last_name,
                email: &person.email,
                firm: person.firm_name.as_deref(),
            };
            compose_rsvp(
                letter,
                base_url,
                &head,
                &recipient,
                &links.personal,
                &links.optout,
            )
        },
    )
    .await?;
    let back = |answer: &str| see_other(&format!("/r/{}?choix={answer}#atelier", journey.token));
    match outcome {
        Outcome::Recorded { mailed: true } => {
            state.mail_wake.notify_one();
            Ok(back("enregistre"))
        }
        Outcome::Recorded { mailed: false } if choice == Choice::Declined => Ok(back("enregistre")),
        Outcome::Recorded { mailed: false } => Ok(back("sans-courriel")),
        Outcome::Unchanged => Ok(back("inchange")),
        Outcome::Full => {
            refused(
                &state,
                journey,
                csrf,
                "Cette session est complète\u{a0}: choisissez-en une autre, ou répondez en ligne.",
            )
            .await
        }
        Outcome::NotOffered => {
            refused(
                &state,
                journey,
                csrf,
                "Cette session n'est pas proposée\u{a0}: choisissez-en une dans la liste.",
            )
            .await
        }
        Outcome::Closed => Err(AppError::CampaignClosed),
    }
}

/// The welcome page again, the choice list with the recorded choice, and why.
async fn refused(
    state: &State,
    journey: Journey,
    csrf: CsrfToken,
    why: &str,
) -> Result<HttpResponse, AppError> {
    let panel = Panel::load(state, &journey, &Saved::default()).await?;
    let mut errors = FieldErrors::default();
    errors.add("choix", why);
    welcome_page(
        state,
        journey,
        panel,
        errors,
        csrf.0,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
