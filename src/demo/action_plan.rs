//! The demo's sequel to the synthesis, after the seed story: the four
//! meetings of the comité de projet, the themes facilitators grouped, nine
//! fiches actions modelled on the nine actions of the contract, and the
//! results page published. The demo moved the 2019 story to 2026 (its
//! workshops are on 15 and 18 April 2026): the meetings keep the seed's days
//! and months in that year.

use crate::domain::action_plan::fiche::{FicheChoices, FicheForm, FicheInput};
use crate::domain::action_plan::meeting::{MeetingForm, MeetingInput};
use crate::domain::catalogue::Catalogue;
use crate::domain::swot::normalize_key;
use crate::domain::swot::Quadrant;
use crate::store::action_plan::{fiches, meetings, results_page};
use crate::store::audit::Actor;
use crate::store::synthesis::swot_themes;
use crate::store::{catalogue, Db, StoreError};

/// The committee of the demo's fictional territory: invented people, in the
/// organisations and roles such a committee has.
const MEMBERS: &str =
    "Hélène Vasseur-Lemoine ; Sous-préfecture de Segré-en-Anjou-Bleu ; sous-préfète
Thierry Rochereau ; Assemblée nationale ; député de la 7e circonscription
Nathalie Brémaudière ; Région des Pays de la Loire ; vice-présidente
Jacques Ferrandière ; Anjou Bleu Communauté ; président
Olivier Chesnelais ; CCI de Maine-et-Loire ; président
Sébastien Marivel ; A2MI ; chef d'entreprise
Cédric Lantenois ; SMP ; chef d'entreprise
Pascal Dormoyer ; DAPO ; chef d'entreprise";

/// (day, place, agenda, minutes) of the four meetings.
const MEETINGS: [(&str, &str, &str, &str); 4] = [
    (
        "2026-05-11",
        "Segré, Anjou Bleu Communauté",
        "- fondamentaux de la démarche\n- organisation et gouvernance\n- mode opératoire du diagnostic",
        "Le comité rappelle les fondamentaux de Territoires d'industrie et valide la gouvernance du projet.\n\n- diagnostic par ateliers participatifs\n- formulaire en ligne pour les entreprises absentes",
    ),
    (
        "2026-05-13",
        "Segré, Anjou Bleu Communauté",
        "- résultats des ateliers\n- actions à engager",
        "Présentation de la synthèse des avis des participants : 52 contributions.\n\nPremier débat sur les actions à engager en écho au diagnostic.",
    ),
    (
        "2026-09-26",
        "Nyoiseau, entreprise AMU",
        "- pertinence des fiches actions rédigées\n- nouvelles pistes",
        "Le comité fait le point sur les fiches actions déjà rédigées et en propose de nouvelles.",
    ),
    (
        "2026-12-18",
        "Segré, locaux d'Anjou Bleu Communauté",
        "- point d'avancement\n- fiches créées depuis septembre\n- validation du contrat",
        "Dernier débat sur les 9 fiches actions proposées : le comité les retient en vue du contrat de territoire.",
    ),
];

/// Themes grouped from the demo's SWOT sentences (quadrant, label, sentences).
const THEMES: &[(Quadrant, &str, &[&str])] = &[
    (
        Quadrant::Weakness,
        "Recrutement difficile",
        &[
            "Difficultés de recrutement",
            "Difficulté à recruter des profils qualifiés",
        ],
    ),
    (
        Quadrant::Weakness,
        "Logement des jeunes",
        &["Manque de logements pour les jeunes et les alternants"],
    ),
    (
        Quadrant::Weakness,
        "Mobilité vers les zones d'activité",
        &["Pas de transports en commun vers les zones d'activité"],
    ),
    (
        Quadrant::Weakness,
        "Image de l'industrie",
        &["Image de l'industrie peu attractive auprès des jeunes"],
    ),
    (
        Quadrant::Weakness,
        "Coopération entre entreprises",
        &["Faible coopération entre entreprises"],
    ),
    (
        Quadrant::Opportunity,
        "Économie circulaire",
        &["Économie circulaire entre entreprises voisines"],
    ),
    (
        Quadrant::Opportunity,
        "Industrie du futur",
        &["Industrie du futur : robotiser et numériser les ateliers"],
    ),
];

/// A fiche of the contract: title, objectives, levers, themes (labels of
/// `THEMES`), lead, budget lines, status after the fourth meeting, progress.
struct Action {
    title: &'static str,
    objectives: &'static [&'static str],
    levers: &'static [&'static str],
    themes: &'static [&'static str],
    lead: &'static str,
    budget: &'static str,
    status: &'static str,
    progress: u8,
}

const ACTIONS: [Action; 9] = [
    Action {
        title: "Dispositif emploi – mobilité – logement",
        objectives: &["recruit", "attract"],
        levers: &["employment", "mobility", "housing"],
        themes: &["Recrutement difficile"],
        lead: "Anjou Bleu Communauté",
        budget: "Animation ; 45 000 ; Banque des Territoires",
        status: "in_progress",
        progress: 30,
    },
    Action {
        title: "Immobilier d'entreprises",
        objectives: &["attract"],
        levers: &["real_estate"],
        themes: &[],
        lead: "Anjou Bleu Communauté",
        budget: "Études de programmation ; 60 000 ; Banque des Territoires",
        status: "retained",
        progress: 0,
    },
    Action {
        title: "Offre en logements et en hébergement pour les jeunes",
        objectives: &["attract", "recruit"],
        levers: &["housing"],
        themes: &["Logement des jeunes"],
        lead: "Anjou Bleu Communauté",
        budget: "Étude de besoins ; 25 000 ; Région",
        status: "in_progress",
        progress: 20,
    },
    Action {
        title: "Mobilité pour l'insertion professionnelle",
        objectives: &["recruit"],
        levers: &["mobility", "employment"],
        themes: &["Mobilité vers les zones d'activité"],
        lead: "Mission locale",
        budget: "Location de véhicules ; 30 000 ; État",
        status: "retained",
        progress: 0,
    },
    Action {
        title: "Soutien aux associations d'entreprises",
        objectives: &["simplify", "innovate"],
        levers: &["networks"],
        themes: &["Coopération entre entreprises"],
        lead: "CCI de Maine-et-Loire",
        budget: "Animation des réseaux ; 20 000 ; Région",
        status: "in_progress",
        progress: 40,
    },
    Action {
        title: "Rapprocher jeunes et entreprises",
        objectives: &["recruit", "attract"],
        levers: &["youth", "employer_brand", "training"],
        themes: &["Image de l'industrie"],
        lead: "Anjou Bleu Communauté",
        budget: "Visites d'entreprises ; 15 000 ; Région",
        status: "done",
        progress: 100,
    },
    Action {
        title: "30 accompagnements vers l'industrie du futur",
        objectives: &["innovate"],
        levers: &["industry_future"],
        themes: &["Industrie du futur"],
        lead: "Région des Pays de la Loire",
        budget: "Diagnostics industrie du futur ; 150 000 ; Région",
        status: "in_progress",
        progress: 50,
    },
    Action {
        title: "Partenariat entreprise-défense pour la prospection de marchés étrangers",
        objectives: &["innovate"],
        levers: &["export"],
        themes: &[],
        lead: "Business France",
        budget: "Missions de prospection ; 40 000 ; Bpifrance",
        status: "retained",
        progress: 0,
    },
    Action {
        title: "Diagnostic économie circulaire",
        objectives: &["innovate", "simplify"],
        levers: &["circular"],
        themes: &["Économie circulaire"],
        lead: "CCI de Maine-et-Loire",
        budget: "Diagnostic ; 35 000 ; ADEME",
        status: "in_progress",
        progress: 60,
    },
];

fn ids(cat: &[crate::domain::catalogue::Entry], codes: &[&str]) -> Vec<String> {
    cat.iter()
        .filter(|e| codes.contains(&e.code.as_str()))
        .map(|e| e.id.to_string())
        .collect()
}

/// Seeds the sequel in the demo campaign (called once, at the end of the seeding).
pub async fn seed(db: &Db, campaign_id: i64, territory_id: i64) -> Result<(), StoreError> {
    let actor = Actor::instance(Some(territory_id));
    let mut meeting_ids = Vec::new();
    for (day, place, agenda, minutes) in MEETINGS {
        let input = MeetingInput::parse(&MeetingForm {
            instance: "Comité de projet".into(),
            held_on: day.into(),
            place: place.into(),
            members: MEMBERS.into(),
            agenda: agenda.into(),
            minutes: minutes.into(),
            documents: String::new(),
        })
        .expect("the demo's meetings are valid");
        meeting_ids.push(meetings::create(db, actor, campaign_id, &input).await?);
    }
    let mut themes = Vec::new();
    for (quadrant, label, sentences) in THEMES {
        let keys: Vec<String> = sentences.iter().map(|s| normalize_key(s)).collect();
        if let Some(id) = swot_themes::merge(db, campaign_id, *quadrant, &keys, None, label).await?
        {
            themes.push((*label, id));
        }
    }
    let cat: Catalogue = catalogue::load(db, campaign_id).await?;
    let choices = FicheChoices {
        objective_ids: cat.objectives.iter().map(|e| e.id).collect(),
        lever_ids: cat.levers.iter().map(|e| e.id).collect(),
        theme_ids: themes.iter().map(|(_, id)| *id).collect(),
        meeting_ids: meeting_ids.iter().copied().collect(),
        ..Default::default()
    };
    let meeting = |n: usize| meeting_ids[n].to_string();
    for action in &ACTIONS {
        let mut form = FicheForm {
            title: action.title.into(),
            objectives: ids(&cat.objectives, action.objectives),
            levers: ids(&cat.levers, action.levers),
            themes: themes
                .iter()
                .filter(|(label, _)| action.themes.contains(label))
                .map(|(_, id)| id.to_string())
                .collect(),
            lead_organisation: action.lead.into(),
            budget: action.budget.into(),
            status: "proposed".into(),
            meeting: meeting(2),
            starts_on: "2027-01-01".into(),
            ends_on: "2029-12-31".into(),
            ..Default::default()
        };
        let proposed = FicheInput::parse(&form, &choices).expect("the demo's fiches are valid");
        let id = fiches::create(db, actor, campaign_id, &proposed).await?;
        let before = fiches::find(db, campaign_id, id)
            .await?
            .expect("just created");
        form.status = "retained".into();
        form.meeting = meeting(3);
        form.note = "Retenue pour le contrat de territoire.".into();
        let retained = FicheInput::parse(&form, &choices).expect("valid");
        fiches::update(db, actor, campaign_id, &before, &retained).await?;
        if action.status != "retained" {
            let before = fiches::find(db, campaign_id, id)
                .await?
                .expect("just saved");
            form.status = action.status.into();
            form.progress = action.progress.to_string();
            form.meeting = String::new();
            form.note = String::new();
            let moved = FicheInput::parse(&form, &choices).expect("valid");
            fiches::update(db, actor, campaign_id, &before, &moved).await?;
        }
    }
    let parts = results_page::Parts {
        public: true,
        ..Default::default()
    };
    results_page::mark_published(db, actor, campaign_id, &parts).await
}
