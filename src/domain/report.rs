//! What the facilitators add to the printed report: their introduction and a
//! conclusion per part (plain text, paragraphs separated by blank lines), and
//! the territory's logo for the cover (PNG or JPEG, checked by its content).

use super::FieldErrors;

/// Where a text of the report goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Introduction,
    Participation,
    Network,
    Swot,
    Levers,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Self::Introduction,
        Self::Participation,
        Self::Network,
        Self::Swot,
        Self::Levers,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The code stored and used as the form field's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Introduction => "introduction",
            Self::Participation => "participation",
            Self::Network => "reseau",
            Self::Swot => "swot",
            Self::Levers => "leviers",
        }
    }

    /// The field's label on the editing page.
    pub fn label(self) -> &'static str {
        match self {
            Self::Introduction => "Introduction des animateurs",
            Self::Participation => "Conclusion de la partie «\u{a0}Participation\u{a0}»",
            Self::Network => "Conclusion de la partie «\u{a0}Réseau des entreprises\u{a0}»",
            Self::Swot => {
                "Conclusion de la partie «\u{a0}Atouts, faiblesses, opportunités, menaces\u{a0}»"
            }
            Self::Levers => "Conclusion de la partie «\u{a0}Leviers et objectifs\u{a0}»",
        }
    }
}

/// Longest text of one section, in characters: about two printed pages.
pub const MAX_TEXT_CHARS: usize = 6000;

/// A text as typed, its line endings made `\n` and its ends trimmed; empty
/// means "no text" (the report then shows nothing for it).
pub fn parse_text(raw: &str) -> Result<String, String> {
    let text = raw.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    let n = text.chars().count();
    if n > MAX_TEXT_CHARS {
        return Err(format!(
            "Le texte fait {n} caractères\u{a0}: {MAX_TEXT_CHARS} au plus (environ deux pages imprimées)."
        ));
    }
    Ok(text.to_string())
}

/// The paragraphs of a text: blocks separated by one or more blank lines,
/// the single line breaks inside a block kept as spaces.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

/// Largest logo file accepted.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;
/// Largest side of a logo in pixels: a cover shows it a few centimetres wide.
pub const MAX_LOGO_SIDE: u32 = 4000;

/// A logo whose content is a PNG or JPEG image of a sane size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

impl Logo {
    /// Checks the file by its content (its name and announced type are not
    /// trusted): PNG or JPEG signature, dimensions read from the header.
    pub fn parse(bytes: Vec<u8>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let refuse = |mut errors: FieldErrors, message: String| {
            errors.add("file", message);
            Err(errors)
        };
        if bytes.is_empty() {
            return refuse(errors, "Choisissez une image PNG ou JPEG.".into());
        }
        if bytes.len() > MAX_LOGO_BYTES {
            return refuse(
                errors,
                format!(
                    "L'image fait {} Ko\u{a0}: 512 Ko au plus.",
                    bytes.len().div_ceil(1024)
                ),
            );
        }
        let (content_type, size) = if let Some(size) = png_size(&bytes) {
            ("image/png", size)
        } else if let Some(size) = jpeg_size(&bytes) {
            ("image/jpeg", size)
        } else {
            return refuse(
                errors,
                "Ce fichier n'est pas une image PNG ou JPEG lisible.".into(),
            );
        };
        let (width, height) = size;
        if width == 0 || height == 0 || width > MAX_LOGO_SIDE || height > MAX_LOGO_SIDE {
            errors.add(
                "file",
                format!(
                    "L'image mesure {width} × {height} pixels\u{a0}: chaque côté doit faire entre 1 et {MAX_LOGO_SIDE} pixels."
                ),
            );
        }
        errors.into_result(Self {
            content_type,
            width,
            height,
            bytes,
        })
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Width and height from the IHDR chunk, which a PNG must begin with.
fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    if b.len() < 24 || !b.starts_with(PNG_SIGNATURE) || &b[12..16] != b"IHDR" {
        return None;
    }
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    Some((be(16), be(20)))
}

/// Width and height from the first start-of-frame segment, walking the
/// segments from the start-of-image marker.
fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    if !b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return None;
    }
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        // Fill bytes and markers without a length.
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if matches!(marker, 0x01 | 0xD0..=0xD7) {
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        if len < 2 {
            return None;
        }
        // Start of frame: every SOFn except DHT (C4), JPG (C8) and DAC (CC).
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            if i + 9 > b.len() {
                return None;
            }
            let h = u16::from_be_bytes([b[i + 5], b[i + 6]]);
            let w = u16::from_be_bytes([b[i + 7], b[i + 8]]);
            return Some((u32::from(w), u32::from(h)));
        }
        i += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = PNG_SIGNATURE.to_vec();
        b.extend_from_slice(&13u32.to_be_bytes());
        b.extend_from_slice(b"IHDR");
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    #[test]
    fn a_png_is_recognised_by_its_content_with_its_size() {
        let logo = Logo::parse(png(300, 120)).unwrap();
        assert_eq!(
            (logo.content_type, logo.width, logo.height),
            ("image/png", 300, 120)
        );
    }

    #[test]
    fn a_jpeg_size_is_read_from_its_frame_header() {
        // SOI, an APP0 segment of 16 bytes, then SOF0 with 80 × 40.
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        b.extend_from_slice(&[0; 14]);
        b.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 40, 0x00, 80, 3]);
        b.extend_from_slice(&[0; 9]);
        let logo = Logo::parse(b).unwrap();
        assert_eq!(
            (logo.content_type, logo.width, logo.height),
            ("image/jpeg", 80, 40)
        );
    }

    #[test]
    fn other_content_is_refused_whatever_its_name() {
        let e = Logo::parse(b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec()).unwrap_err();
        assert!(e.get("file").unwrap().contains("PNG ou JPEG"));
    }

    #[test]
    fn an_image_too_large_in_pixels_is_refused() {
        let e = Logo::parse(png(5000, 10)).unwrap_err();
        assert!(e.get("file").unwrap().contains("5000 × 10"));
    }

    #[test]
    fn paragraphs_are_split_on_blank_lines() {
        assert_eq!(
            paragraphs("Un\ndeux\n\n\n  Trois  \n"),
            ["Un deux", "Trois"]
        );
        assert_eq!(parse_text(" a\r\nb ").unwrap(), "a\nb");
        assert!(parse_text(&"x".repeat(MAX_TEXT_CHARS + 1)).is_err());
    }
}
