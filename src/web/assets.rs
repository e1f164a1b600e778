//! Static files compiled into the binary: one file to deploy.
//!
//! Pages name them with `url`, which adds a fingerprint of the content
//! (`/static/tissu.css?v=1a2b3c4d5e6f`): a browser keeps such a file for a
//! year without asking again, and a new version of the file, having a new
//! address, is fetched at once after an upgrade. Every file also carries a
//! strong ETag (the same fingerprint), so an address without it is
//! revalidated in one small request (304).

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use rust_embed::RustEmbed;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Assets;

/// A year: the longest lifetime caches honour.
const FINGERPRINTED: &str = "public, max-age=31536000, immutable";
/// Without the fingerprint: kept an hour, then revalidated with the ETag.
const PLAIN: &str = "public, max-age=3600";

/// Each file's fingerprint: the first 12 hex digits of its SHA-256.
fn fingerprints() -> &'static HashMap<String, String> {
    static FINGERPRINTS: OnceLock<HashMap<String, String>> = OnceLock::new();
    FINGERPRINTS.get_or_init(|| {
        Assets::iter()
            .filter_map(|name| {
                let file = Assets::get(&name)?;
                let hex: String = file.metadata.sha256_hash()[..6]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                Some((name.into_owned(), hex))
            })
            .collect()
    })
}

/// The address pages use for a static file, with its fingerprint.
pub fn url(name: &str) -> String {
    match fingerprints().get(name) {
        Some(v) => format!("/static/{name}?v={v}"),
        None => {
            debug_assert!(false, "no static file {name}");
            format!("/static/{name}")
        }
    }
}

pub async fn serve(req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let (Some(file), Some(fingerprint)) = (Assets::get(&path), fingerprints().get(path.as_str()))
    else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("fichier introuvable");
    };
    let etag = header::EntityTag::new_strong(fingerprint.clone());
    let fingerprinted = req
        .query_string()
        .split('&')
        .any(|pair| pair.strip_prefix("v=") == Some(fingerprint.as_str()));
    let cache = if fingerprinted { FINGERPRINTED } else { PLAIN };
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == etag.to_string() || t.trim() == "*")
        });
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header(header::ETag(etag))
        .insert_header((header::CACHE_CONTROL, cache));
    if unchanged {
        return response.finish();
    }
    response
        .content_type(
            mime_guess::from_path(path.as_str())
                .first_or_octet_stream()
                .as_ref(),
        )
        .body(file.data.into_owned())
}
