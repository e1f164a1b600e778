//! The page that asks before emails go to more than one person: it names how
//! many and which mail (« Envoyer 72 invitations ? »), and posts the same form
//! again with `confirm=oui`, without JavaScript. The handler that sends checks
//! the count it was confirmed for, so a list that grew since asks again.

use crate::web::error::{page, AppError};
use crate::web::staff::access::Access;
use crate::web::staff::Nav;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;

#[derive(Template)]
#[template(path = "staff/send_confirm.html")]
struct SendConfirmPage {
    nav: Nav,
    access: Access,
    question: String,
    lines: Vec<String>,
    /// Where the confirmed form is posted, with its fields.
    action: String,
    hidden: Vec<(String, String)>,
    button: String,
    back: String,
}

/// What the page asks and what confirming it posts.
pub(in crate::web::staff) struct Ask {
    pub question: String,
    pub lines: Vec<String>,
    pub action: String,
    pub hidden: Vec<(String, String)>,
    pub button: String,
    pub back: String,
}

pub(in crate::web::staff) async fn ask(
    access: Access,
    nav: Nav,
    ask: Ask,
) -> Result<HttpResponse, AppError> {
    let Ask {
        question,
        lines,
        action,
        mut hidden,
        button,
        back,
    } = ask;
    hidden.push(("confirm".into(), "oui".into()));
    page(
        StatusCode::OK,
        &SendConfirmPage {
            nav,
            access,
            question,
            lines,
            action,
            hidden,
            button,
            back,
        },
    )
}

/// « 1 invitation », « 72 invitations »: the noun agreeing with the number
/// (0 and 1 take the singular in French).
pub(in crate::web::staff) fn count_of(n: i64, one: &str, many: &str) -> String {
    match n {
        0 | 1 => format!("{n} {one}"),
        _ => format!("{n} {many}"),
    }
}
