//! The default catalogues a new campaign starts with, editable per
//! campaign afterwards.

pub const LINK_KINDS: &[(&str, &str)] = &[
    ("client", "Client"),
    ("supplier", "Fournisseur"),
    ("subcontracting", "Sous-traitance (donnée ou reçue)"),
    ("rnd", "Partenariat R&D / innovation"),
    (
        "shared_jobs",
        "Emplois ou compétences partagés (groupement d'employeurs)",
    ),
    ("shared_training", "Formation mutualisée"),
    ("shared_equipment", "Équipements ou locaux partagés"),
    ("shared_logistics", "Logistique ou achats mutualisés"),
    (
        "circular",
        "Échange de déchets et coproduits (économie circulaire)",
    ),
    ("network", "Appartenance à un même réseau d'entreprises"),
];

pub const INTENSITIES: &[(&str, &str)] = &[
    ("occasional", "Occasionnelle"),
    ("regular", "Régulière"),
    ("strategic", "Stratégique"),
];

pub const OBJECTIVES: &[(&str, &str)] = &[
    ("attract", "Attirer"),
    ("recruit", "Recruter"),
    ("innovate", "Innover"),
    ("simplify", "Simplifier"),
];

pub const LEVERS: &[(&str, &str)] = &[
    (
        "housing",
        "Logement et hébergement des jeunes et alternants",
    ),
    ("mobility", "Mobilité domicile-travail"),
    ("real_estate", "Immobilier d'entreprise et foncier"),
    ("training", "Formation, apprentissage, alternance"),
    (
        "employer_brand",
        "Attractivité des métiers et marque employeur du territoire",
    ),
    ("youth", "Rapprochement jeunes–entreprises"),
    ("networks", "Associations et réseaux d'entreprises"),
    (
        "industry_future",
        "Industrie du futur (numérique, robotique)",
    ),
    ("rnd", "R&D et partenariats d'innovation"),
    ("export", "Export et prospection internationale"),
    ("circular", "Économie circulaire et écologie industrielle"),
    ("energy", "Transition énergétique"),
    (
        "simplification",
        "Simplification administrative, guichet unique",
    ),
    ("funding", "Accès aux financements publics"),
    ("broadband", "Très haut débit et numérique"),
    ("employment", "Emploi et insertion"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogueKind {
    LinkKind,
    Intensity,
    Objective,
    Lever,
}

impl CatalogueKind {
    pub const ALL: [CatalogueKind; 4] = [
        CatalogueKind::LinkKind,
        CatalogueKind::Intensity,
        CatalogueKind::Objective,
        CatalogueKind::Lever,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::LinkKind => "link_kind",
            Self::Intensity => "intensity",
            Self::Objective => "objective",
            Self::Lever => "lever",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The catalogue's name on staff pages and in the audit log.
    pub fn title(self) -> &'static str {
        match self {
            Self::LinkKind => "Types de liens",
            Self::Intensity => "Intensités",
            Self::Objective => "Objectifs",
            Self::Lever => "Leviers",
        }
    }

    /// The four objectives are fixed by the national programme: only their
    /// labels change.
    pub fn fixed(self) -> bool {
        self == Self::Objective
    }

    pub fn defaults(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::LinkKind => LINK_KINDS,
            Self::Intensity => INTENSITIES,
            Self::Objective => OBJECTIVES,
            Self::Lever => LEVERS,
        }
    }
}

/// One entry of a campaign's catalogue, as answers reference it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub code: String,
    pub label: String,
}

/// The four catalogues of one campaign, in display order.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub link_kinds: Vec<Entry>,
    pub intensities: Vec<Entry>,
    pub objectives: Vec<Entry>,
    pub levers: Vec<Entry>,
}

impl Catalogue {
    pub fn label_of(entries: &[Entry], id: i64) -> &str {
        entries
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.label.as_str())
            .unwrap_or("?")
    }
}
