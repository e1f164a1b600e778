//! The participation curve as a small SVG chart: submissions per day when the
//! window is short, per week (from Monday) when it is long, with the running
//! total as a line. The same periods feed the table the page gives beside the
//! chart, so the figures are readable without the drawing.

use std::fmt::Write;

use chrono::{Datelike, Duration, NaiveDate};

use crate::domain::french_time::format_day;
use crate::synthesis::drawing::escape_xml;
use crate::synthesis::participation::TimelinePoint;

/// Above this many days between the first and the last submission, the chart
/// counts by week: 31 bars still read, 232 do not.
pub const MAX_DAILY_DAYS: usize = 31;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Day,
    Week,
}

/// One bar of the chart and one row of its table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// "15 avril 2025" or "semaine du 14\u{a0}avril 2025".
    pub label: String,
    /// Axis tick: "15/04".
    pub tick: String,
    pub submitted: u64,
    pub cumulative: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub step: Step,
    pub periods: Vec<Period>,
}

impl Timeline {
    /// Groups the daily points (gaps already filled with zeros) by day or week.
    pub fn of(points: &[TimelinePoint]) -> Self {
        let days: Vec<(NaiveDate, u64)> = points
            .iter()
            .filter_map(|p| {
                NaiveDate::parse_from_str(&p.day, "%Y-%m-%d")
                    .ok()
                    .map(|d| (d, p.submitted))
            })
            .collect();
        let step = if days.len() > MAX_DAILY_DAYS {
            Step::Week
        } else {
            Step::Day
        };
        let mut periods: Vec<(NaiveDate, u64)> = Vec::new();
        for (day, n) in days {
            let start = match step {
                Step::Day => day,
                Step::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
            };
            match periods.last_mut() {
                Some((s, total)) if *s == start => *total += n,
                _ => periods.push((start, n)),
            }
        }
        let mut cumulative = 0;
        let periods = periods
            .into_iter()
            .map(|(start, submitted)| {
                cumulative += submitted;
                Period {
                    label: match step {
                        Step::Day => format_day(start),
                        Step::Week => format!("semaine du {}", format_day(start)),
                    },
                    tick: start.format("%d/%m").to_string(),
                    submitted,
                    cumulative,
                }
            })
            .collect();
        Self { step, periods }
    }

    /// "par jour" or "par semaine".
    pub fn step_label(&self) -> &'static str {
        match self.step {
            Step::Day => "par jour",
            Step::Week => "par semaine",
        }
    }

    /// The chart: bars of submissions per period, a line for the running
    /// total (its own scale, read on the right).
    pub fn svg(&self) -> String {
        let (width, height) = (640.0, 230.0);
        let (left, right, top, bottom) = (40.0, 48.0, 34.0, 30.0);
        let plot_w = width - left - right;
        let plot_h = height - top - bottom;
        let n = self.periods.len().max(1) as f64;
        let max_bar = self.periods.iter().map(|p| p.submitted).max().unwrap_or(0);
        let total = self.periods.last().map_or(0, |p| p.cumulative);
        let title = format!("Contributions envoyées {}", self.step_label());
        let busiest = self
            .periods
            .iter()
            .max_by(|a, b| a.submitted.cmp(&b.submitted).then(b.label.cmp(&a.label)));
        let desc = match (self.periods.first(), self.periods.last(), busiest) {
            (Some(first), Some(last), Some(top_period)) => format!(
                "{total} contributions envoyées {} du {} au {}\u{a0}; la plus forte\u{a0}: {} ({}). La ligne donne le cumul.",
                self.step_label(),
                first.label.trim_start_matches("semaine du "),
                last.label.trim_start_matches("semaine du "),
                top_period.label,
                top_period.submitted
            ),
            _ => "Aucune contribution envoyée.".into(),
        };
        let mut s = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="timeline-title timeline-desc" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="12">
<title id="timeline-title">{}</title>
<desc id="timeline-desc">{}</desc>
<text x="{left}" y="16" font-weight="bold" font-size="13">{}</text>
"#,
            escape_xml(&title),
            escape_xml(&desc),
            escape_xml(&title)
        );
        let base = top + plot_h;
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{base}" x2="{:.1}" y2="{base}" stroke="#555"/>"##,
            left + plot_w
        );
        // Left scale: the busiest period; right scale: the total.
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end">{max_bar}</text><text x="{:.1}" y="{base:.1}" text-anchor="end">0</text>"##,
            left - 4.0,
            top + 4.0,
            left - 4.0,
        );
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" fill="#A94400">{total}</text>"##,
            left + plot_w + 4.0,
            top + 4.0,
        );
        let slot = plot_w / n;
        let bar_w = (slot * 0.7).max(1.0);
        let every = (self.periods.len() / 8).max(1);
        let mut line = String::new();
        for (i, p) in self.periods.iter().enumerate() {
            let x = left + i as f64 * slot + (slot - bar_w) / 2.0;
            let h = if max_bar > 0 {
                p.submitted as f64 / max_bar as f64 * plot_h
            } else {
                0.0
            };
            let _ = writeln!(
                s,
                r##"<rect x="{x:.1}" y="{:.1}" width="{bar_w:.1}" height="{h:.1}" fill="#0072B2"><title>{} : {}</title></rect>"##,
                base - h,
                escape_xml(&p.label),
                p.submitted
            );
            if i % every == 0 {
                let _ = writeln!(
                    s,
                    r##"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
                    x + bar_w / 2.0,
                    base + 16.0,
                    escape_xml(&p.tick)
                );
            }
            let y = if total > 0 {
                base - p.cumulative as f64 / total as f64 * plot_h
            } else {
                base
            };
            let _ = write!(line, "{:.1},{y:.1} ", x + bar_w / 2.0);
        }
        let _ = writeln!(
            s,
            r##"<polyline points="{}" fill="none" stroke="#A94400" stroke-width="2"/>"##,
            line.trim_end()
        );
        s.push_str("</svg>\n");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(first: &str, values: &[u64]) -> Vec<TimelinePoint> {
        let start = NaiveDate::parse_from_str(first, "%Y-%m-%d").unwrap();
        let mut cumulative = 0;
        values
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                cumulative += n;
                TimelinePoint {
                    day: (start + Duration::days(i as i64))
                        .format("%Y-%m-%d")
                        .to_string(),
                    submitted: n,
                    cumulative,
                }
            })
            .collect()
    }

    #[test]
    fn a_short_window_is_counted_by_day() {
        let t = Timeline::of(&points("2025-04-15", &[20, 0, 0, 17]));
        assert_eq!(t.step, Step::Day);
        assert_eq!(t.periods.len(), 4);
        assert_eq!(t.periods[3].label, "18\u{a0}avril 2025");
        assert_eq!(t.periods[3].cumulative, 37);
    }

    #[test]
    fn a_long_window_is_counted_by_week_from_monday() {
        // 232 days from Tuesday 15 April 2025: 34 weeks, the first from Monday 14.
        let mut values = vec![0; 232];
        values[0] = 20;
        values[6] = 1; // Monday 21 April: second week
        values[231] = 3;
        let t = Timeline::of(&points("2025-04-15", &values));
        assert_eq!(t.step, Step::Week);
        assert_eq!(t.periods.len(), 34);
        assert_eq!(t.periods[0].label, "semaine du 14\u{a0}avril 2025");
        assert_eq!((t.periods[0].submitted, t.periods[1].submitted), (20, 1));
        assert_eq!(t.periods.last().unwrap().cumulative, 24);
    }

    #[test]
    fn the_chart_is_named_and_described_and_the_same_for_the_same_data() {
        let t = Timeline::of(&points("2025-04-15", &[20, 0, 0, 17]));
        let svg = t.svg();
        assert!(
            svg.contains("<title id=\"timeline-title\">Contributions envoyées par jour</title>")
        );
        assert!(svg.contains(
            "37 contributions envoyées par jour du 15\u{a0}avril 2025 au 18\u{a0}avril 2025"
        ));
        assert_eq!(svg.matches("<rect").count(), 4);
        assert_eq!(
            svg,
            Timeline::of(&points("2025-04-15", &[20, 0, 0, 17])).svg()
        );
    }
}
