//! The fiches actions of a campaign as JSON (`/api/v1/campaigns/{slug}/fiches`),
//! for the same readers as the synthesis.

use super::{campaign, Reader};
use crate::domain::catalogue::Entry;
use crate::store::action_plan::fiches;
use crate::web::error::AppError;
use crate::web::State;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

fn entries(catalogue: &[Entry], ids: &[i64]) -> Value {
    catalogue
        .iter()
        .filter(|e| ids.contains(&e.id))
        .map(|e| json!({ "code": e.code, "label": e.label }))
        .collect()
}

pub async fn list(
    state: State,
    reader: Reader,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ctx = campaign(&state, &reader, &slug).await?;
    let mut out = Vec::new();
    for row in fiches::list(&state.db, ctx.campaign.id).await? {
        let Some(fiche) = fiches::find(&state.db, ctx.campaign.id, row.id).await? else {
            continue;
        };
        let f = &fiche.input;
        out.push(json!({
            "id": fiche.id,
            "title": f.title,
            "summary": f.summary,
            "status": f.status,
            "status_label": f.status.label(),
            "progress": f.progress,
            "objectives": entries(&ctx.catalogue.objectives, &f.objective_ids),
            "levers": entries(&ctx.catalogue.levers, &f.lever_ids),
            "swot_theme_ids": f.theme_ids,
            "wished_links": f.links.iter().map(|(a, b)| json!([a, b])).collect::<Vec<_>>(),
            "lead_organisation": f.lead_organisation,
            "partners": f.partners.iter().map(|p| json!({ "name": p.name, "firm_id": p.firm_id })).collect::<Vec<_>>(),
            "budget": f.budget.iter().map(|b| json!({ "label": b.label, "amount_euros": euros_number(b.amount_cents), "amount_cents": b.amount_cents, "funder": b.funder })).collect::<Vec<_>>(),
            "budget_total_euros": euros_number(f.budget_total()),
            "budget_total_cents": f.budget_total(),
            "indicators": f.indicators.iter().map(|i| json!({ "label": i.label, "target": i.target })).collect::<Vec<_>>(),
            "starts_on": f.starts_on,
            "ends_on": f.ends_on,
            "history": fiche.history.iter().map(|u| json!({
                "at": u.at,
                "status": u.status,
                "progress": u.progress,
                "meeting": u.meeting_title(),
                "note": u.note,
            })).collect::<Vec<_>>(),
        }));
    }
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(json!({ "campaign": ctx.campaign.slug, "fiches": out })))
}

/// Euros as a JSON number: a whole number when there are no cents, as the
/// API gave before amounts had cents.
fn euros_number(cents: i64) -> Value {
    if cents % 100 == 0 {
        json!(cents / 100)
    } else {
        json!(cents as f64 / 100.0)
    }
}
