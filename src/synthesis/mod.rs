//! Pure aggregation layer: turns pre-aggregated rows (the SQL layer does the
//! GROUP BYs) into the syntheses shown, printed and exported by the app.
//!
//! Nothing here touches the database or the network: every function takes
//! small aggregated inputs and returns plain serialisable structs, so the views
//! stay fast on large campaigns and the figures are unit-testable by hand.

pub mod action_plan;
pub mod comparison;
pub mod drawing;
pub mod levers;
pub mod network;
pub mod participation;
pub mod swot;
pub mod text;

pub use drawing::network_map::layout::{layout, layout_groups, LayoutOptions, NodePosition};
pub use drawing::network_map::{network_drawing, DrawingOptions, NetworkDrawing};
pub use drawing::{bar_chart_svg, escape_xml};
pub use levers::{points_for_rank, synthesize_levers, Levers, RankCount};
pub use network::ego::ego_network;
pub use network::{build_network, cluster_label, EdgeCount, FirmNode, Network, NetworkError};
pub use participation::{
    synthesize_participation, Attribute, AttributeCount, DayCount, Participation,
    ParticipationCounts, SourceCount,
};
pub use swot::{propose_groups, synthesize_swot, CuratedTheme, Swot, SwotGroupRow, SwotOptions};
pub use text::{collation_key, similarity};

/// Rounds to one decimal place (half away from zero), the precision used for
/// every percentage shown to users.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Rounds to `digits` decimals. Used on floating-point metrics that come out
/// of iterative or parallel computations, so the JSON stays byte-stable.
pub fn round_to(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// `part / whole` in percent with one decimal; 0.0 when `whole` is 0 so empty
/// campaigns render as zeros instead of NaN.
pub fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round1(part as f64 * 100.0 / whole as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_to_one_decimal() {
        assert_eq!(percent(1, 3), 33.3);
        assert_eq!(percent(2, 3), 66.7);
        assert_eq!(percent(1, 8), 12.5);
        assert_eq!(percent(5, 5), 100.0);
    }

    #[test]
    fn percent_of_zero_is_zero() {
        assert_eq!(percent(0, 0), 0.0);
        assert_eq!(percent(7, 0), 0.0);
    }

    #[test]
    fn round_helpers() {
        assert_eq!(round1(0.25), 0.3);
        assert_eq!(round1(-0.25), -0.3);
        assert_eq!(round_to(0.123456789, 6), 0.123457);
        assert_eq!(round_to(2.0 / 3.0, 3), 0.667);
    }
}
