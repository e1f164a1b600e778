//! The addresses of the staff pages, built in one place: a handler that
//! redirects and a template that links name the page they mean, and a page
//! that moves changes here only. The route table (`staff/mod.rs`) holds the
//! same paths as patterns.

/// A page with the `fait` flag that makes it say what was just done.
pub fn done(page: String, what: &str) -> String {
    format!("{page}?fait={what}")
}

/// The staff home: the campaigns one may see.
pub const HOME: &str = "/staff";
/// One's own account: password, sessions, API tokens.
pub const PASSWORD: &str = "/staff/mot-de-passe";
pub const SESSIONS: &str = "/staff/compte/sessions";
pub const API_TOKENS: &str = "/staff/compte/jetons";
/// The administrators' pages.
pub const ADMIN_AUDIT: &str = "/staff/admin/journal";
pub const ADMIN_TERRITORIES: &str = "/staff/admin/territoires";
pub const ADMIN_ACCOUNTS: &str = "/staff/admin/comptes";
/// The territories side by side (a Région's, or every one for an
/// administrator), and the same figures as CSV and JSON.
pub const COMPARISON: &str = "/staff/comparaison";
pub const COMPARISON_CSV: &str = "/staff/comparaison.csv";
pub const COMPARISON_JSON: &str = "/staff/comparaison.json";

/// One territory's figures of the comparison.
pub fn comparison_territory(slug: &str) -> String {
    format!("{COMPARISON}/{slug}")
}

/// A staff account's page (administrators).
pub fn admin_account(account: impl Id) -> String {
    format!("{ADMIN_ACCOUNTS}/{}", account.id())
}

pub fn admin_account_territories(account: impl Id) -> String {
    format!("{}/territoires", admin_account(account))
}

pub fn admin_account_state(account: impl Id) -> String {
    format!("{}/etat", admin_account(account))
}

pub fn admin_account_password(account: impl Id) -> String {
    format!("{}/mot-de-passe", admin_account(account))
}

/// A row's id, as a handler has it or as a template hands it (by reference).
pub trait Id: Copy {
    fn id(self) -> i64;
}

impl Id for i64 {
    fn id(self) -> i64 {
        self
    }
}

impl<T: Id> Id for &T {
    fn id(self) -> i64 {
        (*self).id()
    }
}

/// The pages of one campaign, under `/staff/campagnes/{slug}`.
#[derive(Debug, Clone, Copy)]
pub struct Campaign<'a> {
    slug: &'a str,
}

/// The pages of the campaign `slug`.
pub fn campaign(slug: &str) -> Campaign<'_> {
    Campaign { slug }
}

impl Campaign<'_> {
    /// The campaign's overview page.
    pub fn home(&self) -> String {
        format!("/staff/campagnes/{}", self.slug)
    }

    fn below(&self, rest: &str) -> String {
        format!("/staff/campagnes/{}/{rest}", self.slug)
    }

    pub fn status(&self) -> String {
        self.below("statut")
    }

    pub fn close(&self) -> String {
        self.below("clore")
    }

    pub fn settings(&self) -> String {
        self.below("modifier")
    }

    pub fn duplicate(&self) -> String {
        self.below("dupliquer")
    }

    pub fn sessions(&self) -> String {
        self.below("sessions")
    }

    pub fn session_attendees(&self, session: impl Id) -> String {
        let session = session.id();
        self.below(&format!("sessions/{session}/inscrits"))
    }

    pub fn session_attendees_csv(&self, session: impl Id) -> String {
        let session = session.id();
        self.below(&format!("sessions/{session}/inscrits.csv"))
    }

    pub fn catalogues(&self) -> String {
        self.below("catalogues")
    }

    pub fn catalogue_entry(&self, entry: impl Id) -> String {
        let entry = entry.id();
        self.below(&format!("catalogues/{entry}"))
    }

    pub fn catalogue_entry_remove(&self, entry: impl Id) -> String {
        let entry = entry.id();
        self.below(&format!("catalogues/{entry}/supprimer"))
    }

    pub fn mailing(&self) -> String {
        self.below("courriels")
    }

    pub fn invitations(&self) -> String {
        self.below("invitations")
    }

    pub fn invitation_wording(&self) -> String {
        self.below("invitations/texte")
    }

    pub fn reminders(&self) -> String {
        self.below("relances")
    }

    pub fn reminder_rules(&self) -> String {
        self.below("relances/regles")
    }

    pub fn scheduled_reminders_cancel(&self) -> String {
        self.below("relances/programmees/annuler")
    }

    pub fn message_retry(&self, message: impl Id) -> String {
        let message = message.id();
        self.below(&format!("courriels/{message}/relancer"))
    }

    pub fn participants(&self) -> String {
        self.below("participants")
    }

    pub fn participants_import(&self) -> String {
        self.below("participants/import")
    }

    pub fn participants_import_confirm(&self) -> String {
        self.below("participants/import/confirmer")
    }

    pub fn participant(&self, participant: impl Id) -> String {
        let participant = participant.id();
        self.below(&format!("participants/{participant}"))
    }

    pub fn participant_link(&self, participant: impl Id) -> String {
        let participant = participant.id();
        self.below(&format!("participants/{participant}/lien"))
    }

    pub fn participant_replace_link(&self, participant: impl Id) -> String {
        let participant = participant.id();
        self.below(&format!("participants/{participant}/remplacer-lien"))
    }

    pub fn participant_erase(&self, participant: impl Id) -> String {
        let participant = participant.id();
        self.below(&format!("participants/{participant}/effacer"))
    }

    pub fn capture(&self) -> String {
        self.below("saisie")
    }

    pub fn capture_session(&self, session: impl Id) -> String {
        let session = session.id();
        self.below(&format!("saisie/{session}"))
    }

    /// The live room of a workshop session.
    pub fn room(&self, session: impl Id) -> String {
        let session = session.id();
        self.below(&format!("saisie/{session}/salle"))
    }

    pub fn contribution(&self, session: impl Id, contribution: impl Id) -> String {
        let session = session.id();
        let contribution = contribution.id();
        self.below(&format!("saisie/{session}/contributions/{contribution}"))
    }

    pub fn contribution_delete(&self, session: impl Id, contribution: impl Id) -> String {
        let session = session.id();
        let contribution = contribution.id();
        self.below(&format!(
            "saisie/{session}/contributions/{contribution}/supprimer"
        ))
    }

    pub fn synthesis(&self) -> String {
        self.below("synthese")
    }

    pub fn synthesis_network(&self) -> String {
        self.below("synthese/reseau")
    }

    /// The explorable map's data (JSON).
    pub fn synthesis_network_map_data(&self) -> String {
        self.below("synthese/reseau/carte.json")
    }

    /// A firm's own network page is this followed by the firm's id.
    pub fn synthesis_network_firm_prefix(&self) -> String {
        self.below("synthese/reseau/entreprise/")
    }

    pub fn synthesis_swot(&self) -> String {
        self.below("synthese/swot")
    }

    pub fn synthesis_levers(&self) -> String {
        self.below("synthese/leviers")
    }

    pub fn synthesis_report(&self) -> String {
        self.below("synthese/rapport")
    }

    pub fn synthesis_report_header_css(&self) -> String {
        self.below("synthese/rapport/entete.css")
    }

    pub fn synthesis_texts(&self) -> String {
        self.below("synthese/textes")
    }

    pub fn synthesis_logo(&self) -> String {
        self.below("synthese/logo")
    }

    pub fn synthesis_logo_remove(&self) -> String {
        self.below("synthese/logo/retrait")
    }

    pub fn meeting_new(&self) -> String {
        self.below("comite/nouvelle")
    }

    pub fn meetings(&self) -> String {
        self.below("comite")
    }

    pub fn meeting(&self, meeting: impl Id) -> String {
        let meeting = meeting.id();
        self.below(&format!("comite/{meeting}"))
    }

    pub fn meeting_edit(&self, meeting: impl Id) -> String {
        let meeting = meeting.id();
        self.below(&format!("comite/{meeting}/modifier"))
    }

    pub fn meeting_delete(&self, meeting: impl Id) -> String {
        let meeting = meeting.id();
        self.below(&format!("comite/{meeting}/supprimer"))
    }

    pub fn plan(&self) -> String {
        self.below("plan")
    }

    pub fn plan_annex(&self) -> String {
        self.below("plan/annexe")
    }

    pub fn fiches(&self) -> String {
        self.below("plan/fiches")
    }

    pub fn fiches_csv(&self) -> String {
        self.below("plan/fiches.csv")
    }

    pub fn fiche_new(&self) -> String {
        self.below("plan/fiches/nouvelle")
    }

    pub fn fiche(&self, fiche: impl Id) -> String {
        let fiche = fiche.id();
        self.below(&format!("plan/fiches/{fiche}"))
    }

    pub fn fiche_edit(&self, fiche: impl Id) -> String {
        let fiche = fiche.id();
        self.below(&format!("plan/fiches/{fiche}/modifier"))
    }

    pub fn fiche_delete(&self, fiche: impl Id) -> String {
        let fiche = fiche.id();
        self.below(&format!("plan/fiches/{fiche}/supprimer"))
    }

    pub fn results(&self) -> String {
        self.below("resultats")
    }
}

/// The pages of one territory, under `/staff/territoires/{slug}`: its
/// campaigns to create, its directory of firms.
#[derive(Debug, Clone, Copy)]
pub struct Territory<'a> {
    slug: &'a str,
}

/// The pages of the territory `slug`.
pub fn territory(slug: &str) -> Territory<'_> {
    Territory { slug }
}

impl Territory<'_> {
    fn below(&self, rest: &str) -> String {
        format!("/staff/territoires/{}/{rest}", self.slug)
    }

    pub fn campaigns(&self) -> String {
        self.below("campagnes")
    }

    pub fn campaign_new(&self) -> String {
        self.below("campagnes/nouvelle")
    }

    /// The directory of firms.
    pub fn firms(&self) -> String {
        self.below("entreprises")
    }

    pub fn firms_export_csv(&self) -> String {
        self.below("entreprises/export.csv")
    }

    pub fn firms_import(&self) -> String {
        self.below("entreprises/import")
    }

    pub fn firms_import_confirm(&self) -> String {
        self.below("entreprises/import/confirmer")
    }

    /// The import from the Sirene register's extract files.
    pub fn firms_sirene(&self) -> String {
        self.below("entreprises/sirene")
    }

    pub fn firms_sirene_confirm(&self) -> String {
        self.below("entreprises/sirene/confirmer")
    }

    pub fn firm(&self, firm: impl Id) -> String {
        let firm = firm.id();
        self.below(&format!("entreprises/{firm}"))
    }

    pub fn firm_merge(&self, firm: impl Id) -> String {
        let firm = firm.id();
        self.below(&format!("entreprises/{firm}/fusion"))
    }

    pub fn proposal(&self, firm: impl Id) -> String {
        let firm = firm.id();
        self.below(&format!("entreprises/propositions/{firm}"))
    }

    pub fn proposal_accept(&self, firm: impl Id) -> String {
        let firm = firm.id();
        self.below(&format!("entreprises/propositions/{firm}/accepter"))
    }
}

#[cfg(test)]
mod tests {
    use super::campaign;

    #[test]
    fn a_campaign_page_is_under_its_slug() {
        let c = campaign("diag-2026");
        assert_eq!(c.home(), "/staff/campagnes/diag-2026");
        assert_eq!(
            c.fiche_delete(4),
            "/staff/campagnes/diag-2026/plan/fiches/4/supprimer"
        );
        assert_eq!(
            c.contribution(2, 9),
            "/staff/campagnes/diag-2026/saisie/2/contributions/9"
        );
    }

    #[test]
    fn a_territory_page_is_under_its_slug() {
        let t = super::territory("bievre");
        assert_eq!(t.firms(), "/staff/territoires/bievre/entreprises");
        assert_eq!(
            t.proposal_accept(7),
            "/staff/territoires/bievre/entreprises/propositions/7/accepter"
        );
    }
}
