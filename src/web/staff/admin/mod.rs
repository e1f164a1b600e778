//! Instance-wide pages for administrators: the audit log, territories, staff
//! accounts (created with a generated password shown once) and the territories
//! each account belongs to.
//!
//! Over 400 lines: the three administrator pages (journal, territories, accounts) share their rendering helpers; one account's page is already apart.

pub mod account;

use crate::domain::geography::{Area, Epci, Geography};
use crate::domain::name::clean_text;
use crate::domain::role::Role;
use crate::domain::Slug;
use crate::domain::{password, Email, FieldErrors};
use crate::store::staff::{self, AccountRow};
use crate::store::territories::{self, Territory, TerritoryRow};
use crate::store::{self, audit::Entry};
use crate::web::error::{page, AppError};
use crate::web::form::{ActionForm, Posted};
use crate::web::paths;
use crate::web::response::{see_other, status_for};
use crate::web::staff::access::Access;
use crate::web::staff::actor;
use crate::web::staff::done::Done;
use crate::web::staff::support::StaffPage;
use crate::web::staff::Nav;
use crate::web::staff::Typed;
use crate::web::State;
use actix_web::http::header::{HeaderValue, CACHE_CONTROL};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::{Deserialize, Serialize};

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage {
    nav: Nav,
    entries: Vec<Entry>,
    /// The scheduled backups' state, in French.
    backups: String,
}

pub async fn audit(
    state: State,
    StaffPage { nav, .. }: StaffPage,
) -> Result<HttpResponse, AppError> {
    let entries = store::audit::latest(&state.db, 500).await?;
    let backups = state
        .backups
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let backups = backups.sentence(chrono::Utc::now());
    page(
        StatusCode::OK,
        &AuditPage {
            nav,
            entries,
            backups,
        },
    )
}

#[derive(Template)]
#[template(path = "staff/admin_territories.html")]
struct TerritoriesPage {
    nav: Nav,
    rows: Vec<TerritoryRow>,
    /// The official list's intercommunalités, for the form's suggestions.
    epcis: Vec<&'static Epci>,
    typed: Typed,
    errors: FieldErrors,
    notice: &'static str,
}

async fn render_territories(
    state: &State,
    nav: Nav,
    typed: Typed,
    errors: FieldErrors,
    notice: &'static str,
) -> Result<HttpResponse, AppError> {
    let rows = territories::overview(&state.db).await?;
    page(
        status_for(&errors),
        &TerritoriesPage {
            nav,
            rows,
            epcis: Geography::official().epcis().collect(),
            typed,
            errors,
            notice,
        },
    )
}

pub async fn territories(
    state: State,
    StaffPage { nav, .. }: StaffPage,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let notice = match query.fait.as_str() {
        "cree" => "Le territoire a été créé.",
        _ => "",
    };
    let (typed, errors) = (Typed::default(), FieldErrors::default());
    render_territories(&state, nav, typed, errors, notice).await
}

#[derive(Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TerritoryForm {
    name: String,
    slug: String,
    /// Intercommunalités and communes of the official list.
    area: String,
}

impl TerritoriesPage {
    /// « 11 communes — Maine-et-Loire, Pays de la Loire », or a dash.
    fn covering(&self, row: &TerritoryRow) -> String {
        if row.communes == 0 {
            return "—".into();
        }
        let geo = Geography::official();
        let places: Vec<&str> = [
            row.departement
                .as_deref()
                .and_then(|d| geo.departement_name(d)),
            row.region.as_deref().and_then(|r| geo.region_name(r)),
        ]
        .into_iter()
        .flatten()
        .collect();
        format!(
            "{} — {}",
            crate::domain::plural::count(row.communes as usize, "commune", "communes"),
            places.join(", ")
        )
    }
}

pub async fn create_territory(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<TerritoryForm>,
) -> Result<HttpResponse, AppError> {
    let typed = Typed::of(&form);
    let mut errors = FieldErrors::default();
    let name = clean_text(typed.get("name"));
    if name.is_empty() || name.chars().count() > 200 {
        errors.add(
            "name",
            "Indiquez le nom du territoire (200 caractères au plus).",
        );
    }
    let slug = typed.get("slug");
    if let Err(e) = Slug::parse(slug) {
        errors.add("slug", e.to_string());
    } else if territories::slug_taken(&state.db, slug).await? {
        errors.add(
            "slug",
            "Cet identifiant est déjà pris par un autre territoire.",
        );
    }
    let area = Geography::official()
        .area(typed.get("area"))
        .unwrap_or_else(|refused| {
            errors.add("area", refused.join(" "));
            Area::default()
        });
    if !errors.is_empty() {
        return render_territories(&state, nav, typed, errors, "").await;
    }
    territories::create_covering(&state.db, actor(&access), slug, &name, &area).await?;
    Ok(see_other(&paths::done(
        paths::ADMIN_TERRITORIES.into(),
        "cree",
    )))
}

/// One account as the page shows it.
pub struct AccountView {
    pub account: AccountRow,
    pub role: &'static str,
    pub attached: Vec<Territory>,
    pub others: Vec<Territory>,
}

#[derive(Template)]
#[template(path = "staff/admin_accounts.html")]
struct AccountsPage {
    nav: Nav,
    accounts: Vec<AccountView>,
    territories: Vec<Territory>,
    typed: Typed,
    picked: Vec<i64>,
    errors: FieldErrors,
    notice: String,
    /// The generated password of the account just created, shown once.
    created: Option<(String, String)>,
}

struct Shown {
    typed: Typed,
    picked: Vec<i64>,
    errors: FieldErrors,
    notice: String,
    created: Option<(String, String)>,
}

impl Default for Shown {
    fn default() -> Self {
        Self {
            typed: Typed::from_pairs(&[("role", "organiser")]),
            picked: Vec::new(),
            errors: FieldErrors::default(),
            notice: String::new(),
            created: None,
        }
    }
}

async fn render_accounts(state: &State, nav: Nav, shown: Shown) -> Result<HttpResponse, AppError> {
    let territories = territories::list(&state.db, None).await?;
    let accounts = staff::accounts(&state.db)
        .await?
        .into_iter()
        .map(|(account, ids)| {
            let (attached, others) = territories
                .iter()
                .cloned()
                .partition(|t| ids.contains(&t.id));
            AccountView {
                role: Role::parse(&account.role).map_or("?", Role::label),
                account,
                attached,
                others,
            }
        })
        .collect();
    let mut response = page(
        status_for(&shown.errors),
        &AccountsPage {
            nav,
            accounts,
            territories,
            typed: shown.typed,
            picked: shown.picked,
            errors: shown.errors,
            notice: shown.notice,
            created: shown.created,
        },
    )?;
    // The page may carry a password: never keep it in a cache.
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

pub async fn accounts(
    state: State,
    StaffPage { nav, .. }: StaffPage,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let notice = match query.fait.as_str() {
        "rattache" => "Le compte a été rattaché au territoire.",
        "retire" => "Le compte a été retiré du territoire.",
        "desactive" => {
            "Le compte a été désactivé\u{a0}: ses sessions sont fermées et il ne peut plus se connecter."
        }
        "reactive" => "Le compte a été réactivé.",
        _ => "",
    };
    let shown = Shown {
        notice: notice.into(),
        ..Shown::default()
    };
    render_accounts(&state, nav, shown).await
}

#[derive(Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AccountForm {
    email: String,
    role: String,
    /// The territories ticked.
    territory: Vec<String>,
}

pub async fn create_account(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<AccountForm>,
) -> Result<HttpResponse, AppError> {
    let typed = Typed::of(&form);
    let picked: Vec<i64> = form
        .territory
        .iter()
        .filter_map(|t| t.parse().ok())
        .collect();
    let known = territories::list(&state.db, None).await?;
    let mut errors = FieldErrors::default();
    let email = Email::parse(typed.get("email"))
        .map_err(|e| errors.add("email", e.to_string()))
        .ok();
    let role = Role::parse(typed.get("role"));
    if role.is_none() {
        errors.add("role", "Choisissez un rôle.");
    }
    if picked.iter().any(|id| !known.iter().any(|t| t.id == *id)) {
        errors.add("territory", "Choisissez des territoires de la liste.");
    } else if role.is_some_and(|r| r != Role::Admin) && picked.is_empty() {
        errors.add(
            "territory",
            "Un compte qui n'est pas administrateur doit appartenir à au moins un territoire.",
        );
    }
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        let shown = Shown {
            typed,
            picked,
            errors,
            ..Shown::default()
        };
        return render_accounts(&state, nav, shown).await;
    };
    let secret = password::generate();
    let hash = password::hash(&secret);
    let created = staff::create_account(
        &state.db,
        actor(&access),
        email.as_str(),
        &hash,
        role.as_str(),
        &picked,
    )
    .await?;
    if created.is_none() {
        errors.add("email", "Un compte existe déjà avec cette adresse.");
        let shown = Shown {
            typed,
            picked,
            errors,
            ..Shown::default()
        };
        return render_accounts(&state, nav, shown).await;
    }
    let shown = Shown {
        created: Some((email.to_string(), secret)),
        ..Shown::default()
    };
    render_accounts(&state, nav, shown).await
}

#[derive(Deserialize)]
pub struct AccountPath {
    pub(super) account: i64,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct AttachForm {
    territory: String,
    action: String,
}

/// Attaches the account to a territory (`action=rattacher`) or detaches it
/// (`action=retirer`); an organiser or facilitator keeps at least one.
pub async fn set_territory(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<AccountPath>,
    Posted(form): Posted<AttachForm>,
) -> Result<HttpResponse, AppError> {
    let account = staff::account(&state.db, path.account)
        .await?
        .ok_or(AppError::NotFound)?;
    let territory = match form.territory.parse::<i64>() {
        Ok(id) => territories::find(&state.db, id).await?,
        Err(_) => None,
    };
    let attach = match form.action.as_str() {
        "rattacher" => Some(true),
        "retirer" => Some(false),
        _ => None,
    };
    let mut errors = FieldErrors::default();
    let field = format!("territory-{}", account.id);
    match (&territory, attach) {
        (None, _) | (_, None) => errors.add(
            field,
            format!("Choisissez un territoire à rattacher à {}.", account.email),
        ),
        (Some(_), Some(false)) if account.role != "admin" => {
            let ids = staff::territory_ids(&state.db, account.id).await?;
            if ids.len() <= 1 {
                errors.add(field, format!("{} doit garder au moins un territoire\u{a0}: rattachez-en un autre avant de retirer celui-ci.", account.email));
            }
        }
        _ => {}
    }
    let (Some(territory), Some(attach), true) = (territory, attach, errors.is_empty()) else {
        let shown = Shown {
            errors,
            ..Shown::default()
        };
        return render_accounts(&state, nav, shown).await;
    };
    staff::set_territory(&state.db, actor(&access), &account, &territory, attach).await?;
    let done = if attach { "rattache" } else { "retire" };
    Ok(see_other(&paths::done(paths::ADMIN_ACCOUNTS.into(), done)))
}

/// Deactivates an account (its sessions end at once) or reactivates it. An
/// administrator cannot deactivate their own account: the instance would be
/// left without the person who can undo it.
pub async fn set_active(
    state: State,
    access: Access,
    path: web::Path<AccountPath>,
    Posted(form): Posted<ActionForm>,
) -> Result<HttpResponse, AppError> {
    let account = staff::account(&state.db, path.account)
        .await?
        .ok_or(AppError::NotFound)?;
    let active = match form.action.as_str() {
        "desactiver" if account.id != access.staff.id => false,
        "reactiver" => true,
        _ => return Ok(see_other(paths::ADMIN_ACCOUNTS)),
    };
    staff::set_active(&state.db, actor(&access), &account, active).await?;
    let done = if active { "reactive" } else { "desactive" };
    Ok(see_other(&paths::done(paths::ADMIN_ACCOUNTS.into(), done)))
}
