//! The printable report: one French document to hand out to the steering
//! committee — a cover with the territory's logo and the key figures, a
//! contents list, the facilitators' introduction, the four parts each closed
//! by their conclusion — printed or saved as PDF by the browser (the page
//! numbers and running headers come from `static/report.css`).

use crate::domain::french_time;
use crate::domain::report::{paragraphs, Section};
use crate::store::synthesis::report_texts;
use crate::store::synthesis::{CampaignContext, Freshness, LeversView};
use crate::synthesis::drawing::timeline_chart::Timeline;
use crate::synthesis::Participation;
use crate::web::error::{page, AppError};
use crate::web::staff::access::Access;
use crate::web::staff::synthesis::pages::{swot_view, NetworkView, QuadrantView};
use crate::web::staff::synthesis::report_texts::LogoImage;
use crate::web::staff::synthesis::view::{self, DrawnSvg};
use crate::web::staff::synthesis::{context, filters_of, Query};
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;
use std::sync::Arc;

/// One figure of the cover.
pub struct KeyFigure {
    pub value: String,
    pub label: String,
    /// A name rather than a number: printed smaller.
    pub is_text: bool,
}

#[derive(Template)]
#[template(path = "synthesis/report.html")]
struct ReportPage {
    slug: String,
    title: String,
    description: String,
    territory: String,
    dates: Vec<String>,
    logo: Option<LogoImage>,
    date: String,
    scope: String,
    key_figures: Vec<KeyFigure>,
    /// Paragraphs of each section's text, in `Section::ALL` order.
    texts: Vec<Vec<String>>,
    freshness: Freshness,
    p: Arc<Participation>,
    room: u64,
    online: u64,
    timeline: Timeline,
    timeline_chart: DrawnSvg,
    n: NetworkView,
    quadrants: Vec<QuadrantView>,
    l: Arc<LeversView>,
    levers_chart: DrawnSvg,
}

impl ReportPage {
    fn pct(&self, x: &f64) -> String {
        view::percent(*x)
    }
    fn spread(&self, x: &Option<f64>) -> String {
        view::spread_label(*x)
    }
    fn shade(&self, x: &f64) -> String {
        view::shade(*x)
    }
    fn contributions(&self, n: &u64) -> String {
        view::contributions(*n)
    }
    fn band(&self, b: &str) -> String {
        view::size_band_label(b)
    }
    /// The paragraphs of one section's text (none when it was left empty).
    fn text(&self, section: &str) -> &[String] {
        Section::ALL
            .iter()
            .position(|s| s.as_str() == section)
            .and_then(|i| self.texts.get(i))
            .map_or(&[], Vec::as_slice)
    }
}

/// When the campaign gathered its contributions: the online window and the
/// workshops, in French.
fn campaign_dates(ctx: &CampaignContext) -> Vec<String> {
    let mut out = Vec::new();
    let c = &ctx.campaign;
    match (&c.online_opens_at, &c.online_closes_at) {
        // The bounds are calendar days stored as instants (the last day's
        // 23:59:59 UTC is the next day in Paris): their day as typed.
        (Some(from), Some(to)) => out.push(format!(
            "Questionnaire en ligne du {} au {}",
            french_time::day(from),
            french_time::day(to)
        )),
        (Some(from), None) => out.push(format!(
            "Questionnaire en ligne à partir du {}",
            french_time::day(from)
        )),
        _ => {}
    }
    for s in &ctx.sessions {
        let place = if s.place.is_empty() {
            String::new()
        } else {
            format!(", {}", s.place)
        };
        out.push(format!(
            "{}\u{a0}: {}{place}",
            s.label,
            french_time::day(&s.day)
        ));
    }
    out
}

fn key_figures(
    p: &Participation,
    n: &NetworkView,
    quadrants: &[QuadrantView],
    l: &LeversView,
) -> Vec<KeyFigure> {
    let (room, online) = view::room_and_online(p);
    let mut figures = vec![
        KeyFigure {
            value: p.total_contributions.to_string(),
            label: format!("contributions ({room} en atelier, {online} en ligne)"),
            is_text: false,
        },
        KeyFigure {
            value: view::percent(p.rates.submitted_of_invited),
            label: format!("des {} participants invités ont répondu", p.counts.invited),
            is_text: false,
        },
        KeyFigure {
            value: n.linked.to_string(),
            label: format!(
                "entreprises reliées sur {}, par {} paires de liens existants",
                n.firms, n.pairs
            ),
            is_text: false,
        },
        KeyFigure {
            value: quadrants
                .iter()
                .map(|q| q.themes.len())
                .sum::<usize>()
                .to_string(),
            label: "thèmes d'atouts, faiblesses, opportunités et menaces".into(),
            is_text: false,
        },
    ];
    if let Some(top) = l.synthesis.overall.iter().find(|v| v.mentions > 0) {
        figures.push(KeyFigure {
            value: top.label.clone(),
            label: format!("levier en tête ({} points)", top.score),
            is_text: true,
        });
    }
    figures
}

/// A CSS string literal: quotes and backslashes escaped, line breaks and
/// other control characters dropped, so a title cannot end the string.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The running header of the printed report names the territory and the
/// campaign. Chromium prints `@page` margin boxes but not `string-set`, so
/// the text cannot come from the document: this small style sheet, served
/// from the app (the CSP allows no inline style), carries it.
pub async fn running_header(access: Access) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    let header = format!("{} — {}", access.territory()?.name, campaign.title);
    Ok(HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(format!(
            "@page {{ @top-right {{ content: {}; }} }}\n@page :first {{ @top-right {{ content: none; }} }}\n",
            css_string(&header)
        )))
}

pub async fn report(state: State, access: Access, query: Query) -> Result<HttpResponse, AppError> {
    let ctx = context(&state, &access).await?;
    let territory = access.territory()?.clone();
    let f = filters_of(&query);
    let cache = &state.figures;
    let (p, (n, n_freshness), s, l) = futures_util::future::try_join4(
        async { Ok::<_, AppError>(cache.participation(&state.db, &ctx, &f).await?) },
        NetworkView::load(&state, &ctx, &f, 15),
        async { Ok(cache.swot(&state.db, &ctx, &f).await?) },
        async { Ok(cache.levers(&state.db, &ctx, &f).await?) },
    )
    .await?;
    let (texts, logo) = futures_util::future::try_join(
        async { Ok::<_, AppError>(report_texts::list(&state.db, ctx.campaign.id).await?) },
        LogoImage::load(&state, territory.id),
    )
    .await?;
    let freshness = p
        .freshness
        .and(n_freshness)
        .and(s.freshness)
        .and(l.freshness);
    let bars: Vec<(String, f64)> = l
        .synthesis
        .overall
        .iter()
        .filter(|v| v.mentions > 0)
        .take(10)
        .map(|v| (v.label.clone(), v.score as f64))
        .collect();
    let quadrants = swot_view(&ctx, &s, 8);
    let timeline = Timeline::of(&p.timeline);
    page(
        StatusCode::OK,
        &ReportPage {
            slug: ctx.campaign.slug.clone(),
            title: ctx.campaign.title.clone(),
            description: ctx.campaign.description.clone(),
            territory: territory.name,
            dates: campaign_dates(&ctx),
            logo,
            date: french_time::date(&crate::store::now()),
            scope: view::filter_summary(&ctx, &f),
            key_figures: key_figures(&p, &n, &quadrants, &l),
            texts: texts.iter().map(|(_, body)| paragraphs(body)).collect(),
            timeline_chart: DrawnSvg::timeline(&timeline),
            timeline,
            n,
            quadrants,
            levers_chart: DrawnSvg::bars("Leviers en tête (score total)", &bars),
            room: view::room_and_online(&p).0,
            online: view::room_and_online(&p).1,
            freshness,
            p: p.value,
            l: l.value,
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_title_cannot_break_out_of_its_css_string() {
        assert_eq!(
            super::css_string("Anjou \"Bleu\" \\ }\n@import"),
            "\"Anjou \\\"Bleu\\\" \\\\ } @import\""
        );
    }
}
