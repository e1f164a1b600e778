//! The retention sweep, run by the server every `TISSU_RETENTION_EVERY`
//! seconds and by `tissu retention --now`: tells the organiser 30 days before
//! a closed campaign's period ends (one email, through the outbox), then
//! anonymises its personal data once the period is over (one transaction per
//! campaign, audited; see `store::retention`).

use crate::domain::french_time;
use crate::letters::compose::{compose_retention_notice, Kind, RetentionNotice};
use crate::store::action_plan::results_page;
use crate::store::mailing::outbox::NewMessage;
use crate::store::retention::{self, Anonymised, Retention, ShownWording};
use crate::store::synthesis::queries::Filters;
use crate::store::synthesis::{CampaignContext, RESULTS_THEMES};
use crate::store::{Db, StoreError};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// What one sweep did.
#[derive(Debug, Default)]
pub struct Swept {
    /// Titles of the campaigns whose organiser was told.
    pub noticed: Vec<String>,
    /// Titles of the campaigns anonymised, with what was removed.
    pub anonymised: Vec<(String, Anonymised)>,
}

/// Looks at every closed campaign not anonymised yet, as of `at`.
pub async fn sweep(db: &Db, base_url: &str, at: DateTime<Utc>) -> Result<Swept, StoreError> {
    let mut swept = Swept::default();
    for campaign in retention::closed_campaigns(db).await? {
        if campaign.anonymisation_due(at) {
            let shown = shown_wordings(db, &campaign).await?;
            if let Some(counts) = retention::anonymise(db, &campaign, &shown).await? {
                swept.anonymised.push((campaign.title.clone(), counts));
            }
        } else if campaign.notice_due(at) && notify(db, base_url, &campaign).await? {
            swept.noticed.push(campaign.title.clone());
        }
    }
    Ok(swept)
}

/// The wordings the campaign's published results show as SWOT theme labels
/// (facilitators' labels live apart and stay anyway): none when the results
/// are not published or leave the SWOT out.
async fn shown_wordings(db: &Db, campaign: &Retention) -> Result<Vec<ShownWording>, StoreError> {
    let publication = results_page::of_campaign(db, campaign.campaign_id).await?;
    if !publication.published() || !publication.parts.show_swot {
        return Ok(Vec::new());
    }
    let Some(ctx) = CampaignContext::load(db, &campaign.slug).await? else {
        return Ok(Vec::new());
    };
    let swot = crate::store::synthesis::swot(db, &ctx, &Filters::default()).await?;
    let mut shown = Vec::new();
    for quadrant in &swot.synthesis.quadrants {
        for theme in quadrant.themes.iter().take(RESULTS_THEMES) {
            if theme.curated_id.is_some() {
                continue;
            }
            // A proposed theme is labelled with the wording of one of its keys.
            let key = theme
                .keys
                .iter()
                .zip(&theme.key_wordings)
                .find(|(_, wording)| **wording == theme.label)
                .map(|(key, _)| key.clone());
            if let Some(key) = key {
                shown.push(ShownWording {
                    quadrant: quadrant.quadrant.as_str(),
                    key,
                    text: theme.label.clone(),
                });
            }
        }
    }
    Ok(shown)
}

/// Queues the notice to the campaign's contact (else its territory's
/// organisers); false when another run told them already.
async fn notify(db: &Db, base_url: &str, campaign: &Retention) -> Result<bool, StoreError> {
    let Some(end) = campaign.ends_at() else {
        return Ok(false);
    };
    let notice = RetentionNotice {
        title: &campaign.title,
        ends_on: french_time::format_day(end.with_timezone(&french_time::zone()).date_naive()),
        months: campaign.months,
        keeps_free_text: campaign.keeps_free_text,
        settings_url: format!("{base_url}/staff/campagnes/{}/modifier", campaign.slug),
    };
    let composed = compose_retention_notice(base_url, &notice)
        .map_err(|e| StoreError::Compose(format!("avis de conservation\u{a0}: {e}")))?;
    let recipients = match campaign.contact_email.trim() {
        "" => retention::organiser_addresses(db, campaign.territory_id).await?,
        contact => vec![contact.to_string()],
    };
    let ids: Vec<String> = recipients
        .iter()
        .map(|_| crate::letters::compose::message_id(base_url))
        .collect();
    let messages: Vec<NewMessage<'_>> = recipients
        .iter()
        .zip(&ids)
        .map(|(to, message_id)| NewMessage {
            campaign_id: Some(campaign.campaign_id),
            participant_id: None,
            kind: Kind::RetentionNotice.as_str(),
            to_address: to,
            subject: &composed.subject,
            text_body: &composed.text,
            html_body: &composed.html,
            message_id,
            unsubscribe_url: "",
            calendar: None,
            reply_to: "",
        })
        .collect();
    retention::record_notice(db, campaign, &messages).await
}

/// Sweeps every `every` until `stop` turns true, the first time at start,
/// while `instance` holds the job's lease (once across instances).
pub async fn run(
    db: Db,
    instance: String,
    base_url: String,
    every: Duration,
    wake_mail: std::sync::Arc<tokio::sync::Notify>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        let swept = if super::holds_job(&db, "retention", &instance, every).await {
            sweep(&db, &base_url, Utc::now()).await
        } else {
            Ok(Swept::default())
        };
        match swept {
            Ok(swept) => {
                for title in &swept.noticed {
                    tracing::info!(campaign = %title, "retention notice queued");
                }
                for (title, counts) in &swept.anonymised {
                    tracing::info!(campaign = %title, participants = counts.participants, "personal data anonymised");
                }
                if !swept.noticed.is_empty() {
                    wake_mail.notify_one();
                }
            }
            Err(e) => tracing::error!(error = %e, "retention sweep failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
    }
}
