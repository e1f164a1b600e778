//! The French labels of the codes the Sirene register gives a firm: the NAF
//! rév. 2 sections (21) and divisions (88), from INSEE's nomenclature
//! d'activités française (décret n° 2007-1888, in force since 1 January
//! 2008), and INSEE's headcount bands (tranches d'effectif salarié, the codes
//! of `trancheEffectifsEtablissement`).

/// A NAF section: its letter, its label and its divisions' first and last
/// numbers.
#[derive(Debug, PartialEq, Eq)]
pub struct Section {
    pub letter: char,
    pub label: &'static str,
    pub divisions: (u8, u8),
}

pub const SECTIONS: [Section; 21] = [
    section_row('A', "Agriculture, sylviculture et pêche", 1, 3),
    section_row('B', "Industries extractives", 5, 9),
    section_row('C', "Industrie manufacturière", 10, 33),
    section_row('D', "Production et distribution d’électricité, de gaz, de vapeur et d’air conditionné", 35, 35),
    section_row('E', "Production et distribution d’eau\u{a0}; assainissement, gestion des déchets et dépollution", 36, 39),
    section_row('F', "Construction", 41, 43),
    section_row('G', "Commerce\u{a0}; réparation d’automobiles et de motocycles", 45, 47),
    section_row('H', "Transports et entreposage", 49, 53),
    section_row('I', "Hébergement et restauration", 55, 56),
    section_row('J', "Information et communication", 58, 63),
    section_row('K', "Activités financières et d’assurance", 64, 66),
    section_row('L', "Activités immobilières", 68, 68),
    section_row('M', "Activités spécialisées, scientifiques et techniques", 69, 75),
    section_row('N', "Activités de services administratifs et de soutien", 77, 82),
    section_row('O', "Administration publique", 84, 84),
    section_row('P', "Enseignement", 85, 85),
    section_row('Q', "Santé humaine et action sociale", 86, 88),
    section_row('R', "Arts, spectacles et activités récréatives", 90, 93),
    section_row('S', "Autres activités de services", 94, 96),
    section_row('T', "Activités des ménages en tant qu’employeurs\u{a0}; activités indifférenciées des ménages en tant que producteurs de biens et services pour usage propre", 97, 98),
    section_row('U', "Activités extra-territoriales", 99, 99),
];

const fn section_row(letter: char, label: &'static str, first: u8, last: u8) -> Section {
    Section {
        letter,
        label,
        divisions: (first, last),
    }
}

/// The 88 divisions: number and label.
pub const DIVISIONS: [(u8, &str); 88] = [
    (1, "Culture et production animale, chasse et services annexes"),
    (2, "Sylviculture et exploitation forestière"),
    (3, "Pêche et aquaculture"),
    (5, "Extraction de houille et de lignite"),
    (6, "Extraction d’hydrocarbures"),
    (7, "Extraction de minerais métalliques"),
    (8, "Autres industries extractives"),
    (9, "Services de soutien aux industries extractives"),
    (10, "Industries alimentaires"),
    (11, "Fabrication de boissons"),
    (12, "Fabrication de produits à base de tabac"),
    (13, "Fabrication de textiles"),
    (14, "Industrie de l’habillement"),
    (15, "Industrie du cuir et de la chaussure"),
    (16, "Travail du bois et fabrication d’articles en bois et en liège, à l’exception des meubles\u{a0}; fabrication d’articles en vannerie et sparterie"),
    (17, "Industrie du papier et du carton"),
    (18, "Imprimerie et reproduction d’enregistrements"),
    (19, "Cokéfaction et raffinage"),
    (20, "Industrie chimique"),
    (21, "Industrie pharmaceutique"),
    (22, "Fabrication de produits en caoutchouc et en plastique"),
    (23, "Fabrication d’autres produits minéraux non métalliques"),
    (24, "Métallurgie"),
    (25, "Fabrication de produits métalliques, à l’exception des machines et des équipements"),
    (26, "Fabrication de produits informatiques, électroniques et optiques"),
    (27, "Fabrication d’équipements électriques"),
    (28, "Fabrication de machines et équipements n.c.a."),
    (29, "Industrie automobile"),
    (30, "Fabrication d’autres matériels de transport"),
    (31, "Fabrication de meubles"),
    (32, "Autres industries manufacturières"),
    (33, "Réparation et installation de machines et d’équipements"),
    (35, "Production et distribution d’électricité, de gaz, de vapeur et d’air conditionné"),
    (36, "Captage, traitement et distribution d’eau"),
    (37, "Collecte et traitement des eaux usées"),
    (38, "Collecte, traitement et élimination des déchets\u{a0}; récupération"),
    (39, "Dépollution et autres services de gestion des déchets"),
    (41, "Construction de bâtiments"),
    (42, "Génie civil"),
    (43, "Travaux de construction spécialisés"),
    (45, "Commerce et réparation d’automobiles et de motocycles"),
    (46, "Commerce de gros, à l’exception des automobiles et des motocycles"),
    (47, "Commerce de détail, à l’exception des automobiles et des motocycles"),
    (49, "Transports terrestres et transport par conduites"),
    (50, "Transports par eau"),
    (51, "Transports aériens"),
    (52, "Entreposage et services auxiliaires des transports"),
    (53, "Activités de poste et de courrier"),
    (55, "Hébergement"),
    (56, "Restauration"),
    (58, "Édition"),
    (59, "Production de films cinématographiques, de vidéo et de programmes de télévision\u{a0}; enregistrement sonore et édition musicale"),
    (60, "Programmation et diffusion"),
    (61, "Télécommunications"),
    (62, "Programmation, conseil et autres activités informatiques"),
    (63, "Services d’information"),
    (64, "Activités des services financiers, hors assurance et caisses de retraite"),
    (65, "Assurance"),
    (66, "Activités auxiliaires de services financiers et d’assurance"),
    (68, "Activités immobilières"),
    (69, "Activités juridiques et comptables"),
    (70, "Activités des sièges sociaux\u{a0}; conseil de gestion"),
    (71, "Activités d’architecture et d’ingénierie\u{a0}; activités de contrôle et analyses techniques"),
    (72, "Recherche-développement scientifique"),
    (73, "Publicité et études de marché"),
    (74, "Autres activités spécialisées, scientifiques et techniques"),
    (75, "Activités vétérinaires"),
    (77, "Activités de location et location-bail"),
    (78, "Activités liées à l’emploi"),
    (79, "Activités des agences de voyage, voyagistes, services de réservation et activités connexes"),
    (80, "Enquêtes et sécurité"),
    (81, "Services relatifs aux bâtiments et aménagement paysager"),
    (82, "Activités administratives et autres activités de soutien aux entreprises"),
    (84, "Administration publique et défense\u{a0}; sécurité sociale obligatoire"),
    (85, "Enseignement"),
    (86, "Activités pour la santé humaine"),
    (87, "Hébergement médico-social et social"),
    (88, "Action sociale sans hébergement"),
    (90, "Activités créatives, artistiques et de spectacle"),
    (91, "Bibliothèques, archives, musées et autres activités culturelles"),
    (92, "Organisation de jeux de hasard et d’argent"),
    (93, "Activités sportives, récréatives et de loisirs"),
    (94, "Activités des organisations associatives"),
    (95, "Réparation d’ordinateurs et de biens personnels et domestiques"),
    (96, "Autres services personnels"),
    (97, "Activités des ménages en tant qu’employeurs de personnel domestique"),
    (98, "Activités indifférenciées des ménages en tant que producteurs de biens et services pour usage propre"),
    (99, "Activités des organisations et organismes extraterritoriaux"),
];

/// INSEE's headcount bands, in their order: code and label.
pub const BANDS: [(&str, &str); 16] = [
    ("NN", "Unité non employeuse"),
    ("00", "0\u{a0}salarié"),
    ("01", "1 ou 2\u{a0}salariés"),
    ("02", "3 à 5\u{a0}salariés"),
    ("03", "6 à 9\u{a0}salariés"),
    ("11", "10 à 19\u{a0}salariés"),
    ("12", "20 à 49\u{a0}salariés"),
    ("21", "50 à 99\u{a0}salariés"),
    ("22", "100 à 199\u{a0}salariés"),
    ("31", "200 à 249\u{a0}salariés"),
    ("32", "250 à 499\u{a0}salariés"),
    ("41", "500 à 999\u{a0}salariés"),
    ("42", "1\u{a0}000 à 1\u{a0}999\u{a0}salariés"),
    ("51", "2\u{a0}000 à 4\u{a0}999\u{a0}salariés"),
    ("52", "5\u{a0}000 à 9\u{a0}999\u{a0}salariés"),
    ("53", "10\u{a0}000\u{a0}salariés et plus"),
];

/// The division of a NAF code (`25.62B` → 25).
pub fn division_of(code: &str) -> Option<u8> {
    code.get(..2)?.parse().ok()
}

pub fn division_label(division: u8) -> Option<&'static str> {
    DIVISIONS
        .iter()
        .find(|(d, _)| *d == division)
        .map(|(_, label)| *label)
}

/// The section a division belongs to.
pub fn section_of(division: u8) -> Option<&'static Section> {
    SECTIONS
        .iter()
        .find(|s| (s.divisions.0..=s.divisions.1).contains(&division))
        .filter(|_| division_label(division).is_some())
}

pub fn section(letter: char) -> Option<&'static Section> {
    SECTIONS
        .iter()
        .find(|s| s.letter == letter.to_ascii_uppercase())
}

/// What a firm's activity code says, as a page shows it: `25.62B —
/// Fabrication de produits métalliques…` (the code alone when unknown).
pub fn activity_label(code: &str) -> String {
    match division_of(code).and_then(division_label) {
        Some(label) => format!("{code} — {label}"),
        None => code.to_string(),
    }
}

pub fn band_label(code: &str) -> Option<&'static str> {
    BANDS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// The size band of the directory's own scale ('0-9', '10-49', '50-249',
/// '250+') a headcount band falls in; None when unknown.
pub fn size_band_of(code: &str) -> Option<&'static str> {
    match code {
        "00" | "01" | "02" | "03" => Some("0-9"),
        "11" | "12" => Some("10-49"),
        "21" | "22" | "31" => Some("50-249"),
        "32" | "41" | "42" | "51" | "52" | "53" => Some("250+"),
        _ => None,
    }
}

/// NAF divisions as an operator types them: `10-33`, `10,11,25-28`, or
/// section letters (`C`, `C,F`). Refused in French when a part is neither.
pub fn parse_divisions(typed: &str) -> Result<Vec<u8>, String> {
    let mut divisions = Vec::new();
    for part in typed.split([',', ' ', ';']).filter(|p| !p.is_empty()) {
        let known = |d: u8| division_label(d).is_some();
        if let Some((from, to)) = part.split_once('-') {
            let (Ok(from), Ok(to)) = (from.trim().parse::<u8>(), to.trim().parse::<u8>()) else {
                return Err(refused(part));
            };
            if from > to || from > 99 || to > 99 {
                return Err(refused(part));
            }
            divisions.extend((from..=to).filter(|d| known(*d)));
        } else if let Ok(d) = part.parse::<u8>() {
            if !known(d) {
                return Err(refused(part));
            }
            divisions.push(d);
        } else if let Some(s) = part
            .chars()
            .next()
            .filter(|_| part.len() == 1)
            .and_then(section)
        {
            divisions.extend((s.divisions.0..=s.divisions.1).filter(|d| known(*d)));
        } else {
            return Err(refused(part));
        }
    }
    divisions.sort_unstable();
    divisions.dedup();
    if divisions.is_empty() {
        return Err("aucune division NAF n’est choisie".into());
    }
    Ok(divisions)
}

fn refused(part: &str) -> String {
    format!("«\u{a0}{part}\u{a0}» n’est ni une division NAF (deux chiffres, comme 25 ou 10-33) ni une section (une lettre, comme C)")
}

/// A headcount band code as an operator types it (`11`); refused in French
/// when INSEE has no such band.
pub fn parse_band(typed: &str) -> Result<String, String> {
    let typed = typed.trim();
    if typed != "NN" && band_label(typed).is_some() {
        Ok(typed.to_string())
    } else {
        Err(format!(
            "«\u{a0}{typed}\u{a0}» n’est pas une tranche d’effectif de l’INSEE (00, 01, 02, 03, 11, 12, 21, 22, 31, 32, 41, 42, 51, 52 ou 53)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_division_has_one_section_and_the_tables_are_complete() {
        assert_eq!(SECTIONS.len(), 21);
        assert_eq!(DIVISIONS.len(), 88);
        for (d, _) in DIVISIONS {
            assert!(section_of(d).is_some(), "{d}");
        }
        assert_eq!(section_of(25).unwrap().letter, 'C');
        assert_eq!(section_of(4), None);
    }

    #[test]
    fn divisions_are_read_as_ranges_lists_or_sections() {
        assert_eq!(
            parse_divisions("10-33").unwrap(),
            (10..=33).collect::<Vec<_>>()
        );
        assert_eq!(parse_divisions("C").unwrap(), (10..=33).collect::<Vec<_>>());
        assert_eq!(parse_divisions("25, 16,25").unwrap(), vec![16, 25]);
        assert_eq!(parse_divisions("B").unwrap(), vec![5, 6, 7, 8, 9]);
        assert!(parse_divisions("04")
            .unwrap_err()
            .contains("«\u{a0}04\u{a0}»"));
        assert!(parse_divisions("Z").is_err());
        assert!(parse_band("NN").is_err());
        assert_eq!(parse_band("12").unwrap(), "12");
    }

    #[test]
    fn an_activity_reads_with_its_division_and_a_band_with_its_words() {
        assert_eq!(
            activity_label("16.10A"),
            "16.10A — Travail du bois et fabrication d’articles en bois et en liège, à l’exception des meubles\u{a0}; fabrication d’articles en vannerie et sparterie"
        );
        assert_eq!(band_label("11"), Some("10 à 19\u{a0}salariés"));
        assert_eq!(size_band_of("22"), Some("50-249"));
        assert_eq!(size_band_of("NN"), None);
    }
}
