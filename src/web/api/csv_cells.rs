//! The cells of the CSV exports for French Excel: UTF-8 with BOM, `;`
//! separator, CRLF, and cells a spreadsheet would read as a formula neutralised
//! with a leading apostrophe. Rows are written by hand straight into the output
//! chunk (same quoting rules as the `csv` writer, checked against it in the
//! tests): the exports' hot loop allocates nothing per cell.

use crate::store::synthesis::queries::exports::CHUNK;
use std::borrow::Cow;
use std::io::Write;

const BOM: &[u8] = "\u{feff}".as_bytes();

/// A cell as Excel must see it: text that starts like a formula (= + - @,
/// tab, carriage return) gets a leading apostrophe.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

pub(crate) fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .has_headers(false)
        .from_writer(Vec::with_capacity(CHUNK + 4096))
}

pub(crate) fn write_record(w: &mut csv::Writer<Vec<u8>>, record: &[String]) {
    // Writing into a Vec cannot fail.
    for cell in record {
        let _ = w.write_field(neutralise(cell).as_bytes());
    }
    let _ = w.write_record(None::<&[u8]>);
}

/// The cells of one CSV row, written straight into the chunk (no copies),
/// exactly as the `csv` writer built by `writer` would write them: a field is
/// quoted (quotes doubled) only when it holds `;`, `"`, CR or LF.
pub(super) struct Cells<'w> {
    buf: &'w mut Vec<u8>,
    first: bool,
}

impl<'w> Cells<'w> {
    pub(super) fn new(buf: &'w mut Vec<u8>) -> Self {
        Cells { buf, first: true }
    }

    pub(super) fn cell(&mut self, value: &str) {
        if !self.first {
            self.buf.push(b';');
        }
        self.first = false;
        let bytes = value.as_bytes();
        let formula = matches!(
            bytes.first(),
            Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
        );
        if bytes
            .iter()
            .any(|b| matches!(b, b';' | b'"' | b'\r' | b'\n'))
        {
            self.buf.push(b'"');
            if formula {
                self.buf.push(b'\'');
            }
            for part in bytes.split_inclusive(|&b| b == b'"') {
                self.buf.extend_from_slice(part);
                if part.last() == Some(&b'"') {
                    self.buf.push(b'"');
                }
            }
            self.buf.push(b'"');
        } else {
            if formula {
                self.buf.push(b'\'');
            }
            self.buf.extend_from_slice(bytes);
        }
    }

    /// A cell that never needs quoting nor neutralising (a number).
    pub(super) fn number(&mut self, value: i64) {
        if !self.first {
            self.buf.push(b';');
        }
        self.first = false;
        let _ = write!(self.buf, "{value}");
    }

    /// "2026-04-15T10:00:00Z" → "2026-04-15 12:00:00", in the instance's
    /// zone (the header says which), as French Excel reads a date.
    pub(super) fn when(&mut self, ts: Option<&str>) {
        match ts {
            Some(t) => match crate::domain::french_time::instant(t) {
                Some(at) => self.cell(&crate::domain::french_time::spreadsheet_time(at)),
                None => self.cell(&t.trim_end_matches('Z').replacen('T', " ", 1)),
            },
            None => self.cell(""),
        }
    }

    pub(super) fn end(self) {
        self.buf.extend_from_slice(b"\r\n");
    }
}

/// BOM and header line.
pub(crate) fn head(header: &[String]) -> Vec<u8> {
    let mut w = writer();
    write_record(&mut w, header);
    let mut out = BOM.to_vec();
    out.extend(w.into_inner().unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for bad in ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("Scierie"), "Scierie");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn cells_match_the_csv_writer() {
        let tricky = [
            "",
            "plain",
            "a;b",
            "say \"hi\"",
            "\"",
            "line\nbreak",
            "cr\rx",
            "=1+1",
            "-2;3",
            "+\"q\"",
            "@x",
            "\tx",
            "\rx",
            "Élément à",
            "2026-04-15 10:00:00",
        ];
        let mut w = writer();
        let mut buf = Vec::new();
        for row in tricky.windows(3) {
            let mut c = Cells::new(&mut buf);
            for v in row {
                c.cell(v);
            }
            c.number(-42);
            c.end();
            let mut rec: Vec<String> = row.iter().map(|v| v.to_string()).collect();
            rec.push("-42".into());
            // The csv writer neutralises every cell; numbers are left alone.
            for cell in &rec[..3] {
                let _ = w.write_field(neutralise(cell).as_bytes());
            }
            let _ = w.write_field(b"-42");
            let _ = w.write_record(None::<&[u8]>);
        }
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            String::from_utf8(w.into_inner().unwrap()).unwrap()
        );
    }

    #[test]
    fn dates_are_in_paris_time_without_t_and_z() {
        let mut buf = Vec::new();
        let mut c = Cells::new(&mut buf);
        // Summer time: UTC+2.
        c.when(Some("2026-04-15T10:00:00Z"));
        c.when(None);
        c.when(Some("=x;T"));
        c.end();
        assert_eq!(buf, b"2026-04-15 12:00:00;;\"'=x; \"\r\n");
    }

    #[test]
    fn header_has_bom_semicolons_and_crlf() {
        let h = head(&["A".into(), "B;C".into()]);
        assert_eq!(h, "\u{feff}A;\"B;C\"\r\n".as_bytes());
    }
}
