//! The demo territory's fictional firms, people and answers. Communes are those of
//! the Segré area; every firm and person is invented.

use super::Rng;
use crate::domain::catalogue::Catalogue;
use crate::domain::links::LinkStatus;
use crate::domain::name::name_key;

pub struct DemoFirm {
    pub name: String,
    pub siret: Option<String>,
    pub sector: &'static str,
    pub commune: &'static str,
    pub size_band: &'static str,
}

const COMMUNES: &[&str] = &[
    "Segré-en-Anjou Bleu",
    "Segré-en-Anjou Bleu",
    "Segré-en-Anjou Bleu",
    "Ombrée d'Anjou",
    "Candé",
    "Erdre-en-Anjou",
    "Le Lion-d'Angers",
    "Chazé-sur-Argos",
    "Bécon-les-Granits",
    "Loiré",
    "Angrie",
    "Challain-la-Potherie",
    "Vern-d'Anjou",
    "Noyant-la-Gravoyère",
    "Nyoiseau",
];

/// (sector, firm names of that sector)
const SECTORS: &[(&str, &[&str])] = &[
    (
        "Métallurgie et mécanique",
        &[
            "Mécanique de l'Oudon",
            "Chaudronnerie du Haut-Anjou",
            "Usinage Segréen",
            "Ateliers de l'Argos",
            "Tôlerie Bleue",
            "Précision Ombrée",
            "Forges de la Verzée",
            "Soudure et Structures Candéennes",
            "Décolletage du Lion",
            "Métal Services Anjou",
            "Traitements de Surface de l'Erdre",
        ],
    ),
    (
        "Plasturgie et composites",
        &[
            "Plasturgie Segréenne",
            "Injection Plastique de l'Anjou Bleu",
            "Composites du Bocage",
            "Moules et Outillages Argos",
            "Polymères de la Mayenne Angevine",
        ],
    ),
    (
        "Agroalimentaire",
        &[
            "Laiterie du Segréen",
            "Salaisons de Candé",
            "Biscuiterie de l'Oudon",
            "Conserverie du Lion",
            "Légumerie Anjou Bleu",
            "Volailles du Haut-Anjou",
            "Meunerie de la Verzée",
        ],
    ),
    (
        "Bois et ameublement",
        &[
            "Scierie du Lion",
            "Menuiserie Industrielle Ombrée",
            "Charpentes de l'Erdre",
            "Emballages Bois Angevins",
            "Agencement Segréen",
        ],
    ),
    (
        "Électronique et électricité",
        &[
            "Électronique de l'Anjou Bleu",
            "Câblage Industriel Segréen",
            "Automatismes Ombrée",
            "Tableaux Électriques du Lion",
            "Cartes et Systèmes Candé",
        ],
    ),
    (
        "Logistique et transport",
        &[
            "Transports Oudon Express",
            "Logistique du Haut-Anjou",
            "Entrepôts de la Gravoyère",
            "Messageries Segréennes",
        ],
    ),
    (
        "Matériaux et construction",
        &[
            "Ardoisières de Noyant",
            "Béton Préfabriqué Anjou",
            "Carrières de l'Argos",
            "Enrobés du Segréen",
            "Isolation Industrielle de l'Erdre",
        ],
    ),
    (
        "Textile et cuir",
        &[
            "Tissages de l'Oudon",
            "Maroquinerie Candéenne",
            "Confection du Lion",
        ],
    ),
    (
        "Imprimerie et emballage",
        &[
            "Imprimerie Segréenne",
            "Cartonnages de l'Anjou Bleu",
            "Étiquettes Ombrée",
        ],
    ),
    (
        "Chimie et environnement",
        &[
            "Recyclage Anjou Bleu",
            "Chimie Fine de l'Erdre",
            "Méthanisation du Segréen",
            "Traitement des Eaux Argos",
        ],
    ),
    (
        "Services à l'industrie",
        &[
            "Maintenance Industrielle Segréenne",
            "Bureau d'Études Oudon",
            "Intérim Industrie Anjou",
            "Formation Technique du Haut-Anjou",
            "Nettoyage Industriel du Lion",
            "Informatique Industrielle Candé",
            "Contrôle et Mesure Ombrée",
            "Groupement d'Employeurs Anjou Bleu",
        ],
    ),
];

const SIZE_BANDS: &[&str] = &["0-9", "10-49", "10-49", "10-49", "50-249", "50-249", "250+"];

pub fn firms() -> Vec<DemoFirm> {
    let mut rng = Rng::new(49);
    let mut out = Vec::new();
    for (sector, names) in SECTORS {
        for name in *names {
            let i = out.len();
            out.push(DemoFirm {
                name: (*name).to_string(),
                siret: (i % 4 != 3).then(|| fake_siret(i)),
                sector,
                commune: COMMUNES[rng.below(COMMUNES.len())],
                size_band: SIZE_BANDS[rng.below(SIZE_BANDS.len())],
            });
        }
    }
    out
}

/// A SIRET that passes the Luhn check, in a range no real firm uses (SIREN 999…).
fn fake_siret(i: usize) -> String {
    let body = format!("999{:010}", 100_000 + i * 7919);
    let body = &body[..13];
    (0..10)
        .map(|d| format!("{body}{d}"))
        .find(|s| crate::domain::Siret::parse(s).is_ok())
        .expect("one check digit in ten satisfies Luhn")
}

pub struct PlanStep {
    pub invited: bool,
    pub opened: bool,
    pub started: bool,
    pub submitted: bool,
    pub session: Option<usize>,
}

/// 20 + 17 contributions in the room, 15 online, 3 online in progress, 5 opened
/// only, 8 invited only.
pub fn participation_plan() -> Vec<PlanStep> {
    let step = |invited, opened, started, submitted, session| PlanStep {
        invited,
        opened,
        started,
        submitted,
        session,
    };
    let mut plan = Vec::new();
    plan.extend((0..20).map(|_| step(true, true, true, true, Some(0))));
    plan.extend((0..17).map(|_| step(true, true, true, true, Some(1))));
    plan.extend((0..15).map(|_| step(true, true, true, true, None)));
    plan.extend((0..3).map(|_| step(true, true, true, false, None)));
    plan.extend((0..5).map(|_| step(true, true, false, false, None)));
    plan.extend((0..8).map(|_| step(true, false, false, false, None)));
    plan
}

const FIRST_NAMES: &[&str] = &[
    "Marie",
    "Jean",
    "Sophie",
    "Pierre",
    "Isabelle",
    "Laurent",
    "Nathalie",
    "Olivier",
    "Céline",
    "Stéphane",
    "Aurélie",
    "Thierry",
    "Émilie",
    "Frédéric",
    "Sandrine",
    "Hervé",
    "Valérie",
    "Yannick",
    "Hélène",
    "Benoît",
];
const LAST_NAMES: &[&str] = &[
    "Guérin",
    "Lebrun",
    "Chevalier",
    "Poirier",
    "Bodin",
    "Gaudin",
    "Moreau",
    "Rousseau",
    "Gautier",
    "Renou",
    "Brosseau",
    "Chauvin",
    "Cailleau",
    "Jouanneau",
    "Pineau",
    "Bellanger",
    "Ménard",
    "Cochard",
    "Lemonnier",
];

pub fn person(i: usize) -> (&'static str, &'static str) {
    (
        FIRST_NAMES[i % FIRST_NAMES.len()],
        LAST_NAMES[(i * 7 + 3) % LAST_NAMES.len()],
    )
}

pub fn ascii(s: &str) -> String {
    name_key(s).replace(' ', "-")
}

pub fn domain(i: usize) -> String {
    format!("entreprise{:02}.demo.tissu.fr", i)
}

/// Room contributions are typed the day of their session; online ones spread over
/// the following weeks.
pub fn timestamp(i: usize, session: Option<usize>) -> String {
    match session {
        Some(0) => format!("2026-04-15T{:02}:{:02}:00Z", 9 + i % 3, (i * 7) % 60),
        Some(_) => format!("2026-04-18T{:02}:{:02}:00Z", 9 + i % 3, (i * 11) % 60),
        None => format!("2026-04-{:02}T{:02}:00:00Z", 20 + i % 10, 8 + i % 10),
    }
}

/// Existing links are mostly trade; wished ones mostly cooperation.
pub fn weighted_kind(rng: &mut Rng, cat: &Catalogue, status: LinkStatus) -> i64 {
    let codes: &[&str] = match status {
        LinkStatus::Existing => &[
            "client",
            "supplier",
            "supplier",
            "subcontracting",
            "client",
            "network",
            "shared_logistics",
        ],
        LinkStatus::Wished => &[
            "rnd",
            "shared_jobs",
            "shared_training",
            "shared_equipment",
            "circular",
            "shared_logistics",
        ],
    };
    let code = *rng.pick(codes);
    cat.link_kinds
        .iter()
        .find(|k| k.code == code)
        .unwrap_or(&cat.link_kinds[0])
        .id
}

pub const SWOT_POOLS: [&[&str]; 4] = [
    &[
        "Savoir-faire industriel reconnu",
        "Un savoir-faire reconnu dans la mécanique et la métallurgie",
        "Entreprises familiales solides et ancrées sur le territoire",
        "Bonne entente entre chefs d'entreprise",
        "Proximité d'Angers et de l'axe Rennes-Angers",
        "Foncier disponible et abordable",
        "Salariés fidèles et attachés à leur entreprise",
        "Diversité des secteurs industriels",
        "Élus à l'écoute des entreprises",
    ],
    &[
        "Difficultés de recrutement",
        "Difficulté à recruter des profils qualifiés",
        "Manque de logements pour les jeunes et les alternants",
        "Pas de transports en commun vers les zones d'activité",
        "Image de l'industrie peu attractive auprès des jeunes",
        "Très haut débit insuffisant dans les zones d'activité",
        "Faible coopération entre entreprises",
        "Peu de formations techniques sur le territoire",
    ],
    &[
        "Développer l'apprentissage avec les lycées professionnels",
        "Mutualiser les achats d'énergie",
        "Économie circulaire entre entreprises voisines",
        "Industrie du futur : robotiser et numériser les ateliers",
        "Créer un groupement d'employeurs",
        "Accueillir des entreprises qui quittent les métropoles",
        "Mutualiser les formations entre entreprises",
    ],
    &[
        "Départ des jeunes vers les métropoles",
        "Hausse du coût de l'énergie",
        "Transmission des entreprises : dirigeants proches de la retraite",
        "Concurrence internationale",
        "Pénurie de main-d'œuvre qui s'aggrave",
        "Fermeture de sites de grands groupes",
    ],
];

pub fn preferred_levers(objective: &str) -> &'static [&'static str] {
    match objective {
        "attract" => &["real_estate", "broadband", "employer_brand", "housing"],
        "recruit" => &["training", "housing", "mobility", "employer_brand", "youth"],
        "innovate" => &["industry_future", "rnd", "networks", "circular", "energy"],
        _ => &["simplification", "funding", "networks"],
    }
}

pub const PROPOSALS: &[&str] = &[
    "Navette entre la gare de Segré et les zones d'activité",
    "Une plateforme d'échange de salariés entre entreprises",
    "Un référent unique pour les dossiers d'aides",
    "Une vitrine des métiers de l'industrie dans les collèges",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_has_about_sixty_firms_with_valid_sirets() {
        let firms = firms();
        assert_eq!(firms.len(), 60);
        for f in &firms {
            if let Some(s) = &f.siret {
                assert!(crate::domain::Siret::parse(s).is_ok(), "{s}");
            }
        }
    }

    #[test]
    fn the_plan_matches_the_seed_story() {
        let plan = participation_plan();
        let room = plan
            .iter()
            .filter(|p| p.submitted && p.session.is_some())
            .count();
        let online = plan
            .iter()
            .filter(|p| p.submitted && p.session.is_none())
            .count();
        assert_eq!((room, online, room + online), (37, 15, 52));
    }
}
