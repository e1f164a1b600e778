//! A campaign's own wording of its emails: the invitation's subject and
//! introduction, the signature of every email, who to preview them for, and
//! the test an organiser sends to themselves.

use crate::letters::compose::Composed;
use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::mailing::invitations::{Pending, PENDING};
use crate::store::mailing::outbox;
use crate::store::{Db, StoreError};

/// A campaign's own wording of its emails ('' keeps the default).
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Wording {
    pub invitation_subject: String,
    pub invitation_intro: String,
    pub signature: String,
    /// Where replies to the campaign's emails go ('' for the sender).
    pub reply_to: String,
}

pub async fn wording(db: &Db, campaign_id: i64) -> Result<Wording, StoreError> {
    Ok(sql::query_as(
        "SELECT invitation_subject, invitation_intro, signature, reply_to FROM campaigns WHERE id = ?",
    )
    .bind(campaign_id)
    .fetch_one(&db.read)
    .await?)
}

pub async fn set_wording(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    wording: &Wording,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    sql::query(
        "UPDATE campaigns SET invitation_subject = ?, invitation_intro = ?, signature = ?, reply_to = ?
         WHERE id = ?",
    )
    .bind(&wording.invitation_subject)
    .bind(&wording.invitation_intro)
    .bind(&wording.signature)
    .bind(&wording.reply_to)
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        "email_wording",
        "texte des invitations modifié",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A participant of the campaign to preview an email for (the first one, or
/// the one chosen).
pub async fn preview_recipient(
    db: &Db,
    campaign_id: i64,
    participant_id: Option<i64>,
) -> Result<Option<Pending>, StoreError> {
    Ok(sql::query_as(&format!(
        "{PENDING} WHERE p.campaign_id = ? AND (? IS NULL OR p.id = ?) ORDER BY p.id LIMIT 1"
    ))
    .bind(campaign_id)
    .bind(participant_id)
    .bind(participant_id)
    .fetch_optional(&db.read)
    .await?)
}

/// The participants an organiser can preview an invitation for (the first 200).
pub async fn people_for_preview(
    db: &Db,
    campaign_id: i64,
) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(sql::query_as(
        "SELECT id, first_name || ' ' || last_name || ' <' || email || '>' FROM participants
         WHERE campaign_id = ? ORDER BY id LIMIT 200",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?)
}

/// Queues a test of the invitation to a staff member's own address, through
/// the outbox like every email (so it meets the same server), tied to no
/// participant; audited.
pub async fn queue_test(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    to: &str,
    composed: &Composed,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    outbox::enqueue(
        &mut tx,
        &outbox::NewMessage {
            campaign_id: Some(campaign_id),
            ..outbox::NewMessage::letter("test", to, composed)
        },
    )
    .await?;
    let detail = format!("essai de l'invitation envoyé à {to}");
    audit::record(&mut tx, actor, "email_test", &detail).await?;
    tx.commit().await?;
    Ok(())
}
