//! The participant list: one page of the campaign's participants matching the
//! search, filter and sort of the address (`?q=…&statut=…&tri=nom&ordre=asc&page=2`),
//! with every filter's count, and the rows' boxes for the actions on a selection.

use crate::domain::keyed::Keyed;
use crate::domain::FieldErrors;
use crate::store::participants::roster::{self, status_label, Criteria, Filter, Row, SortBy};
use crate::web::error::{page, AppError};
use crate::web::paths;
use crate::web::response::status_for;
use crate::web::staff::access::Access;
use crate::web::staff::listing::{Column, ListState, Pages, PAGE_SIZE};
use crate::web::staff::support::StaffPage;
use crate::web::staff::{Nav, Typed};
use crate::web::State;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

/// The list's address parameters, as sent.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListParams {
    q: String,
    statut: String,
    tri: String,
    ordre: String,
    page: String,
    /// `tout`: every box of the page ticked (a link does it, without JavaScript).
    coche: String,
    fait: String,
}

/// Longer searches are cut: each word is a pattern matched on every row.
const MAX_SEARCH_CHARS: usize = 100;

/// The list asked for, read once from its address.
pub struct ListView {
    pub filter: Filter,
    pub sort: SortBy,
    pub list: ListState,
    tick_all: bool,
}

impl ListView {
    pub fn read(slug: &str, params: &ListParams) -> Self {
        let filter = Filter::parse(&params.statut);
        let sort = SortBy::parse(&params.tri);
        Self {
            filter,
            sort,
            list: ListState {
                path: paths::campaign(slug).participants(),
                search: params.q.trim().chars().take(MAX_SEARCH_CHARS).collect(),
                filters: vec![("statut", filter.key().to_string())],
                sort: sort.key(),
                default_sort: SortBy::default().key(),
                descending: ListState::is_descending(&params.ordre),
                page: ListState::page_number(&params.page),
            },
            tick_all: params.coche == "tout",
        }
    }

    fn criteria(&self) -> Criteria<'_> {
        Criteria {
            search: &self.list.search,
            filter: self.filter,
            sort: self.sort,
            descending: self.list.descending,
        }
    }
}

const COLUMNS: [(&str, &str, bool); 7] = [
    ("nom", "Nom", false),
    ("entreprise", "Entreprise", false),
    ("adresse", "Adresse", false),
    ("statut", "Statut", false),
    ("invitation", "Invité le", false),
    ("courriels", "Courriels", false),
    ("sessions", "Sessions d'atelier", false),
];

#[derive(Template)]
#[template(path = "staff/participants.html")]
struct ListPage {
    nav: Nav,
    access: Access,
    list: ListState,
    pages: Pages,
    rows: Vec<Row>,
    /// Participants matching the search and filter, and in the campaign.
    matching: i64,
    total: i64,
    /// Each filter shown, with its count.
    counts: Vec<(&'static str, i64)>,
    filter: &'static str,
    tick_all: bool,
    typed: Typed,
    errors: FieldErrors,
    notice: String,
}

impl ListPage {
    fn label(&self, status: &str) -> &'static str {
        status_label(status)
    }

    fn day(&self, iso: &str) -> String {
        crate::domain::french_time::date(iso)
    }

    fn columns(&self) -> Vec<Column> {
        self.list.columns(&COLUMNS)
    }
}

/// What the address's `fait=…` says was done.
fn notice(done: &str) -> String {
    let count = |prefix: &str| {
        done.strip_prefix(prefix)
            .and_then(|n| n.parse::<u32>().ok())
    };
    if let Some(n) = count("effaces-") {
        format!(
            "{} et {} réponses ont été effacés.",
            crate::domain::plural::count(n, "participant", "participants"),
            crate::domain::plural::agree(n, "ses", "leurs")
        )
    } else if let Some(n) = count("relances-") {
        format!(
            "{} en file d'envoi.",
            crate::domain::plural::count(n, "relance mise", "relances mises")
        )
    } else {
        match done {
            "ajoute" => "Le participant a été ajouté.",
            "efface" => "Le participant et ses réponses ont été effacés.",
            "import" => "L'import des participants est terminé.",
            _ => "",
        }
        .to_string()
    }
}

/// The list page of `params`, with the add form as typed and the errors of a
/// refused form (422) beside their fields.
pub async fn render(
    state: &State,
    access: Access,
    nav: Nav,
    params: &ListParams,
    typed: Typed,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    let view = ListView::read(&campaign.slug, params);
    let criteria = view.criteria();
    let filters = roster::filter_counts(&state.db, campaign.id).await?;
    let known = criteria
        .search
        .is_empty()
        .then(|| filters.of(criteria.filter));
    let asked = Pages::new(view.list.page, i64::MAX);
    let mut shown = roster::page(
        &state.db,
        campaign.id,
        &criteria,
        known,
        PAGE_SIZE,
        asked.offset(),
    )
    .await?;
    let pages = Pages::new(view.list.page, shown.matching);
    if pages.current != asked.current {
        // Past the last page (after an erasure, say): the last one.
        let matching = Some(shown.matching);
        shown = roster::page(
            &state.db,
            campaign.id,
            &criteria,
            matching,
            PAGE_SIZE,
            pages.offset(),
        )
        .await?;
    }
    // The statuses always, the other filters when they hold someone.
    let counts = Filter::each()
        .map(|f| (f, filters.of(f)))
        .filter(|(f, n)| *n > 0 || matches!(f, Filter::Stage(_)))
        .map(|(f, n)| (f.key(), n))
        .collect();
    let mut list = view.list;
    list.page = pages.current;
    page(
        status_for(&errors),
        &ListPage {
            nav,
            access,
            list,
            pages,
            rows: shown.rows,
            matching: shown.matching,
            total: filters.total,
            counts,
            filter: view.filter.key(),
            tick_all: view.tick_all,
            typed,
            errors,
            notice: notice(&params.fait),
        },
    )
}

pub async fn list(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    render(
        &state,
        access,
        nav,
        &params,
        Typed::default(),
        FieldErrors::default(),
    )
    .await
}
