//! The firm directory of a territory: list with search, create, edit, merge,
//! CSV export. The import lives in `firm_import.rs`.

use super::access::Access;
use super::Nav;
use crate::domain::spreadsheet::write_csv;
use crate::domain::{FieldErrors, Siret};
use crate::error::{page, AppError};
use crate::store::audit::Actor;
use crate::store::directory::{self, Listed};
use crate::store::firms::{self, NewFirm};
use crate::web::csrf::CsrfToken;
use crate::web::form::FormData;
use crate::web::response::{see_other, status_for};
use crate::web::State;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

pub const SIZE_BANDS: [&str; 4] = ["0-9", "10-49", "50-249", "250+"];

/// The firm form as typed.
#[derive(Debug, Clone, Default)]
pub struct FirmInput {
    pub name: String,
    pub siret: String,
    pub sector: String,
    pub commune: String,
    pub size_band: String,
}

impl FirmInput {
    fn from_form(form: &FormData) -> Self {
        let get = |k: &str| form.get(k).trim().to_string();
        Self {
            name: get("name"),
            siret: get("siret"),
            sector: get("sector"),
            commune: get("commune"),
            size_band: get("size_band"),
        }
    }

    fn from_firm(f: &firms::Firm) -> Self {
        Self {
            name: f.name.clone(),
            siret: f.siret.clone().unwrap_or_default(),
            sector: f.sector.clone().unwrap_or_default(),
            commune: f.commune.clone().unwrap_or_default(),
            size_band: f.size_band.clone().unwrap_or_default(),
        }
    }

    /// Checks the fields; the SIRET comes back normalised.
    async fn check(
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
        let mut siret = None;
        if !self.siret.is_empty() {
            match Siret::parse(&self.siret) {
                Ok(s) => {
                    if directory::siret_taken(&state.db, territory_id, s.as_str(), except).await? {
                        errors.add("siret", "Une autre entreprise de l'annuaire a déjà ce SIRET : fusionnez plutôt les deux fiches.");
                    }
                    siret = Some(s.as_str().to_string());
                }
                Err(e) => errors.add("siret", e.to_string()),
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

    fn as_new<'a>(&'a self, siret: Option<&'a str>) -> NewFirm<'a> {
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

pub fn actor(access: &Access) -> Actor<'_> {
    Actor {
        staff_id: access.staff.id,
        staff_email: &access.staff.email,
        territory_id: access.territory.as_ref().map(|t| t.id),
    }
}

#[derive(Template)]
#[template(path = "staff/firms.html")]
struct ListPage {
    nav: Nav,
    access: Access,
    search: String,
    firms: Vec<Listed>,
    input: FirmInput,
    errors: FieldErrors,
    notice: String,
    sizes: [&'static str; 4],
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    fait: String,
}

async fn render_list(
    state: &State,
    access: Access,
    csrf: &CsrfToken,
    search: String,
    input: FirmInput,
    errors: FieldErrors,
    notice: String,
) -> Result<HttpResponse, AppError> {
    let firms = directory::list(&state.db, access.territory()?.id, search.trim()).await?;
    let nav = Nav::load(state, &access.staff, csrf).await?;
    page(
        status_for(&errors),
        &ListPage {
            nav,
            access,
            search,
            firms,
            input,
            errors,
            notice,
            sizes: SIZE_BANDS,
        },
    )
}

pub async fn list(
    state: State,
    access: Access,
    csrf: CsrfToken,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let notice = match query.fait.as_str() {
        "cree" => "L'entreprise a été ajoutée à l'annuaire.",
        "import" => "L'import est terminé.",
        "fusion" => "Les deux fiches ont été fusionnées.",
        _ => "",
    };
    let q = query.into_inner().q;
    render_list(
        &state,
        access,
        &csrf,
        q,
        FirmInput::default(),
        FieldErrors::default(),
        notice.into(),
    )
    .await
}

pub async fn create(
    state: State,
    access: Access,
    csrf: CsrfToken,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let territory = access.territory()?.clone();
    let input = FirmInput::from_form(&form);
    let (errors, siret) = input.check(&state, territory.id, None).await?;
    if !errors.is_empty() {
        return render_list(
            &state,
            access,
            &csrf,
            String::new(),
            input,
            errors,
            String::new(),
        )
        .await;
    }
    directory::create(&state.db, territory.id, &input.as_new(siret.as_deref())).await?;
    Ok(see_other(&format!(
        "/staff/territoires/{}/entreprises?fait=cree",
        territory.slug
    )))
}

#[derive(Template)]
#[template(path = "staff/firm_edit.html")]
struct EditPage {
    nav: Nav,
    access: Access,
    firm: firms::Firm,
    input: FirmInput,
    errors: FieldErrors,
    others: Vec<Listed>,
    sizes: [&'static str; 4],
}

async fn render_edit(
    state: &State,
    access: Access,
    csrf: &CsrfToken,
    firm: firms::Firm,
    input: FirmInput,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let others = directory::list(&state.db, access.territory()?.id, "")
        .await?
        .into_iter()
        .filter(|f| f.id != firm.id)
        .collect();
    let nav = Nav::load(state, &access.staff, csrf).await?;
    page(
        status_for(&errors),
        &EditPage {
            nav,
            access,
            firm,
            input,
            errors,
            others,
            sizes: SIZE_BANDS,
        },
    )
}

async fn load_firm(state: &State, access: &Access, firm_id: i64) -> Result<firms::Firm, AppError> {
    firms::find(&state.db, access.territory()?.id, firm_id)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
pub struct FirmPath {
    firm: i64,
}

pub async fn edit(
    state: State,
    access: Access,
    csrf: CsrfToken,
    path: web::Path<FirmPath>,
) -> Result<HttpResponse, AppError> {
    let firm = load_firm(&state, &access, path.firm).await?;
    let input = FirmInput::from_firm(&firm);
    render_edit(&state, access, &csrf, firm, input, FieldErrors::default()).await
}

pub async fn update(
    state: State,
    access: Access,
    csrf: CsrfToken,
    path: web::Path<FirmPath>,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let firm = load_firm(&state, &access, path.firm).await?;
    let territory = access.territory()?.clone();
    let input = FirmInput::from_form(&form);
    let (errors, siret) = input.check(&state, territory.id, Some(firm.id)).await?;
    if !errors.is_empty() {
        return render_edit(&state, access, &csrf, firm, input, errors).await;
    }
    directory::update(
        &state.db,
        territory.id,
        firm.id,
        &input.as_new(siret.as_deref()),
    )
    .await?;
    Ok(see_other(&format!(
        "/staff/territoires/{}/entreprises",
        territory.slug
    )))
}

/// Merges this firm (a duplicate) into the one chosen, after an explicit
/// confirmation box.
pub async fn merge(
    state: State,
    access: Access,
    csrf: CsrfToken,
    path: web::Path<FirmPath>,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let firm = load_firm(&state, &access, path.firm).await?;
    let territory = access.territory()?.clone();
    let mut errors = FieldErrors::default();
    let keep = match form.get("into").parse::<i64>() {
        Ok(id) if id != firm.id => firms::find(&state.db, territory.id, id).await?,
        _ => None,
    };
    if keep.is_none() {
        errors.add("into", "Choisissez la fiche à conserver.");
    }
    if form.get("confirm") != "oui" {
        errors.add("confirm", "Cochez la case pour confirmer la fusion.");
    }
    match keep {
        Some(keep) if errors.is_empty() => {
            directory::merge(&state.db, actor(&access), territory.id, keep.id, firm.id).await?;
            Ok(see_other(&format!(
                "/staff/territoires/{}/entreprises?fait=fusion",
                territory.slug
            )))
        }
        _ => {
            let input = FirmInput::from_firm(&firm);
            render_edit(&state, access, &csrf, firm, input, errors).await
        }
    }
}

pub async fn export(state: State, access: Access) -> Result<HttpResponse, AppError> {
    let territory = access.territory()?;
    let firms = directory::list(&state.db, territory.id, "").await?;
    let rows: Vec<Vec<String>> = firms
        .into_iter()
        .map(|f| {
            vec![
                f.name,
                f.siret.unwrap_or_default(),
                f.sector.unwrap_or_default(),
                f.commune.unwrap_or_default(),
                f.size_band.unwrap_or_default(),
            ]
        })
        .collect();
    let body = write_csv(
        &[
            "Raison sociale",
            "SIRET",
            "Code NAF / secteur",
            "Commune",
            "Effectif",
        ],
        &rows,
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"entreprises-{}.csv\"",
                territory.slug
            ),
        ))
        .body(body))
}
