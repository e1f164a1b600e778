//! Greedy label placement with collision avoidance: each label, in the order
//! given (the most important first), takes the first spot around its anchor
//! that stays inside the frame and overlaps neither a node nor a label already
//! placed. A label offers texts from the preferred (a firm's name) to the
//! fallback (its number); when none fits anywhere, it is left out, and the
//! caller says so beside the drawing. Deterministic: same input, same output.

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

/// A label to place: the box it labels and its texts with their widths,
/// preferred first.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelRequest {
    pub anchor: Box2,
    pub texts: Vec<(String, f64)>,
}

/// Gaps from the anchor tried in turn: right beside it, then further out.
const RINGS: [f64; 4] = [2.0, 9.0, 18.0, 30.0];

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
                let spot = candidates(&r.anchor, *w, height).into_iter().find(|b| {
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
            anchor: square(100.0, 100.0, 5.0),
            texts: vec![("Nom".into(), 30.0)],
        };
        let got = place_labels(std::slice::from_ref(&r), &[r.anchor], FRAME, 14.0);
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
    fn crowded_labels_never_overlap_and_fall_back_to_numbers() {
        // Twenty nodes 12 px apart on a line: long names cannot all fit.
        let anchors: Vec<Box2> = (0..20)
            .map(|i| square(40.0 + 12.0 * i as f64, 150.0, 4.0))
            .collect();
        let requests: Vec<LabelRequest> = anchors
            .iter()
            .map(|&anchor| LabelRequest {
                anchor,
                texts: vec![("Un nom assez long".into(), 120.0), ("12".into(), 16.0)],
            })
            .collect();
        let got = place_labels(&requests, &anchors, FRAME, 14.0);
        let boxes: Vec<Box2> = got.iter().flatten().map(|(_, b)| *b).collect();
        for (i, a) in boxes.iter().enumerate() {
            assert!(a.inside(&FRAME));
            assert!(!anchors.iter().any(|o| o.overlaps(a)));
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} {b:?}");
            }
        }
        assert!(
            got.iter().any(|g| matches!(g, Some((1, _)))),
            "numbers used"
        );
        assert!(got.iter().any(|g| matches!(g, Some((0, _)))), "names kept");
        assert_eq!(got, place_labels(&requests, &anchors, FRAME, 14.0));
    }

    #[test]
    fn a_label_with_no_room_is_left_out() {
        let anchor = square(200.0, 150.0, 5.0);
        let r = LabelRequest {
            anchor,
            texts: vec![("Trop long".into(), 500.0)],
        };
        assert_eq!(place_labels(&[r], &[anchor], FRAME, 14.0), [None]);
    }
}
