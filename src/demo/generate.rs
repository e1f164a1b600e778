//! `tissu generate`: a large synthetic campaign for benchmarks, made
//! deterministically (same arguments, same data) and fast: explicit ids,
//! multi-row INSERTs of up to 1,000 rows, and one transaction per block of
//! contributions.

use super::data::{self, PROPOSALS, SWOT_POOLS};
use super::Rng;
use crate::domain::campaign::CampaignStatus;
use crate::domain::name::name_key;
use crate::domain::swot::normalize_key;
use crate::domain::token::hex_sha256;
use crate::store::audit::Actor;
use crate::store::synthetic::{self, Block, Respondent, SyntheticFirm};
use crate::store::{campaigns, catalogue, territories, Db, StoreError};
use clap::Args;
use std::time::Instant;

#[derive(Args, Debug, Clone)]
pub struct GenerateArgs {
    /// Number of submitted contributions.
    #[arg(long, default_value_t = 50_000)]
    pub contributions: usize,
    /// Number of firms in the territory's directory.
    #[arg(long, default_value_t = 1_500)]
    pub firms: usize,
    /// Campaign slug (the territory is `t-SLUG`).
    #[arg(long)]
    pub slug: Option<String>,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

const SECTORS: &[&str] = &[
    "Métallurgie et mécanique",
    "Plasturgie et composites",
    "Agroalimentaire",
    "Bois et ameublement",
    "Électronique",
    "Chimie et matériaux",
    "Textile",
    "Logistique industrielle",
];
const COMMUNES: &[&str] = &[
    "Segré-en-Anjou Bleu",
    "Ombrée d'Anjou",
    "Candé",
    "Erdre-en-Anjou",
    "Le Lion-d'Angers",
    "Chazé-sur-Argos",
    "Bécon-les-Granits",
    "Loiré",
    "Angrie",
    "Vern-d'Anjou",
];
const SIZE_BANDS: &[&str] = &["0-9", "10-49", "50-249", "250+"];
const BLOCK: usize = 5_000;
/// Partners per firm; each contribution names 4 of them.
const PARTNERS: usize = 9;

/// One of a firm's partners: (firm index, status, kind, second kind).
type Partner<'a> = (usize, &'a str, i64, Option<i64>);

/// Report of a generation.
#[derive(Debug, Clone)]
pub struct Generated {
    pub slug: String,
    pub contributions: usize,
    pub rows: u64,
    pub seconds: f64,
}

pub async fn run(db: &Db, args: &GenerateArgs) -> anyhow::Result<()> {
    let g = generate(db, args).await?;
    println!(
        "campagne : {} ({} contributions, {} lignes en {:.1} s, {:.0} lignes/s)",
        g.slug,
        g.contributions,
        g.rows,
        g.seconds,
        g.rows as f64 / g.seconds.max(1e-9)
    );
    Ok(())
}

pub async fn generate(db: &Db, args: &GenerateArgs) -> Result<Generated, StoreError> {
    let started = Instant::now();
    let n = args.contributions;
    let slug = args.slug.clone().unwrap_or_else(|| format!("bench-{n}"));
    let territory = territories::create(
        db,
        Actor::instance(None),
        &format!("t-{slug}"),
        &format!("Territoire {slug}"),
    )
    .await?;
    let campaign = campaigns::create(
        db,
        &campaigns::NewCampaign {
            territory_id: territory.id,
            slug: &slug,
            title: &format!("Campagne de charge ({n} contributions)"),
            description: "Données synthétiques pour mesurer les synthèses.",
            online_opens_at: Some("2026-03-01T00:00:00Z"),
            online_closes_at: None,
        },
    )
    .await?;
    campaigns::set_status(db, Actor::instance(None), campaign.id, CampaignStatus::Open).await?;
    let sessions =
        super::add_workshops(db, campaign.id, ["Segré", "Le Lion-d'Angers"], None).await?;
    let cat = catalogue::load(db, campaign.id).await?;
    let mut rng = Rng::new(args.seed);
    let keyed_pools: Vec<Vec<(String, String)>> = SWOT_POOLS
        .iter()
        .map(|pool| {
            pool.iter()
                .map(|t| (t.to_string(), normalize_key(t)))
                .collect()
        })
        .collect();
    let quadrants = ["strength", "weakness", "opportunity", "threat"];
    let mut rows = 0u64;

    let firms: Vec<SyntheticFirm> = (0..args.firms.max(2))
        .map(|i| {
            let name = format!("Entreprise {:05} {}", i + 1, SECTORS[i % SECTORS.len()]);
            SyntheticFirm {
                name_key: name_key(&name),
                name,
                sector: SECTORS[i % SECTORS.len()],
                commune: COMMUNES[(i / 3) % COMMUNES.len()],
                size_band: SIZE_BANDS[(i * 7) % SIZE_BANDS.len()],
            }
        })
        .collect();
    let firm_ids = synthetic::insert_firms(db, territory.id, &firms).await?;
    rows += firm_ids.len() as u64;

    let nf = firm_ids.len();
    // Each firm's partners, mostly neighbours in the directory order
    // (clusters), some anywhere.
    let partners: Vec<Vec<Partner>> = (0..nf)
        .map(|i| {
            (0..PARTNERS)
                .map(|_| {
                    let mut t = if rng.chance(75) {
                        (i + 1 + rng.below(12)) % nf
                    } else {
                        rng.below(nf)
                    };
                    if t == i {
                        t = (t + 1) % nf;
                    }
                    let status = if rng.chance(20) { "wished" } else { "existing" };
                    let k1 = cat.link_kinds[rng.below(cat.link_kinds.len())].id;
                    let k2 = cat.link_kinds[rng.below(cat.link_kinds.len())].id;
                    (t, status, k1, (rng.chance(30) && k2 != k1).then_some(k2))
                })
                .collect()
        })
        .collect();
    let mut done = 0;
    while done < n {
        let count = BLOCK.min(n - done);
        let mut block = Block::default();
        for j in 0..count {
            let i = done + j;
            let firm_index = rng.below(nf);
            let firm = firm_ids[firm_index];
            let day = format!("2026-{:02}-{:02}", 3 + (i % 60) / 30, 1 + (i % 30));
            let at = format!("{day}T{:02}:{:02}:00Z", 8 + rng.below(10), rng.below(60));
            let source = match rng.below(10) {
                0..=2 => Some(sessions[0]),
                3..=5 => Some(sessions[1]),
                _ => None,
            };
            block.respondents.push(Respondent {
                firm_id: firm,
                email: format!("p{i}@{slug}.example"),
                token_hash: hex_sha256(format!("{slug}-{i}").as_bytes()),
                at,
                source_session_id: source,
            });
            // A firm's answers (several people, in the room and online) name
            // partners from the firm's own set: the network stays that of
            // a territory instead of a random near-complete graph.
            let own = &partners[firm_index];
            let first = rng.below(own.len());
            for position in 0..4i64 {
                let (t, status, k1, k2) = own[(first + position as usize * 2) % own.len()];
                let intensity = cat.intensities[rng.below(cat.intensities.len())].id;
                block
                    .links
                    .push((j, position, firm_ids[t], intensity, status));
                block.link_kinds.push((j, position, k1));
                if let Some(k2) = k2 {
                    block.link_kinds.push((j, position, k2));
                }
            }
            for position in 0..5i64 {
                let q = position as usize % 4;
                let (text, key) = rng.pick(&keyed_pools[q]).clone();
                block.swot.push((j, position, quadrants[q], text, key));
            }
            for objective in &cat.objectives {
                let preferred = data::preferred_levers(&objective.code);
                let mut chosen: Vec<i64> = Vec::with_capacity(3);
                while chosen.len() < 3 {
                    let code = if rng.chance(70) {
                        *rng.pick(preferred)
                    } else {
                        rng.pick(&cat.levers).code.as_str()
                    };
                    if let Some(l) = cat.levers.iter().find(|l| l.code == code) {
                        if !chosen.contains(&l.id) {
                            chosen.push(l.id);
                        }
                    }
                }
                for (r, lever) in chosen.into_iter().enumerate() {
                    block.ranks.push((j, objective.id, r as i64 + 1, lever));
                }
                if rng.chance(3) {
                    block
                        .proposals
                        .push((j, objective.id, rng.pick(PROPOSALS).to_string()));
                }
            }
        }
        rows += synthetic::insert_block(db, campaign.id, &block).await?;
        done += count;
    }
    synthetic::analyze(db).await?;
    Ok(Generated {
        slug,
        contributions: n,
        rows,
        seconds: started.elapsed().as_secs_f64(),
    })
}
