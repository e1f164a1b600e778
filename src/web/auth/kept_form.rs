//! A staff form posted after the session ended (2 h idle, 12 h, or closed from
//! « Mes sessions ») must not cost what was typed. Instead of a redirect, the
//! sign-in form comes back with every posted field hidden in it (in the page,
//! never in a URL); once signed in, a page shows them and sends them again to
//! their address with one click, under the CSRF value issued at sign-in.
//!
//! Only a form that carried this browser's own CSRF value is kept: a POST
//! forged by another site (which cannot read that value, nor send its
//! SameSite=Strict cookie) gets the plain redirect, so that signing in never
//! sets up someone else's request. The replay still waits for a click. The
//! password forms get the plain redirect too: a password is never written
//! into a page.

use crate::web::csrf::CsrfToken;
use actix_web::dev::ServiceRequest;
use actix_web::{web, HttpMessage};

/// What the sign-in page keeps of a request refused for want of a session: in
/// its form, `suite` (the address) and one `garde_nom`/`garde_valeur` pair of
/// hidden fields per posted field, in order (a field may repeat).
#[derive(Debug, Clone, Default)]
pub struct Kept {
    /// Where the form was posted (path and query), "" for nothing to send again.
    pub target: String,
    /// The posted fields, in order, without the old CSRF value.
    pub fields: Vec<(String, String)>,
    /// An upload: a file cannot be kept across the sign-in.
    pub upload: bool,
}

impl Kept {
    /// Reads what a POST refused for want of a session carried; None when it
    /// is not a form of tissu's own (the caller then redirects as for a GET).
    pub async fn from_post(req: &mut ServiceRequest) -> Option<Self> {
        let content_type = req.content_type().to_ascii_lowercase();
        if content_type == "multipart/form-data" {
            return Some(Self {
                upload: true,
                ..Self::default()
            });
        }
        if content_type != "application/x-www-form-urlencoded" {
            return None;
        }
        let csrf = req.extensions().get::<CsrfToken>().cloned()?;
        let form = req
            .extract::<web::Form<Vec<(String, String)>>>()
            .await
            .ok()?
            .into_inner();
        let sent = form
            .iter()
            .find(|(k, _)| k == crate::web::csrf::FIELD)
            .map_or("", |(_, v)| v.as_str());
        csrf.verify(sent).ok()?;
        // A password is never written into a page: that form is typed again.
        if req.path().ends_with("/mot-de-passe") {
            return None;
        }
        let target = match req.query_string() {
            "" => req.path().to_string(),
            query => format!("{}?{query}", req.path()),
        };
        Some(Self {
            target,
            fields: without_csrf(form),
            upload: false,
        })
    }

    /// What the sign-in form sent back, when its target is a staff address.
    pub fn from_sign_in(target: String, names: Vec<String>, values: Vec<String>) -> Self {
        if !is_staff_address(&target) || names.len() != values.len() || names.is_empty() {
            return Self::default();
        }
        Self {
            target,
            fields: without_csrf(names.into_iter().zip(values).collect()),
            upload: false,
        }
    }

    /// Whether there is a form to send again after signing in.
    pub fn has_form(&self) -> bool {
        !self.target.is_empty() && !self.fields.is_empty()
    }
}

fn without_csrf(fields: Vec<(String, String)>) -> Vec<(String, String)> {
    fields
        .into_iter()
        .filter(|(k, _)| k != crate::web::csrf::FIELD)
        .collect()
}

/// A path of the staff pages on this site: the replay form posts nowhere else.
fn is_staff_address(target: &str) -> bool {
    (target == "/staff" || target.starts_with("/staff/"))
        && !target.contains("//")
        && !target.contains('\\')
        && !target.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_staff_path_of_this_site_is_sent_again() {
        assert!(is_staff_address("/staff/campagnes/diag/saisie/3"));
        assert!(is_staff_address(
            "/staff/campagnes/diag/participants?page=2"
        ));
        for elsewhere in [
            "https://ailleurs.example/staff/",
            "//ailleurs.example/staff",
            "/staff/..\\..\\x",
            "/staffeur",
            "/connexion",
            "",
        ] {
            assert!(!is_staff_address(elsewhere), "{elsewhere}");
        }
    }

    #[test]
    fn the_old_csrf_value_is_never_kept() {
        let kept = Kept::from_sign_in(
            "/staff/campagnes/diag/saisie/3".into(),
            vec!["csrf".into(), "strength".into()],
            vec!["ancien".into(), "Savoir-faire".into()],
        );
        assert_eq!(
            kept.fields,
            vec![("strength".to_string(), "Savoir-faire".to_string())]
        );
        assert!(
            !Kept::from_sign_in("/ailleurs".into(), vec!["a".into()], vec!["b".into()]).has_form()
        );
    }
}
