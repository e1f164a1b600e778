//! How big the map draws things, shared by the firms, the links (which stop
//! at a firm's edge) and the legend (whose columns fit its text).

pub const FONT_SIZE: f64 = 12.0;

/// Node radius: grows with the square root of the degree, so area follows it.
pub fn radius(degree: usize) -> f64 {
    4.0 + 2.2 * (degree as f64).sqrt()
}
