//! A staff action the role may not take. The pages hide such actions
//! (`Nav::can`), so this is reached by an old link or a typed address: a
//! French page with the staff navigation and a way back (403), and for a
//! refused form what it held, listed as the 503 page lists it
//! (`web::unavailable::typed_values`), so that nothing typed is lost.

use super::need::Need;
use super::Nav;
use crate::domain::role::{Capability, Role};
use crate::web::auth::Staff;
use crate::web::csrf::CsrfToken;
use crate::web::error::AppError;
use crate::web::paths;
use crate::web::unavailable::typed_values;
use crate::web::State;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpMessage, HttpResponse};
use askama::Template;

#[derive(Template)]
#[template(path = "staff/refused.html")]
struct RefusedPage {
    nav: Nav,
    /// Who may: "aux organisateurs", "aux administrateurs"…
    reserved_to: &'static str,
    back: String,
    fields: Vec<(String, String)>,
}

impl RefusedPage {
    fn typed(&self) -> Vec<&str> {
        typed_values(&self.fields)
    }
}

/// The page that answers a refused request, saying who the route's `need`
/// is for.
pub async fn respond(
    mut req: ServiceRequest,
    state: &State,
    staff: &Staff,
    need: Need,
) -> Result<ServiceResponse, actix_web::Error> {
    let csrf = req
        .extensions()
        .get::<CsrfToken>()
        .cloned()
        .unwrap_or(CsrfToken(String::new()));
    // A multipart upload does not read as a form: its file is not kept.
    let fields = match *req.method() == Method::POST {
        true => req
            .extract::<web::Form<Vec<(String, String)>>>()
            .await
            .map(web::Form::into_inner)
            .unwrap_or_default(),
        false => Vec::new(),
    };
    let page = RefusedPage {
        nav: Nav::load(state, staff, &csrf).await?,
        reserved_to: match need {
            Need::Admin => "aux administrateurs",
            Need::Territory(Capability::Compare) | Need::Territories(Capability::Compare) => {
                "aux comptes de Région et aux administrateurs"
            }
            _ if staff.role == Role::Regional => "aux équipes du territoire",
            _ => "aux organisateurs",
        },
        back: back(&req, state, staff),
        fields,
    };
    let body = page.render().map_err(AppError::from)?;
    let response = HttpResponse::build(StatusCode::FORBIDDEN)
        .content_type("text/html; charset=utf-8")
        .body(body);
    let (request, _) = req.into_parts();
    Ok(ServiceResponse::new(request, response))
}

/// Where "Retour" leads: the page the request came from (same site only),
/// else the campaign or territory the path names (for a Région, whose pages
/// those are not, the comparison), else the staff home.
fn back(req: &ServiceRequest, state: &State, staff: &Staff) -> String {
    let referer = req
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.strip_prefix(state.base_url.as_str()))
        .filter(|path| path.starts_with("/staff"));
    if let Some(path) = referer {
        return path.to_string();
    }
    if staff.role == Role::Regional {
        return paths::COMPARISON.into();
    }
    if let Some(slug) = req.match_info().get("slug") {
        return paths::campaign(slug).home();
    }
    if let Some(territory) = req.match_info().get("territoire") {
        return paths::territory(territory).firms();
    }
    paths::HOME.into()
}
