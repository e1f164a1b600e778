//! The invitation's wording on the staff side: previewed for one chosen
//! recipient (with an example link), sent as a test to the staff member's own
//! address, or saved; never saved nor sent with a placeholder it cannot fill.

use crate::domain::wording::check_placeholders;
use crate::domain::FieldErrors;
use crate::letters::compose::Kind;
use crate::store::campaigns::wording::{self, Wording};
use crate::store::mailing::letterhead::Letterhead;
use crate::web::error::AppError;
use crate::web::form::Posted;
use crate::web::paths;
use crate::web::response::see_other;
use crate::web::staff::actor;
use crate::web::staff::mailing::render_with;
use crate::web::staff::support::StaffPage;
use crate::web::staff::Typed;
use crate::web::State;
use actix_web::HttpResponse;

/// The wording form, with the recipient of the preview and the button pressed
/// (`enregistrer` saves, `essai` sends a test to oneself, anything else
/// previews).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct WordingForm {
    invitation_subject: String,
    invitation_intro: String,
    signature: String,
    reply_to: String,
    preview_for: String,
    action: String,
}

/// The invitation's wording: previewed for one recipient, sent as a test to
/// oneself, or saved.
pub async fn set_wording(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<WordingForm>,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?.clone();
    let wording = Wording {
        invitation_subject: crate::letters::compose::one_line(&form.invitation_subject),
        invitation_intro: form.invitation_intro.as_str().trim().to_string(),
        signature: form.signature.as_str().trim().to_string(),
        reply_to: String::new(),
    };
    let mut errors = FieldErrors::default();
    let mut wording = wording;
    match form.reply_to.as_str().trim() {
        "" => {}
        typed => match crate::domain::Email::parse(typed) {
            Ok(email) => wording.reply_to = email.as_str().to_string(),
            Err(e) => errors.add("reply_to", e.to_string()),
        },
    }
    if wording.invitation_subject.chars().count() > 200 {
        errors.add(
            "invitation_subject",
            "L'objet tient en 200 caractères au plus.",
        );
    }
    if wording.invitation_intro.chars().count() > 4000 {
        errors.add(
            "invitation_intro",
            "L'introduction tient en 4 000 caractères au plus.",
        );
    }
    if wording.signature.chars().count() > 1000 {
        errors.add(
            "signature",
            "La signature tient en 1 000 caractères au plus.",
        );
    }
    check_placeholders(
        &wording.invitation_subject,
        &wording.invitation_intro,
        &wording.signature,
        campaign.online_closes_at.is_some(),
        &mut errors,
    );
    if form.action.as_str() == "enregistrer" && errors.is_empty() {
        wording::set_wording(&state.db, actor(&access), campaign.id, &wording).await?;
        return Ok(see_other(&paths::done(
            paths::campaign(&campaign.slug).mailing(),
            "texte",
        )));
    }
    // The form comes back as typed ("wording" tells the page to show it).
    let typed = Typed::from_pairs(&[
        ("wording", "oui"),
        (
            "invitation_subject",
            form.invitation_subject.as_str().trim(),
        ),
        ("invitation_intro", form.invitation_intro.as_str()),
        ("signature", form.signature.as_str()),
        ("reply_to", form.reply_to.as_str()),
        ("preview_for", form.preview_for.as_str().trim()),
    ]);
    let composed = if errors.is_empty() {
        let chosen = form.preview_for.parse::<i64>().ok();
        match wording::preview_recipient(&state.db, campaign.id, chosen).await? {
            Some(person) => {
                let mut letterhead = Letterhead::load(&state.db, &campaign).await?;
                letterhead.wording = wording;
                // An example link: a preview never shows a person's real link.
                let links = crate::store::participants::Links {
                    personal: crate::domain::Token::generate(),
                    optout: crate::domain::Token::generate(),
                };
                let composed =
                    letterhead.composer(Kind::Invitation, &state.base_url)(&person, &links)
                        .map_err(crate::store::StoreError::Compose)?;
                Some(composed)
            }
            None => {
                errors.add(
                    "preview_for",
                    "Ajoutez d'abord un participant pour voir l'aperçu.",
                );
                None
            }
        }
    } else {
        None
    };
    if let (Some(composed), "essai") = (&composed, form.action.as_str()) {
        let to = access.staff.email.clone();
        wording::queue_test(
            &state.db,
            actor(&access),
            campaign.id,
            &to,
            &composed.as_test(),
        )
        .await?;
        state.mail_wake.notify_one();
        return Ok(see_other(&paths::done(
            paths::campaign(&campaign.slug).mailing(),
            "essai",
        )));
    }
    let preview = composed.map(|c| (c.subject, c.text));
    render_with(&state, access, nav, typed, errors, String::new(), preview).await
}
