//! The legend under the network drawing: sectors, kinds, statuses, arrows,
//! in as many columns as the longest label allows.

use std::fmt::Write;

use super::sizes::FONT_SIZE;
use crate::synthesis::drawing::escape_xml;
use crate::synthesis::drawing::network_map::palette::LegendEntry;

pub const EXISTING_LABEL: &str = "Lien existant";
pub const WISHED_LABEL: &str = "Lien souhaité (tirets)";
pub const ARROW_LABEL: &str = "Flèche\u{a0}: de l'entreprise qui déclare vers celle citée";

enum Sample {
    Dot(String),
    /// Colour, dashed, with an arrowhead.
    Line(String, bool, bool),
}

pub(super) struct Legend {
    items: Vec<(String, Sample)>,
    sector_count: usize,
    columns: usize,
    sector_rows: usize,
    other_rows: usize,
    width: f64,
}

impl Legend {
    /// `kinds`: (label, colour, directed) of the kinds drawn.
    pub(super) fn new(sectors: &[LegendEntry], kinds: &[(String, &str, bool)], width: f64) -> Self {
        let mut legend: Vec<(String, Sample)> = sectors
            .iter()
            .map(|s| (s.label.clone(), Sample::Dot(s.colour.clone())))
            .collect();
        let sector_count = legend.len();
        for (label, colour, directed) in kinds {
            legend.push((
                label.clone(),
                Sample::Line(colour.to_string(), false, *directed),
            ));
        }
        legend.push((
            EXISTING_LABEL.into(),
            Sample::Line("#555555".into(), false, false),
        ));
        legend.push((
            WISHED_LABEL.into(),
            Sample::Line("#555555".into(), true, false),
        ));
        if kinds.iter().any(|k| k.2) {
            legend.push((
                ARROW_LABEL.into(),
                Sample::Line("#555555".into(), false, true),
            ));
        }
        let longest = legend
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(0);
        let col_needed = 40.0 + longest as f64 * FONT_SIZE * 0.6;
        let columns = ((width - 16.0) / col_needed).floor().max(1.0) as usize;
        let sector_rows = sector_count.div_ceil(columns);
        let other_rows = (legend.len() - sector_count).div_ceil(columns);
        Self {
            items: legend,
            sector_count,
            columns,
            sector_rows,
            other_rows,
            width,
        }
    }

    pub(super) fn height(&self) -> f64 {
        24.0 + (self.sector_rows + self.other_rows) as f64 * 20.0 + 12.0
    }

    /// Writes the legend with its top at `top`.
    pub(super) fn write(&self, s: &mut String, top: f64) {
        let (columns, sector_count, sector_rows) =
            (self.columns, self.sector_count, self.sector_rows);
        let col_w = (self.width - 16.0) / columns as f64;
        let _ = writeln!(s, r#"<g class="net-legend" font-size="{FONT_SIZE}">"#);
        let _ = writeln!(
            s,
            r#"<text x="16" y="{:.1}" font-weight="bold">Couleur des entreprises : secteur ; taille : nombre d'entreprises reliées ; couleur des liens : type</text>"#,
            top + 4.0
        );
        for (i, (label, sample)) in self.items.iter().enumerate() {
            let (row, col) = if i < sector_count {
                (i / columns, i % columns)
            } else {
                let j = i - sector_count;
                (sector_rows + j / columns, j % columns)
            };
            let x = 16.0 + col as f64 * col_w;
            let y = top + 24.0 + row as f64 * 20.0;
            match sample {
                Sample::Dot(c) => {
                    let _ = writeln!(
                        s,
                        r##"<circle cx="{:.1}" cy="{y:.1}" r="6" fill="{c}" stroke="#333333" stroke-width="1.5"/>"##,
                        x + 14.0
                    );
                }
                Sample::Line(c, dashed, arrow) => {
                    let dash = if *dashed {
                        r#" stroke-dasharray="6 4""#
                    } else {
                        ""
                    };
                    let _ = writeln!(
                        s,
                        r#"<line x1="{x:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{c}" stroke-width="3"{dash}/>"#,
                        x + 28.0
                    );
                    if *arrow {
                        let _ = writeln!(
                            s,
                            r#"<path d="M{:.1},{:.1} L{:.1},{y:.1} L{:.1},{:.1} z" fill="{c}"/>"#,
                            x + 24.0,
                            y - 5.0,
                            x + 32.0,
                            x + 24.0,
                            y + 5.0
                        );
                    }
                }
            }
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}">{}</text>"#,
                x + 38.0,
                y + 4.0,
                escape_xml(label)
            );
        }
        s.push_str("</g>\n");
    }
}
