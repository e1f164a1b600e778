//! The capture form as typed, and its check: the same row parser and firm
//! rules as the respondent's form (several kinds per link, the own firm
//! refused), the table's firm looked up in the directory.

use super::State;
use crate::domain::capture::{parse_who, Choice, Who};
use crate::domain::catalogue::Catalogue;
use crate::domain::links::targets::{Declarer, OwnFirm};
use crate::domain::links::MAX_FORM_ROWS;
use crate::domain::links::{parse_link_rows, rows_from_fields, LinkDraft, LinkRowInput};
use crate::domain::ranking::{parse_rankings, ObjectiveInput, ObjectiveRanking};
use crate::domain::swot::{parse_swot, Quadrant, SwotItem};
use crate::domain::FieldErrors;
use crate::store::campaigns::Campaign;
use crate::store::capture::{self as captures, Capture, Existing};
use crate::store::contributions::{self, Answers, NamedLinks};
use crate::web::error::AppError;
use crate::web::form::FormData;
use crate::web::link_rows;
use crate::web::staff::Typed;

/// Blank link rows of a new page, and rows the "add" button adds: post-its
/// come in batches.
pub const BLANK_ROWS: usize = 5;

/// Fields of the form other than the rows, SWOT and levers.
const FIELDS: [&str; 8] = [
    "who",
    "table_label",
    "table_firm",
    "duplicate",
    "walkin_first_name",
    "walkin_last_name",
    "walkin_email",
    "walkin_firm",
];

pub struct Input {
    pub typed: Typed,
    pub links: Vec<LinkRowInput>,
    pub swot: Vec<(Quadrant, String)>,
    pub levers: Vec<ObjectiveInput>,
}

impl Input {
    pub fn blank(catalogue: &Catalogue) -> Self {
        Self {
            typed: Typed::default(),
            links: (0..BLANK_ROWS).map(|_| LinkRowInput::blank()).collect(),
            swot: Quadrant::ALL
                .into_iter()
                .map(|q| (q, String::new()))
                .collect(),
            levers: catalogue
                .objectives
                .iter()
                .map(|_| ObjectiveInput::default())
                .collect(),
        }
    }

    pub fn from_form(form: &FormData, catalogue: &Catalogue, ranks: usize) -> Self {
        let mut links = rows_from_fields(form.rows("rows", MAX_FORM_ROWS), |f| form.all(f));
        if links.is_empty() {
            links.push(LinkRowInput::blank());
        }
        Self {
            typed: Typed::from_form(form, &FIELDS),
            links,
            swot: Quadrant::ALL
                .into_iter()
                .map(|q| (q, form.get(q.as_str()).to_string()))
                .collect(),
            levers: catalogue
                .objectives
                .iter()
                .map(|o| ObjectiveInput {
                    choices: (1..=ranks)
                        .map(|n| form.get(&format!("rank_{}_{n}", o.code)).to_string())
                        .collect(),
                    proposal: form.get(&format!("proposal_{}", o.code)).to_string(),
                })
                .collect(),
        }
    }

    /// A captured entry as its correction form starts: what was saved.
    pub fn from_saved(
        entry: &captures::Entry,
        answers: Answers,
        catalogue: &Catalogue,
        ranks: usize,
    ) -> Self {
        let who = match entry.participant_id {
            Some(id) => format!("p:{id}"),
            None => "table".into(),
        };
        let table_firm = match entry.participant_id {
            Some(_) => "",
            None => entry.firm_name.as_deref().unwrap_or(""),
        };
        let mut links = link_rows::saved_rows(answers.links);
        links.push(LinkRowInput::blank());
        Self {
            typed: Typed::from_pairs(&[
                ("who", &who),
                ("table_label", entry.table_label.as_deref().unwrap_or("")),
                ("table_firm", table_firm),
            ]),
            links,
            swot: Quadrant::ALL
                .into_iter()
                .map(|q| {
                    let lines: Vec<&str> = answers
                        .swot
                        .iter()
                        .filter(|s| s.quadrant == q)
                        .map(|s| s.text.as_str())
                        .collect();
                    (q, lines.join("\n"))
                })
                .collect(),
            levers: catalogue
                .objectives
                .iter()
                .map(|o| ObjectiveInput {
                    choices: (1..=ranks as i64)
                        .map(|rank| {
                            answers
                                .rankings
                                .iter()
                                .find(|(objective, r, _)| *objective == o.id && *r == rank)
                                .map_or(String::new(), |(_, _, lever)| lever.to_string())
                        })
                        .collect(),
                    proposal: answers
                        .proposals
                        .iter()
                        .find(|(objective, _)| *objective == o.id)
                        .map_or(String::new(), |(_, text)| text.clone()),
                })
                .collect(),
        }
    }

    /// After a walk-in's registration: them picked, the walk-in fields empty.
    pub fn picked_walk_in(&mut self, participant_id: i64) {
        let who = format!("p:{participant_id}");
        let kept: Vec<(&str, &str)> = ["table_label", "table_firm", "duplicate"]
            .iter()
            .map(|k| (*k, self.typed.get(k)))
            .chain([("who", who.as_str())])
            .collect();
        self.typed = Typed::from_pairs(&kept);
    }
}

/// A capture that passed every check of the page.
pub struct Checked {
    pub who: Who,
    pub firm_id: Option<i64>,
    pub drafts: Vec<LinkDraft>,
    pub own_firm: Option<OwnFirm>,
    pub swot: Vec<SwotItem>,
    pub rankings: Vec<ObjectiveRanking>,
}

impl Checked {
    pub fn capture<'a>(
        &'a self,
        campaign: &Campaign,
        session_id: i64,
        may_propose: &'a (dyn Fn() -> Result<(), u64> + Sync),
        choice: Choice,
    ) -> Capture<'a> {
        Capture {
            campaign_id: campaign.id,
            territory_id: campaign.territory_id,
            session_id,
            participant_id: self.who.participant_id(),
            firm_id: self.firm_id,
            table_label: self.who.table_label(),
            links: NamedLinks {
                drafts: &self.drafts,
                own_firm: self.own_firm,
                may_propose,
            },
            swot: &self.swot,
            levers: &self.rankings,
            choice,
        }
    }
}

/// Checks everything typed, and reports every error at once.
pub async fn check(
    state: &State,
    campaign: &Campaign,
    catalogue: &Catalogue,
    input: &Input,
) -> Result<Result<Checked, FieldErrors>, AppError> {
    let mut errors = FieldErrors::default();
    let typed = &input.typed;
    let who = parse_who(typed.get("who"), typed.get("table_label"))
        .map_err(|e| merge(&mut errors, e))
        .ok();
    let (drafts, link_errors) = parse_link_rows(&input.links, catalogue);
    merge(&mut errors, link_errors);
    let (firm_id, declarer) = match &who {
        Some(Who::Participant { id, .. }) => {
            match captures::firm_of(&state.db, campaign.id, *id).await? {
                Some(firm) => (firm, Declarer::Participant),
                None => {
                    errors.add(
                        "who",
                        "Ce participant n'est pas dans la liste de la campagne.",
                    );
                    (None, Declarer::Participant)
                }
            }
        }
        Some(Who::Table { .. }) => (
            table_firm(
                state,
                campaign,
                typed.get("table_firm"),
                &drafts,
                &mut errors,
            )
            .await?,
            Declarer::Table,
        ),
        None => (None, Declarer::Participant),
    };
    let own_firm = firm_id.map(|id| OwnFirm { id, declarer });
    let swot_inputs: [Vec<String>; 4] =
        std::array::from_fn(|i| input.swot[i].1.lines().map(str::to_string).collect());
    let swot = parse_swot(&swot_inputs).unwrap_or_else(|e| {
        // Items are typed one per line in one box per quadrant: point there.
        for x in e.iter() {
            let field = x.field.split('_').next().unwrap_or("strength").to_string();
            errors.add(field, x.message.clone());
        }
        Vec::new()
    });
    let ranks = campaign.ranks_per_objective as usize;
    let rankings = parse_rankings(&input.levers, catalogue, ranks)
        .map_err(|e| merge(&mut errors, e))
        .unwrap_or_default();
    match who {
        Some(who) if errors.is_empty() => Ok(Ok(Checked {
            who,
            firm_id,
            drafts,
            own_firm,
            swot,
            rankings,
        })),
        _ => {
            // What the save would refuse in the rows that passed, shown now too.
            let territory = campaign.territory_id;
            merge(
                &mut errors,
                contributions::link_target_errors(&state.db, territory, &drafts, own_firm).await?,
            );
            Ok(Err(errors))
        }
    }
}

fn merge(errors: &mut FieldErrors, more: FieldErrors) {
    for e in more.iter() {
        errors.add(e.field.clone(), e.message.clone());
    }
}

/// The firm a table speaks for: required as soon as the table declares links
/// (a link joins two firms), and taken from the directory.
async fn table_firm(
    state: &State,
    campaign: &Campaign,
    typed: &str,
    drafts: &[LinkDraft],
    errors: &mut FieldErrors,
) -> Result<Option<i64>, AppError> {
    let name = crate::domain::name::clean_text(typed);
    if name.is_empty() {
        if !drafts.is_empty() {
            errors.add("table_firm", "Une table qui déclare des liens parle pour une entreprise\u{a0}: indiquez laquelle (ses liens sont ceux de cette entreprise).");
        }
        return Ok(None);
    }
    let found = captures::directory_firm(&state.db, campaign.territory_id, &name).await?;
    if found.is_none() {
        errors.add(
            "table_firm",
            format!(
                "«\u{a0}{name}\u{a0}» n'est pas dans l'annuaire\u{a0}: choisissez une entreprise de la liste."
            ),
        );
    }
    Ok(found)
}

/// The question the page asks when the participant or firm already has
/// contributions.
pub fn ask_message(checked: &Checked, existing: &[Existing]) -> String {
    let whose = match checked.who {
        Who::Participant { .. } => "Ce participant ou son entreprise",
        Who::Table { .. } => "L'entreprise pour laquelle parle la table",
    };
    let n = existing.len();
    let count = if n == 1 {
        "une contribution".to_string()
    } else {
        format!("{n} contributions")
    };
    format!("{whose} a déjà {count}\u{a0}: choisissez de la compléter ou de garder une saisie distincte, puis enregistrez de nouveau.")
}
