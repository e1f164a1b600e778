//! The read-only API under `/api/v1`: the synthesis as JSON, CSV exports for
//! French Excel, and the network for Gephi. Authenticated by the staff
//! session cookie or `Authorization: Bearer TOKEN` (tokens of a staff
//! account, scoped to its territories).

pub(crate) mod csv_cells;
mod csv_export;
mod fiches;
mod gephi;

use crate::domain::role::{Capability, Role};
use crate::domain::Token;
use crate::store;
use crate::store::synthesis::CampaignContext;
use crate::web::auth::Staff;
use crate::web::error::AppError;
use crate::web::staff::synthesis::{filters_of, Query};
use crate::web::State;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use std::future::Future;
use std::pin::Pin;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1/campaigns/{slug}")
            .wrap(actix_web::middleware::from_fn(json_errors))
            .route("/synthesis", web::get().to(synthesis))
            .route("/export/{file}", web::get().to(csv_export::export))
            .route("/network.gexf", web::get().to(gephi::gexf))
            .route("/network.graphml", web::get().to(gephi::graphml))
            .route("/fiches", web::get().to(fiches::list))
            .default_service(web::to(|| async {
                Err::<HttpResponse, _>(AppError::NotFound)
            })),
    );
}

/// Programs read the API: its errors are JSON (`{"error": code, "message":
/// …}`) with the same status and headers, where pages answer French HTML.
async fn json_errors(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let response = next.call(req).await?;
    let info = response
        .response()
        .extensions()
        .get::<crate::web::error::ErrorInfo>()
        .copied();
    let Some(info) = info else {
        return Ok(response.map_into_boxed_body());
    };
    let status = response.status();
    let headers: Vec<_> = response
        .headers()
        .iter()
        .filter(|(name, _)| *name == "www-authenticate" || *name == "retry-after")
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    let (request, _) = response.into_parts();
    let mut json = HttpResponse::build(status);
    for header in headers {
        json.insert_header(header);
    }
    let body = json.json(serde_json::json!({ "error": info.code, "message": info.message }));
    Ok(actix_web::dev::ServiceResponse::new(request, body))
}

/// Who reads the API: a staff member, from their session or a bearer token.
pub struct Reader(pub Staff);

impl FromRequest for Reader {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let header = req
                .headers()
                .get("Authorization")
                .map(|v| v.to_str().unwrap_or("").to_string());
            let Some(header) = header else {
                return match Staff::from_request(&req, &mut Payload::None).await {
                    Ok(staff) => Ok(Reader(staff)),
                    Err(AppError::LoginRequired) => Err(AppError::Unauthorized),
                    Err(e) => Err(e),
                };
            };
            let state = req.app_data::<State>().ok_or(AppError::Unauthorized)?;
            // The scheme name is case-insensitive (RFC 7235).
            let token = header
                .trim()
                .split_once(' ')
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .and_then(|(_, t)| Token::parse(t.trim()))
                .ok_or(AppError::Unauthorized)?;
            let staff_id = store::staff::api_tokens::staff_for(&state.db, &token)
                .await?
                .ok_or(AppError::Unauthorized)?;
            let account = store::staff::find(&state.db, staff_id)
                .await?
                .ok_or(AppError::Unauthorized)?;
            let role = Role::parse(&account.role).ok_or(AppError::Forbidden)?;
            let territory_ids = store::staff::territory_ids(&state.db, staff_id).await?;
            Ok(Reader(Staff {
                id: account.id,
                // A bearer token is not a browser session.
                session_id: 0,
                email: account.email,
                role,
                territory_ids,
            }))
        })
    }
}

/// The campaign, if the reader may read it (404 otherwise).
pub async fn campaign(
    state: &State,
    reader: &Reader,
    slug: &str,
) -> Result<CampaignContext, AppError> {
    crate::web::staff::synthesis::load(state, &reader.0, slug, Capability::Read).await
}

async fn synthesis(
    state: State,
    reader: Reader,
    slug: web::Path<String>,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let ctx = campaign(&state, &reader, &slug).await?;
    let all = state
        .figures
        .all(&state.db, &ctx, &filters_of(&query))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(all))
}
