//! The fiches as CSV for French Excel (the exports' writer: BOM, `;`, CRLF,
//! formula-like cells neutralised).

use crate::domain::action_plan::fiche::typed_amount;
use crate::domain::import::spreadsheet::write_csv;
use crate::store::action_plan::fiches;
use crate::store::catalogue;
use crate::web::error::AppError;
use crate::web::staff::access::Access;
use crate::web::State;
use actix_web::HttpResponse;

pub async fn csv(state: State, access: Access) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    let cat = catalogue::load(&state.db, campaign.id).await?;
    let mut rows = Vec::new();
    for row in fiches::list(&state.db, campaign.id).await? {
        let Some(fiche) = fiches::find(&state.db, campaign.id, row.id).await? else {
            continue;
        };
        let f = &fiche.input;
        let funders: Vec<&str> = f
            .budget
            .iter()
            .map(|b| b.funder.as_str())
            .filter(|s| !s.is_empty())
            .collect();
        rows.push(vec![
            f.title.clone(),
            f.status.label().to_string(),
            f.progress.to_string(),
            f.lead_organisation.clone(),
            super::labels(&cat.objectives, &f.objective_ids),
            super::labels(&cat.levers, &f.lever_ids),
            f.partners
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            typed_amount(f.budget_total()),
            funders.join(", "),
            f.indicators
                .iter()
                .map(|i| format!("{}\u{a0}: {}", i.label, i.target))
                .collect::<Vec<_>>()
                .join("\u{a0}; "),
            f.starts_on.clone().unwrap_or_default(),
            f.ends_on.clone().unwrap_or_default(),
        ]);
    }
    let body = write_csv(
        &[
            "Fiche",
            "Statut",
            "Avancement (%)",
            "Porteur",
            "Objectifs",
            "Leviers",
            "Partenaires",
            "Budget (euros)",
            "Financeurs",
            "Indicateurs",
            "Début",
            "Fin",
        ],
        &rows,
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"fiches-actions-{}.csv\"",
                campaign.slug
            ),
        ))
        .body(body))
}
