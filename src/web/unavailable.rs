//! A save refused because the storage cannot write (full disk, read-only file)
//! must not cost the user what they typed. Whatever form was posted, the 503
//! page carries every field back, hidden in a form that sends them again to
//! the same address, and shows the typed values so they can be copied. A form
//! refused for a forbidden character (`domain::text`) comes back the same
//! way, without that character, for the person to check and send again.

use crate::domain::text::forbidden_char;
use crate::web::error::{RefusedText, StorageUnavailable};
use crate::web::form::PostedForm;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse};
use askama::Template;

#[derive(Template)]
#[template(path = "unavailable.html")]
struct RetryPage {
    why: &'static str,
    action: String,
    fields: Vec<(String, String)>,
}

impl RetryPage {
    fn typed(&self) -> Vec<&str> {
        typed_values(&self.fields)
    }
}

/// What the person typed in a posted form, without the page's own plumbing
/// (token, buttons, row counts, choices of lists): what a page that could not
/// take the form shows so that it can be copied (`partials/typed_values.html`;
/// also the page of a refused staff action).
pub fn typed_values(fields: &[(String, String)]) -> Vec<&str> {
    fields
        .iter()
        .filter(|(k, v)| !matches!(k.as_str(), "csrf" | "action" | "rows") && !v.trim().is_empty())
        .filter(|(k, _)| {
            !k.starts_with("intensity_") && !k.starts_with("status_") && !k.starts_with("kinds_")
        })
        .map(|(_, v)| v.as_str())
        .collect()
}

/// A form refused for a character no text may hold: the same form again,
/// without those characters, to send once checked.
#[derive(Template)]
#[template(path = "refused_text.html")]
struct RefusedTextPage {
    why: String,
    action: String,
    fields: Vec<(String, String)>,
}

impl RefusedTextPage {
    fn typed(&self) -> Vec<&str> {
        typed_values(&self.fields)
    }
}

fn is_forbidden(c: char) -> bool {
    forbidden_char(c.encode_utf8(&mut [0; 4])).is_some()
}

pub async fn keep_what_was_typed(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let response = next.call(req).await?;
    let why = response
        .response()
        .extensions()
        .get::<StorageUnavailable>()
        .copied();
    let refused = response
        .response()
        .extensions()
        .get::<RefusedText>()
        .cloned();
    if why.is_none() && refused.is_none() {
        return Ok(response.map_into_left_body());
    }
    let form = response.request().extensions().get::<PostedForm>().cloned();
    let Some(PostedForm(fields)) = form else {
        return Ok(response.map_into_left_body());
    };
    let request = response.request();
    let action = match request.query_string() {
        "" => request.path().to_string(),
        query => format!("{}?{query}", request.path()),
    };
    let rendered = match (why, refused) {
        (Some(StorageUnavailable(why)), _) => RetryPage {
            why: why.french(),
            action,
            fields,
        }
        .render(),
        (None, Some(RefusedText(why))) => RefusedTextPage {
            why: why.to_string(),
            action,
            fields: fields
                .into_iter()
                .map(|(k, v)| (k, v.chars().filter(|c| !is_forbidden(*c)).collect()))
                .collect(),
        }
        .render(),
        (None, None) => return Ok(response.map_into_left_body()),
    };
    let Ok(body) = rendered else {
        return Ok(response.map_into_left_body());
    };
    let status = response.status();
    let retry_after = response.headers().get("retry-after").cloned();
    let (request, _) = response.into_parts();
    let mut rebuilt = HttpResponse::build(status);
    rebuilt.content_type("text/html; charset=utf-8");
    if let Some(value) = retry_after {
        rebuilt.insert_header(("Retry-After", value));
    }
    Ok(ServiceResponse::new(request, rebuilt.body(body)).map_into_right_body())
}
