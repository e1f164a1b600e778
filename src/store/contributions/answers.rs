//! Reading a contribution back: the saved answers the forms and the review page
//! show, and the wording other respondents used.

use crate::domain::swot::{Quadrant, SwotItem};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::{Db, StoreError};

/// A saved link, as the review page and the form show it back.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SavedLink {
    pub position: i64,
    pub firm_name: String,
    pub intensity_id: i64,
    pub status: String,
    #[sqlx(skip)]
    pub kind_ids: Vec<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct Answers {
    pub links: Vec<SavedLink>,
    pub swot: Vec<SwotItem>,
    /// (objective id, rank, lever id), by objective then rank.
    pub rankings: Vec<(i64, i64, i64)>,
    pub proposals: Vec<(i64, String)>,
}

pub async fn load_answers(db: &Db, contribution_id: i64) -> Result<Answers, StoreError> {
    let mut conn = db.read.acquire().await?;
    answers_on(&mut conn, contribution_id).await
}

/// `load_answers` on a given connection: inside a save's transaction, what it
/// reads cannot change before the save writes.
pub async fn answers_on(conn: &mut Conn, contribution_id: i64) -> Result<Answers, StoreError> {
    let mut links: Vec<SavedLink> = sql::query_as(
        "SELECT l.position, f.name AS firm_name, l.intensity_id, l.status
         FROM contribution_links l JOIN firms f ON f.id = l.target_firm_id
         WHERE l.contribution_id = ? ORDER BY l.position",
    )
    .bind(contribution_id)
    .fetch_all(&mut *conn)
    .await?;
    let kinds: Vec<(i64, i64)> = sql::query_as(
        "SELECT k.position, k.kind_id FROM contribution_link_kinds k
         JOIN catalogue_entries e ON e.id = k.kind_id
         WHERE k.contribution_id = ? ORDER BY k.position, e.position",
    )
    .bind(contribution_id)
    .fetch_all(&mut *conn)
    .await?;
    for (position, kind) in kinds {
        if let Some(link) = links.iter_mut().find(|l| l.position == position) {
            link.kind_ids.push(kind);
        }
    }
    let swot_rows: Vec<(String, String)> = sql::query_as(
        "SELECT quadrant, text FROM swot_items WHERE contribution_id = ? ORDER BY position",
    )
    .bind(contribution_id)
    .fetch_all(&mut *conn)
    .await?;
    let swot = swot_rows
        .into_iter()
        .filter_map(|(q, text)| {
            Some(SwotItem {
                quadrant: Quadrant::parse(&q)?,
                text,
            })
        })
        .collect();
    let rankings = sql::query_as(
        "SELECT objective_id, rank, lever_id FROM lever_rankings WHERE contribution_id = ? ORDER BY objective_id, rank",
    )
    .bind(contribution_id)
    .fetch_all(&mut *conn)
    .await?;
    let proposals =
        sql::query_as("SELECT objective_id, text FROM proposed_levers WHERE contribution_id = ?")
            .bind(contribution_id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(Answers {
        links,
        swot,
        rankings,
        proposals,
    })
}

/// The wording other respondents of the campaign already used, per quadrant, most
/// cited first: what the SWOT fields suggest while typing.
pub async fn swot_suggestions(
    db: &Db,
    campaign_id: i64,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sql::query_as(
        "SELECT s.quadrant, s.text FROM shown_swot_items s
         JOIN contributions c ON c.id = s.contribution_id
         WHERE c.campaign_id = ?
         GROUP BY s.quadrant, s.text
         ORDER BY COUNT(*) DESC, s.text
         LIMIT 400",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?)
}
