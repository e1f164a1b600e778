//! Greedy label placement with collision avoidance: each label, in the order
//! given (the most important first), takes the first spot around its anchor
//! that stays inside the frame and overlaps neither a node nor a label already
//! placed. A firm's label only ever touches its own circle (a few pixels
//! away), so it never reads as another firm's; a label that finds no such
//! spot is left out, and the caller names that firm beside the drawing.
//! Deterministic: same input, same output.

/// An axis-aligned box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Box2 {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Box2 {
    fn overlaps(&self, o: &Box2) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    fn inside(&self, frame: &Box2) -> bool {
        self.x0 >= frame.x0 && self.x1 <= frame.x1 && self.y0 >= frame.y0 && self.y1 <= frame.y1
    }
}

/// What a label names: an area (a cluster of firms), or one firm's circle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Anchor {
    Area(Box2),
    Firm { x: f64, y: f64, r: f64 },
}

/// A label to place: what it labels and its texts with their widths,
/// preferred first.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelRequest {
    pub anchor: Anchor,
    pub texts: Vec<(String, f64)>,
}

/// Gaps from an area tried in turn: right beside it, then further out.
const RINGS: [f64; 4] = [2.0, 9.0, 18.0, 30.0];

/// Gaps from a firm's circle: so close that the label is plainly its own.
const FIRM_GAPS: [f64; 2] = [2.0, 4.5];

/// Candidate boxes of size `w`×`h` around a firm's circle, nearest and most
/// readable first: right, left, above, below (each centred then slid along
/// the circle), then the four diagonals; every box touches the circle's
/// ring at `r + gap`, so none stands further than the gap from the firm.
fn firm_candidates(x: f64, y: f64, r: f64, w: f64, h: f64) -> Vec<Box2> {
    let mut out = Vec::with_capacity(FIRM_GAPS.len() * 16);
    for g in FIRM_GAPS {
        let d = r + g;
        let diag = d * std::f64::consts::FRAC_1_SQRT_2;
        let spots = [
            (x + d, y - h / 2.0),
            (x - d - w, y - h / 2.0),
            (x - w / 2.0, y - d - h),
            (x - w / 2.0, y + d),
            (x + d, y - h),
            (x + d, y),
            (x - d - w, y - h),
            (x - d - w, y),
            (x - w + h, y - d - h),
            (x - h, y - d - h),
            (x - w + h, y + d),
            (x - h, y + d),
            (x + diag, y - diag - h),
            (x + diag, y + diag),
            (x - diag - w, y - diag - h),
            (x - diag - w, y + diag),
        ];
        out.extend(spots.iter().map(|&(x0, y0)| Box2 {
            x0,
            y0,
            x1: x0 + w,
            y1: y0 + h,
        }));
    }
    out
}

/// Candidate boxes of size `w`×`h` around `a`, nearest and most readable first
/// (right, left, above, below, then the corners).
fn candidates(a: &Box2, w: f64, h: f64) -> Vec<Box2> {
    let cx = (a.x0 + a.x1) / 2.0;
    let cy = (a.y0 + a.y1) / 2.0;
    let mut out = Vec::with_capacity(RINGS.len() * 8);
    for g in RINGS {
        let spots = [
            (a.x1 + g, cy - h / 2.0),
            (a.x0 - g - w, cy - h / 2.0),
            (cx - w / 2.0, a.y0 - g - h),
            (cx - w / 2.0, a.y1 + g),
            (a.x1 + g, a.y0 - g - h),
            (a.x1 + g, a.y1 + g),
            (a.x0 - g - w, a.y0 - g - h),
            (a.x0 - g - w, a.y1 + g),
        ];
        out.extend(spots.iter().map(|&(x0, y0)| Box2 {
            x0,
            y0,
            x1: x0 + w,
            y1: y0 + h,
        }));
    }
    out
}

/// For each request, `Some((text index, box))` or `None` when nothing fit.
pub fn place_labels(
    requests: &[LabelRequest],
    obstacles: &[Box2],
    frame: Box2,
    height: f64,
) -> Vec<Option<(usize, Box2)>> {
    let mut placed: Vec<Box2> = Vec::with_capacity(requests.len());
    requests
        .iter()
        .map(|r| {
            for (choice, (_, w)) in r.texts.iter().enumerate() {
                let spots = match r.anchor {
                    Anchor::Area(a) => candidates(&a, *w, height),
                    Anchor::Firm { x, y, r } => firm_candidates(x, y, r, *w, height),
                };
                let spot = spots.into_iter().find(|b| {
                    b.inside(&frame)
                        && !obstacles.iter().any(|o| o.overlaps(b))
                        && !placed.iter().any(|p| p.overlaps(b))
                });
                if let Some(b) = spot {
                    placed.push(b);
                    return Some((choice, b));
                }
            }
            None
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, r: f64) -> Box2 {
        Box2 {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        }
    }

    const FRAME: Box2 = Box2 {
        x0: 0.0,
        y0: 0.0,
        x1: 400.0,
        y1: 300.0,
    };

    #[test]
    fn a_lone_label_goes_to_the_right_of_its_node() {
        let r = LabelRequest {
            anchor: Anchor::Firm {
                x: 100.0,
                y: 100.0,
                r: 5.0,
            },
            texts: vec![("Nom".into(), 30.0)],
        };
        let got = place_labels(
            std::slice::from_ref(&r),
            &[square(100.0, 100.0, 5.0)],
            FRAME,
            14.0,
        );
        assert_eq!(
            got,
            [Some((
                0,
                Box2 {
                    x0: 107.0,
                    y0: 93.0,
                    x1: 137.0,
                    y1: 107.0
                }
            ))]
        );
    }

    #[test]
    fn crowded_labels_never_overlap_and_stay_beside_their_firm_or_are_left_out() {
        // Twenty firms 12 px apart on a line: long names cannot all fit.
        let firms: Vec<(f64, f64)> = (0..20).map(|i| (40.0 + 12.0 * i as f64, 150.0)).collect();
        let obstacles: Vec<Box2> = firms.iter().map(|&(x, y)| square(x, y, 4.0)).collect();
        let requests: Vec<LabelRequest> = firms
            .iter()
            .map(|&(x, y)| LabelRequest {
                anchor: Anchor::Firm { x, y, r: 4.0 },
                texts: vec![("Un nom assez long".into(), 120.0)],
            })
            .collect();
        let got = place_labels(&requests, &obstacles, FRAME, 14.0);
        for (i, placed) in got.iter().enumerate() {
            let Some((_, a)) = placed else { continue };
            assert!(a.inside(&FRAME));
            assert!(!obstacles.iter().any(|o| o.overlaps(a)));
            let (x, y) = firms[i];
            let dx = (a.x0 - x).max(x - a.x1).max(0.0);
            let dy = (a.y0 - y).max(y - a.y1).max(0.0);
            assert!((dx * dx + dy * dy).sqrt() <= 4.0 + 4.5 + 1e-9, "{a:?}");
            for (_, b) in got[i + 1..].iter().flatten() {
                assert!(!a.overlaps(b), "{a:?} {b:?}");
            }
        }
        assert!(got.iter().any(Option::is_some), "names kept");
        assert!(got.iter().any(Option::is_none), "the rest left out");
        assert_eq!(got, place_labels(&requests, &obstacles, FRAME, 14.0));
    }

    #[test]
    fn a_label_with_no_room_is_left_out() {
        let anchor = square(200.0, 150.0, 5.0);
        let r = LabelRequest {
            anchor: Anchor::Area(anchor),
            texts: vec![("Trop long".into(), 500.0)],
        };
        assert_eq!(place_labels(&[r], &[anchor], FRAME, 14.0), [None]);
    }
}
