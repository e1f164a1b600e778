//! Composing a campaign's emails for the queue: the letterhead read once, the
//! message composed for each person with their own links.

use crate::letters::compose::{compose, CampaignLetterhead, Composed, Kind, Recipient};
use crate::store::campaigns::Campaign;
use crate::store::mailing::invitations::Pending;
use crate::store::participants::Links;
use crate::store::{Db, StoreError};

/// What every email of a campaign needs, read once per batch.
pub struct Letterhead {
    pub title: String,
    pub territory: String,
    pub closes_at: Option<String>,
    pub wording: crate::store::campaigns::wording::Wording,
}

impl Letterhead {
    pub async fn load(db: &Db, campaign: &Campaign) -> Result<Self, StoreError> {
        let territory = crate::store::territories::find(db, campaign.territory_id)
            .await?
            .map(|t| t.name)
            .unwrap_or_default();
        Ok(Self {
            title: campaign.title.clone(),
            territory,
            closes_at: campaign.online_closes_at.clone().map(String::from),
            wording: crate::store::campaigns::wording::wording(db, campaign.id).await?,
        })
    }

    /// A composer for the store's queuing functions.
    pub fn composer<'a>(
        &'a self,
        kind: Kind,
        base_url: &'a str,
    ) -> impl Fn(&Pending, &Links) -> Result<Composed, String> + 'a {
        move |person, links| {
            let head = CampaignLetterhead {
                title: &self.title,
                territory: &self.territory,
                closes_at: self.closes_at.as_deref(),
                signature: &self.wording.signature,
                invitation_subject: &self.wording.invitation_subject,
                invitation_intro: &self.wording.invitation_intro,
                reply_to: &self.wording.reply_to,
            };
            let recipient = Recipient {
                first_name: &person.first_name,
                last_name: &person.last_name,
                email: &person.email,
                firm: person.firm_name.as_deref(),
            };
            compose(
                kind,
                base_url,
                &head,
                &recipient,
                &links.personal,
                &links.optout,
            )
            .map_err(|e| e.to_string())
        }
    }
}
