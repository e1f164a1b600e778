//! A committee meeting as typed in its form, checked once.

use super::{bounded, lines, parse_day, parts};
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

/// Only web addresses: a `javascript:` or `data:` link never reaches a page.
pub fn web_address(raw: &str) -> Option<String> {
    let url = raw.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let host_ok = rest
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|h| !h.is_empty());
    let clean = !url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"');
    (host_ok && clean && url.len() <= 2000).then(|| url.to_string())
}

impl MeetingInput {
    pub fn parse(form: &MeetingForm) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let instance = crate::domain::name::clean_text(&form.instance);
        if instance.is_empty() || instance.chars().count() > 200 {
            errors.add(
                "instance",
                "Indiquez l'instance réunie (par exemple « Comité de projet »), 200 caractères au plus.",
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
        let place = crate::domain::name::clean_text(&form.place);
        if place.chars().count() > 200 {
            errors.add("place", "Le lieu tient en 200 caractères au plus.");
        }
        let mut members = Vec::new();
        for (n, line) in lines(&form.members) {
            let p = parts(line, 3);
            if p[0].is_empty() || p[0].chars().count() > 200 {
                errors.add(
                    "members",
                    format!("Ligne {n} : commencez par le nom du membre (200 caractères au plus)."),
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
            let Some(url) = web_address(raw_url) else {
                errors.add(
                    "documents",
                    format!(
                        "Ligne {n} : indiquez une adresse qui commence par https:// ou http://."
                    ),
                );
                break;
            };
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
                .map(|m| format!("{} ; {} ; {}", m.name, m.organisation, m.role))
                .collect::<Vec<_>>()
                .join("\n"),
            agenda: input.agenda.clone(),
            minutes: input.minutes.clone(),
            documents: input
                .documents
                .iter()
                .map(|d| format!("{} ; {}", d.label, d.url))
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
        assert!(web_address("https://exemple.fr/cr.pdf").is_some());
        assert!(web_address("javascript:alert(1)").is_none());
        assert!(web_address("data:text/html,x").is_none());
        assert!(web_address("https://").is_none());
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
