//! Staff pages under `/staff`. Every route is declared once in the table below,
//! with what it requires: the same table registers the routes (each wrapped in the
//! `access::enforce` check) and lists them (`ROUTES`) for the authorisation test.

pub mod access;
mod account;
mod admin;
mod attendance;
mod campaigns;
mod capture;
mod comparison;
mod confirm;
mod csv_import;
mod done;
mod firms;
mod listing;
mod mailing;
pub mod need;
mod participants;
mod plan;
mod refused;
mod removal;
mod room;
pub(crate) mod support;
pub mod synthesis;
pub(crate) mod upload;

pub use support::{actor, Nav, Typed};

use crate::domain::role::{Capability, Role};
use crate::store::{self, campaigns::CampaignSummary};
use crate::web::error::{page, AppError};
use crate::web::staff::support::StaffPage;
use crate::web::State;
use access::{Need, RouteSpec};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;
use firms::import::FirmImport;
use participants::import::ParticipantImport;

const READ: Need = Need::Territory(Capability::Read);
const CAPTURE: Need = Need::Territory(Capability::Capture);
const MANAGE: Need = Need::Territory(Capability::Manage);
const ADMIN: Need = Need::Admin;
const SIGNED_IN: Need = Need::SignedIn;
/// The aggregated figures of the account's territories, side by side.
const COMPARE: Need = Need::Territories(Capability::Compare);
/// The aggregated figures of one of them.
const COMPARE_ONE: Need = Need::Territory(Capability::Compare);

macro_rules! staff_routes {
    ($($method:ident $path:literal $need:ident => $handler:path;)*) => {
        /// Every staff route: method, path pattern, requirement.
        pub const ROUTES: &[RouteSpec] = &[
            $(RouteSpec { method: stringify!($method), path: $path, need: $need },)*
        ];

        pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
            use actix_web::{guard, http::Method, middleware::from_fn, web};
            $(
                cfg.service(
                    web::resource($path)
                        .guard(guard::Method(Method::$method))
                        .route(web::method(Method::$method).to($handler))
                        .wrap(from_fn(move |req, next| access::enforce($need, req, next))),
                );
            )*
        }
    };
}

staff_routes! {
    GET "/staff" SIGNED_IN => home;
    GET "/staff/mot-de-passe" SIGNED_IN => account::form;
    POST "/staff/mot-de-passe" SIGNED_IN => account::change;
    GET "/staff/compte/sessions" SIGNED_IN => account::sessions::list;
    POST "/staff/compte/sessions" SIGNED_IN => account::sessions::end;
    GET "/staff/compte/jetons" SIGNED_IN => account::api_tokens::list;
    POST "/staff/compte/jetons" SIGNED_IN => account::api_tokens::change;
    GET "/staff/admin/journal" ADMIN => admin::audit;
    GET "/staff/admin/territoires" ADMIN => admin::territories;
    POST "/staff/admin/territoires" ADMIN => admin::create_territory;
    GET "/staff/admin/comptes" ADMIN => admin::accounts;
    POST "/staff/admin/comptes" ADMIN => admin::create_account;
    POST "/staff/admin/comptes/{account:\\d+}/territoires" ADMIN => admin::set_territory;
    POST "/staff/admin/comptes/{account:\\d+}/etat" ADMIN => admin::set_active;
    GET "/staff/admin/comptes/{account:\\d+}" ADMIN => admin::account::show;
    POST "/staff/admin/comptes/{account:\\d+}" ADMIN => admin::account::update;
    POST "/staff/admin/comptes/{account:\\d+}/mot-de-passe" ADMIN => admin::account::reset_password;
    GET "/staff/comparaison" COMPARE => comparison::show;
    GET "/staff/comparaison.csv" COMPARE => comparison::export::csv;
    GET "/staff/comparaison.json" COMPARE => comparison::export::json;
    GET "/staff/comparaison/{territoire}" COMPARE_ONE => comparison::territory;
    GET "/staff/territoires/{territoire}/campagnes/nouvelle" MANAGE => campaigns::new_form;
    POST "/staff/territoires/{territoire}/campagnes" MANAGE => campaigns::create;
    GET "/staff/campagnes/{slug}" READ => campaigns::show;
    POST "/staff/campagnes/{slug}/statut" MANAGE => campaigns::set_status;
    GET "/staff/campagnes/{slug}/clore" MANAGE => confirm::close;
    POST "/staff/campagnes/{slug}/sessions" MANAGE => campaigns::add_session;
    GET "/staff/campagnes/{slug}/sessions" READ => attendance::sessions;
    GET "/staff/campagnes/{slug}/sessions/{session:\\d+}/inscrits" READ => attendance::list;
    GET "/staff/campagnes/{slug}/sessions/{session:\\d+}/inscrits.csv" READ => attendance::export;
    GET "/staff/campagnes/{slug}/modifier" MANAGE => campaigns::edit::form;
    POST "/staff/campagnes/{slug}/modifier" MANAGE => campaigns::edit::update;
    GET "/staff/campagnes/{slug}/dupliquer" MANAGE => campaigns::edit::duplicate_form;
    POST "/staff/campagnes/{slug}/dupliquer" MANAGE => campaigns::edit::duplicate;
    GET "/staff/campagnes/{slug}/catalogues" MANAGE => campaigns::catalogues::show;
    POST "/staff/campagnes/{slug}/catalogues" MANAGE => campaigns::catalogues::add;
    POST "/staff/campagnes/{slug}/catalogues/{entry:\\d+}" MANAGE => campaigns::catalogues::rename;
    GET "/staff/campagnes/{slug}/catalogues/{entry:\\d+}/supprimer" MANAGE => campaigns::catalogues::remove_confirm;
    POST "/staff/campagnes/{slug}/catalogues/{entry:\\d+}/supprimer" MANAGE => campaigns::catalogues::remove;
    GET "/staff/campagnes/{slug}/courriels" READ => mailing::show;
    POST "/staff/campagnes/{slug}/invitations" MANAGE => mailing::send_invitations;
    POST "/staff/campagnes/{slug}/invitations/texte" MANAGE => mailing::wording::set_wording;
    POST "/staff/campagnes/{slug}/relances" MANAGE => mailing::send_reminders;
    POST "/staff/campagnes/{slug}/relances/regles" MANAGE => mailing::set_rules;
    POST "/staff/campagnes/{slug}/relances/programmees/annuler" MANAGE => mailing::schedule::cancel;
    POST "/staff/campagnes/{slug}/courriels/{message:\\d+}/relancer" MANAGE => mailing::retry;
    GET "/staff/campagnes/{slug}/participants" READ => participants::list;
    POST "/staff/campagnes/{slug}/participants" MANAGE => participants::add;
    GET "/staff/campagnes/{slug}/participants/import" MANAGE => csv_import::form::<ParticipantImport>;
    POST "/staff/campagnes/{slug}/participants/import" MANAGE => csv_import::preview::<ParticipantImport>;
    POST "/staff/campagnes/{slug}/participants/import/confirmer" MANAGE => csv_import::confirm::<ParticipantImport>;
    GET "/staff/campagnes/{slug}/participants/{participant:\\d+}" READ => participants::show;
    POST "/staff/campagnes/{slug}/participants/{participant:\\d+}/lien" MANAGE => participants::links::send_again;
    GET "/staff/campagnes/{slug}/participants/{participant:\\d+}/remplacer-lien" MANAGE => participants::links::replace_confirm;
    POST "/staff/campagnes/{slug}/participants/{participant:\\d+}/remplacer-lien" MANAGE => participants::links::replace;
    GET "/staff/campagnes/{slug}/participants/{participant:\\d+}/effacer" MANAGE => participants::erase_confirm;
    POST "/staff/campagnes/{slug}/participants/{participant:\\d+}/effacer" MANAGE => participants::erase;
    POST "/staff/campagnes/{slug}/participants/selection/export" READ => participants::selection::export;
    POST "/staff/campagnes/{slug}/participants/selection/relance" MANAGE => participants::selection::remind_confirm;
    POST "/staff/campagnes/{slug}/participants/selection/relance/confirmer" MANAGE => participants::selection::remind;
    POST "/staff/campagnes/{slug}/participants/selection/effacer" MANAGE => participants::selection::erase_confirm;
    POST "/staff/campagnes/{slug}/participants/selection/effacer/confirmer" MANAGE => participants::selection::erase;
    GET "/staff/campagnes/{slug}/synthese" READ => synthesis::pages::overview;
    GET "/staff/campagnes/{slug}/synthese/reseau" READ => synthesis::network::network;
    GET "/staff/campagnes/{slug}/synthese/reseau/entreprise/{firm:\\d+}" READ => synthesis::network_firm::firm;
    GET "/staff/campagnes/{slug}/synthese/reseau/carte.json" READ => synthesis::network_map_data::map_data;
    GET "/staff/campagnes/{slug}/synthese/swot" READ => synthesis::pages::swot;
    POST "/staff/campagnes/{slug}/synthese/swot" CAPTURE => synthesis::curation::curate;
    GET "/staff/campagnes/{slug}/synthese/leviers" READ => synthesis::pages::levers;
    GET "/staff/campagnes/{slug}/synthese/rapport" READ => synthesis::report::report;
    GET "/staff/campagnes/{slug}/synthese/textes" CAPTURE => synthesis::report_texts::form;
    POST "/staff/campagnes/{slug}/synthese/textes" CAPTURE => synthesis::report_texts::save;
    POST "/staff/campagnes/{slug}/synthese/logo" MANAGE => synthesis::report_texts::upload_logo;
    POST "/staff/campagnes/{slug}/synthese/logo/retrait" MANAGE => synthesis::report_texts::remove_logo;
    GET "/staff/campagnes/{slug}/synthese/rapport/entete.css" READ => synthesis::report::running_header;
    GET "/staff/campagnes/{slug}/saisie" CAPTURE => capture::sessions;
    GET "/staff/campagnes/{slug}/saisie/{session:\\d+}" CAPTURE => capture::form;
    POST "/staff/campagnes/{slug}/saisie/{session:\\d+}" CAPTURE => capture::save;
    GET "/staff/campagnes/{slug}/saisie/{session:\\d+}/contributions/{contribution:\\d+}" CAPTURE => capture::edit;
    POST "/staff/campagnes/{slug}/saisie/{session:\\d+}/contributions/{contribution:\\d+}" CAPTURE => capture::update;
    GET "/staff/campagnes/{slug}/saisie/{session:\\d+}/contributions/{contribution:\\d+}/supprimer" CAPTURE => capture::delete_confirm;
    POST "/staff/campagnes/{slug}/saisie/{session:\\d+}/contributions/{contribution:\\d+}/supprimer" CAPTURE => capture::delete;
    GET "/staff/campagnes/{slug}/saisie/{session:\\d+}/salle" CAPTURE => room::show;
    POST "/staff/campagnes/{slug}/saisie/{session:\\d+}/salle" CAPTURE => room::control;
    POST "/staff/campagnes/{slug}/saisie/{session:\\d+}/salle/masquer" CAPTURE => room::moderation::hide;
    POST "/staff/campagnes/{slug}/saisie/{session:\\d+}/salle/regrouper" CAPTURE => room::moderation::merge;
    POST "/staff/campagnes/{slug}/saisie/{session:\\d+}/salle/resultats" CAPTURE => room::results::set;
    GET "/staff/territoires/{territoire}/entreprises" READ => firms::list;
    POST "/staff/territoires/{territoire}/entreprises" MANAGE => firms::create;
    GET "/staff/territoires/{territoire}/entreprises/export.csv" READ => firms::export;
    POST "/staff/territoires/{territoire}/entreprises/selection/export" READ => firms::export_selection;
    GET "/staff/territoires/{territoire}/entreprises/import" MANAGE => csv_import::form::<FirmImport>;
    POST "/staff/territoires/{territoire}/entreprises/import" MANAGE => csv_import::preview::<FirmImport>;
    POST "/staff/territoires/{territoire}/entreprises/import/confirmer" MANAGE => csv_import::confirm::<FirmImport>;
    GET "/staff/territoires/{territoire}/entreprises/sirene" MANAGE => firms::sirene::form;
    POST "/staff/territoires/{territoire}/entreprises/sirene" MANAGE => firms::sirene::preview;
    POST "/staff/territoires/{territoire}/entreprises/sirene/confirmer" MANAGE => firms::sirene::confirm;
    GET "/staff/territoires/{territoire}/entreprises/{firm:\\d+}" MANAGE => firms::edit;
    POST "/staff/territoires/{territoire}/entreprises/{firm:\\d+}" MANAGE => firms::update;
    GET "/staff/territoires/{territoire}/entreprises/{firm:\\d+}/fusion" MANAGE => confirm::firm_merge;
    POST "/staff/territoires/{territoire}/entreprises/{firm:\\d+}/fusion" MANAGE => firms::merge;
    GET "/staff/territoires/{territoire}/entreprises/propositions/{firm:\\d+}" MANAGE => firms::proposals::show;
    POST "/staff/territoires/{territoire}/entreprises/propositions/{firm:\\d+}/accepter" MANAGE => firms::proposals::accept;
    GET "/staff/territoires/{territoire}/entreprises/propositions/{firm:\\d+}/fusion" MANAGE => confirm::proposal_merge;
    POST "/staff/territoires/{territoire}/entreprises/propositions/{firm:\\d+}/fusion" MANAGE => firms::proposals::merge;
    GET "/staff/territoires/{territoire}/entreprises/propositions/{firm:\\d+}/rejeter" MANAGE => confirm::proposal_reject;
    POST "/staff/territoires/{territoire}/entreprises/propositions/{firm:\\d+}/rejeter" MANAGE => firms::proposals::reject;
    GET "/staff/campagnes/{slug}/comite/nouvelle" MANAGE => plan::meetings::new_form;
    POST "/staff/campagnes/{slug}/comite" MANAGE => plan::meetings::create;
    GET "/staff/campagnes/{slug}/comite/{meeting:\\d+}" READ => plan::meetings::show;
    GET "/staff/campagnes/{slug}/comite/{meeting:\\d+}/modifier" MANAGE => plan::meetings::edit_form;
    POST "/staff/campagnes/{slug}/comite/{meeting:\\d+}/modifier" MANAGE => plan::meetings::update;
    GET "/staff/campagnes/{slug}/comite/{meeting:\\d+}/supprimer" MANAGE => plan::meetings::delete_confirm;
    POST "/staff/campagnes/{slug}/comite/{meeting:\\d+}/supprimer" MANAGE => plan::meetings::delete;
    GET "/staff/campagnes/{slug}/plan" READ => plan::overview::show;
    GET "/staff/campagnes/{slug}/plan/fiches/nouvelle" MANAGE => plan::fiches::new_form;
    POST "/staff/campagnes/{slug}/plan/fiches" MANAGE => plan::fiches::create;
    GET "/staff/campagnes/{slug}/plan/fiches/{fiche:\\d+}" READ => plan::fiches::show;
    GET "/staff/campagnes/{slug}/plan/fiches/{fiche:\\d+}/modifier" MANAGE => plan::fiches::edit_form;
    POST "/staff/campagnes/{slug}/plan/fiches/{fiche:\\d+}/modifier" MANAGE => plan::fiches::update;
    GET "/staff/campagnes/{slug}/plan/fiches/{fiche:\\d+}/supprimer" MANAGE => plan::fiches::delete_confirm;
    POST "/staff/campagnes/{slug}/plan/fiches/{fiche:\\d+}/supprimer" MANAGE => plan::fiches::delete;
    GET "/staff/campagnes/{slug}/plan/annexe" READ => plan::annex::show;
    GET "/staff/campagnes/{slug}/plan/fiches.csv" READ => plan::export::csv;
    GET "/staff/campagnes/{slug}/resultats" READ => plan::results_page::show;
    POST "/staff/campagnes/{slug}/resultats" MANAGE => plan::results_page::update;
}

#[derive(Template)]
#[template(path = "staff/home.html")]
struct HomePage {
    nav: Nav,
    campaigns: Vec<CampaignSummary>,
}

async fn home(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
) -> Result<HttpResponse, AppError> {
    let staff = &access.staff;
    let scope = (staff.role != Role::Admin).then_some(staff.territory_ids.as_slice());
    let campaigns = store::campaigns::summaries(&state.db, scope).await?;
    page(StatusCode::OK, &HomePage { nav, campaigns })
}
