//! Text placed in XML (the SVG drawings, the Gephi files) or in an HTML
//! fragment built by hand (minutes): one escaper for all of them.

use super::name::is_xml_char;

/// Text for an XML element or attribute value: the markup characters escaped,
/// tab and line ends as references (an attribute value would turn them into
/// spaces), and the characters XML 1.0 forbids dropped: one in a name stored
/// before input was cleaned of them would make the whole document unreadable.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped_and_forbidden_ones_dropped() {
        assert_eq!(
            escape_xml("<a href=\"x\">'&'</a>\u{1}\u{FFFE}"),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;"
        );
    }

    #[test]
    fn line_ends_survive_an_attribute_value() {
        assert_eq!(escape_xml("a\tb\nc\r"), "a&#9;b&#10;c&#13;");
    }
}
