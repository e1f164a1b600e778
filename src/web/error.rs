//! Application errors, mapped to HTTP responses and French pages in one place.

use crate::store::{StoreError, Unavailable};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("page introuvable")]
    NotFound,
    #[error("connexion requise")]
    LoginRequired,
    /// The API without a valid session or bearer token: 401, never a redirect.
    #[error("authentification requise")]
    Unauthorized,
    #[error("accès refusé")]
    Forbidden,
    #[error("jeton de sécurité invalide")]
    Csrf,
    /// A posted form whose fields do not fit the form's declaration (forged or
    /// from an older page): pages' own fields are all text, checked afterwards.
    #[error("formulaire mal formé")]
    BadForm,
    /// A posted field holding a character no typed text may hold (see
    /// `domain::text`), whatever the form.
    #[error("texte refusé\u{a0}: {0}")]
    RefusedText(crate::domain::text::TextError),
    /// A body over the size limit.
    #[error("requête trop volumineuse")]
    TooLarge,
    /// A body that did not arrive in time (`TISSU_BODY_TIMEOUT`).
    #[error("requête trop lente")]
    BodyTimeout,
    #[error("trop de tentatives")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("la consultation est close")]
    CampaignClosed,
    /// A personal link that an organiser replaced by a new one.
    #[error("lien remplacé")]
    LinkReplaced,
    /// A personal link whose participant erased their answers (or staff did).
    #[error("réponses effacées")]
    LinkErased,
    /// A personal link of a campaign whose personal data was anonymised.
    #[error("données anonymisées")]
    LinkAnonymised,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("gabarit\u{a0}: {0}")]
    Template(#[from] askama::Error),
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
    /// The request's id, on a server error, for the user to quote.
    reference: Option<String>,
}

/// What an error response is, for the API's JSON body (`web::api::json_errors`).
#[derive(Debug, Clone, Copy)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub message: &'static str,
}

tokio::task_local! {
    /// The id of the request being served (set by `web::log_request`).
    pub static REQUEST_ID: String;
}

/// Put on a 503 response whose cause is the storage: the middleware that keeps
/// what was typed recognises it.
#[derive(Debug, Clone, Copy)]
pub struct StorageUnavailable(pub Unavailable);

/// Put on the 422 response to a form with a forbidden character: the
/// middleware that keeps what was typed sends the form back without it.
#[derive(Debug, Clone)]
pub struct RefusedText(pub crate::domain::text::TextError);

impl AppError {
    /// A stable code for programs (the API's `error` field).
    fn code(&self) -> &'static str {
        if self.unavailable().is_some() {
            return "storage_unavailable";
        }
        match self {
            Self::NotFound => "not_found",
            Self::LoginRequired | Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::Csrf => "csrf",
            Self::BadForm => "bad_form",
            Self::RefusedText(_) => "refused_text",
            Self::TooLarge => "payload_too_large",
            Self::BodyTimeout => "request_timeout",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::CampaignClosed => "campaign_closed",
            Self::LinkReplaced => "link_replaced",
            Self::LinkErased => "link_erased",
            Self::LinkAnonymised => "link_anonymised",
            Self::Store(StoreError::Computing) => "computing",
            Self::Store(_) | Self::Template(_) => "internal",
        }
    }

    fn unavailable(&self) -> Option<Unavailable> {
        match self {
            Self::Store(e) => e.unavailable(),
            _ => None,
        }
    }

    fn french(&self) -> (&'static str, &'static str) {
        if self.unavailable().is_some() {
            return (
                "Enregistrement impossible pour le moment",
                "Le serveur ne peut rien enregistrer pour l'instant. Rien de ce que vous venez d'envoyer n'a été enregistré\u{a0}; réessayez dans quelques minutes. Si le problème persiste, prévenez l'organisateur.",
            );
        }
        match self {
            Self::NotFound => (
                "Page introuvable",
                "Ce lien ne correspond à aucune page. Si vous avez reçu un lien personnel par courriel, vérifiez qu'il a été copié en entier.",
            ),
            Self::LoginRequired => ("Connexion requise", "Connectez-vous pour accéder à cette page."),
            Self::Unauthorized => (
                "Authentification requise",
                "Ce service demande une session de l'équipe ou un jeton d'accès valide (en-tête Authorization: Bearer).",
            ),
            Self::Forbidden => ("Accès refusé", "Votre compte ne donne pas accès à cette page."),
            Self::Csrf => (
                "Formulaire expiré",
                "Le formulaire a expiré ou ne vient pas de cette page. Revenez en arrière, rechargez la page et envoyez-le de nouveau.",
            ),
            Self::BadForm => (
                "Formulaire incomplet",
                "Le formulaire envoyé ne correspond pas à celui de la page. Revenez en arrière, rechargez la page et envoyez-le de nouveau.",
            ),
            Self::RefusedText(_) => (
                "Caractère refusé",
                "Le texte envoyé contient un caractère invisible qui peut tromper ses lecteurs (caractère de contrôle ou inversion du sens d'écriture). Revenez en arrière, retirez-le (par exemple en retapant le texte au lieu de le coller) et envoyez de nouveau.",
            ),
            Self::TooLarge => (
                "Envoi trop volumineux",
                "Le formulaire envoyé dépasse la taille acceptée. Revenez en arrière, raccourcissez les textes les plus longs et envoyez-le de nouveau.",
            ),
            Self::BodyTimeout => (
                "Envoi interrompu",
                "Le formulaire n'est pas arrivé en entier à temps\u{a0}: la connexion est peut-être lente. Revenez en arrière et envoyez-le de nouveau.",
            ),
            Self::TooManyRequests { .. } => (
                "Trop de tentatives",
                "Vous avez fait trop de demandes en peu de temps. Patientez une minute puis réessayez.",
            ),
            Self::LinkReplaced => (
                "Ce lien a été remplacé",
                "L'organisateur a remplacé ce lien personnel par un nouveau, envoyé par courriel à votre adresse. Utilisez le lien du message le plus récent\u{a0}; sans nouvelles, demandez-le de nouveau depuis la page de la consultation, ou contactez l'organisateur.",
            ),
            Self::LinkErased => (
                "Vos réponses ont été effacées",
                "Les réponses et les coordonnées liées à ce lien personnel ont été effacées\u{a0}: plus rien n'est conservé sur vous pour cette consultation, ni dans les exports ni dans les synthèses.",
            ),
            Self::LinkAnonymised => (
                "Données anonymisées",
                "La durée de conservation de cette consultation est passée\u{a0}: les données personnelles ont été anonymisées et ce lien personnel n'ouvre plus rien. Les synthèses, qui regroupent les réponses de toutes les entreprises, restent.",
            ),
            Self::CampaignClosed => (
                "Consultation close",
                "Cette consultation est close\u{a0}: les réponses ne peuvent plus être modifiées.",
            ),
            Self::Store(StoreError::Computing) => (
                "Chiffres en cours de calcul",
                "Le serveur vient de redémarrer et calcule les chiffres de cette consultation. Rechargez la page dans quelques secondes.",
            ),
            Self::Store(_) | Self::Template(_) => (
                "Erreur du serveur",
                "Une erreur inattendue nous empêche d'afficher cette page. Réessayez dans un instant\u{a0}; si l'erreur persiste, prévenez l'organisateur.",
            ),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::LoginRequired => StatusCode::SEE_OTHER,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::BadForm => StatusCode::BAD_REQUEST,
            Self::RefusedText(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::CampaignClosed => StatusCode::CONFLICT,
            Self::LinkReplaced => StatusCode::GONE,
            Self::LinkErased | Self::LinkAnonymised => StatusCode::GONE,
            Self::Store(e) if e.unavailable().is_some() => StatusCode::SERVICE_UNAVAILABLE,
            Self::Store(StoreError::Computing) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Store(_) | Self::Template(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        if let Self::LoginRequired = self {
            return HttpResponse::SeeOther()
                .insert_header(("Location", "/connexion"))
                .finish();
        }
        let (title, message) = self.french();
        let reference = status
            .is_server_error()
            .then(|| REQUEST_ID.try_with(Clone::clone).ok())
            .flatten();
        let body = ErrorPage {
            status: status.as_u16(),
            title,
            message,
            reference,
        }
        .render()
        .unwrap_or_else(|_| message.to_string());
        let mut response = HttpResponse::build(status);
        if let Self::Unauthorized = self {
            response.insert_header(("WWW-Authenticate", "Bearer realm=\"tissu\""));
        }
        if let Self::TooManyRequests { retry_after_secs } = self {
            response.insert_header(("Retry-After", retry_after_secs.to_string()));
        }
        if let Self::Store(StoreError::Computing) = self {
            response.insert_header(("Retry-After", "5"));
        }
        if let Self::RefusedText(e) = self {
            response.extensions_mut().insert(RefusedText(e.clone()));
        }
        if let Some(why) = self.unavailable() {
            response.insert_header(("Retry-After", "60"));
            response.extensions_mut().insert(StorageUnavailable(why));
        }
        response.extensions_mut().insert(ErrorInfo {
            code: self.code(),
            message,
        });
        response.content_type("text/html; charset=utf-8").body(body)
    }
}

/// Renders a page with the given status (200, or 422 for a form sent back with
/// its errors).
pub fn page<T: Template>(status: StatusCode, template: &T) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(template.render()?))
}
