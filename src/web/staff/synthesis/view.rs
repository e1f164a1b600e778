//! Presentation helpers shared by the synthesis pages, the report and the
//! exports: French number formats, labels, and SVG drawings marked safe.

use crate::store::synthesis::queries::Filters;
use crate::store::synthesis::CampaignContext;
use crate::synthesis::drawing::bar_chart_svg;
use std::fmt;

/// An SVG drawing made by `synthesis::drawing`, whose builders pass every piece
/// of user text through `escape_xml`. This type is the only raw markup the
/// templates print: it implements askama's `HtmlSafe`, so no `|safe` filter
/// appears in any template, and it can only be made by the constructors
/// below.
pub struct DrawnSvg(pub(super) String);

impl fmt::Display for DrawnSvg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for DrawnSvg {}

impl DrawnSvg {
    /// A drawing kept from an earlier build (the cache holds the network
    /// drawing's text, made by `synthesis::drawing::network_map`).
    pub(super) fn from_builder(svg: &str) -> Self {
        Self(svg.to_string())
    }

    pub fn timeline(t: &crate::synthesis::drawing::timeline_chart::Timeline) -> Self {
        Self(t.svg())
    }

    pub fn bars(title: &str, bars: &[(String, f64)]) -> Self {
        Self(bar_chart_svg(title, bars))
    }
}

/// (in the room, online) contributions of a participation synthesis.
pub fn room_and_online(p: &crate::synthesis::Participation) -> (u64, u64) {
    let online: u64 = p
        .by_source
        .iter()
        .filter(|s| s.key == crate::store::synthesis::queries::ONLINE)
        .map(|s| s.contributions)
        .sum();
    (p.total_contributions - online, online)
}

/// One decimal with a decimal comma: 12.5 → "12,5".
pub fn decimal(x: f64, digits: usize) -> String {
    format!("{x:.digits$}").replace('.', ",")
}

/// "19,6 %" with a narrow no-break space (U+202F, French typography): the
/// sign never wraps away from its number.
pub fn percent(x: f64) -> String {
    format!("{}\u{202f}%", decimal(x, 1))
}

/// "1 contribution", "25 contributions" (French: 0 and 1 take the singular).
pub fn contributions(n: u64) -> String {
    if n <= 1 {
        format!("{n} contribution")
    } else {
        format!("{n} contributions")
    }
}

pub fn size_band_label(band: &str) -> String {
    match band {
        "0-9" => "0 à 9 salariés".into(),
        "10-49" => "10 à 49 salariés".into(),
        "50-249" => "50 à 249 salariés".into(),
        "250+" => "250 salariés et plus".into(),
        other => other.into(),
    }
}

/// How consensual a lever's ranks are (normalised entropy of its ranks).
pub fn spread_label(spread: Option<f64>) -> String {
    match spread {
        None => "—".into(),
        Some(s) if s <= 0.35 => format!("{} (consensuel)", decimal(s, 2)),
        Some(s) if s <= 0.7 => format!("{} (partagé)", decimal(s, 2)),
        Some(s) => format!("{} (dispersé)", decimal(s, 2)),
    }
}

/// "Atelier du 15 avril, secteur Agroalimentaire" or "toutes les contributions".
pub fn filter_summary(ctx: &CampaignContext, f: &Filters) -> String {
    let mut parts = Vec::new();
    if let Some(s) = f.source {
        parts.push(ctx.source_label(&s.key()));
    }
    if let Some(v) = &f.sector {
        parts.push(format!("secteur «\u{a0}{v}\u{a0}»"));
    }
    if let Some(v) = &f.size_band {
        parts.push(format!("taille «\u{a0}{}\u{a0}»", size_band_label(v)));
    }
    if let Some(v) = &f.commune {
        parts.push(format!("commune «\u{a0}{v}\u{a0}»"));
    }
    parts.extend(crate::store::synthesis::queries::official::summary_parts(f));
    if parts.is_empty() {
        "toutes les contributions envoyées".into()
    } else {
        format!("contributions envoyées\u{a0}: {}", parts.join(", "))
    }
}

/// Shading class of a matrix cell: `shade-0` (none) to `shade-5` (highest).
pub fn shade(intensity: f64) -> String {
    let level = if intensity <= 0.0 {
        0
    } else {
        ((intensity * 5.0).ceil() as i64).clamp(1, 5)
    };
    format!("shade-{level}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_formats() {
        assert_eq!(decimal(12.26, 1), "12,3");
        assert_eq!(percent(38.5), "38,5\u{202f}%");
        assert_eq!(shade(0.0), "shade-0");
        assert_eq!(shade(0.01), "shade-1");
        assert_eq!(shade(1.0), "shade-5");
        assert_eq!(spread_label(Some(0.2)), "0,20 (consensuel)");
        assert_eq!(size_band_label("250+"), "250 salariés et plus");
        assert_eq!(contributions(1), "1 contribution");
        assert_eq!(contributions(25), "25 contributions");
    }
}
