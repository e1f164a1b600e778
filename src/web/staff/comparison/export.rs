//! The comparison as files: CSV for French Excel (one row per territory:
//! BOM, `;`, decimal comma, formula-like cells neutralised) and JSON (the
//! same structure the page draws).

use super::of_account;
use crate::domain::import::spreadsheet::write_csv;
use crate::domain::role::Role;
use crate::synthesis::comparison::Comparison;
use crate::web::error::AppError;
use crate::web::staff::access::Access;
use crate::web::staff::synthesis::view::decimal;
use crate::web::State;
use actix_web::HttpResponse;
use serde::Serialize;

/// The header and rows of the CSV.
pub fn table(c: &Comparison) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = [
        "Territoire",
        "Campagne",
        "Invités",
        "Ont envoyé",
        "Taux de réponse (%)",
        "Contributions en atelier",
        "Contributions en ligne",
        "Entreprises de l'annuaire",
        "Densité du réseau (%)",
        "Entreprises isolées",
        "Liens souhaités",
    ]
    .map(String::from)
    .to_vec();
    let statuses = crate::domain::action_plan::fiche::FicheStatus::ALL;
    header.extend(statuses.map(|s| format!("Fiches {}", plural_status(s.label()))));
    let objectives = super::objectives(c);
    header.extend(
        objectives
            .iter()
            .map(|(_, label)| format!("Levier en tête\u{a0}: {label}")),
    );
    header.extend(
        c.levers
            .iter()
            .map(|l| format!("Part des points (%)\u{a0}: {}", l.label)),
    );
    let rows = c
        .columns
        .iter()
        .map(|col| {
            let mut row = vec![col.name.clone()];
            let Some(f) = &col.figures else {
                row.push(String::new());
                row.resize(header.len(), String::new());
                return row;
            };
            row.extend([
                f.campaign.title.clone(),
                f.invited.to_string(),
                f.submitted.to_string(),
                decimal(f.rate, 1),
                f.in_room.to_string(),
                f.online.to_string(),
                f.firms.to_string(),
                decimal(f.density * 100.0, 1),
                f.isolated.to_string(),
                f.wished_links.to_string(),
            ]);
            row.extend(f.fiches.iter().map(|s| s.fiches.to_string()));
            row.extend(objectives.iter().map(|(code, _)| {
                f.leads
                    .iter()
                    .find(|l| l.objective == *code)
                    .map_or_else(String::new, |l| l.lever_label.clone())
            }));
            let heat = c.heat.iter().find(|h| h.slug == col.slug);
            row.extend(
                heat.into_iter()
                    .flat_map(|h| &h.cells)
                    .map(|cell| decimal(cell.share, 1)),
            );
            row.resize(header.len(), String::new());
            row
        })
        .collect();
    (header, rows)
}

/// « proposée » → « proposées », « en cours » unchanged: the header counts
/// fiches.
fn plural_status(label: &str) -> String {
    label
        .split(' ')
        .map(|w| match w.ends_with('e') {
            true => format!("{w}s"),
            false => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub async fn csv(state: State, access: Access) -> Result<HttpResponse, AppError> {
    let c = of_account(&state, &access.staff).await?;
    let (header, rows) = table(&c);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"comparaison-des-territoires.csv\"",
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(write_csv(&header, &rows)))
}

/// A column heading of fiches in one status: « Proposées », « En cours ».
pub fn fiches_in(label: &str) -> String {
    let plural = plural_status(label);
    let mut chars = plural.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[derive(Serialize)]
struct ComparisonFile {
    /// "national" for an administrator, "regional" for a Région's account.
    scope: &'static str,
    generated_at: String,
    #[serde(flatten)]
    comparison: Comparison,
}

pub async fn json(state: State, access: Access) -> Result<HttpResponse, AppError> {
    let comparison = of_account(&state, &access.staff).await?;
    let scope = match access.staff.role {
        Role::Admin => "national",
        _ => "regional",
    };
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(ComparisonFile {
            scope,
            generated_at: crate::store::now().into_string(),
            comparison,
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_headers_count_fiches() {
        assert_eq!(plural_status("proposée"), "proposées");
        assert_eq!(plural_status("en cours"), "en cours");
        assert_eq!(plural_status("réalisée"), "réalisées");
        assert_eq!(fiches_in("abandonnée"), "Abandonnées");
        assert_eq!(fiches_in("en cours"), "En cours");
    }
}
