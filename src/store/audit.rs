//! The audit log: who changed what and when (imports, erasures, campaign status
//! changes, in-room entries). Written inside the transaction of the change it
//! records, so a line exists exactly when the change does.

use super::{now, Db, StoreError};
use crate::store::db::sql;
use crate::store::db::Conn;

/// Who did it and where: a staff member, or the instance itself (`staff_id`
/// None: automatic reminders, the demo's and the generator's set-ups).
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub staff_id: Option<i64>,
    pub staff_email: &'a str,
    pub territory_id: Option<i64>,
}

impl Actor<'static> {
    /// The instance acting by itself, in a territory (or none).
    pub fn instance(territory_id: Option<i64>) -> Self {
        Self {
            staff_id: None,
            staff_email: "tissu (automatique)",
            territory_id,
        }
    }
}

pub async fn record(
    conn: &mut Conn,
    actor: Actor<'_>,
    action: &str,
    detail: &str,
) -> Result<(), StoreError> {
    let detail: String = detail.chars().take(1000).collect();
    sql::query(
        "INSERT INTO audit_log (at, staff_id, staff_email, territory_id, action, detail) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(now())
    .bind(actor.staff_id)
    .bind(actor.staff_email)
    .bind(actor.territory_id)
    .bind(action)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub at: crate::store::Stamp,
    pub staff_email: String,
    pub territory_name: Option<String>,
    pub action: String,
    pub detail: String,
}

impl Entry {
    pub fn action_label(&self) -> &str {
        match self.action.as_str() {
            "firm_import" => "Import de l'annuaire",
            "firm_merge" => "Fusion d'entreprises",
            "participant_import" => "Import de participants",
            "participant_erased" => "Effacement d'un participant",
            "campaign_status" => "Statut de campagne",
            "room_entry" => "Saisie en salle",
            "room_entry_edit" => "Correction d'une saisie en salle",
            "room_entry_completed" => "Contribution complétée en salle",
            "room_entry_deleted" => "Suppression d'une saisie en salle",
            "walk_in" => "Inscription en salle",
            "room_open" => "Ouverture d'une salle en direct",
            "room_change" => "Réglage d'une salle en direct",
            "room_projector_new" => "Nouveau lien de projecteur",
            "room_projector_revoked" => "Lien de projecteur révoqué",
            "room_close" => "Fermeture d'une salle en direct",
            "room_item_hidden" => "Élément masqué dans une salle en direct",
            "room_item_shown" => "Élément de nouveau affiché dans une salle en direct",
            "campaign_edit" => "Modification de campagne",
            "campaign_duplicate" => "Duplication de campagne",
            "catalogue_edit" => "Modification de catalogue",
            "territory_create" => "Création de territoire",
            "staff_create" => "Création de compte",
            "staff_territories" => "Territoires d'un compte",
            "staff_update" => "Nom ou rôle d'un compte",
            "staff_password_reset" => "Réinitialisation de mot de passe",
            "staff_deactivate" => "Désactivation de compte",
            "staff_reactivate" => "Réactivation de compte",
            "report_text" => "Textes du rapport",
            "territory_logo" => "Logo du territoire",
            "territory_logo_removed" => "Logo du territoire retiré",
            "retention_notice" => "Annonce de l'anonymisation",
            "personal_data_anonymised" => "Données personnelles anonymisées",
            "meeting_create" => "Réunion du comité ajoutée",
            "meeting_edit" => "Réunion du comité modifiée",
            "meeting_delete" => "Réunion du comité supprimée",
            "fiche_create" => "Fiche action créée",
            "fiche_edit" => "Fiche action modifiée",
            "fiche_delete" => "Fiche action supprimée",
            "results_settings" => "Réglages de la page de résultats",
            "results_published" => "Publication des résultats",
            "results_withdrawn" => "Retrait des résultats",
            "email_test" => "Essai d'invitation",
            "staff_password_link" => "Lien pour un mot de passe oublié",
            "staff_password_recovered" => "Mot de passe oublié remplacé",
            other => other,
        }
    }
}

/// The latest lines, newest first.
pub async fn latest(db: &Db, limit: i64) -> Result<Vec<Entry>, StoreError> {
    Ok(sql::query_as(
        "SELECT a.at, a.staff_email, t.name AS territory_name, a.action, a.detail
         FROM audit_log a LEFT JOIN territories t ON t.id = a.territory_id
         ORDER BY a.at DESC, a.id DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(&db.read)
    .await?)
}
