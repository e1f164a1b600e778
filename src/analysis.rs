//! Assembles a campaign's syntheses: the store's GROUP BYs, fed to the pure
//! layer (`crate::synthesis`). Pages, the printable report, the JSON API and
//! the exports all go through here, so they show the same figures.

use crate::domain::catalogue::Catalogue;
use crate::store::campaigns::{self, Campaign, WorkshopSession};
use crate::store::synthesis::{self as queries, Filters, Source};
use crate::store::{catalogue, Db, StoreError};
use crate::synthesis::swot::ProposedGroup;
use crate::synthesis::{
    build_network, propose_groups, synthesize_levers, synthesize_participation, synthesize_swot,
    CuratedTheme, EdgeCount, LinkStatus, Network, Participation, RankCount, SourceCount, Swot,
    SwotOptions,
};
use serde::Serialize;
use std::any::Any;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

/// Label of the online form as a source.
pub const ONLINE_LABEL: &str = "Formulaire en ligne";

/// A campaign with what every synthesis needs to name things.
#[derive(Debug, Clone)]
pub struct CampaignContext {
    pub campaign: Campaign,
    pub sessions: Vec<WorkshopSession>,
    pub catalogue: Catalogue,
}

impl CampaignContext {
    pub async fn load(db: &Db, slug: &str) -> Result<Option<Self>, StoreError> {
        let Some(campaign) = campaigns::find_by_slug(db, slug).await? else {
            return Ok(None);
        };
        let sessions = campaigns::sessions(db, campaign.id).await?;
        let catalogue = catalogue::load(db, campaign.id).await?;
        Ok(Some(Self {
            campaign,
            sessions,
            catalogue,
        }))
    }

    /// Every source of the campaign, sessions by date then the online form.
    pub fn sources(&self) -> Vec<SourceInfo> {
        let mut out: Vec<SourceInfo> = self
            .sessions
            .iter()
            .map(|s| SourceInfo {
                key: Source::Session(s.id).key(),
                label: s.label.clone(),
            })
            .collect();
        out.push(SourceInfo {
            key: Source::Online.key(),
            label: ONLINE_LABEL.into(),
        });
        out
    }

    pub fn source_label(&self, key: &str) -> String {
        match Source::parse(key) {
            Some(Source::Online) => ONLINE_LABEL.into(),
            Some(Source::Session(id)) => self
                .sessions
                .iter()
                .find(|s| s.id == id)
                .map_or_else(|| format!("Atelier n° {id}"), |s| s.label.clone()),
            None => key.to_string(),
        }
    }

    pub fn session_label(&self, session_id: Option<i64>) -> String {
        self.source_label(&Source::from_session(session_id).key())
    }

    fn codes(&self) -> HashMap<i64, (&str, &str)> {
        let c = &self.catalogue;
        c.link_kinds
            .iter()
            .chain(&c.intensities)
            .chain(&c.objectives)
            .chain(&c.levers)
            .map(|e| (e.id, (e.code.as_str(), e.label.as_str())))
            .collect()
    }

    pub fn kinds(&self) -> Vec<(String, String)> {
        pairs(&self.catalogue.link_kinds)
    }

    pub fn kind_label(&self, code: &str) -> String {
        self.catalogue
            .link_kinds
            .iter()
            .find(|e| e.code == code)
            .map_or_else(|| code.to_string(), |e| e.label.clone())
    }
}

fn pairs(entries: &[crate::domain::catalogue::Entry]) -> Vec<(String, String)> {
    entries
        .iter()
        .map(|e| (e.code.clone(), e.label.clone()))
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceInfo {
    pub key: String,
    pub label: String,
}

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
    Ok(synthesize_participation(
        rows.counts,
        &sources,
        &rows.attributes,
        &rows.days,
    ))
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
            status: if r.status == "wished" {
                LinkStatus::Wished
            } else {
                LinkStatus::Existing
            },
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
        queries::themes::list(db, ctx.campaign.id),
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
}

impl From<&Filters> for FiltersInfo {
    fn from(f: &Filters) -> Self {
        Self {
            source: f.source.map(Source::key),
            sector: f.sector.clone(),
            size_band: f.size_band.clone(),
            commune: f.commune.clone(),
        }
    }
}

/// Syntheses computed once per (campaign, filters, part) and reused until the
/// next write to the database (`Db::generation` changes with every commit of
/// the writer), so a committee browsing a closed campaign, or facilitators
/// flipping between pages, do not re-run the GROUP BYs over a million rows.
/// An entry is stamped with the generation read *before* computing it, so a
/// write that lands during the computation makes it stale at once.
#[derive(Default)]
pub struct Cache {
    entries: Mutex<HashMap<CacheKey, CacheEntry>>,
}

/// (campaign, filters as a query string, part)
type CacheKey = (i64, String, &'static str);
/// (generation it was computed at, the value)
type CacheEntry = (u64, Arc<dyn Any + Send + Sync>);

/// Bound on entries (filters combinations × parts); past it the cache starts afresh.
const CACHE_ENTRIES: usize = 512;

impl Cache {
    async fn get<T, Fut>(
        &self,
        db: &Db,
        campaign_id: i64,
        f: &Filters,
        part: &'static str,
        compute: Fut,
    ) -> Result<Arc<T>, StoreError>
    where
        T: Any + Send + Sync,
        Fut: std::future::Future<Output = Result<T, StoreError>>,
    {
        let generation = db.generation();
        let key = (campaign_id, f.query_string(), part);
        let hit = {
            let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            entries
                .get(&key)
                .filter(|(g, _)| *g == generation)
                .map(|(_, v)| v.clone())
        };
        if let Some(value) = hit.and_then(|v| v.downcast::<T>().ok()) {
            return Ok(value);
        }
        let started = std::time::Instant::now();
        let value = Arc::new(compute.await?);
        tracing::debug!(
            part,
            campaign_id,
            ms = started.elapsed().as_millis() as u64,
            "synthesis computed"
        );
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CACHE_ENTRIES {
            entries.clear();
        }
        entries.insert(key, (generation, value.clone()));
        Ok(value)
    }

    pub async fn participation(
        &self,
        db: &Db,
        ctx: &CampaignContext,
        f: &Filters,
    ) -> Result<Arc<Participation>, StoreError> {
        self.get(
            db,
            ctx.campaign.id,
            f,
            "participation",
            participation(db, ctx, f),
        )
        .await
    }

    pub async fn network(
        &self,
        db: &Db,
        ctx: &CampaignContext,
        f: &Filters,
    ) -> Result<Arc<Network>, StoreError> {
        self.get(db, ctx.campaign.id, f, "network", network(db, ctx, f))
            .await
    }

    /// The network drawing: the layout is the costly part of a drawing.
    pub async fn network_drawing(
        &self,
        db: &Db,
        ctx: &CampaignContext,
        f: &Filters,
        draw: impl FnOnce() -> String,
    ) -> Result<Arc<String>, StoreError> {
        self.get(db, ctx.campaign.id, f, "network_drawing", async {
            Ok(draw())
        })
        .await
    }

    pub async fn swot(
        &self,
        db: &Db,
        ctx: &CampaignContext,
        f: &Filters,
    ) -> Result<Arc<SwotView>, StoreError> {
        self.get(db, ctx.campaign.id, f, "swot", swot(db, ctx, f))
            .await
    }

    pub async fn levers(
        &self,
        db: &Db,
        ctx: &CampaignContext,
        f: &Filters,
    ) -> Result<Arc<LeversView>, StoreError> {
        self.get(db, ctx.campaign.id, f, "levers", levers(db, ctx, f))
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
        Ok(Synthesis {
            campaign: CampaignInfo {
                slug: ctx.campaign.slug.clone(),
                title: ctx.campaign.title.clone(),
                status: ctx.campaign.status.clone(),
            },
            generated_at: crate::store::now(),
            filters: f.into(),
            sources: ctx.sources(),
            participation: (*p).clone(),
            network: (*n).clone(),
            swot: (*s).clone(),
            levers: (*l).clone(),
        })
    }
}
