//! The QR code of a room's join address, drawn here as SVG: no outside
//! service learns the room's address, and the projector needs no network.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The SVG element of a QR code, put inline in a page as it is: it holds
/// only squares the renderer drew (the address is encoded in them, never
/// written as text), so it is markup askama need not escape.
pub struct QrSvg(String);

impl std::fmt::Display for QrSvg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for QrSvg {}

/// The QR code of `address` (the XML declaration the renderer writes first
/// is left out).
pub fn svg_of(address: &str) -> QrSvg {
    QrSvg(drawn_svg(address))
}

fn drawn_svg(address: &str) -> String {
    // A room's address is short: the medium correction level keeps the
    // squares big enough to scan from the back of a room.
    let Ok(code) = QrCode::with_error_correction_level(address.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    let drawn = code
        .render::<svg::Color<'_>>()
        .min_dimensions(320, 320)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    let start = drawn.find("<svg").unwrap_or(0);
    drawn[start..].replacen(
        "<svg ",
        "<svg role=\"img\" aria-label=\"QR code de l’adresse pour rejoindre la salle\" class=\"room-qr\" ",
        1,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_qr_code_is_an_svg_element() {
        let svg = super::svg_of("https://tissu.example.fr/salle/AB3K7Q").to_string();
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains("<path"));
        assert!(svg.ends_with("</svg>"));
    }
}
