//! What every staff handler shares: the navigation a page renders with (and
//! the extractor that hands it over with the access and the CSRF value), the
//! values typed in a form to show them back, and who acts for the audit log.

use super::access::Access;
use crate::domain::role::{Capability, Role};
use crate::store::{self, audit::Actor, territories::Territory};
use crate::web::auth::Staff;
use crate::web::csrf::CsrfToken;
use crate::web::error::AppError;
use crate::web::form::FormData;
use crate::web::State;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

/// Navigation context every staff page renders with.
#[derive(Clone)]
pub struct Nav {
    pub staff: Staff,
    pub territories: Vec<Territory>,
    pub csrf: String,
}

impl Nav {
    pub async fn load(state: &State, staff: &Staff, csrf: &CsrfToken) -> Result<Self, AppError> {
        let scope = (staff.role != Role::Admin).then_some(staff.territory_ids.as_slice());
        Ok(Self {
            staff: staff.clone(),
            territories: store::territories::list(&state.db, scope).await?,
            csrf: csrf.0.clone(),
        })
    }

    pub fn is_admin(&self) -> bool {
        self.staff.role == Role::Admin
    }

    /// Whether the role allows this (the page's territory is already checked):
    /// the one test the templates make to hide what the role cannot do.
    pub fn can(&self, capability: Capability) -> bool {
        self.staff.role.allows(capability)
    }

    /// Campaigns, directories and syntheses of one's territories: every role
    /// but a Région's, which compares aggregates only.
    pub fn can_read(&self) -> bool {
        self.can(Capability::Read)
    }

    /// The territories side by side: a Région's and the administrators'.
    pub fn can_compare(&self) -> bool {
        self.can(Capability::Compare)
    }

    /// Directory, campaigns, participants, invitations: the organisers'.
    pub fn can_manage(&self) -> bool {
        self.can(Capability::Manage)
    }
}

/// What a staff page renders with: the access the route checked, the
/// navigation, and the CSRF value its forms carry.
pub struct StaffPage {
    pub access: Access,
    pub nav: Nav,
    pub csrf: CsrfToken,
}

impl FromRequest for StaffPage {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let access = Access::from_request(req, payload).into_inner();
        let csrf = CsrfToken::from_request(req, payload).into_inner();
        let state = req.app_data::<State>().cloned();
        Box::pin(async move {
            let (access, csrf) = (access?, csrf?);
            let state = state.ok_or(AppError::NotFound)?;
            let nav = Nav::load(&state, &access.staff, &csrf).await?;
            Ok(Self { access, nav, csrf })
        })
    }
}

/// What was typed in a form, by field name, to show it back.
#[derive(Debug, Clone, Default)]
pub struct Typed(HashMap<String, String>);

impl Typed {
    pub fn from_form(form: &FormData, names: &[&str]) -> Self {
        Self(
            names
                .iter()
                .map(|n| (n.to_string(), form.get(n).trim().to_string()))
                .collect(),
        )
    }

    /// What was typed, from a posted form's declared fields (trimmed).
    pub fn of<T: serde::Serialize>(form: &T) -> Self {
        let encoded = serde_html_form::to_string(form).unwrap_or_default();
        Self(
            serde_urlencoded::from_str::<Vec<(String, String)>>(&encoded)
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, v.trim().to_string()))
                .collect(),
        )
    }

    /// Typed values from known ones (a form shown filled before any typing).
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        Self(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }
}

pub fn actor(access: &Access) -> Actor<'_> {
    Actor {
        staff_id: Some(access.staff.id),
        staff_email: &access.staff.email,
        territory_id: access.territory.as_ref().map(|t| t.id),
    }
}
