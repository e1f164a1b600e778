//! CSV exports for French Excel: UTF-8 with BOM, `;` separator, CRLF, decimal
//! comma, one column per catalogue option, and cells that a spreadsheet would
//! read as a formula neutralised with a leading apostrophe.
//!
//! Large exports are streamed: the store pushes rows into a bounded channel
//! from a task of its own, and the response body formats them in chunks of
//! about 64 KB, so memory stays flat whatever the size.

use super::csv_cells::{head, write_record, writer, Cells};
use super::{campaign, Reader};
use crate::store::synthesis::queries::exports::{self, LinkRow, ParticipantRef, SwotRef};
use crate::store::synthesis::queries::Filters;
use crate::store::synthesis::CampaignContext;
use crate::web::error::AppError;
use crate::web::staff::synthesis::view::{decimal, size_band_label};
use crate::web::staff::synthesis::{filters_of, Query};
use crate::web::State;
use actix_web::web::Bytes;
use actix_web::{web, HttpResponse};

use std::collections::HashMap;
use tokio::sync::mpsc;

/// Chunks of about `exports::CHUNK` bytes in flight: memory stays bounded.
const CHANNEL_CHUNKS: usize = 8;

fn attachment(name: &str) -> (&'static str, String) {
    (
        "Content-Disposition",
        format!("attachment; filename=\"{name}\""),
    )
}

/// The response body: header first, then the chunks formatted by the store's
/// task as they arrive from the channel.
fn streamed(filename: String, header: Vec<String>, rx: mpsc::Receiver<Vec<u8>>) -> HttpResponse {
    let first = Some(Bytes::from(head(&header)));
    let body = futures_util::stream::unfold((rx, first), |(mut rx, first)| async move {
        if let Some(b) = first {
            return Some((Ok::<_, actix_web::Error>(b), (rx, None)));
        }
        let chunk = rx.recv().await?;
        Some((Ok(Bytes::from(chunk)), (rx, None)))
    });
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(&filename))
        .insert_header(("Cache-Control", "no-store"))
        .streaming(body)
}

fn origin_label(origin: &str) -> &'static str {
    match origin {
        "invitation" => "Invitation",
        "open_link" => "Lien ouvert",
        "room" => "Atelier",
        _ => "Autre",
    }
}

fn spawn_rows<F, Fut>(produce: F) -> mpsc::Receiver<Vec<u8>>
where
    F: FnOnce(mpsc::Sender<Vec<u8>>) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<u64, crate::store::StoreError>> + 'static,
{
    let (tx, rx) = mpsc::channel(CHANNEL_CHUNKS);
    actix_web::rt::spawn(async move {
        if let Err(e) = produce(tx).await {
            tracing::error!(error = %e, "export interrupted");
        }
    });
    rx
}

async fn participants(
    state: &State,
    ctx: &CampaignContext,
    f: Filters,
) -> Result<HttpResponse, AppError> {
    let header = [
        "Nom",
        "Prénom",
        "Courriel",
        "Entreprise",
        "Secteur",
        "Taille",
        "Commune",
        "Origine",
    ]
    .map(String::from)
    .to_vec();
    let zone = crate::domain::french_time::zone_label();
    let times = ["Invité le", "Lien ouvert le", "Commencé le", "Envoyé le"];
    let header = [header, times.map(|t| format!("{t} ({zone})")).to_vec()].concat();
    // Firm cells by id, with the size band already labelled.
    let firms: HashMap<i64, [String; 4]> = exports::participant_firms(&state.db, ctx.campaign.id)
        .await?
        .into_iter()
        .map(|x| {
            let band = x.size_band.as_deref().map(size_band_label);
            (
                x.id,
                [
                    x.name,
                    x.sector.unwrap_or_default(),
                    band.unwrap_or_default(),
                    x.commune.unwrap_or_default(),
                ],
            )
        })
        .collect();
    let none: [String; 4] = Default::default();
    let (db, id) = (state.db.clone(), ctx.campaign.id);
    let rx = spawn_rows(move |tx| async move {
        exports::participants(&db, id, &f, tx, |r: &ParticipantRef, buf| {
            let mut c = Cells::new(buf);
            c.cell(r.last_name);
            c.cell(r.first_name);
            c.cell(r.email);
            let firm = r.firm_id.and_then(|id| firms.get(&id)).unwrap_or(&none);
            for v in firm {
                c.cell(v);
            }
            c.cell(origin_label(r.origin));
            for t in [r.invited_at, r.opened_at, r.started_at, r.submitted_at] {
                c.when(t);
            }
            c.end();
        })
        .await
    });
    Ok(streamed(
        format!("participants-{}.csv", ctx.campaign.slug),
        header,
        rx,
    ))
}

/// Firm names of the campaign's territory, by id.
async fn firm_names(
    state: &State,
    ctx: &CampaignContext,
) -> Result<HashMap<i64, String>, AppError> {
    Ok(
        crate::store::synthesis::queries::network::firms(&state.db, ctx.campaign.territory_id)
            .await?
            .into_iter()
            .map(|n| (n.id, n.name))
            .collect(),
    )
}

async fn links(state: &State, ctx: &CampaignContext, f: Filters) -> Result<HttpResponse, AppError> {
    let names = firm_names(state, ctx).await?;
    let kinds: Vec<(i64, String)> = ctx
        .catalogue
        .link_kinds
        .iter()
        .map(|e| (e.id, e.label.clone()))
        .collect();
    let intensities: HashMap<i64, String> = ctx
        .catalogue
        .intensities
        .iter()
        .map(|e| (e.id, e.label.clone()))
        .collect();
    let sources: HashMap<Option<i64>, String> = std::iter::once(None)
        .chain(ctx.sessions.iter().map(|s| Some(s.id)))
        .map(|s| (s, ctx.session_label(s)))
        .collect();
    let mut header: Vec<String> = [
        "Contribution",
        "Source",
        "Entreprise déclarante",
        "Entreprise liée",
        "Statut",
        "Intensité",
    ]
    .map(String::from)
    .to_vec();
    header.extend(kinds.iter().map(|(_, l)| l.clone()));
    // Added after the kinds, so that the columns of older files keep their place.
    header.extend(["Table", "Saisie distincte"].map(String::from));
    let (db, id) = (state.db.clone(), ctx.campaign.id);
    let rx = spawn_rows(move |tx| async move {
        exports::links(&db, id, &f, tx, |r: &LinkRow, buf| {
            let name =
                |id: Option<i64>| id.and_then(|id| names.get(&id)).map_or("", String::as_str);
            let mut c = Cells::new(buf);
            c.number(r.contribution_id);
            c.cell(sources.get(&r.source_session_id).map_or("", String::as_str));
            c.cell(name(r.firm_id));
            c.cell(name(Some(r.target_firm_id)));
            c.cell(if r.wished { "souhaité" } else { "existant" });
            c.cell(intensities.get(&r.intensity_id).map_or("", String::as_str));
            for (kid, _) in &kinds {
                c.cell(if r.kind_ids.contains(kid) { "oui" } else { "" });
            }
            c.cell(&r.table_label);
            c.cell(if r.kept_separate { "oui" } else { "" });
            c.end();
        })
        .await
    });
    Ok(streamed(
        format!("liens-{}.csv", ctx.campaign.slug),
        header,
        rx,
    ))
}

/// One line per SWOT item with the theme it is counted in on the SWOT page
/// (a facilitator's theme or the server's grouping): the stem keys that do
/// the grouping stay internal.
async fn swot(state: &State, ctx: &CampaignContext, f: Filters) -> Result<HttpResponse, AppError> {
    let names = firm_names(state, ctx).await?;
    let view = state.figures.swot(&state.db, ctx, &f).await?;
    // (theme label, validated) by quadrant, then key: looked up with borrowed strings.
    let mut theme_of: HashMap<String, HashMap<String, (String, bool)>> = HashMap::new();
    for q in &view.synthesis.quadrants {
        let by_key = theme_of.entry(q.quadrant.as_str().to_string()).or_default();
        for t in &q.themes {
            for k in &t.keys {
                by_key.insert(k.clone(), (t.label.clone(), t.curated_id.is_some()));
            }
        }
    }
    let sources: HashMap<Option<i64>, String> = std::iter::once(None)
        .chain(ctx.sessions.iter().map(|s| Some(s.id)))
        .map(|s| (s, ctx.session_label(s)))
        .collect();
    let header = [
        "Contribution",
        "Source",
        "Entreprise",
        "Quadrant",
        "Élément",
        "Thème",
        "Thème validé",
    ]
    .map(String::from)
    .to_vec();
    let (db, id) = (state.db.clone(), ctx.campaign.id);
    let rx = spawn_rows(move |tx| async move {
        exports::swot(&db, id, &f, tx, |r: &SwotRef, buf| {
            let mut c = Cells::new(buf);
            c.number(r.contribution_id);
            c.cell(sources.get(&r.source_session_id).map_or("", String::as_str));
            c.cell(
                r.firm_id
                    .and_then(|id| names.get(&id))
                    .map_or("", String::as_str),
            );
            c.cell(crate::domain::swot::Quadrant::parse(r.quadrant).map_or("?", |q| q.label()));
            c.cell(r.text);
            let theme = theme_of.get(r.quadrant).and_then(|m| m.get(r.key));
            c.cell(theme.map_or("", |(label, _)| label.as_str()));
            c.cell(match theme {
                Some((_, true)) => "oui",
                Some((_, false)) => "non",
                None => "",
            });
            c.end();
        })
        .await
    });
    Ok(streamed(
        format!("afom-{}.csv", ctx.campaign.slug),
        header,
        rx,
    ))
}

/// Lever scores per objective (a small table: built whole).
async fn levers(
    state: &State,
    ctx: &CampaignContext,
    f: Filters,
) -> Result<HttpResponse, AppError> {
    let l = state.figures.levers(&state.db, ctx, &f).await?;
    let max_rank = l.synthesis.max_rank;
    let mut header: Vec<String> = ["Objectif", "Rang", "Levier", "Score", "Mentions"]
        .map(String::from)
        .to_vec();
    header.extend((1..=max_rank).map(|r| {
        if r == 1 {
            "1er choix".to_string()
        } else {
            format!("{r}e choix")
        }
    }));
    header.push("Part en 1er choix (%)".into());
    header.push("Dispersion (0 à 1)".into());
    let mut w = writer();
    for o in &l.synthesis.objectives {
        for v in &o.levers {
            let mut rec = vec![
                o.label.clone(),
                v.position.to_string(),
                v.label.clone(),
                v.score.to_string(),
                v.mentions.to_string(),
            ];
            rec.extend(v.rank_counts.iter().map(u64::to_string));
            rec.push(decimal(v.first_choice_percent, 1));
            rec.push(v.spread.map(|s| decimal(s, 3)).unwrap_or_default());
            write_record(&mut w, &rec);
        }
    }
    let mut body = head(&header);
    body.extend(w.into_inner().unwrap_or_default());
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(&format!("leviers-{}.csv", ctx.campaign.slug)))
        .body(body))
}

pub async fn export(
    state: State,
    reader: Reader,
    path: web::Path<(String, String)>,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let (slug, file) = path.into_inner();
    let ctx = campaign(&state, &reader, &slug).await?;
    let f = filters_of(&query);
    match file.as_str() {
        "participants.csv" => participants(&state, &ctx, f).await,
        "links.csv" => links(&state, &ctx, f).await,
        "swot.csv" => swot(&state, &ctx, f).await,
        "levers.csv" => levers(&state, &ctx, f).await,
        _ => Err(AppError::NotFound),
    }
}
