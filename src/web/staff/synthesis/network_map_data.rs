//! The explorable map's data, as JSON, for `static/network_explorer.js`:
//! the same campaign, filters and access as the network page.

use crate::synthesis::drawing::network_map::explorable_map;
use crate::web::error::AppError;
use crate::web::staff::access::Access;
use crate::web::staff::synthesis::{context, filters_of, Query};
use crate::web::State;
use actix_web::http::header;
use actix_web::HttpResponse;

pub async fn map_data(
    state: State,
    access: Access,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let ctx = context(&state, &access).await?;
    let filters = filters_of(&query);
    let net = state.figures.network(&state.db, &ctx, &filters).await?;
    let map = explorable_map(&net.value, &ctx.kinds());
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .json(map))
}
