//! "Mes données": from their own link, a respondent downloads everything
//! stored about them (JSON, and CSV for French Excel) and erases their answers
//! after a confirmation (RGPD, articles 15 and 17). Open in every state of the
//! campaign, closed included.
//!
//! Over 400 lines: the JSON and the CSV must say the same things, so both are
//! built here from one reading of the person's rows.

use super::review::{kind_labels, Summary};
use super::Journey;
use crate::domain::catalogue::Catalogue;
use crate::domain::french_time;
use crate::domain::links::LinkStatus;
use crate::domain::FieldErrors;
use crate::store::audit::Actor;
use crate::store::contributions::{self, Answers};
use crate::store::participants::{own_data, roster};
use crate::web::api::csv_cells;
use crate::web::csrf::CsrfToken;
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::response::see_other;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/r/{token}/mes-donnees", web::get().to(show))
        .route("/r/{token}/mes-donnees.json", web::get().to(as_json))
        .route("/r/{token}/mes-donnees.csv", web::get().to(as_csv))
        .route("/r/{token}/effacer", web::get().to(confirm))
        .route("/r/{token}/effacer", web::post().to(erase));
}

#[derive(Template)]
#[template(path = "respondent/my_data.html")]
struct MyDataPage {
    journey: Journey,
}

async fn show(state: State, token: web::Path<String>) -> Result<HttpResponse, AppError> {
    let journey = Journey::load(&state, &token).await?;
    page(StatusCode::OK, &MyDataPage { journey })
}

/// One contribution with its answers.
struct Contribution {
    row: own_data::OwnContribution,
    answers: Answers,
}

/// Everything stored about the respondent.
struct Everything {
    person: own_data::Person,
    contributions: Vec<Contribution>,
    emails: Vec<own_data::OwnEmail>,
}

impl Everything {
    async fn load(state: &State, journey: &Journey) -> Result<Self, AppError> {
        let id = journey.respondent.participant_id;
        let person = own_data::person(&state.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut all = Vec::new();
        for row in own_data::contributions(&state.db, id).await? {
            let answers = contributions::load_answers(&state.db, row.id).await?;
            all.push(Contribution { row, answers });
        }
        let emails = own_data::emails(&state.db, id).await?;
        Ok(Self {
            person,
            contributions: all,
            emails,
        })
    }
}

fn origin_label(origin: &str) -> &'static str {
    match origin {
        "invitation" => "invitation",
        "open_link" => "lien ouvert de la consultation",
        "room" => "inscription en atelier",
        _ => "autre",
    }
}

fn rsvp_label(rsvp: Option<&str>) -> &'static str {
    match rsvp {
        Some("session") => "inscrit à un atelier",
        Some("online") => "répondra en ligne",
        Some("declined") => "ne participera pas",
        _ => "",
    }
}

fn email_kind_label(kind: &str) -> &str {
    match kind {
        "invitation" => "invitation",
        "reminder" => "relance",
        "link" => "lien personnel",
        "rsvp_session" => "inscription à un atelier",
        "rsvp_cancel" => "annulation d'inscription",
        "rsvp_online" => "réponse en ligne",
        other => other,
    }
}

fn source_label(row: &own_data::OwnContribution) -> String {
    match &row.session_label {
        Some(session) => format!("saisie en atelier\u{a0}: {session}"),
        None => "en ligne".to_string(),
    }
}

/// The answers of one contribution, named in French, labels in place of ids.
fn answer_facts(answers: &Answers, catalogue: &Catalogue) -> Value {
    let links: Vec<Value> = answers
        .links
        .iter()
        .map(|l| {
            let kinds = kind_labels(l, catalogue);
            json!({
                "entreprise": l.firm_name,
                "types": kinds,
                "intensite": Catalogue::label_of(&catalogue.intensities, l.intensity_id),
                "statut": LinkStatus::parse(&l.status).map_or("", LinkStatus::label),
            })
        })
        .collect();
    let swot: Vec<Value> = answers
        .swot
        .iter()
        .map(|i| json!({ "rubrique": i.quadrant.label(), "texte": i.text }))
        .collect();
    let rankings: Vec<Value> = answers
        .rankings
        .iter()
        .map(|(objective, rank, lever)| {
            json!({
                "objectif": Catalogue::label_of(&catalogue.objectives, *objective),
                "rang": rank,
                "levier": Catalogue::label_of(&catalogue.levers, *lever),
            })
        })
        .collect();
    let proposals: Vec<Value> = answers
        .proposals
        .iter()
        .map(|(objective, text)| {
            json!({
                "objectif": Catalogue::label_of(&catalogue.objectives, *objective),
                "texte": text,
            })
        })
        .collect();
    json!({
        "liens": links,
        "atouts_faiblesses": swot,
        "leviers_classes": rankings,
        "leviers_proposes": proposals,
    })
}

fn to_json(journey: &Journey, all: &Everything) -> Value {
    let p = &all.person;
    let contributions: Vec<Value> = all
        .contributions
        .iter()
        .map(|c| {
            let mut v = answer_facts(&c.answers, &journey.catalogue);
            v["source"] = json!(source_label(&c.row));
            v["creee_le"] = json!(c.row.created_at);
            v["modifiee_le"] = json!(c.row.updated_at);
            v["envoyee_le"] = json!(c.row.submitted_at);
            v
        })
        .collect();
    let emails: Vec<Value> = all
        .emails
        .iter()
        .map(|e| {
            json!({
                "type": email_kind_label(&e.kind),
                "destinataire": e.to_address,
                "objet": e.subject,
                "etat": e.status,
                "cree_le": e.created_at,
                "envoye_le": e.sent_at,
            })
        })
        .collect();
    json!({
        "consultation": {
            "titre": journey.respondent.campaign_title,
            "territoire": journey.respondent.territory_name,
        },
        "participant": {
            "prenom": p.first_name,
            "nom": p.last_name,
            "courriel": p.email,
            "entreprise": p.firm_name,
            "origine": origin_label(&p.origin),
            "enregistre_le": p.created_at,
            "invite_le": p.invited_at,
            "lien_ouvert_le": p.opened_at,
            "commence_le": p.started_at,
            "envoye_le": p.submitted_at,
            "desinscrit_des_courriels_le": p.opted_out_at,
            "reponse_aux_ateliers": rsvp_label(p.rsvp.as_deref()),
            "atelier": p.rsvp_session,
            "reponse_aux_ateliers_le": p.rsvp_at,
        },
        "contributions": contributions,
        "courriels": emails,
    })
}

/// The name a person reads for a key of the JSON; a list's name is that of
/// one of its items, numbered in the CSV (« Contribution 1 › Lien 2 »).
fn readable(key: &str) -> &str {
    match key {
        "consultation" => "Consultation",
        "titre" => "Titre",
        "territoire" => "Territoire",
        "participant" => "Participant",
        "prenom" => "Prénom",
        "nom" => "Nom",
        "courriel" => "Adresse électronique",
        "entreprise" => "Entreprise",
        "origine" => "Origine",
        "enregistre_le" => "Date d'enregistrement",
        "invite_le" => "Date d'invitation",
        "lien_ouvert_le" => "Date d'ouverture du lien",
        "commence_le" => "Date du début des réponses",
        "envoye_le" | "envoyee_le" => "Date d'envoi",
        "desinscrit_des_courriels_le" => "Date de désinscription des courriels",
        "reponse_aux_ateliers" => "Réponse aux ateliers",
        "atelier" => "Atelier",
        "reponse_aux_ateliers_le" => "Date de la réponse aux ateliers",
        "contributions" => "Contribution",
        "source" => "Source",
        "creee_le" | "cree_le" => "Date de création",
        "modifiee_le" => "Date de modification",
        "liens" => "Lien",
        "types" => "Types",
        "intensite" => "Intensité",
        "statut" => "Statut",
        "atouts_faiblesses" => "Atout ou faiblesse",
        "rubrique" => "Rubrique",
        "texte" => "Texte",
        "leviers_classes" => "Levier classé",
        "objectif" => "Objectif",
        "rang" => "Rang",
        "levier" => "Levier",
        "leviers_proposes" => "Levier proposé",
        "courriels" => "Courriel",
        "type" => "Type",
        "destinataire" => "Destinataire",
        "objet" => "Objet",
        "etat" => "État",
        other => other,
    }
}

/// The JSON as (item, value) rows, named as a person reads them: nested
/// objects and lists become « Contribution 1 › Lien 2 › Entreprise », and
/// the instants (keys in `_le`) are dates and times in the instance's zone,
/// as the other exports write them.
fn flatten(prefix: &str, value: &Value, rows: &mut Vec<[String; 2]>) {
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix} › {key}")
        }
    };
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let name = readable(key);
                match v.as_str().and_then(french_time::instant) {
                    Some(at) if key.ends_with("_le") => rows.push([
                        join(&format!("{name} ({})", french_time::zone_label())),
                        french_time::spreadsheet_time(at),
                    ]),
                    _ if key.ends_with("_le") => rows.push([
                        join(&format!("{name} ({})", french_time::zone_label())),
                        v.as_str().unwrap_or_default().to_string(),
                    ]),
                    _ => flatten(&join(name), v, rows),
                }
            }
        }
        Value::Array(items) if items.iter().all(|i| i.is_string()) => {
            let texts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            rows.push([prefix.to_string(), texts.join(", ")]);
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix} {}", i + 1), v, rows);
            }
        }
        Value::Null => rows.push([prefix.to_string(), String::new()]),
        Value::String(s) => rows.push([prefix.to_string(), s.clone()]),
        other => rows.push([prefix.to_string(), other.to_string()]),
    }
}

fn download(content_type: &str, name: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

fn file_name(journey: &Journey, extension: &str) -> String {
    format!(
        "mes-donnees-{}.{extension}",
        journey.respondent.campaign_slug
    )
}

async fn as_json(state: State, token: web::Path<String>) -> Result<HttpResponse, AppError> {
    let journey = Journey::load(&state, &token).await?;
    let all = Everything::load(&state, &journey).await?;
    let body = serde_json::to_vec_pretty(&to_json(&journey, &all)).unwrap_or_default();
    Ok(download(
        "application/json; charset=utf-8",
        &file_name(&journey, "json"),
        body,
    ))
}

/// The same facts as the JSON, one per line, for French Excel (`;`, BOM,
/// formulas neutralised: the exports' own cells).
async fn as_csv(state: State, token: web::Path<String>) -> Result<HttpResponse, AppError> {
    let journey = Journey::load(&state, &token).await?;
    let all = Everything::load(&state, &journey).await?;
    let mut rows = Vec::new();
    flatten("", &to_json(&journey, &all), &mut rows);
    let mut body = csv_cells::head(&["Donnée".to_string(), "Valeur".to_string()]);
    let mut w = csv_cells::writer();
    for row in &rows {
        csv_cells::write_record(&mut w, row);
    }
    body.extend(w.into_inner().unwrap_or_default());
    Ok(download(
        "text/csv; charset=utf-8",
        &file_name(&journey, "csv"),
        body,
    ))
}

#[derive(Template)]
#[template(path = "respondent/my_data_erase.html")]
struct ErasePage {
    journey: Journey,
    summary: Summary,
    csrf: String,
    errors: FieldErrors,
}

impl ErasePage {
    fn swot_items(&self) -> usize {
        self.summary.quadrants.iter().map(|q| q.items.len()).sum()
    }
}

async fn erase_page(
    state: &State,
    journey: Journey,
    csrf: String,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let answers = journey.saved_answers(&state.db).await?;
    let summary = Summary::new(&answers, &journey.catalogue);
    page(
        crate::web::response::status_for(&errors),
        &ErasePage {
            journey,
            summary,
            csrf,
            errors,
        },
    )
}

async fn confirm(
    state: State,
    token: web::Path<String>,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let journey = Journey::load(&state, &token).await?;
    erase_page(&state, journey, csrf.0, FieldErrors::default()).await
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    confirm: String,
}

/// Erases the respondent and their answers as the staff erasure does (the
/// same store function), audited as the respondent themself.
async fn erase(
    state: State,
    token: web::Path<String>,
    csrf: CsrfToken,
    Posted(form): Posted<EraseForm>,
) -> Result<HttpResponse, AppError> {
    let journey = Journey::load(&state, &token).await?;
    if form.confirm != "oui" {
        let mut errors = FieldErrors::default();
        errors.add(
            "confirm",
            "Cochez la case pour confirmer l'effacement de vos réponses.",
        );
        return erase_page(&state, journey, csrf.0, errors).await;
    }
    let who = format!(
        "participant n° {} (depuis son lien)",
        journey.respondent.participant_id
    );
    let actor = Actor {
        staff_id: None,
        staff_email: &who,
        territory_id: Some(journey.respondent.territory_id),
    };
    roster::erase(
        &state.db,
        actor,
        journey.respondent.campaign_id,
        journey.respondent.participant_id,
    )
    .await?;
    Ok(see_other(&format!("/r/{}", journey.token)))
}
