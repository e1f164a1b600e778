//! `tissu demo`: a realistic territory modelled on the seed story (Anjou Bleu,
//! 2019), seeded once and deterministically, then served. Each run prints the
//! respondents' personal links (the same each run: they are rebuilt from the
//! link key beside the database) and a fresh administrator password.
//!
//! Over 400 lines: the seeding runs in one order (territory, firms, campaign,
//! answers, report texts, action plan) that reads best in one place.

mod action_plan;
mod data;
pub mod generate;

use crate::config::Settings;
use crate::domain::campaign::CampaignStatus;
use crate::domain::geography::Geography;
use crate::domain::links::LinkStatus;
use crate::domain::ranking::ObjectiveRanking;
use crate::domain::swot::{Quadrant, SwotItem};
use crate::domain::{password, Email, Token};
use crate::startup::Application;
use crate::store::audit::Actor;
use crate::store::contributions::{replace_part, FirmTarget, NewContribution, Part, ResolvedLink};
use crate::store::workshops::sessions::{self as workshop_sessions, NewSession};
use crate::store::{
    self, campaigns, catalogue, firms, participants, staff, territories, Db, StoreError,
};
use clap::Args;

pub const TERRITORY_SLUG: &str = "anjou-bleu";
pub const CAMPAIGN_SLUG: &str = "diagnostic-anjou-bleu";
pub const ADMIN_EMAIL: &str = "admin@demo.tissu.fr";

#[derive(Args, Debug, Clone, Default)]
pub struct DemoArgs {
    /// Seed only, print the links, and exit without serving.
    #[arg(long)]
    pub no_serve: bool,
    /// Print this many more respondent links (personal links of demo participants),
    /// e.g. for a load test.
    #[arg(long, default_value_t = 0)]
    pub links: usize,
}

pub async fn run(settings: &Settings, args: &DemoArgs) -> anyhow::Result<()> {
    let db = crate::startup::open_database(settings).await?;
    seed(&db).await?;
    let app = Application::build_with_db(settings, db.clone())?;
    let base = app.base_url.clone();
    let admin_password = password::generate();
    staff::upsert(
        &db,
        ADMIN_EMAIL,
        &password::hash(&admin_password),
        "admin",
        &[],
    )
    .await?;
    println!("adresse : {base}/");
    println!("administrateur : {ADMIN_EMAIL} {admin_password}");
    println!("campagne : {CAMPAIGN_SLUG}");
    println!("lien ouvert : {base}/c/{CAMPAIGN_SLUG}");
    for (label, token) in showcase_links(&db).await? {
        println!("répondant : {base}/r/{} ({label})", token.as_str());
    }
    for token in participant_links(&db, args.links).await? {
        println!("lien : {base}/r/{}", token.as_str());
    }
    if args.no_serve {
        return Ok(());
    }
    app.run_until_stopped().await?;
    Ok(())
}

/// A tiny deterministic generator (splitmix64): the same demo on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The demo territory's intercommunalité in the official list.
const ANJOU_BLEU_SIREN: &str = "244900809";

/// Seeds the demo territory unless it is already there.
pub async fn seed(db: &Db) -> Result<(), StoreError> {
    if territories::find_by_slug(db, TERRITORY_SLUG)
        .await?
        .is_some()
    {
        return Ok(());
    }
    // The seed story's territory is CC Anjou Bleu Communauté (SIREN
    // 244900809): its eleven communes come from the official list.
    let area = Geography::official()
        .area(ANJOU_BLEU_SIREN)
        .expect("the shipped geography lists CC Anjou Bleu Communauté (a unit test checks it)");
    let territory = territories::create_covering(
        db,
        Actor::instance(None),
        TERRITORY_SLUG,
        "Anjou Bleu Communauté",
        &area,
    )
    .await?;
    let campaign = campaigns::create(
        db,
        &campaigns::NewCampaign {
            territory_id: territory.id,
            slug: CAMPAIGN_SLUG,
            title: "Territoire d'industrie Anjou Bleu : diagnostic partagé",
            description: "Les industriels du territoire caractérisent ensemble les liens entre leurs entreprises, les atouts et faiblesses du territoire, et les leviers d'action pour attirer, recruter, innover et simplifier. La synthèse sera présentée au comité de projet.",
            online_opens_at: Some("2026-04-01T00:00:00Z"),
            online_closes_at: None,
        },
    )
    .await?;
    campaigns::set_status(db, Actor::instance(None), campaign.id, CampaignStatus::Open).await?;
    let sessions = add_workshops(
        db,
        campaign.id,
        [
            "Segré, salle du conseil communautaire",
            "Le Lion-d'Angers, pôle d'entreprises",
        ],
        Some(30),
    )
    .await?;
    let cat = catalogue::load(db, campaign.id).await?;
    let mut rng = Rng::new(2019);
    let mut tx = db.begin().await?;
    let mut firm_ids = Vec::new();
    for firm in data::firms() {
        let new = firms::NewFirm {
            name: &firm.name,
            siret: firm.siret.as_deref(),
            sector: Some(firm.sector),
            commune: Some(firm.commune),
            size_band: Some(firm.size_band),
        };
        firm_ids.push((
            firms::insert(&mut tx, territory.id, &new, "directory").await?,
            firm.sector,
        ));
    }
    // 52 contributions (37 in the room: 20 on 15 April, 17 on 18 April; 15 online),
    // 3 online answers in progress, and invited firms that have not answered yet.
    let plan = data::participation_plan();
    for (i, step) in plan.iter().enumerate() {
        let (firm_id, sector) = firm_ids[i % firm_ids.len()];
        let (first, last) = data::person(i);
        let email = Email::parse(&format!(
            "{}.{}@{}",
            data::ascii(first),
            data::ascii(last),
            data::domain(i)
        ))
        .expect("demo emails are valid");
        let created = participants::create(
            &mut tx,
            &db.link_key,
            &participants::NewParticipant {
                campaign_id: campaign.id,
                firm_id: Some(firm_id),
                first_name: first,
                last_name: last,
                email: &email,
                origin: if step.session.is_some() {
                    "room"
                } else {
                    "invitation"
                },
            },
        )
        .await?;
        let participants::Created::Issued { participant_id, .. } = created else {
            continue;
        };
        participants::set_timeline(
            &mut tx,
            participant_id,
            step.invited,
            step.opened,
            step.started,
            step.submitted,
        )
        .await?;
        if !step.started {
            continue;
        }
        let contribution_id = store::contributions::insert(
            &mut tx,
            &NewContribution {
                campaign_id: campaign.id,
                participant_id: Some(participant_id),
                firm_id: Some(firm_id),
                source_session_id: step.session.map(|s| sessions[s]),
                table_label: None,
                entered_by_staff_id: None,
                step_reached: if step.submitted {
                    3
                } else {
                    1 + rng.below(2) as i64
                },
                at: &data::timestamp(i, step.session),
                submitted: step.submitted,
            },
        )
        .await?;
        let links = demo_links(&mut rng, firm_id, sector, &firm_ids, &cat);
        replace_part(&mut tx, contribution_id, territory.id, &Part::Links(&links)).await?;
        if step.submitted || rng.chance(50) {
            let swot = demo_swot(&mut rng);
            replace_part(&mut tx, contribution_id, territory.id, &Part::Swot(&swot)).await?;
        }
        if step.submitted {
            let rankings = demo_rankings(&mut rng, &cat);
            replace_part(
                &mut tx,
                contribution_id,
                territory.id,
                &Part::Levers(&rankings),
            )
            .await?;
        }
    }
    tx.commit().await?;
    introduce_report(db, territory.id, campaign.id).await?;
    action_plan::seed(db, campaign.id, territory.id).await
}

/// The facilitators' introduction to the demo's report, as a steering
/// committee would read it.
async fn introduce_report(db: &Db, territory_id: i64, campaign_id: i64) -> Result<(), StoreError> {
    const INTRODUCTION: &str = "Au printemps, les industriels d'Anjou Bleu Communauté ont été invités à dire avec qui ils travaillent, ce qui fait la force et la fragilité du territoire, et sur quels leviers agir en priorité.\n\nCe document rassemble leurs réponses, données en ligne ou lors des deux ateliers de Segré et du Lion-d'Angers. Il sert de base aux échanges du comité de projet : les chiffres y sont donnés tels quels, les conclusions de chaque partie sont celles des animateurs.";
    crate::store::synthesis::report_texts::save(
        db,
        Actor::instance(Some(territory_id)),
        campaign_id,
        &[(
            crate::domain::report::Section::Introduction,
            INTRODUCTION.to_string(),
        )],
    )
    .await
}

fn demo_links(
    rng: &mut Rng,
    own: i64,
    sector: &str,
    firms: &[(i64, &str)],
    cat: &crate::domain::catalogue::Catalogue,
) -> Vec<ResolvedLink> {
    let count = 2 + rng.below(6);
    let mut links: Vec<ResolvedLink> = Vec::new();
    for _ in 0..count {
        // Firms of the same sector work together more often: clusters appear.
        let same_sector: Vec<i64> = firms
            .iter()
            .filter(|(id, s)| *s == sector && *id != own)
            .map(|(id, _)| *id)
            .collect();
        let target = if rng.chance(55) && !same_sector.is_empty() {
            *rng.pick(&same_sector)
        } else {
            firms[rng.below(firms.len().min(40))].0
        };
        let status = if rng.chance(22) {
            LinkStatus::Wished
        } else {
            LinkStatus::Existing
        };
        if target == own
            || links
                .iter()
                .any(|l| l.target == FirmTarget::Known(target) && l.status == status)
        {
            continue;
        }
        let mut kind_ids = vec![data::weighted_kind(rng, cat, status)];
        if rng.chance(30) {
            let extra = rng.pick(&cat.link_kinds).id;
            if !kind_ids.contains(&extra) {
                kind_ids.push(extra);
            }
        }
        links.push(ResolvedLink {
            target: FirmTarget::Known(target),
            kind_ids,
            intensity_id: cat.intensities[rng.below(cat.intensities.len())].id,
            status,
        });
    }
    links
}

fn demo_swot(rng: &mut Rng) -> Vec<SwotItem> {
    let mut items = Vec::new();
    for (quadrant, pool) in Quadrant::ALL.into_iter().zip(data::SWOT_POOLS) {
        let count = 1 + rng.below(3);
        for _ in 0..count {
            let text = rng.pick(pool).to_string();
            if !items.iter().any(|i: &SwotItem| i.text == text) {
                items.push(SwotItem { quadrant, text });
            }
        }
    }
    items
}

fn demo_rankings(
    rng: &mut Rng,
    cat: &crate::domain::catalogue::Catalogue,
) -> Vec<ObjectiveRanking> {
    cat.objectives
        .iter()
        .map(|objective| {
            let preferred = data::preferred_levers(&objective.code);
            let mut lever_ids = Vec::new();
            while lever_ids.len() < 3 {
                let code = if rng.chance(75) {
                    *rng.pick(preferred)
                } else {
                    rng.pick(&cat.levers).code.as_str()
                };
                if let Some(lever) = cat.levers.iter().find(|l| l.code == code) {
                    if !lever_ids.contains(&lever.id) {
                        lever_ids.push(lever.id);
                    }
                }
            }
            let proposal = rng.chance(8).then(|| rng.pick(data::PROPOSALS).to_string());
            ObjectiveRanking {
                objective_id: objective.id,
                lever_ids,
                proposal,
            }
        })
        .collect()
}

/// The personal links of three showcase respondents: a firm that has
/// not started, one half-way through, one that has submitted.
async fn showcase_links(db: &Db) -> Result<Vec<(&'static str, Token)>, StoreError> {
    let Some(campaign) = campaigns::find_by_slug(db, CAMPAIGN_SLUG).await? else {
        return Ok(Vec::new());
    };
    let picks = participants::showcase(db, campaign.id).await?;
    let mut out = Vec::new();
    let mut conn = db.writer().await?;
    for (label, participant_id) in picks {
        out.push((
            label,
            participants::link(&mut conn, &db.link_key, participant_id)
                .await?
                .personal,
        ));
    }
    Ok(out)
}

/// The personal links of the first `count` participants of the demo campaign.
async fn participant_links(db: &Db, count: usize) -> Result<Vec<Token>, StoreError> {
    let Some(campaign) = campaigns::find_by_slug(db, CAMPAIGN_SLUG).await? else {
        return Ok(Vec::new());
    };
    let mut tokens = Vec::new();
    let ids = participants::ids(db, campaign.id, count).await?;
    let mut conn = db.writer().await?;
    for participant_id in ids {
        tokens.push(
            participants::link(&mut conn, &db.link_key, participant_id)
                .await?
                .personal,
        );
    }
    Ok(tokens)
}

/// The seed story's two workshops (15 and 18 April), at these places.
pub(crate) async fn add_workshops(
    db: &Db,
    campaign_id: i64,
    places: [&str; 2],
    capacity: Option<i64>,
) -> Result<Vec<i64>, StoreError> {
    let mut sessions = Vec::new();
    for ((title, day), place) in [
        ("Atelier du 15 avril", "2026-04-15"),
        ("Atelier du 18 avril", "2026-04-18"),
    ]
    .into_iter()
    .zip(places)
    {
        let new = NewSession::on_day(title, day, place, capacity);
        sessions.push(workshop_sessions::add(db, campaign_id, &new).await?);
    }
    Ok(sessions)
}
