//! What a room's projectors show, read for them: the SWOT board of the
//! room's session (the syntheses' grouping, without the groups proposed to
//! the facilitators, which only the staff pages use), and the campaign's
//! data version that tells whether a board computed before is still right.

use crate::store::db::sql;
use crate::store::synthesis::queries::{self, Filters, Source};
use crate::store::synthesis::swot_themes;
use crate::store::{Db, StoreError};
use crate::synthesis::{synthesize_swot, Swot, SwotOptions};

/// The campaign's data version: the database moves it in every transaction
/// that changes what the campaign's syntheses show.
pub async fn data_version(db: &Db, campaign_id: i64) -> Result<i64, StoreError> {
    Ok(
        sql::query_scalar("SELECT data_version FROM campaigns WHERE id = ?")
            .bind(campaign_id)
            .fetch_one(&db.read)
            .await?,
    )
}

/// The SWOT synthesis of one workshop session, grouped as the syntheses
/// group it (the facilitators' themes included).
pub async fn session_swot(db: &Db, campaign_id: i64, session_id: i64) -> Result<Swot, StoreError> {
    let filters = Filters {
        source: Some(Source::Session(session_id)),
        ..Filters::default()
    };
    let (rows, curated) = futures_util::future::try_join(
        queries::swot::groups(db, campaign_id, &filters),
        swot_themes::list(db, campaign_id),
    )
    .await?;
    Ok(synthesize_swot(&rows, &curated, &SwotOptions::default()))
}
