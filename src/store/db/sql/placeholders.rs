//! The store's SQL is written once with SQLite's `?` placeholders; PostgreSQL
//! numbers its own (`$1, $2…`). The translation runs on the statement's text,
//! skipping what is quoted (string literals, quoted names) and comments, so a
//! `?` inside a French sentence of a literal stays a question mark.

/// `sql` with each `?` outside quotes and comments replaced by `$1, $2…` in
/// order.
pub fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut next = 1;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '?' => {
                out.push('$');
                out.push_str(&next.to_string());
                next += 1;
            }
            '\'' | '"' => {
                out.push(c);
                // A doubled quote is an escaped one: the literal goes on.
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == '\n' {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn question_marks_become_numbered_placeholders_in_order() {
        assert_eq!(
            numbered("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"
        );
    }

    #[test]
    fn question_marks_inside_literals_quoted_names_and_comments_stay() {
        assert_eq!(
            numbered("SELECT 'Pourquoi ?', \"a?b\" -- encore ?\nFROM t WHERE x = ?"),
            "SELECT 'Pourquoi ?', \"a?b\" -- encore ?\nFROM t WHERE x = $1"
        );
    }

    #[test]
    fn a_doubled_quote_does_not_end_the_literal() {
        assert_eq!(
            numbered("SELECT 'l''usine ?' WHERE x = ?"),
            "SELECT 'l''usine ?' WHERE x = $1"
        );
    }
}
