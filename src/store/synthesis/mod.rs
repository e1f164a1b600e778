//! A campaign's figures: the rows `store::synthesis::queries` reads, fed to the pure
//! aggregation of `crate::synthesis`, and kept in a cache (`Cache`) until the
//! campaign's data changes. Pages (`web::staff::synthesis`), the printable report,
//! the JSON API and the exports all go through here, so they show the same
//! figures.

use crate::domain::links::LinkStatus;
use crate::store::{Db, StoreError};
use crate::synthesis::swot::ProposedGroup;
use crate::synthesis::{
    build_network, propose_groups, synthesize_levers, synthesize_participation, synthesize_swot,
    CuratedTheme, EdgeCount, Network, Participation, RankCount, SourceCount, Swot, SwotOptions,
};
use context::pairs;
use queries::{Filters, Source};
use serde::Serialize;
use std::collections::BTreeSet;

pub mod cache;
mod context;
pub mod queries;
pub mod report_texts;
pub mod swot_themes;
pub use cache::{Cache, Cached, Freshness, SYNC_BELOW};
pub use context::{CampaignContext, SourceInfo};

/// Label of the online form as a source.
pub const ONLINE_LABEL: &str = "Formulaire en ligne";

/// Themes of each SWOT quadrant that the published results show (the
/// anonymisation keeps their wording).
pub const RESULTS_THEMES: usize = 5;

pub async fn participation(
    db: &Db,
    ctx: &CampaignContext,
    f: &Filters,
) -> Result<Participation, StoreError> {
    let rows = queries::participation::load(db, ctx.campaign.id, f).await?;
    // Every source appears, with 0 when nobody answered from it (unless the
    // filter narrows to another source).
    let sources: Vec<SourceCount> = ctx
        .sources()
        .into_iter()
        .filter(|s| f.source.is_none_or(|only| only.key() == s.key))
        .map(|s| SourceCount {
            contributions: rows
                .sources
                .iter()
                .filter(|(src, _)| src.key() == s.key)
                .map(|(_, n)| n)
                .sum(),
            source_key: s.key,
            label: s.label,
        })
        .collect();
    let mut participation =
        synthesize_participation(rows.counts, &sources, &rows.attributes, &rows.days);
    participation.separate_entries = rows.separate_entries;
    Ok(participation)
}

pub async fn network(db: &Db, ctx: &CampaignContext, f: &Filters) -> Result<Network, StoreError> {
    let started = std::time::Instant::now();
    let (firms, rows) = futures_util::future::try_join(
        queries::network::firms(db, ctx.campaign.territory_id),
        queries::network::edges(db, ctx.campaign.id, f),
    )
    .await?;
    let queried = started.elapsed();
    let codes = ctx.codes();
    let known: BTreeSet<i64> = firms.iter().map(|n| n.id).collect();
    let edges: Vec<EdgeCount> = rows
        .into_iter()
        .filter(|r| r.source != r.target && known.contains(&r.source) && known.contains(&r.target))
        .map(|r| EdgeCount {
            source: r.source,
            target: r.target,
            kind: codes
                .get(&r.kind_id)
                .map_or_else(|| r.kind_id.to_string(), |c| c.0.to_string()),
            // The column's CHECK allows only the two statuses.
            status: LinkStatus::parse(&r.status).unwrap_or(LinkStatus::Existing),
            mentions: r.mentions as u64,
        })
        .collect();
    let linked: BTreeSet<i64> = edges.iter().flat_map(|e| [e.source, e.target]).collect();
    let matches = |v: &Option<String>, want: &Option<String>| want.is_none() || v == want;
    let nodes: Vec<_> = firms
        .into_iter()
        .filter(|n| {
            linked.contains(&n.id)
                || (matches(&n.sector, &f.sector)
                    && matches(&n.size_band, &f.size_band)
                    && matches(&n.commune, &f.commune))
        })
        .collect();
    let net = build_network(&nodes, &edges).unwrap_or_else(|e| {
        tracing::error!(error = %e, "network synthesis refused its input");
        build_network(&[], &[]).expect("the empty network builds")
    });
    tracing::debug!(
        query_ms = queried.as_millis() as u64,
        total_ms = started.elapsed().as_millis() as u64,
        nodes = net.nodes.len(),
        edges = net.edges.len(),
        "network synthesis"
    );
    Ok(net)
}

/// The SWOT synthesis, the groups the server proposes, and the curated themes.
#[derive(Debug, Clone, Serialize)]
pub struct SwotView {
    pub synthesis: Swot,
    pub proposals: Vec<ProposedGroup>,
    #[serde(skip)]
    pub curated: Vec<CuratedTheme>,
}

pub async fn swot(db: &Db, ctx: &CampaignContext, f: &Filters) -> Result<SwotView, StoreError> {
    let (rows, curated) = futures_util::future::try_join(
        queries::swot::groups(db, ctx.campaign.id, f),
        crate::store::synthesis::swot_themes::list(db, ctx.campaign.id),
    )
    .await?;
    let opts = SwotOptions::default();
    let synthesis = synthesize_swot(&rows, &curated, &opts);
    let proposals = propose_groups(&rows, &curated, opts.similarity_threshold)
        .into_iter()
        .filter(|g| g.keys.len() > 1)
        .collect();
    Ok(SwotView {
        synthesis,
        proposals,
        curated,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub objective: String,
    pub objective_label: String,
    pub text: String,
    pub contributions: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LeversView {
    pub synthesis: crate::synthesis::Levers,
    pub proposals: Vec<Proposal>,
}

pub async fn levers(db: &Db, ctx: &CampaignContext, f: &Filters) -> Result<LeversView, StoreError> {
    let codes = ctx.codes();
    let code = |id: i64| {
        codes
            .get(&id)
            .map_or_else(|| id.to_string(), |c| c.0.to_string())
    };
    let (ranks, proposals) = futures_util::future::try_join(
        queries::levers::rank_counts(db, ctx.campaign.id, f),
        queries::levers::proposals(db, ctx.campaign.id, f),
    )
    .await?;
    let rows: Vec<RankCount> = ranks
        .into_iter()
        .map(|r| RankCount {
            objective: code(r.objective_id),
            lever: code(r.lever_id),
            rank: u8::try_from(r.rank).unwrap_or(0),
            count: r.count as u64,
        })
        .collect();
    let max_rank = u8::try_from(ctx.campaign.ranks_per_objective).unwrap_or(3);
    let synthesis = synthesize_levers(
        &rows,
        &pairs(&ctx.catalogue.objectives),
        &pairs(&ctx.catalogue.levers),
        max_rank,
    );
    let proposals = proposals
        .into_iter()
        .map(|p| Proposal {
            objective: code(p.objective_id),
            objective_label: codes
                .get(&p.objective_id)
                .map_or_else(String::new, |c| c.1.to_string()),
            text: p.text,
            contributions: p.count as u64,
        })
        .collect();
    Ok(LeversView {
        synthesis,
        proposals,
    })
}

/// The four parts, as the JSON API gives them.
#[derive(Debug, Clone, Serialize)]
pub struct Synthesis {
    pub campaign: CampaignInfo,
    pub generated_at: String,
    /// When the oldest of the four parts was computed: after writes, the
    /// figures of a big campaign may be a few seconds old (see `Cache`).
    pub computed_at: String,
    /// Newer figures are being computed.
    pub updating: bool,
    pub filters: FiltersInfo,
    pub sources: Vec<SourceInfo>,
    pub participation: Participation,
    pub network: Network,
    pub swot: SwotView,
    pub levers: LeversView,
}

#[derive(Debug, Clone, Serialize)]
pub struct CampaignInfo {
    pub slug: String,
    pub title: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FiltersInfo {
    pub source: Option<String>,
    pub sector: Option<String>,
    pub size_band: Option<String>,
    pub commune: Option<String>,
    pub naf_section: Option<String>,
    pub naf_division: Option<String>,
    pub headcount_band: Option<String>,
    pub commune_code: Option<String>,
}

impl From<&Filters> for FiltersInfo {
    fn from(f: &Filters) -> Self {
        Self {
            source: f.source.map(Source::key),
            sector: f.sector.clone(),
            size_band: f.size_band.clone(),
            commune: f.commune.clone(),
            naf_section: f.naf_section.clone(),
            naf_division: f.naf_division.clone(),
            headcount_band: f.headcount_band.clone(),
            commune_code: f.commune_code.clone(),
        }
    }
}

/// The network and its drawing, computed together (the layout is the costly
/// part of a drawing, and it must show the same figures as the tables).
#[derive(Debug, Clone)]
pub struct NetworkDrawn {
    pub network: Network,
    pub drawing: crate::synthesis::NetworkDrawing,
}

/// Draws a network for the pages (the web layer's SVG builder).
pub type Draw = fn(&CampaignContext, &Filters, &Network) -> crate::synthesis::NetworkDrawing;

/// The owned arguments a computation needs, so it can run in the background.
fn owned(db: &Db, ctx: &CampaignContext, f: &Filters) -> (Db, CampaignContext, Filters) {
    (db.clone(), ctx.clone(), f.clone())
}

impl Cache {
    pub async fn participation(
        &self,
        db: &Db,
        ctx: &CampaignContext,
        f: &Filters,
    ) -> Result<Cached<Participation>, StoreError> {
        self.participation
            .get(self, db, &ctx.campaign, f, || {
                let (db, ctx, f) = owned(db, ctx, f);
                async move { participation(&db, &ctx, &f).await }
            })
            .await
    }

    pub async fn network(
        &self,
        db: &Db,
        ctx: &CampaignContext,
        f: &Filters,
    ) -> Result<Cached<Network>, StoreError> {
        self.network
            .get(self, db, &ctx.campaign, f, || {
                let (db, ctx, f) = owned(db, ctx, f);
                async move { network(&db, &ctx, &f).await }
            })
            .await
    }

    /// The network with its drawing, for the pages and the report.
    pub async fn network_drawn(
        &self,
        db: &Db,
        ctx: &CampaignContext,
        f: &Filters,
        draw: Draw,
    ) -> Result<Cached<NetworkDrawn>, StoreError> {
        self.network_drawn
            .get(self, db, &ctx.campaign, f, || {
                let (db, ctx, f) = owned(db, ctx, f);
                async move {
                    let network = network(&db, &ctx, &f).await?;
                    let drawing = draw(&ctx, &f, &network);
                    Ok(NetworkDrawn { network, drawing })
                }
            })
            .await
    }

    pub async fn swot(
        &self,
        db: &Db,
        ctx: &CampaignContext,
        f: &Filters,
    ) -> Result<Cached<SwotView>, StoreError> {
        self.swot
            .get(self, db, &ctx.campaign, f, || {
                let (db, ctx, f) = owned(db, ctx, f);
                async move { swot(&db, &ctx, &f).await }
            })
            .await
    }

    pub async fn levers(
        &self,
        db: &Db,
        ctx: &CampaignContext,
        f: &Filters,
    ) -> Result<Cached<LeversView>, StoreError> {
        self.levers
            .get(self, db, &ctx.campaign, f, || {
                let (db, ctx, f) = owned(db, ctx, f);
                async move { levers(&db, &ctx, &f).await }
            })
            .await
    }

    /// The four parts, as the JSON API gives them.
    pub async fn all(
        &self,
        db: &Db,
        ctx: &CampaignContext,
        f: &Filters,
    ) -> Result<Synthesis, StoreError> {
        let (p, n, s, l) = futures_util::future::try_join4(
            self.participation(db, ctx, f),
            self.network(db, ctx, f),
            self.swot(db, ctx, f),
            self.levers(db, ctx, f),
        )
        .await?;
        let freshness = p
            .freshness
            .and(n.freshness)
            .and(s.freshness)
            .and(l.freshness);
        Ok(Synthesis {
            campaign: CampaignInfo {
                slug: ctx.campaign.slug.clone(),
                title: ctx.campaign.title.clone(),
                status: ctx.campaign.status.as_str().to_string(),
            },
            generated_at: crate::store::now().into_string(),
            computed_at: freshness.iso(),
            updating: freshness.updating,
            filters: f.into(),
            sources: ctx.sources(),
            participation: (*p.value).clone(),
            network: (*n.value).clone(),
            swot: (*s.value).clone(),
            levers: (*l.value).clone(),
        })
    }
}
