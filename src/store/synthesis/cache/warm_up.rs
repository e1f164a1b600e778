//! The start-up warm-up: the unfiltered syntheses of the open campaigns
//! computed in the background, filling the entries the views read.

use crate::store::synthesis::cache::{background, Cache, Key, Part};
use crate::store::synthesis::queries::Filters;
use crate::store::synthesis::{CampaignContext, Draw, NetworkDrawn};
use crate::store::{Db, StoreError};
use chrono::Utc;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

impl Cache {
    /// Computes, in the background, the unfiltered syntheses of these
    /// campaigns (the open ones, at start): after a restart the first view
    /// of a 50,000-contribution campaign would otherwise wait 2 s. A view
    /// asked for meanwhile waits `WARM_WAIT` at most, then says the figures
    /// are being computed.
    pub fn warm_up(&self, db: &Db, campaigns: Vec<CampaignContext>, draw: Draw) {
        let f = Filters::default();
        let unfiltered = f.query_string();
        let key = move |ctx: &CampaignContext| (ctx.campaign.id, unfiltered.clone());
        for ctx in &campaigns {
            let key = key(ctx);
            self.participation.set_warming(&key, true);
            self.network.set_warming(&key, true);
            self.network_drawn.set_warming(&key, true);
            self.swot.set_warming(&key, true);
            self.levers.set_warming(&key, true);
        }
        self.no_warm_up();
        let (participation, network, network_drawn, swot, levers) = (
            self.participation.handle(),
            self.network.handle(),
            self.network_drawn.handle(),
            self.swot.handle(),
            self.levers.handle(),
        );
        let db = db.clone();
        background().spawn(async move {
            let started = Instant::now();
            for ctx in &campaigns {
                let key = key(ctx);
                let version = ctx.campaign.data_version;
                warm(
                    &participation,
                    &key,
                    version,
                    crate::store::synthesis::participation(&db, ctx, &f),
                )
                .await;
                let at = (Utc::now(), Instant::now());
                match crate::store::synthesis::network(&db, ctx, &f).await {
                    Ok(net) => {
                        let drawing = draw(ctx, &f, &net);
                        let drawn = NetworkDrawn {
                            network: net.clone(),
                            drawing,
                        };
                        network.store(key.clone(), version, Arc::new(net), at);
                        network_drawn.store(key.clone(), version, Arc::new(drawn), at);
                    }
                    Err(e) => tracing::error!(error = %e, "network warm-up failed"),
                }
                network.set_warming(&key, false);
                network_drawn.set_warming(&key, false);
                warm(
                    &swot,
                    &key,
                    version,
                    crate::store::synthesis::swot(&db, ctx, &f),
                )
                .await;
                warm(
                    &levers,
                    &key,
                    version,
                    crate::store::synthesis::levers(&db, ctx, &f),
                )
                .await;
            }
            tracing::info!(
                campaigns = campaigns.len(),
                ms = started.elapsed().as_millis() as u64,
                "syntheses of the open campaigns computed"
            );
        });
    }
}

/// One part of one campaign for the warm-up: computed and stored, or left
/// to the first view when it fails.
async fn warm<T: Send + Sync + 'static>(
    part: &Part<T>,
    key: &Key,
    version: i64,
    compute: impl Future<Output = Result<T, StoreError>>,
) {
    let at = (Utc::now(), Instant::now());
    match compute.await {
        Ok(value) => {
            tracing::debug!(
                part = part.name,
                campaign_id = key.0,
                ms = at.1.elapsed().as_millis() as u64,
                "synthesis warmed up"
            );
            part.store(key.clone(), version, Arc::new(value), at)
        }
        Err(e) => tracing::error!(error = %e, part = part.name, "synthesis warm-up failed"),
    }
    part.set_warming(key, false);
}
