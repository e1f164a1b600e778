//! French as the people who use tissu write it, checked on every string a
//! user can read: the templates' text (their code between `{% %}` and
//! `{{ }}` left out) and the string literals of the Rust sources. No
//! « contribution(s) » (the number chooses the form: `domain::plural`), no
//! sentence or title with two colons (« Résultats : X : Y »), and no line
//! break where French typography forbids one.
//!
//! The rule, written once: U+00A0 (espace insécable) before « : », « ; »,
//! « ? », « ! » and inside « guillemets »; U+202F (espace fine insécable)
//! only between the thousands of a number and before « % » (the formatters
//! write those). U+00A0 before « ; ? ! » too, rather than the finer U+202F:
//! the copy keeps the width it had, and every font and mail client has it.
//! Templates write the character itself; Rust literals write `\u{a0}`.

use std::path::{Path, PathBuf};

fn files(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, extensions, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e))
        {
            out.push(path);
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text of a template as it reads: its code and comments left out (an
/// expression stands as « X »), its block elements on lines of their own,
/// its inline tags dropped.
fn template_text(source: &str) -> String {
    let mut out = String::new();
    let mut rest = source;
    while let Some(start) = rest.find(['{', '<']) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let (end_marker, replacement) = if tail.starts_with("{{") {
            ("}}", "X")
        } else if tail.starts_with("{%") {
            ("%}", "")
        } else if tail.starts_with("{#") {
            ("#}", "")
        } else if tail.starts_with('<') {
            (">", "")
        } else {
            out.push('{');
            rest = &tail[1..];
            continue;
        };
        let Some(len) = tail.find(end_marker) else {
            out.push_str(tail);
            rest = "";
            break;
        };
        let tag = &tail[..len];
        let block = tail.starts_with('<') && {
            let name: String = tag
                .trim_start_matches(['<', '/'])
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            !matches!(
                name.as_str(),
                "a" | "strong" | "em" | "span" | "abbr" | "code" | "kbd" | "small" | "b" | "i"
            )
        };
        out.push_str(if block { "\n" } else { replacement });
        rest = &tail[len + end_marker.len()..];
    }
    out.push_str(rest);
    out
}

/// The contents of the string literals of a Rust source (comments, chars and
/// lifetimes skipped; raw strings read to their own end).
fn rust_literals(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut literals = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == 'r'
            && matches!(next, Some('"' | '#'))
            && !is_ident(chars.get(i.wrapping_sub(1)))
        {
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                i += 1;
                continue;
            }
            let start = j + 1;
            let mut k = start;
            loop {
                if k >= chars.len() {
                    break;
                }
                if chars[k] == '"' && (0..hashes).all(|h| chars.get(k + 1 + h) == Some(&'#')) {
                    break;
                }
                k += 1;
            }
            literals.push(chars[start..k.min(chars.len())].iter().collect());
            i = k + 1 + hashes;
        } else if c == '"' {
            let mut text = String::new();
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    match chars.get(i + 1) {
                        Some('n') => text.push('\n'),
                        Some('\n') => {
                            // A line continuation: the next line's indent is skipped.
                            i += 2;
                            while i < chars.len() && chars[i].is_whitespace() {
                                i += 1;
                            }
                            continue;
                        }
                        Some(other) => text.push(*other),
                        None => {}
                    }
                    i += 2;
                } else {
                    text.push(chars[i]);
                    i += 1;
                }
            }
            literals.push(text);
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\'', '\u{a0}') or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    literals
}

fn is_ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// The sentences of a text: a colon in one sentence and another in the next
/// are two sentences, not a title with two colons.
fn sentences(text: &str) -> Vec<&str> {
    text.split(['\n', '.', '?', '!', ';']).collect()
}

/// Two colons of the sentence's own: a quotation in « » (« Erreur : ») is
/// not one of them. The space before a colon may be a no-break one.
fn two_colons(sentence: &str) -> bool {
    let mut own = String::new();
    let mut quoted = 0_usize;
    for c in sentence.chars() {
        match c {
            '«' => quoted += 1,
            '»' => quoted = quoted.saturating_sub(1),
            '\u{a0}' | '\u{202f}' if quoted == 0 => own.push(' '),
            _ if quoted == 0 => own.push(c),
            _ => {}
        }
    }
    let sentence = own.as_str();
    sentence
        .match_indices(" : ")
        .nth(1)
        .is_some_and(|(second, _)| {
            let first = sentence.find(" : ").unwrap();
            !sentence[first + 3..second].contains(':')
        })
}

/// The texts a user reads inside the tags of a template: an image's
/// alternative, a tooltip, a placeholder, a label for screen readers.
fn attribute_texts(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for name in ["alt", "title", "placeholder", "aria-label"] {
        let marker = format!(" {name}=\"");
        let mut rest = source;
        while let Some(start) = rest.find(&marker) {
            rest = &rest[start + marker.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(template_text(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

/// A literal that is SQL, not French: its « ? » are parameters.
fn is_sql(literal: &str) -> bool {
    [
        "SELECT",
        "INSERT INTO",
        "UPDATE ",
        "DELETE FROM",
        "WHERE",
        "VACUUM",
        " = ?",
    ]
    .iter()
    .any(|keyword| literal.contains(keyword))
}

/// The source a user reads: a file's unit tests (after `#[cfg(test)]`, or
/// a `*_tests.rs` file) feed what people type and are left out.
fn shipped_part(path: &Path, source: &str) -> String {
    if path.to_string_lossy().ends_with("_tests.rs") {
        return String::new();
    }
    match source.find("#[cfg(test)]") {
        Some(tests) => source[..tests].to_string(),
        None => source.to_string(),
    }
}

/// Every user-facing string of the sources, with where it is.
fn user_strings() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut templates = Vec::new();
    files(&root().join("templates"), &["html", "txt"], &mut templates);
    for path in templates {
        let source = std::fs::read_to_string(&path).unwrap();
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        for line in template_text(&source).lines() {
            out.push((name.clone(), line.to_string()));
        }
        for text in attribute_texts(&source) {
            out.push((name.clone(), text));
        }
    }
    let mut sources = Vec::new();
    files(&root().join("src"), &["rs"], &mut sources);
    for path in sources {
        let source = std::fs::read_to_string(&path).unwrap();
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        // The demo's data stands for what people type, kept as typed.
        if name.starts_with("src/demo/") {
            continue;
        }
        for literal in rust_literals(&shipped_part(&path, &source)) {
            if !is_sql(&literal) {
                out.push((name.clone(), literal));
            }
        }
    }
    out
}

#[test]
fn no_user_facing_string_writes_a_plural_in_brackets() {
    let found: Vec<String> = user_strings()
        .into_iter()
        .filter(|(_, text)| text.contains("(s)") || text.contains("(es)"))
        .map(|(file, text)| format!("{file}: {}", text.trim()))
        .collect();
    assert!(
        found.is_empty(),
        "{} strings with « (s) »:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn no_user_facing_sentence_or_title_has_two_colons() {
    let found: Vec<String> = user_strings()
        .into_iter()
        .filter(|(_, text)| sentences(text).into_iter().any(two_colons))
        .map(|(file, text)| format!("{file}: {}", text.trim()))
        .collect();
    assert!(
        found.is_empty(),
        "{} strings with two colons:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// The ordinary spaces of a text where a line may not break: before « : ; ?
/// ! » (ending a word, not starting one: « a :b » is no punctuation) and
/// inside « ».
fn breakable_spaces(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|b| chars[b]);
        let after = chars.get(i + 1).copied();
        let punctuation = matches!(c, ':' | ';' | '?' | '!')
            && before == Some(' ')
            && i.checked_sub(2).is_none_or(|b| !chars[b].is_whitespace())
            && after.is_none_or(|a| a.is_whitespace() || "\"'<».,)".contains(a));
        let opening = c == '«' && after == Some(' ');
        let closing = c == '»' && before == Some(' ');
        if punctuation || opening || closing {
            let from = i.saturating_sub(12);
            found.push(chars[from..(i + 3).min(chars.len())].iter().collect());
        }
    }
    found
}

#[test]
fn no_user_facing_string_lets_a_line_break_before_french_punctuation_or_inside_quotes() {
    let found: Vec<String> = user_strings()
        .into_iter()
        .flat_map(|(file, text)| {
            breakable_spaces(&text)
                .into_iter()
                .map(move |at| format!("{file}: …{at}…"))
        })
        .collect();
    assert!(
        found.is_empty(),
        "{} ordinary spaces where U+00A0 belongs:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_scanner_reads_template_text_and_rust_literals_as_a_user_would() {
    assert_eq!(
        template_text(
            "{% if x %}Erreur : {% endif %}<h1>Aperçu : {{ n }} <strong>lu</strong></h1>"
        ),
        "Erreur : \nAperçu : X lu\n"
    );
    assert_eq!(
        rust_literals("let a = 'x'; f::<'a>(\"un (s)\"); // \"non\"\nr#\"deux \"x\" \"#;"),
        ["un (s)", "deux \"x\" "]
    );
    assert!(two_colons("Erreur : Aperçu : 3 à ajouter"));
    assert!(!two_colons("Statut : open"));
    assert!(!two_colons(
        "le titre précédé de « Erreur : », partout : oui"
    ));
    assert!(two_colons("Erreur\u{a0}: Aperçu\u{a0}: 3 à ajouter"));
    assert_eq!(
        attribute_texts(r#"<img alt="Logo : {{ t }}" src="a:b"><a title="Oui ?">"#),
        ["Logo : X", "Oui ?"]
    );
    assert!(is_sql("SELECT id FROM firms WHERE name = ?"));
    assert!(is_sql("SELECT\n  SUM(CASE WHEN at < ? THEN 1 ELSE 0 END)"));
    assert_eq!(breakable_spaces("Statut : « ouvert » ?").len(), 4);
    assert!(breakable_spaces("Statut\u{a0}: «\u{a0}ouvert\u{a0}»\u{a0}?").is_empty());
    assert!(breakable_spaces("a ? b : c;d").len() == 2);
    assert!(breakable_spaces("https://x.fr/?a=1 :hover").is_empty());
}
