//! A committee meeting as typed in its form, checked once.

use super::{bounded, lines, parse_day, parts};
use crate::domain::text::{self, TextError, TextKind};
use crate::domain::FieldErrors;
use serde::{Deserialize, Serialize};

/// The meeting form's fields, as sent (also what is shown back on an error).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MeetingForm {
    pub instance: String,
    pub held_on: String,
    pub place: String,
    /// One member a line: `Nom ; Organisation ; Rôle`.
    pub members: String,
    pub agenda: String,
    pub minutes: String,
    /// One document a line: `Libellé ; https://…` (or the address alone).
    pub documents: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub organisation: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub label: String,
    pub url: String,
}

/// A meeting whose every field is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingInput {
    pub instance: String,
    /// AAAA-MM-JJ.
    pub held_on: String,
    pub place: String,
    pub members: Vec<Member>,
    pub agenda: String,
    pub minutes: String,
    pub documents: Vec<Document>,
}

/// Only web addresses that go where they say: a `javascript:` or `data:` link
/// never reaches a page, and neither does an address whose host a browser
/// reads otherwise than a person does — browsers take a backslash for a slash
/// (`https://evil.example\@good.example` goes to evil.example), and what
/// precedes an `@` in the host part is a user name, not the host.
pub fn web_address(raw: &str) -> Result<String, &'static str> {
    let url = raw.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or("indiquez une adresse qui commence par https:// ou http://.")?;
    if url.contains('\\') {
        return Err("une adresse web ne contient pas de barre oblique inversée (\\)\u{a0}; les navigateurs la lisent comme une barre oblique et iraient sur un autre site.");
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.contains('@') {
        return Err("l'adresse contient un «\u{a0}@\u{a0}» avant le nom du site, et les navigateurs iraient sur le site écrit après lui\u{a0}; indiquez l'adresse sans identifiant.");
    }
    if host.is_empty() {
        return Err("indiquez le nom du site après https://.");
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"')
    {
        return Err("une adresse web ne contient ni espace ni guillemet.");
    }
    if url.len() > 2000 {
        return Err("l'adresse dépasse 2 000 caractères.");
    }
    Ok(url.to_string())
}

/// Why a label typed in a list line is refused, if it is.
fn label_error(label: &str) -> Option<TextError> {
    text::parse(label, TextKind::Label).err()
}

impl MeetingInput {
    pub fn parse(form: &MeetingForm) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let instance = crate::domain::name::clean_text(&form.instance);
        if instance.is_empty() || instance.chars().count() > 200 {
            errors.add(
                "instance",
                "Indiquez l'instance réunie (par exemple «\u{a0}Comité de projet\u{a0}»), 200 caractères au plus.",
            );
        }
        let held_on = match parse_day(&form.held_on) {
            Some(day) => day.format("%Y-%m-%d").to_string(),
            None => {
                errors.add(
                    "held_on",
                    "Indiquez la date de la réunion au format AAAA-MM-JJ.",
                );
                String::new()
            }
        };
        let place = text::parse(&form.place, TextKind::Label).unwrap_or_else(|e| {
            errors.add("place", format!("Lieu\u{a0}: {e}."));
            String::new()
        });
        let mut members = Vec::new();
        for (n, line) in lines(&form.members) {
            let p = parts(line, 3);
            if p[0].is_empty() || p[0].chars().count() > 200 {
                errors.add(
                    "members",
                    format!(
                        "Ligne {n}\u{a0}: commencez par le nom du membre (200 caractères au plus)."
                    ),
                );
                break;
            }
            if let Some(e) = p[1..].iter().find_map(|part| label_error(part)) {
                errors.add(
                    "members",
                    format!("Ligne {n}, organisation ou rôle\u{a0}: {e}."),
                );
                break;
            }
            members.push(Member {
                name: p[0].clone(),
                organisation: p[1].clone(),
                role: p[2].clone(),
            });
        }
        let agenda = bounded(&form.agenda, 10_000).unwrap_or_else(|| {
            errors.add(
                "agenda",
                "L'ordre du jour tient en 10 000 caractères au plus.",
            );
            String::new()
        });
        let minutes = bounded(&form.minutes, 100_000).unwrap_or_else(|| {
            errors.add(
                "minutes",
                "Le compte rendu tient en 100 000 caractères au plus.",
            );
            String::new()
        });
        let mut documents = Vec::new();
        for (n, line) in lines(&form.documents) {
            let (label, raw_url) = match line.rsplit_once(';') {
                Some((label, url)) => (crate::domain::name::clean_text(label), url),
                None => (String::new(), line),
            };
            let url = match web_address(raw_url) {
                Ok(url) => url,
                Err(why) => {
                    errors.add("documents", format!("Ligne {n}\u{a0}: {why}"));
                    break;
                }
            };
            if let Some(e) = label_error(&label) {
                errors.add("documents", format!("Ligne {n}, libellé\u{a0}: {e}."));
                break;
            }
            let label = if label.is_empty() { url.clone() } else { label };
            documents.push(Document { label, url });
        }
        errors.into_result(Self {
            instance,
            held_on,
            place,
            members,
            agenda,
            minutes,
            documents,
        })
    }
}

impl MeetingForm {
    /// The form filled from a stored meeting, to edit it.
    pub fn of(input: &MeetingInput) -> Self {
        Self {
            instance: input.instance.clone(),
            held_on: input.held_on.clone(),
            place: input.place.clone(),
            members: input
                .members
                .iter()
                .map(|m| format!("{}\u{a0}; {}\u{a0}; {}", m.name, m.organisation, m.role))
                .collect::<Vec<_>>()
                .join("\n"),
            agenda: input.agenda.clone(),
            minutes: input.minutes.clone(),
            documents: input
                .documents
                .iter()
                .map(|d| format!("{}\u{a0}; {}", d.label, d.url))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_are_documents() {
        assert!(web_address("https://exemple.fr/cr.pdf").is_ok());
        assert!(web_address("https://exemple.fr/a@b").is_ok());
        assert!(web_address("javascript:alert(1)").is_err());
        assert!(web_address("data:text/html,x").is_err());
        assert!(web_address("https://").is_err());
        assert!(web_address("https://evil.example\\@good.example").is_err());
        assert!(web_address("https://moi:secret@good.example/").is_err());
    }

    #[test]
    fn members_are_read_one_a_line() {
        let form = MeetingForm {
            instance: "Comité de projet".into(),
            held_on: "2019-06-04".into(),
            members: "Marie Dupont ; CCI ; chargée de mission\n\nJean Martin".into(),
            documents: "Diaporama ; https://exemple.fr/d.pdf".into(),
            ..Default::default()
        };
        let m = MeetingInput::parse(&form).unwrap();
        assert_eq!(m.members.len(), 2);
        assert_eq!(m.members[0].role, "chargée de mission");
        assert_eq!(m.members[1].organisation, "");
        assert_eq!(m.documents[0].label, "Diaporama");
    }
}
