//! The levers sequence in the workshop room: each participant places a fixed
//! number of dots per objective on the campaign's levers, and their ranking
//! for the session follows from the dots (most dots first).

use super::catalogue::Catalogue;
use super::plural::count;
use super::ranking::ObjectiveRanking;
use super::FieldErrors;
use std::collections::HashMap;

/// The dots a participant has for each objective.
pub const DOTS_PER_OBJECTIVE: u32 = 3;

/// The form field of the dots on one lever for one objective.
pub fn lever_field(objective_code: &str, lever_id: i64) -> String {
    format!("dots_{objective_code}_{lever_id}")
}

/// The field an objective's own error is attached to (its fieldset).
pub fn objective_field(objective_code: &str) -> String {
    format!("dots_{objective_code}")
}

/// What was typed, by field (see `lever_field`); a field not sent is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DotsTyped(HashMap<String, String>);

impl DotsTyped {
    pub fn set(&mut self, field: String, value: String) {
        self.0.insert(field, value);
    }

    pub fn get(&self, field: &str) -> &str {
        self.0.get(field).map_or("", String::as_str)
    }
}

/// The dots placed for one objective: (lever id, dots), in the catalogue's
/// order, levers without a dot left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectiveDots {
    pub objective_id: i64,
    pub levers: Vec<(i64, u32)>,
}

impl ObjectiveDots {
    /// The ranking these dots say: the levers by dots, most first, ties in
    /// the catalogue's order, as many as the campaign ranks (the online form
    /// and the capture page never store more; the syntheses would ignore
    /// them). The proposal is the caller's: dots propose nothing.
    pub fn ranking(&self, ranks: usize, proposal: Option<String>) -> ObjectiveRanking {
        let mut by_dots = self.levers.clone();
        // A stable sort keeps the catalogue's order among equal dots.
        by_dots.sort_by_key(|l| std::cmp::Reverse(l.1));
        ObjectiveRanking {
            objective_id: self.objective_id,
            lever_ids: by_dots.into_iter().take(ranks).map(|(id, _)| id).collect(),
            proposal,
        }
    }
}

/// Reads the dots typed for every objective and lever of the catalogue: a
/// whole number from 0 (or nothing) per lever, `DOTS_PER_OBJECTIVE` at most
/// per objective.
pub fn parse_dots(
    catalogue: &Catalogue,
    typed: &DotsTyped,
) -> Result<Vec<ObjectiveDots>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut placed = Vec::with_capacity(catalogue.objectives.len());
    for objective in &catalogue.objectives {
        let mut levers = Vec::new();
        let mut total: u32 = 0;
        for lever in &catalogue.levers {
            let field = lever_field(&objective.code, lever.id);
            let raw = typed.get(&field).trim();
            let dots = if raw.is_empty() {
                Some(0)
            } else {
                raw.parse::<u32>().ok()
            };
            match dots {
                Some(0) => {}
                Some(n) => {
                    total = total.saturating_add(n);
                    levers.push((lever.id, n));
                }
                None => errors.add(
                    field,
                    format!(
                        "{}, «\u{a0}{}\u{a0}»\u{a0}: indiquez un nombre de gommettes, de 0 à {DOTS_PER_OBJECTIVE}.",
                        objective.label, lever.label
                    ),
                ),
            }
        }
        if total > DOTS_PER_OBJECTIVE {
            errors.add(
                objective_field(&objective.code),
                format!(
                    "{}\u{a0}: {} placées, {DOTS_PER_OBJECTIVE} au plus. Retirez-en {} avant d’envoyer.",
                    objective.label,
                    count(total, "gommette", "gommettes"),
                    total - DOTS_PER_OBJECTIVE
                ),
            );
        }
        placed.push(ObjectiveDots {
            objective_id: objective.id,
            levers,
        });
    }
    errors.into_result(placed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::Entry;

    fn catalogue() -> Catalogue {
        let e = |id, code: &str| Entry {
            id,
            code: code.into(),
            label: code.into(),
        };
        Catalogue {
            link_kinds: vec![],
            intensities: vec![],
            objectives: vec![e(1, "attract"), e(2, "recruit")],
            levers: vec![e(10, "housing"), e(11, "mobility"), e(12, "training")],
        }
    }

    fn typed(fields: &[(&str, &str)]) -> DotsTyped {
        let mut t = DotsTyped::default();
        for (f, v) in fields {
            t.set(f.to_string(), v.to_string());
        }
        t
    }

    #[test]
    fn dots_parse_per_objective_in_catalogue_order() {
        let dots = parse_dots(
            &catalogue(),
            &typed(&[("dots_attract_12", "2"), ("dots_attract_10", " 1 ")]),
        )
        .unwrap();
        assert_eq!(dots[0].levers, vec![(10, 1), (12, 2)]);
        assert!(dots[1].levers.is_empty());
    }

    #[test]
    fn more_dots_than_allowed_are_refused_on_the_objective() {
        let errors = parse_dots(
            &catalogue(),
            &typed(&[("dots_recruit_10", "2"), ("dots_recruit_11", "2")]),
        )
        .unwrap_err();
        assert_eq!(
            errors.get("dots_recruit"),
            Some(
                "recruit\u{a0}: 4\u{a0}gommettes placées, 3 au plus. Retirez-en 1 avant d’envoyer."
            )
        );
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn a_value_that_is_no_number_is_refused_on_its_field() {
        let errors = parse_dots(&catalogue(), &typed(&[("dots_attract_11", "-1")])).unwrap_err();
        assert!(errors.get("dots_attract_11").is_some());
    }

    #[test]
    fn the_ranking_orders_by_dots_then_catalogue_and_keeps_the_campaigns_ranks() {
        let dots = ObjectiveDots {
            objective_id: 1,
            levers: vec![(10, 1), (11, 1), (12, 1)],
        };
        assert_eq!(dots.ranking(3, None).lever_ids, vec![10, 11, 12]);
        assert_eq!(dots.ranking(2, None).lever_ids, vec![10, 11]);
        let dots = ObjectiveDots {
            objective_id: 1,
            levers: vec![(10, 1), (12, 2)],
        };
        assert_eq!(dots.ranking(3, None).lever_ids, vec![12, 10]);
    }
}
