//! The firm form as typed, and its checks.

use crate::domain::{FieldErrors, Siret};
use crate::store::firms::directory;
use crate::store::firms::{self, NewFirm};
use crate::web::error::AppError;
use crate::web::State;

pub const SIZE_BANDS: [&str; 4] = ["0-9", "10-49", "50-249", "250+"];

/// The firm form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct FirmInput {
    pub name: String,
    pub siret: String,
    pub sector: String,
    pub commune: String,
    pub size_band: String,
}

impl FirmInput {
    /// The fields without the spaces typed around them.
    pub fn trimmed(self) -> Self {
        let trim = |s: String| s.trim().to_string();
        Self {
            name: trim(self.name),
            siret: trim(self.siret),
            sector: trim(self.sector),
            commune: trim(self.commune),
            size_band: trim(self.size_band),
        }
    }

    pub fn from_firm(f: &firms::Firm) -> Self {
        Self {
            name: f.name.clone(),
            siret: f.siret.clone().unwrap_or_default(),
            sector: f.sector.clone().unwrap_or_default(),
            commune: f.commune.clone().unwrap_or_default(),
            size_band: f.size_band.clone().unwrap_or_default(),
        }
    }

    /// Checks the fields; the SIRET comes back normalised.
    pub async fn check(
        &self,
        state: &State,
        territory_id: i64,
        except: Option<i64>,
    ) -> Result<(FieldErrors, Option<String>), AppError> {
        let mut errors = FieldErrors::default();
        if self.name.is_empty() {
            errors.add("name", "Indiquez la raison sociale.");
        } else if self.name.chars().count() > 200 {
            errors.add("name", "La raison sociale dépasse 200 caractères.");
        }
        for (field, value, too_long) in [
            ("sector", &self.sector, "Le secteur dépasse 200 caractères."),
            (
                "commune",
                &self.commune,
                "La commune dépasse 200 caractères.",
            ),
        ] {
            if value.chars().count() > 200 {
                errors.add(field, too_long);
            }
        }
        let mut siret = None;
        if !self.siret.is_empty() {
            match Siret::parse(&self.siret) {
                Ok(s) => {
                    if directory::siret_taken(&state.db, territory_id, s.as_str(), except).await? {
                        errors.add("siret", "Une autre entreprise de l'annuaire a déjà ce SIRET\u{a0}: fusionnez plutôt les deux fiches.");
                    }
                    siret = Some(s.as_str().to_string());
                }
                Err(e) => errors.add("siret", e.to_string()),
            }
        }
        // One firm without SIRET per name: with a SIRET, it is another establishment.
        if siret.is_none() && !self.name.is_empty() {
            match directory::name_taken(&state.db, territory_id, &self.name, except).await? {
                Some(state) if state == "proposed" => errors.add("name", "Une entreprise de ce nom figure déjà parmi les propositions des répondants\u{a0}: acceptez la proposition plutôt que de la saisir de nouveau."),
                Some(_) => errors.add("name", "Une entreprise de ce nom figure déjà dans l'annuaire sans SIRET\u{a0}: modifiez sa fiche, ou indiquez le SIRET s'il s'agit d'un autre établissement."),
                None => {}
            }
        }
        if !self.size_band.is_empty() && !SIZE_BANDS.contains(&self.size_band.as_str()) {
            errors.add(
                "size_band",
                "Choisissez une tranche d'effectif de la liste.",
            );
        }
        Ok((errors, siret))
    }

    pub fn as_new<'a>(&'a self, siret: Option<&'a str>) -> NewFirm<'a> {
        let opt = |s: &'a str| (!s.is_empty()).then_some(s);
        NewFirm {
            name: &self.name,
            siret,
            sector: opt(&self.sector),
            commune: opt(&self.commune),
            size_band: opt(&self.size_band),
        }
    }
}
