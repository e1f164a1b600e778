use super::*;
use crate::synthesis::{
    build_network, synthesize_levers, synthesize_participation, synthesize_swot,
    ParticipationCounts, RankCount, SourceCount, SwotOptions,
};

fn campaign(slug: &str) -> CampaignRef {
    CampaignRef {
        slug: slug.into(),
        title: format!("Diagnostic {slug}"),
    }
}

fn rank(objective: &str, lever: &str, rank: u8, count: u64) -> RankCount {
    RankCount {
        objective: objective.into(),
        lever: lever.into(),
        rank,
        count,
    }
}

/// A territory's figures from syntheses built by hand.
fn figures(slug: &str, ranks: &[RankCount], statuses: &[FicheStatus]) -> TerritoryFigures {
    let participation = synthesize_participation(
        ParticipationCounts {
            invited: 20,
            opened: 12,
            started: 10,
            submitted: 5,
        },
        &[SourceCount {
            source_key: "online".into(),
            label: "Formulaire en ligne".into(),
            contributions: 5,
        }],
        &[],
        &[],
    );
    let levers = synthesize_levers(
        ranks,
        &[("emploi", "Emploi"), ("foncier", "Foncier")],
        &[
            ("formation", "Formation"),
            ("mutualisation", "Mutualisation"),
        ],
        3,
    );
    let swot = synthesize_swot(&[], &[], &SwotOptions::default());
    let network = build_network(&[], &[]).unwrap();
    TerritoryFigures::of(
        campaign(slug),
        &Syntheses {
            participation: &participation,
            room_and_online: (3, 5),
            levers: &levers,
            swot: &swot,
            network: &network,
            fiche_statuses: statuses,
        },
    )
}

fn column(slug: &str, f: Option<TerritoryFigures>) -> Column {
    Column {
        slug: slug.into(),
        name: format!("Territoire {slug}"),
        figures: f,
    }
}

fn theme(quadrant: Quadrant, label: &str, contributions: u64) -> ThemeCount {
    ThemeCount {
        quadrant,
        label: label.into(),
        contributions,
    }
}

#[test]
fn a_territory_takes_its_participation_from_the_synthesis() {
    let f = figures("a", &[], &[]);
    assert_eq!((f.invited, f.submitted, f.rate), (20, 5, 25.0));
    assert_eq!((f.in_room, f.online), (3, 5));
}

#[test]
fn the_leading_lever_of_each_objective_is_the_first_of_its_ranking() {
    let f = figures(
        "a",
        &[
            rank("emploi", "formation", 1, 2),
            rank("emploi", "mutualisation", 1, 1),
        ],
        &[],
    );
    assert_eq!(f.leads.len(), 2);
    assert_eq!(f.leads[0].lever.as_deref(), Some("formation"));
    assert_eq!(
        (f.leads[0].lever_label.as_str(), f.leads[0].score),
        ("Formation", 6)
    );
    // Nobody ranked a lever for the land objective: no lead, not a zero-score one.
    assert_eq!(f.leads[1].lever, None);
}

#[test]
fn a_theme_named_by_few_respondents_is_left_out_unless_the_facilitators_named_it() {
    use crate::synthesis::{CuratedTheme, SwotGroupRow};
    let row = |key: &str, text: &str, contributions: &[i64]| SwotGroupRow {
        quadrant: Quadrant::Weakness,
        key: key.into(),
        sample_texts: vec![text.into()],
        citations: vec![("online".into(), contributions.to_vec())],
    };
    let rows = [
        row("foncier rar", "Foncier rare", &[1, 2, 3]),
        row("scieri dupont ferm", "La scierie Dupont ferme", &[4]),
        row("transport", "Transports", &[5]),
    ];
    let curated = [CuratedTheme {
        id: 9,
        quadrant: Quadrant::Weakness,
        label: "Mobilité".into(),
        keys: vec!["transport".into()],
    }];
    let swot = synthesize_swot(&rows, &curated, &SwotOptions::default());
    let p = synthesize_participation(ParticipationCounts::default(), &[], &[], &[]);
    let levers = synthesize_levers::<&str, &str, &str, &str>(&[], &[], &[], 3);
    let network = build_network(&[], &[]).unwrap();
    let f = TerritoryFigures::of(
        campaign("a"),
        &Syntheses {
            participation: &p,
            room_and_online: (0, 0),
            levers: &levers,
            swot: &swot,
            network: &network,
            fiche_statuses: &[],
        },
    );
    let labels: Vec<&str> = f.themes.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["Foncier rare", "Mobilité"]);
}

#[test]
fn fiches_are_counted_in_every_status() {
    use FicheStatus::*;
    let f = figures("a", &[], &[Proposed, Done, Done, Abandoned]);
    let counts: Vec<u64> = f.fiches.iter().map(|s| s.fiches).collect();
    assert_eq!(counts, vec![1, 0, 0, 2, 1]);
}

#[test]
fn the_heat_table_compares_shares_of_each_territory_s_points() {
    // a: formation 6 of 6 points; b: formation 3 and mutualisation 9 of 12.
    let a = figures("a", &[rank("emploi", "formation", 1, 2)], &[]);
    let b = figures(
        "b",
        &[
            rank("emploi", "formation", 1, 1),
            rank("foncier", "mutualisation", 1, 3),
        ],
        &[],
    );
    let c = Comparison::of(vec![column("a", Some(a)), column("b", Some(b))]);
    let codes: Vec<&str> = c.levers.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["formation", "mutualisation"]);
    let shares: Vec<Vec<f64>> = c
        .heat
        .iter()
        .map(|r| r.cells.iter().map(|x| x.share).collect())
        .collect();
    assert_eq!(shares, vec![vec![100.0, 0.0], vec![25.0, 75.0]]);
    assert_eq!(c.heat[0].cells[0].intensity, 1.0);
    assert_eq!(c.heat[1].cells[1].intensity, 0.75);
}

#[test]
fn a_territory_without_campaign_has_no_heat_row() {
    let a = figures("a", &[rank("emploi", "formation", 1, 2)], &[]);
    let c = Comparison::of(vec![column("a", Some(a)), column("b", None)]);
    assert_eq!(c.columns.len(), 2);
    assert_eq!(c.heat.len(), 1);
    assert_eq!(c.heat[0].slug, "a");
}

#[test]
fn a_theme_recurs_when_two_territories_cite_it_in_the_same_quadrant() {
    let mut a = figures("a", &[], &[]);
    a.themes = vec![
        theme(Quadrant::Weakness, "Main-d'œuvre qualifiée rare", 4),
        theme(Quadrant::Strength, "Savoir-faire", 7),
        theme(Quadrant::Threat, "Foncier saturé", 2),
    ];
    let mut b = figures("b", &[], &[]);
    b.themes = vec![
        theme(Quadrant::Weakness, "main-d'œuvre qualifiée rare", 3),
        // Same words, another quadrant: not the same theme.
        theme(Quadrant::Opportunity, "Savoir-faire", 1),
        theme(Quadrant::Threat, "Foncier saturé", 1),
    ];
    let c = Comparison::of(vec![column("a", Some(a)), column("b", Some(b))]);
    let found: Vec<(&str, &Vec<(String, u64)>)> = c
        .recurring_themes
        .iter()
        .map(|t| (t.label.as_str(), &t.territories))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "Main-d'œuvre qualifiée rare",
                &vec![("a".to_string(), 4), ("b".to_string(), 3)]
            ),
            (
                "Foncier saturé",
                &vec![("a".to_string(), 2), ("b".to_string(), 1)]
            ),
        ]
    );
}
