//! Reading the spreadsheets people have (CSV from Excel or LibreOffice: UTF-8 with
//! or without BOM, or Windows-1252; `;` or `,`), and writing CSV that French Excel
//! opens correctly (UTF-8 BOM, `;`, CRLF, formula-looking cells neutralised).

use super::name::{clean_text, name_key};

/// The text of an uploaded file: UTF-8 (its BOM dropped) when it is valid UTF-8,
/// Windows-1252 otherwise (what Excel writes as "CSV" on a French Windows).
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// A table read from a file: header keys (see `name_key`) and the non-blank rows
/// with their line number in the file (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
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
            None => headers = Some(cells.iter().map(|h| name_key(h)).collect()),
            Some(_) => rows.push((line, cells)),
        }
    }
    let headers = headers.ok_or_else(|| "Le fichier est vide.".to_string())?;
    Ok(Table { headers, rows })
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
        assert_eq!(decode(b"\xEF\xBB\xBFa;b"), "a;b");
        assert_eq!(decode(b"Scierie \xE0 Segr\xE9"), "Scierie à Segré");
        assert_eq!(decode("déjà".as_bytes()), "déjà");
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
