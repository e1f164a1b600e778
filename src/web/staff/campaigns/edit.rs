//! Editing a campaign's settings (title, description, online window, ranks per
//! objective) and duplicating it (settings, catalogues and sessions; no
//! participant, no answer; a new slug, in preparation).

use crate::domain::catalogue::CatalogueKind;
use crate::domain::contact::Contact;
use crate::domain::FieldErrors;
use crate::store::campaigns::{self, Settings};
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::paths;
use crate::web::response::{see_other, status_for};
use crate::web::staff::access::Access;
use crate::web::staff::actor;
use crate::web::staff::campaigns::{check_new_campaign, check_title};
use crate::web::staff::support::StaffPage;
use crate::web::staff::Nav;
use crate::web::staff::Typed;
use crate::web::State;
use actix_web::HttpResponse;
use askama::Template;
use serde::{Deserialize, Serialize};

#[derive(Template)]
#[template(path = "staff/campaign_edit.html")]
struct EditPage {
    nav: Nav,
    access: Access,
    typed: Typed,
    errors: FieldErrors,
}

impl EditPage {
    fn closes_hint(&self) -> String {
        format!(
            "Dernier jour où les réponses en ligne peuvent être modifiées (jusqu'à minuit, {}).",
            crate::domain::french_time::zone_label()
        )
    }
}

async fn render_edit(
    access: Access,
    nav: Nav,
    typed: Typed,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    page(
        status_for(&errors),
        &EditPage {
            nav,
            access,
            typed,
            errors,
        },
    )
}

/// The date part of a stored timestamp, for a date field.
fn day(at: &Option<crate::store::Stamp>) -> &str {
    at.as_deref().map_or("", |t| t.get(..10).unwrap_or(t))
}

pub async fn form(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
) -> Result<HttpResponse, AppError> {
    let c = access.campaign()?;
    let ranks = c.ranks_per_objective.to_string();
    let retention = crate::store::retention::of_campaign(&state.db, c.id).await?;
    let months = retention.months.to_string();
    let keep = if retention.keeps_free_text { "oui" } else { "" };
    let typed = Typed::from_pairs(&[
        ("title", &c.title),
        ("description", &c.description),
        ("opens", day(&c.online_opens_at)),
        ("closes", day(&c.online_closes_at)),
        ("ranks", &ranks),
        ("contact_name", &c.contact_name),
        ("contact_email", &c.contact_email),
        ("contact_phone", &c.contact_phone),
        ("retention_months", &months),
        ("keep_free_text", keep),
    ]);
    render_edit(access, nav, typed, FieldErrors::default()).await
}

fn parse_day(raw: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()
}

/// The campaign's settings as typed.
#[derive(Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SettingsForm {
    pub title: String,
    pub description: String,
    pub opens: String,
    pub closes: String,
    pub ranks: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub retention_months: String,
    /// "oui" when ticked.
    pub keep_free_text: String,
}

pub async fn update(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let typed = Typed::of(&form);
    let campaign = access.campaign()?.clone();
    let mut errors = FieldErrors::default();
    let title = check_title(&typed, &mut errors);
    let description = form.description.trim().to_string();
    if description.chars().count() > 4000 {
        errors.add("description", "La présentation dépasse 4 000 caractères.");
    }
    let mut window = [None, None];
    for (i, field, what) in [(0, "opens", "d'ouverture"), (1, "closes", "de clôture")] {
        let raw = typed.get(field);
        if raw.is_empty() {
            continue;
        }
        match parse_day(raw) {
            Some(d) => window[i] = Some(d),
            None => errors.add(
                field,
                format!("Indiquez la date {what} au format AAAA-MM-JJ."),
            ),
        }
    }
    if let [Some(opens), Some(closes)] = window {
        if closes < opens {
            errors.add("closes", "La clôture doit suivre l'ouverture.");
        }
    }
    let levers =
        crate::store::catalogue::count(&state.db, campaign.id, CatalogueKind::Lever).await?;
    let ranks = match form.ranks.trim().parse::<i64>() {
        Ok(n) if (1..=5).contains(&n) && n <= levers => n,
        Ok(n) if (1..=5).contains(&n) => {
            errors.add(
                "ranks",
                format!(
                    "Le catalogue ne compte que {}\u{a0}: choisissez au plus {}.",
                    crate::domain::plural::count(levers, "levier", "leviers"),
                    crate::domain::plural::count(levers, "rang", "rangs")
                ),
            );
            n
        }
        _ => {
            errors.add("ranks", "Indiquez un nombre de choix entre 1 et 5.");
            0
        }
    };
    let contact = Contact::parse(
        &form.contact_name,
        &form.contact_email,
        &form.contact_phone,
        &mut errors,
    );
    let retention = crate::store::retention::of_campaign(&state.db, campaign.id).await?;
    // A form without the field (an older page) keeps the period.
    let retention_months = match form.retention_months.trim() {
        "" => Ok(retention.months),
        typed => typed.parse::<i64>(),
    };
    let retention_months = match retention_months {
        Ok(n) if (1..=120).contains(&n) => n,
        _ => {
            errors.add(
                "retention_months",
                "Indiquez une durée de conservation entre 1 et 120 mois.",
            );
            0
        }
    };
    let keeps_free_text = form.keep_free_text == "oui";
    if !errors.is_empty() {
        return render_edit(access, nav, typed, errors).await;
    }
    // The window runs from the start of its first day to the end of its last.
    let opens = window[0].map(|d| format!("{d}T00:00:00Z"));
    let closes = window[1].map(|d| format!("{d}T23:59:59Z"));
    let mut changed = Vec::new();
    if title != campaign.title {
        changed.push(format!(
            "titre «\u{a0}{}\u{a0}» → «\u{a0}{title}\u{a0}»",
            campaign.title
        ));
    }
    if description != campaign.description {
        changed.push("présentation".to_string());
    }
    if (opens.as_deref(), closes.as_deref())
        != (
            campaign.online_opens_at.as_deref(),
            campaign.online_closes_at.as_deref(),
        )
    {
        let show = |d: &Option<chrono::NaiveDate>| d.map_or("—".to_string(), |d| d.to_string());
        changed.push(format!(
            "fenêtre en ligne {} → {}",
            show(&window[0]),
            show(&window[1])
        ));
    }
    if ranks != campaign.ranks_per_objective {
        changed.push(format!("{ranks} choix par objectif"));
    }
    if contact != campaign.contact() {
        changed.push("contact de l'organisateur".to_string());
    }
    if retention_months != retention.months {
        changed.push(format!(
            "conservation {} → {retention_months} mois après la clôture",
            retention.months
        ));
    }
    if keeps_free_text != retention.keeps_free_text {
        changed.push(if keeps_free_text {
            "textes libres conservés après la durée de conservation".to_string()
        } else {
            "textes libres anonymisés avec les données personnelles".to_string()
        });
    }
    if !changed.is_empty() {
        let detail = format!(
            "«\u{a0}{}\u{a0}»\u{a0}: {}",
            campaign.title,
            changed.join("\u{a0}; ")
        );
        let settings = Settings {
            title: &title,
            description: &description,
            online_opens_at: opens,
            online_closes_at: closes,
            ranks_per_objective: ranks,
            contact,
            retention_months,
            retention_keeps_free_text: keeps_free_text,
        };
        campaigns::update(&state.db, actor(&access), campaign.id, &settings, &detail).await?;
    }
    Ok(see_other(&paths::done(
        paths::campaign(&campaign.slug).home(),
        "modifie",
    )))
}

#[derive(Template)]
#[template(path = "staff/campaign_duplicate.html")]
struct DuplicatePage {
    nav: Nav,
    access: Access,
    typed: Typed,
    errors: FieldErrors,
}

pub async fn duplicate_form(
    StaffPage { access, nav, .. }: StaffPage,
) -> Result<HttpResponse, AppError> {
    let c = access.campaign()?;
    let title = format!("{} (copie)", c.title);
    let slug = format!("{}-copie", c.slug);
    let typed = Typed::from_pairs(&[("title", &title), ("slug", &slug)]);
    let errors = FieldErrors::default();
    page(
        status_for(&errors),
        &DuplicatePage {
            nav,
            access,
            typed,
            errors,
        },
    )
}

/// The copy's title and address.
#[derive(Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DuplicateForm {
    pub title: String,
    pub slug: String,
}

pub async fn duplicate(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<DuplicateForm>,
) -> Result<HttpResponse, AppError> {
    let typed = Typed::of(&form);
    let (title, errors) = check_new_campaign(&state, &typed).await?;
    let slug = form.slug.trim();
    if !errors.is_empty() {
        return page(
            status_for(&errors),
            &DuplicatePage {
                nav,
                access,
                typed,
                errors,
            },
        );
    }
    let source = access.campaign()?;
    campaigns::duplicate(&state.db, actor(&access), source, slug, &title).await?;
    Ok(see_other(&paths::done(
        paths::campaign(slug).home(),
        "duplique",
    )))
}
