//! Links a drawing brings forward among the others: those declared in one
//! workshop session (the room's projector), drawn stronger while the rest of
//! the network fades, and the newest of them stronger still, with their
//! firms outlined. Width and outline say it, not colour alone, and every
//! mark also carries a class a style sheet may animate.

use std::collections::BTreeSet;

use crate::domain::links::LinkStatus;
use crate::synthesis::network::AggregatedEdge;

/// A link as highlighted: (declaring firm, other firm, status), any kind.
pub type HighlightedLink = (i64, i64, LinkStatus);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlight {
    /// Links drawn stronger; the others fade.
    pub links: BTreeSet<HighlightedLink>,
    /// The newest of them, emphasised further, their firms outlined.
    pub newest: BTreeSet<HighlightedLink>,
}

/// How one link is drawn.
pub(super) struct EdgeLook {
    pub class: &'static str,
    pub width: f64,
    /// ` stroke-opacity="…"` when the link fades, else empty.
    pub opacity: &'static str,
}

impl Highlight {
    pub fn is_empty(&self) -> bool {
        self.links.is_empty() && self.newest.is_empty()
    }

    pub(super) fn edge(&self, e: &AggregatedEdge, width: f64) -> EdgeLook {
        let key = (e.source, e.target, e.status);
        if self.newest.contains(&key) {
            EdgeLook {
                class: "net-edge net-highlight net-newest",
                width: width * 2.0 + 2.0,
                opacity: "",
            }
        } else if self.links.contains(&key) {
            EdgeLook {
                class: "net-edge net-highlight",
                width: width + 1.5,
                opacity: "",
            }
        } else if self.is_empty() {
            EdgeLook {
                class: "net-edge",
                width,
                opacity: "",
            }
        } else {
            EdgeLook {
                class: "net-edge",
                width,
                opacity: r#" stroke-opacity="0.35""#,
            }
        }
    }

    /// Whether a firm is one of the newest links' ends.
    pub(super) fn newest_firm(&self, id: i64) -> bool {
        self.newest.iter().any(|(s, t, _)| *s == id || *t == id)
    }
}
