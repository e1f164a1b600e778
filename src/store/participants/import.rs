//! Writing a participant list import: the new firms, the new participants and
//! the updates, with the audit line, in one transaction.

use crate::domain::import::participants::{FirmRef, PersonRow, Plan};
use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::firms::{self, NewFirm};
use crate::store::participants::{self, Created, NewParticipant};
use crate::store::{Db, StoreError};

/// The lowercase addresses already registered in the campaign.
pub async fn registered(db: &Db, campaign_id: i64) -> Result<Vec<String>, StoreError> {
    Ok(
        sql::query_scalar("SELECT email FROM participants WHERE campaign_id = ?")
            .bind(campaign_id)
            .fetch_all(&db.read)
            .await?,
    )
}

async fn update(
    conn: &mut Conn,
    campaign_id: i64,
    row: &PersonRow,
    firm_id: i64,
) -> Result<(), StoreError> {
    sql::query(
        "UPDATE participants SET last_name = ?, first_name = COALESCE(NULLIF(?, ''), first_name), firm_id = ?
         WHERE campaign_id = ? AND email = ?",
    )
    .bind(&row.last_name)
    .bind(&row.first_name)
    .bind(firm_id)
    .bind(campaign_id)
    .bind(row.email.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

/// Applies the plan inside the caller's transaction (the one that also deletes
/// the preview it was made from): all of it, or nothing. The personal links
/// are made here and sent later with the invitations.
pub async fn import(
    tx: &mut Conn,
    key: &crate::domain::link_key::LinkKey,
    actor: Actor<'_>,
    campaign_id: i64,
    territory_id: i64,
    plan: &Plan,
) -> Result<(), StoreError> {
    let mut new_ids = Vec::with_capacity(plan.new_firms.len());
    for firm in &plan.new_firms {
        let new = NewFirm {
            name: &firm.name,
            siret: firm.siret.as_deref(),
            ..Default::default()
        };
        new_ids.push(firms::insert(tx, territory_id, &new, "directory").await?);
    }
    let firm_id = |row: &PersonRow| match row.firm {
        FirmRef::Known(id) => id,
        FirmRef::New(i) => new_ids[i],
    };
    for row in &plan.create {
        let created = participants::create(
            tx,
            key,
            &NewParticipant {
                campaign_id,
                firm_id: Some(firm_id(row)),
                first_name: &row.first_name,
                last_name: &row.last_name,
                email: &row.email,
                origin: "invitation",
            },
        )
        .await?;
        // Registered since the preview (the open link, a colleague): update.
        if let Created::AlreadyRegistered = created {
            update(tx, campaign_id, row, firm_id(row)).await?;
        }
    }
    for row in &plan.update {
        update(tx, campaign_id, row, firm_id(row)).await?;
    }
    let detail = format!(
        "{}, {} à jour, {}, {} à l'annuaire",
        crate::domain::plural::count(plan.create.len(), "ajouté", "ajoutés"),
        crate::domain::plural::count(plan.update.len(), "mis", "mis"),
        crate::domain::plural::count(plan.refuse.len(), "ligne refusée", "lignes refusées"),
        crate::domain::plural::count(
            plan.new_firms.len(),
            "entreprise ajoutée",
            "entreprises ajoutées"
        )
    );
    audit::record(tx, actor, "participant_import", &detail).await
}
