//! Minutes (and agendas, summaries) are plain text: paragraphs separated by a
//! blank line, and lists whose lines start with `-`. This tiny renderer turns
//! them into HTML, escaping every character of the text first, so no markup a
//! user typed ever reaches the page as markup.

use crate::domain::xml::escape_xml as escape;
use std::fmt;

/// Plain text rendered as escaped paragraphs and lists. Implements askama's
/// `HtmlSafe` because its only constructor escapes everything it is given.
pub struct Minutes(String);

impl Minutes {
    pub fn render(text: &str) -> Self {
        let mut html = String::new();
        let text = text.replace("\r\n", "\n");
        for block in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
            let mut paragraph: Vec<&str> = Vec::new();
            let mut items: Vec<&str> = Vec::new();
            for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
                if let Some(item) = line.strip_prefix('-') {
                    flush_paragraph(&mut html, &mut paragraph);
                    items.push(item.trim());
                } else {
                    flush_list(&mut html, &mut items);
                    paragraph.push(line);
                }
            }
            flush_paragraph(&mut html, &mut paragraph);
            flush_list(&mut html, &mut items);
        }
        Self(html)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn flush_paragraph(html: &mut String, lines: &mut Vec<&str>) {
    if lines.is_empty() {
        return;
    }
    let escaped: Vec<String> = lines.iter().map(|l| escape(l)).collect();
    html.push_str("<p>");
    html.push_str(&escaped.join("<br>"));
    html.push_str("</p>");
    lines.clear();
}

fn flush_list(html: &mut String, items: &mut Vec<&str>) {
    if items.is_empty() {
        return;
    }
    html.push_str("<ul>");
    for item in items.iter() {
        html.push_str("<li>");
        html.push_str(&escape(item));
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    items.clear();
}

impl fmt::Display for Minutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for Minutes {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_dash_lists_become_html() {
        let html = Minutes::render(
            "Ouverture par le président.\nTour de table.\n\n- logement\n- mobilité\nSuite.",
        )
        .0;
        assert_eq!(
            html,
            "<p>Ouverture par le président.<br>Tour de table.</p><ul><li>logement</li><li>mobilité</li></ul><p>Suite.</p>"
        );
    }

    #[test]
    fn markup_typed_in_the_text_is_escaped() {
        let html = Minutes::render("<script>alert('x')</script>\n- <b>gras</b> & co").0;
        assert_eq!(
            html,
            "<p>&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;</p><ul><li>&lt;b&gt;gras&lt;/b&gt; &amp; co</li></ul>"
        );
    }
}
