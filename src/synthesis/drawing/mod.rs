//! Server-side SVG drawings for pages and the printable report: no
//! JavaScript, deterministic bytes for the same data.
//!
//! The network map has its own module, `network_map`.

pub mod network_map;
pub mod timeline_chart;

pub use crate::domain::xml::escape_xml;
use std::fmt::Write;

const FONT_SIZE: u32 = 12;

/// Horizontal bar chart with the French number format (decimal comma).
/// Labels longer than 34 characters are shortened on screen; the full label
/// stays in each bar's `<title>`.
pub fn bar_chart_svg<L: AsRef<str>>(title: &str, bars: &[(L, f64)]) -> String {
    let (width, label_w, bar_area, row_h) = (640.0, 220.0, 360.0, 28.0);
    let top = 40.0;
    let height = top + bars.len() as f64 * row_h + 8.0;
    let max = bars
        .iter()
        .map(|b| b.1)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let prefix = format!("bar-{:08x}", fnv(title));
    let mut s = open_svg(&prefix, width, height, title, "");
    let _ = writeln!(
        s,
        r#"<text x="8" y="24" font-size="14" font-weight="bold">{}</text>"#,
        escape_xml(title)
    );
    let _ = writeln!(s, r#"<g font-size="{FONT_SIZE}">"#);
    for (i, (label, value)) in bars.iter().enumerate() {
        let label = label.as_ref();
        let y = top + i as f64 * row_h;
        let w = if max > 0.0 && value.is_finite() && *value > 0.0 {
            value / max * bar_area
        } else {
            0.0
        };
        let shown: String = if label.chars().count() > 34 {
            label.chars().take(33).chain(['…']).collect()
        } else {
            label.to_string()
        };
        let v = french_number(*value);
        let _ = writeln!(
            s,
            r##"<g><title>{} : {v}</title><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect x="{label_w:.1}" y="{y:.1}" width="{w:.1}" height="20" fill="#0072B2"/><text x="{:.1}" y="{:.1}">{v}</text></g>"##,
            escape_xml(label),
            label_w - 8.0,
            y + 14.0,
            escape_xml(&shown),
            label_w + w + 6.0,
            y + 14.0,
        );
    }
    s.push_str("</g>\n</svg>\n");
    s
}

pub(crate) fn open_svg(prefix: &str, width: f64, height: f64, title: &str, desc: &str) -> String {
    open_svg_as("img", prefix, width, height, title, desc)
}

/// `open_svg` with another ARIA role: a drawing whose parts are links must not
/// be an `img`, whose children assistive technologies ignore.
pub(crate) fn open_svg_as(
    role: &str,
    prefix: &str,
    width: f64,
    height: f64,
    title: &str,
    desc: &str,
) -> String {
    let labelled = if desc.is_empty() {
        format!("{prefix}-title")
    } else {
        format!("{prefix}-title {prefix}-desc")
    };
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="{role}" aria-labelledby="{labelled}" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif">
<title id="{prefix}-title">{}</title>
"#,
        escape_xml(title)
    );
    if !desc.is_empty() {
        let _ = writeln!(s, r#"<desc id="{prefix}-desc">{}</desc>"#, escape_xml(desc));
    }
    s
}

/// Integers without decimals, others with one decimal and a comma.
fn french_number(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}").replace('.', ",")
    }
}

/// Stable id suffix so several drawings can sit in one HTML page.
pub(crate) fn fnv(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5, |h: u32, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_all_five_and_controls() {
        assert_eq!(
            escape_xml("a&b<c>d\"e'f\u{1}g\nh"),
            "a&amp;b&lt;c&gt;d&quot;e&apos;fg\nh"
        );
    }

    #[test]
    fn fonts_are_at_least_11() {
        let bar = bar_chart_svg("t", &[("a", 1.0)]);
        for part in bar.split("font-size=\"").skip(1) {
            let size: u32 = part.split('"').next().unwrap().parse().unwrap();
            assert!(size >= 11);
        }
    }

    #[test]
    fn bar_widths_labels_and_numbers() {
        let svg = bar_chart_svg(
            "Contributions <par> source",
            &[("Atelier", 10.0), ("Forme & ligne", 5.0), ("Rien", 2.5)],
        );
        assert!(svg.contains(">Contributions &lt;par&gt; source</title>"));
        assert!(svg.contains("width=\"360.0\" height=\"20\""));
        assert!(svg.contains("width=\"180.0\" height=\"20\""));
        assert!(svg.contains("width=\"90.0\" height=\"20\""));
        assert!(svg.contains(">Forme &amp; ligne</text>"));
        assert!(svg.contains(">2,5</text>"));
        assert!(svg.contains(">10</text>"));
        // 40 + 3 × 28 + 8
        assert!(svg.contains("height=\"132\" viewBox=\"0 0 640 132\""));
    }

    #[test]
    fn bar_chart_edge_cases() {
        let empty: [(&str, f64); 0] = [];
        let svg = bar_chart_svg("Vide", &empty);
        assert!(!svg.contains("<rect"));
        let zero = bar_chart_svg("Z", &[("a".to_string(), 0.0)]);
        assert!(zero.contains("width=\"0.0\""));
        let long = "x".repeat(40);
        let svg = bar_chart_svg("L", &[(long.as_str(), 1.0)]);
        assert!(svg.contains(&format!(">{}…</text>", "x".repeat(33))));
        assert!(svg.contains(&format!("<title>{long}\u{a0}: 1</title>")));
    }
}
