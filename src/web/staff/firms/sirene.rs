//! The directory from an extract of the Sirene register, on the staff side:
//! upload the establishments file (and the legal units file, for the names),
//! see what the import would do, confirm. The files are streamed to a
//! temporary file and read as the command line reads them; the preview keeps
//! only the establishments kept (`store::import_previews`, kind `sirene`),
//! and the confirmation plans them again against the directory as it is by
//! then, then writes it all in one transaction.

use crate::domain::import::sirene::Establishment;
use crate::domain::import::sirene_plan::SirenePlan;
use crate::domain::{naf, FieldErrors, Token};
use crate::store::import_previews::{self, Confirmed, Found, Kind, Owner, Planned};
use crate::tasks::sirene_import::{self, Choices, Files, ImportError};
use crate::web::csrf::CsrfToken;
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::paths;
use crate::web::response::{see_other, status_for};
use crate::web::staff::access::Access;
use crate::web::staff::support::StaffPage;
use crate::web::staff::{actor, upload, Nav};
use crate::web::State;
use actix_multipart::Multipart;
use actix_web::HttpResponse;
use askama::Template;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

/// Largest extract accepted from the page: a département's establishments.
/// The national files go through `tissu firms import-sirene`.
const MAX_EXTRACT_BYTES: u64 = 200 * 1024 * 1024;
/// Rows of each table the preview shows.
const SHOWN_ROWS: usize = 1_000;

/// What the form was sent with, shown again on an error.
#[derive(Debug, Clone)]
pub struct Typed {
    naf: String,
    min_band: String,
}

impl Default for Typed {
    fn default() -> Self {
        Self {
            naf: "10-33".into(),
            min_band: "11".into(),
        }
    }
}

#[derive(Template)]
#[template(path = "staff/firm_sirene.html")]
struct SirenePage {
    nav: Nav,
    access: Access,
    errors: FieldErrors,
    typed: Typed,
    /// The plan and the preview's id.
    preview: Option<(SirenePlan, String)>,
}

impl SirenePage {
    fn shown<'a, T>(&self, rows: &'a [T]) -> &'a [T] {
        &rows[..rows.len().min(SHOWN_ROWS)]
    }

    fn bands(&self) -> impl Iterator<Item = &(&'static str, &'static str)> {
        naf::BANDS.iter().filter(|(code, _)| *code != "NN")
    }

    fn activity(&self, code: &str) -> String {
        naf::activity_label(code)
    }

    fn headcount(&self, band: &Option<String>) -> &'static str {
        band.as_deref()
            .and_then(naf::band_label)
            .unwrap_or("inconnu")
    }

    fn day(&self, iso: &str) -> String {
        crate::domain::french_time::day(iso)
    }
}

fn render(
    access: Access,
    nav: Nav,
    errors: FieldErrors,
    typed: Typed,
    preview: Option<(SirenePlan, String)>,
) -> Result<HttpResponse, AppError> {
    page(
        status_for(&errors),
        &SirenePage {
            nav,
            access,
            errors,
            typed,
            preview,
        },
    )
}

pub async fn form(StaffPage { access, nav, .. }: StaffPage) -> Result<HttpResponse, AppError> {
    render(access, nav, FieldErrors::default(), Typed::default(), None)
}

/// An uploaded file on disk, removed when dropped.
struct Spooled(PathBuf);

impl Drop for Spooled {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The upload form, read: its fields, and its files spooled to disk.
#[derive(Default)]
struct Sent {
    csrf: String,
    typed: Typed,
    establishments: Option<Spooled>,
    legal_units: Option<Spooled>,
    too_big: bool,
    /// The server could not write a received file (its disk): why.
    unwritable: Option<String>,
}

async fn read_form(mut multipart: Multipart, csrf: &CsrfToken) -> Result<Sent, AppError> {
    let mut sent = Sent {
        typed: Typed {
            naf: String::new(),
            min_band: String::new(),
        },
        ..Sent::default()
    };
    while let Some(Ok(mut field)) = multipart.next().await {
        let name = field.name().unwrap_or_default().to_string();
        if matches!(name.as_str(), "establishments" | "legal_units") {
            let path = std::env::temp_dir().join(format!(
                "tissu-sirene-{}.upload",
                Token::generate().as_str()
            ));
            let spooled = Spooled(path);
            let mut file = match std::fs::File::create(&spooled.0) {
                Ok(file) => Some(file),
                Err(e) => {
                    sent.unwritable = Some(crate::os_errors::french(&e));
                    None
                }
            };
            let mut written: u64 = 0;
            while let Some(chunk) = field.next().await {
                let Ok(chunk) = chunk else { break };
                written += chunk.len() as u64;
                if written > MAX_EXTRACT_BYTES {
                    sent.too_big = true;
                    break;
                }
                if let Some(Err(e)) = file.as_mut().map(|f| f.write_all(&chunk)) {
                    sent.unwritable = Some(crate::os_errors::french(&e));
                    file = None;
                }
            }
            if written > 0 {
                if name == "establishments" {
                    sent.establishments = Some(spooled);
                } else {
                    sent.legal_units = Some(spooled);
                }
            }
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let Ok(chunk) = chunk else { break };
            if bytes.len() + chunk.len() > 1024 {
                break;
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = String::from_utf8_lossy(&bytes).trim().to_string();
        match name.as_str() {
            "csrf" => sent.csrf = text,
            "naf" => sent.typed.naf = text,
            "min_band" => sent.typed.min_band = text,
            _ => {}
        }
    }
    csrf.verify(&sent.csrf)?;
    Ok(sent)
}

/// What a preview keeps until its confirmation.
#[derive(serde::Serialize, serde::Deserialize)]
struct Kept {
    kept: Vec<Establishment>,
    names: HashMap<String, String>,
}

fn owner(access: &Access) -> Result<Owner, AppError> {
    Ok(Owner {
        staff_id: access.staff.id,
        territory_id: access.territory()?.id,
        campaign_id: None,
        kind: Kind::Sirene,
    })
}

/// A reading error as the form shows it; a database error stays one.
fn on_the_file(e: ImportError) -> Result<FieldErrors, AppError> {
    match e {
        ImportError::Store(e) => Err(AppError::Store(e)),
        other => Ok(upload::file_error(format!(
            "{}.",
            capitalised(&other.to_string())
        ))),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub async fn preview(
    state: State,
    StaffPage { access, nav, csrf }: StaffPage,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let sent = read_form(multipart, &csrf).await?;
    let typed = sent.typed.clone();
    let mut errors = FieldErrors::default();
    let divisions = naf::parse_divisions(&typed.naf)
        .map_err(|e| errors.add("naf", format!("{}.", capitalised(&e))))
        .ok();
    let min_band = naf::parse_band(&typed.min_band)
        .map_err(|e| errors.add("min_band", format!("{}.", capitalised(&e))))
        .ok();
    if let Some(why) = &sent.unwritable {
        errors.add(
            "file",
            format!("Le serveur n'a pas pu enregistrer le fichier reçu\u{a0}: {why}"),
        );
    } else if sent.too_big {
        errors.add("file", "Le fichier dépasse 200\u{a0}Mo\u{a0}: importez les fichiers nationaux avec la commande tissu firms import-sirene.");
    } else if sent.establishments.is_none() {
        errors.add("file", "Choisissez le fichier des établissements.");
    }
    let (Some(divisions), Some(min_band), Some(establishments), true) = (
        divisions,
        min_band,
        sent.establishments.as_ref(),
        errors.is_empty(),
    ) else {
        return render(access, nav, errors, typed, None);
    };
    let territory = access.territory()?.clone();
    let files = Files {
        establishments: establishments.0.clone(),
        legal_units: sent.legal_units.as_ref().map(|s| s.0.clone()),
    };
    let choices = Choices {
        divisions,
        min_band: Some(min_band),
    };
    let prepared = match sirene_import::prepare(&state.db, &territory, files, choices, |_| {}).await
    {
        Ok(prepared) => prepared,
        Err(e) => return render(access, nav, on_the_file(e)?, typed, None),
    };
    drop(sent);
    let kept = Kept {
        kept: prepared.kept,
        names: prepared.names,
    };
    // Strings only: serialising cannot fail.
    let content = serde_json::to_string(&kept).unwrap_or_default();
    let id = import_previews::save(&state.db, &owner(&access)?, &content).await?;
    let preview = Some((prepared.plan, id.as_str().to_string()));
    render(access, nav, errors, typed, preview)
}

/// The preview the organiser confirms.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct PreviewForm {
    preview: String,
}

const PREVIEW_GONE: &str = "Cet aperçu n'est plus disponible\u{a0}: l'import a peut-être déjà été confirmé, ou il a expiré (un aperçu se confirme dans l'heure). Choisissez de nouveau les fichiers pour voir un nouvel aperçu.";

pub async fn confirm(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<PreviewForm>,
) -> Result<HttpResponse, AppError> {
    let owner = owner(&access)?;
    let gone = |access, nav| {
        render(
            access,
            nav,
            upload::file_error(PREVIEW_GONE),
            Typed::default(),
            None,
        )
    };
    let Some(id) = Token::parse(&form.preview) else {
        return gone(access, nav);
    };
    let content = match import_previews::find(&state.db, &id, &owner).await? {
        Found::Open(content) => content,
        Found::Foreign => return Err(AppError::NotFound),
        Found::Expired | Found::Missing => return gone(access, nav),
    };
    let Ok(kept) = serde_json::from_str::<Kept>(&content) else {
        return gone(access, nav);
    };
    let territory = access.territory()?.clone();
    let plan = match sirene_import::replan(&state.db, &territory, &kept.kept, &kept.names).await {
        Ok(plan) => plan,
        Err(e) => return render(access, nav, on_the_file(e)?, Typed::default(), None),
    };
    let planned = Planned::Sirene {
        territory_id: territory.id,
        plan: &plan,
    };
    match import_previews::confirm(&state.db, &id, &owner, actor(&access), planned).await {
        Ok(Confirmed::Written) => Ok(see_other(&paths::done(
            paths::territory(&territory.slug).firms(),
            "import",
        ))),
        Ok(Confirmed::Missing) => gone(access, nav),
        Err(e) => {
            tracing::warn!(error = %e, "Sirene import rolled back");
            let errors = upload::file_error(upload::IMPORT_FAILED);
            let preview = Some((plan, id.as_str().to_string()));
            render(access, nav, errors, Typed::default(), preview)
        }
    }
}
