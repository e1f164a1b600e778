//! Reading the spreadsheets people have (CSV from Excel or LibreOffice: UTF-8 with
//! or without BOM, or Windows-1252; `;` or `,`), and writing CSV that French Excel
//! opens correctly (UTF-8 BOM, `;`, CRLF, formula-looking cells neutralised).

use crate::domain::name::{clean_text, name_key};

/// An uploaded file's text, and the lines (numbered from 1) that were read as
/// Windows-1252.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub windows_1252_lines: Vec<usize>,
    /// Whether some other line has accents in UTF-8: the file mixes the two.
    pub has_utf8_accents: bool,
}

impl Decoded {
    /// What the preview says of a file that mixes encodings (lines pasted from
    /// two sources), if it does: each line was read in its own.
    pub fn note(&self) -> Option<String> {
        let lines = &self.windows_1252_lines;
        if lines.is_empty() || !self.has_utf8_accents {
            return None;
        }
        let shown: Vec<String> = lines.iter().take(5).map(usize::to_string).collect();
        let which = match (lines.len(), shown.as_slice()) {
            (1, [one]) => format!("la ligne {one} est lue"),
            (n, _) if n <= 5 => format!(
                "les lignes {} et {} sont lues",
                shown[..n - 1].join(", "),
                shown[n - 1]
            ),
            (n, _) => format!(
                "les lignes {} et {} autres sont lues",
                shown.join(", "),
                n - 5
            ),
        };
        Some(format!(
            "Ce fichier mélange deux encodages\u{a0}: {which} en Windows-1252 (ancien format d'Excel), les autres en UTF-8. Chaque ligne a été lue dans le sien\u{a0}; vérifiez les accents de ces lignes dans l'aperçu."
        ))
    }
}

/// Bytes that Windows-1252 leaves undefined: a line holding one is in no
/// encoding a spreadsheet writes.
const UNDEFINED_IN_1252: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

/// Whether a line that is not valid UTF-8 still holds accents in UTF-8: a line
/// mixing both encodings, which no single reading gets right.
fn has_utf8_accents(line: &[u8]) -> bool {
    line.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
}

/// The text of an uploaded file, line by line: UTF-8 (the BOM dropped) when
/// the line is valid UTF-8, Windows-1252 otherwise (what Excel writes as "CSV"
/// on a French Windows). Deciding for the whole file made one Latin-1 line
/// turn every accent of the UTF-8 lines into « Ã© », headers included; a line
/// readable in neither refuses the file, naming it.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_string(),
            windows_1252_lines: Vec::new(),
            has_utf8_accents: !text.is_ascii(),
        });
    }
    let mut decoded = Decoded {
        text: String::with_capacity(bytes.len() + bytes.len() / 8),
        windows_1252_lines: Vec::new(),
        has_utf8_accents: false,
    };
    // A line feed is never part of a UTF-8 sequence, so each line is whole.
    for (i, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
        match std::str::from_utf8(line) {
            Ok(text) => {
                decoded.has_utf8_accents |= !text.is_ascii();
                decoded.text.push_str(text);
            }
            Err(_)
                if line.iter().any(|b| UNDEFINED_IN_1252.contains(b)) || has_utf8_accents(line) =>
            {
                return Err(format!(
                    "Ligne {}\u{a0}: caractères illisibles, ni en UTF-8 ni en Windows-1252 (ou les deux mêlés sur la ligne). Enregistrez le fichier au format «\u{a0}CSV UTF-8\u{a0}» depuis votre tableur, puis choisissez-le de nouveau.",
                    i + 1
                ));
            }
            Err(_) => {
                decoded.windows_1252_lines.push(i + 1);
                decoded.text.push_str(
                    &encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(line)
                        .0,
                );
            }
        }
    }
    Ok(decoded)
}

/// A table read from a file: header keys (see `name_key`) and the non-blank rows
/// with their line number in the file (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    /// The headers as typed, for messages.
    pub titles: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// What the preview says of the columns that no field reads (`columns`:
    /// the aliases of each field), if there are any: a misspelt header leaves
    /// its column unread, and nothing else would tell.
    pub fn ignored_columns_note(&self, columns: &[&[&str]]) -> Option<String> {
        let ignored: Vec<String> = self
            .headers
            .iter()
            .zip(&self.titles)
            .filter(|(key, _)| {
                !columns
                    .iter()
                    .any(|aliases| aliases.contains(&key.as_str()))
            })
            .map(|(key, title)| match title.as_str() {
                "" if key.is_empty() => "(sans titre)".to_string(),
                _ => format!("«\u{a0}{title}\u{a0}»"),
            })
            .collect();
        match ignored.len() {
            0 => None,
            1 => Some(format!(
                "La colonne {} est ignorée\u{a0}: son titre ne correspond à aucune colonne attendue. Renommez-la si elle devait être lue.",
                ignored[0]
            )),
            _ => Some(format!(
                "Les colonnes {} sont ignorées\u{a0}: leur titre ne correspond à aucune colonne attendue. Renommez-les si elles devaient être lues.",
                ignored.join(", ")
            )),
        }
    }

    /// The index of the first column whose header is one of `aliases` (keys).
    pub fn column(&self, aliases: &[&str]) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| aliases.iter().any(|a| h == a))
    }
}

/// Reads CSV text; the separator is `;` when the first line has more `;` than `,`.
pub fn read_table(text: &str) -> Result<Table, String> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter =
        if first.matches(';').count() >= first.matches(',').count() && first.contains(';') {
            b';'
        } else {
            b','
        };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut titles = Vec::new();
    let mut rows = Vec::new();
    let bytes = text.as_bytes();
    // The line a record starts on: the reader's position may still point at the
    // end of the previous line (CRLF files, blank lines), so skip line ends.
    let (mut counted_to, mut line_no) = (0usize, 1usize);
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            format!("Le fichier n'est pas un CSV lisible (ligne {line}).")
        })?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let mut start = record
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > counted_to {
            line_no += bytes[counted_to..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            counted_to = start;
        }
        let line = line_no;
        let cells: Vec<String> = record.iter().map(clean_text).collect();
        match headers {
            None => {
                headers = Some(cells.iter().map(|h| name_key(h)).collect());
                titles = cells;
            }
            Some(_) => rows.push((line, cells)),
        }
    }
    let headers = headers.ok_or_else(|| "Le fichier est vide.".to_string())?;
    Ok(Table {
        headers,
        titles,
        rows,
    })
}

/// A cell as written: one that a spreadsheet would run as a formula gets a
/// leading apostrophe.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A CSV file for French Excel: UTF-8 BOM, `;` separators, CRLF line ends.
pub fn write_csv(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(headers);
    for row in rows {
        let _ = writer.write_record(row.iter().map(|c| neutralise(c)));
    }
    writer.into_inner().unwrap_or_default()
}

/// A headcount with no number in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

/// The size band of a headcount as people write it ("12", "10 à 49", "250+",
/// "0-9"): the first number decides.
pub fn size_band(effectif: &str) -> Result<Option<&'static str>, Unreadable> {
    if effectif.trim().is_empty() {
        return Ok(None);
    }
    let digits: String = effectif
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == ' ' || *c == '\u{a0}')
        .filter(char::is_ascii_digit)
        .collect();
    let n: u64 = digits.parse().map_err(|_| Unreadable)?;
    Ok(Some(match n {
        0..=9 => "0-9",
        10..=49 => "10-49",
        50..=249 => "50-249",
        _ => "250+",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_windows_1252_and_drops_the_bom() {
        let text = |bytes: &[u8]| decode(bytes).unwrap().text;
        assert_eq!(text(b"\xEF\xBB\xBFa;b"), "a;b");
        assert_eq!(text(b"Scierie \xE0 Segr\xE9"), "Scierie à Segré");
        assert_eq!(text("déjà".as_bytes()), "déjà");
        assert_eq!(decode(b"Scierie \xE0 Segr\xE9").unwrap().note(), None);
    }

    #[test]
    fn each_line_is_read_in_its_own_encoding() {
        let mut bytes = "nom;prénom\r\nDupont;Hélène\r\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"Lef\xE8vre;Andr\xE9\r\nMartin;L\xC3\xA9a\r\n");
        let decoded = decode(&bytes).unwrap();
        assert_eq!(
            decoded.text,
            "nom;prénom\r\nDupont;Hélène\r\nLefèvre;André\r\nMartin;Léa\r\n"
        );
        assert_eq!(decoded.windows_1252_lines, [3]);
        assert!(decoded.note().unwrap().contains("la ligne 3 est lue"));
        assert_eq!(
            decode(b"nom\nA\x81B\n").unwrap_err(),
            "Ligne 2\u{a0}: caractères illisibles, ni en UTF-8 ni en Windows-1252 (ou les deux mêlés sur la ligne). Enregistrez le fichier au format «\u{a0}CSV UTF-8\u{a0}» depuis votre tableur, puis choisissez-le de nouveau."
        );
        let mut mixed_line = "nom\nHélène;".as_bytes().to_vec();
        mixed_line.extend_from_slice(b"Lef\xE8vre\n");
        assert!(decode(&mixed_line)
            .unwrap_err()
            .starts_with("Ligne 2\u{a0}: "));
    }

    #[test]
    fn reads_semicolons_or_commas_and_skips_blank_lines() {
        let t = read_table("Raison sociale;SIRET\r\n\r\nA;1\r\n;\r\nB;2\r\n").unwrap();
        assert_eq!(t.headers, vec!["raison sociale", "siret"]);
        assert_eq!(
            t.rows,
            vec![
                (3, vec!["A".into(), "1".into()]),
                (5, vec!["B".into(), "2".into()])
            ]
        );
        let t = read_table("nom,email\nDupont,a@b.fr\n").unwrap();
        assert_eq!(t.column(&["email"]), Some(1));
    }

    #[test]
    fn bands_and_neutralisation() {
        assert_eq!(size_band("12"), Ok(Some("10-49")));
        assert_eq!(size_band("250+"), Ok(Some("250+")));
        assert_eq!(size_band("1 200"), Ok(Some("250+")));
        assert_eq!(size_band(""), Ok(None));
        assert_eq!(size_band("beaucoup"), Err(Unreadable));
        assert_eq!(neutralise("=SOMME(A1)"), "'=SOMME(A1)");
        assert_eq!(neutralise("-3"), "'-3");
        let csv = write_csv(&["a", "b"], &[vec!["x;y".into(), "@z".into()]]);
        assert_eq!(csv, "\u{feff}a;b\r\n\"x;y\";'@z\r\n".as_bytes());
    }
}
