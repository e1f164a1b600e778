//! A campaign with its sessions and catalogue: what every synthesis needs to
//! name sources, kinds, objectives and levers.

use crate::domain::catalogue::Catalogue;
use crate::store::campaigns::{self, Campaign};
use crate::store::synthesis::queries::Source;
use crate::store::synthesis::ONLINE_LABEL;
use crate::store::workshops::sessions::Session;
use crate::store::{catalogue, Db, StoreError};
use serde::Serialize;
use std::collections::HashMap;

/// A campaign with what every synthesis needs to name things.
#[derive(Debug, Clone)]
pub struct CampaignContext {
    pub campaign: Campaign,
    pub sessions: Vec<Session>,
    pub catalogue: Catalogue,
}

impl CampaignContext {
    pub async fn load(db: &Db, slug: &str) -> Result<Option<Self>, StoreError> {
        match campaigns::find_by_slug(db, slug).await? {
            Some(campaign) => Ok(Some(Self::of(db, campaign).await?)),
            None => Ok(None),
        }
    }

    /// The context of a campaign already loaded (by the staff route table).
    pub async fn of(db: &Db, campaign: Campaign) -> Result<Self, StoreError> {
        let (sessions, catalogue) = futures_util::future::try_join(
            crate::store::workshops::sessions::list(db, campaign.id),
            catalogue::load(db, campaign.id),
        )
        .await?;
        Ok(Self {
            campaign,
            sessions,
            catalogue,
        })
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

    pub(super) fn codes(&self) -> HashMap<i64, (&str, &str)> {
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

pub(super) fn pairs(entries: &[crate::domain::catalogue::Entry]) -> Vec<(String, String)> {
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
