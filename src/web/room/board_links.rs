//! The projector's board for the links sequence: the territory's network as
//! the synthesis draws it (`synthesis::drawing::network_map`), with the
//! links declared in this session brought forward and the last ones
//! emphasised, so that the room sees it grow as phones declare links; and
//! the same links as a table a screen reader reads, newest first. Firms are
//! named (they are the point of this sequence), people never.

use crate::domain::links::LinkStatus;
use crate::domain::plural::count;
use crate::store::synthesis::queries::Filters;
use crate::store::synthesis::CampaignContext;
use crate::store::workshops::room::links::{self as room_links, SessionLink};
use crate::store::workshops::room::RoomDoor;
use crate::synthesis::drawing::network_map::Highlight;
use crate::synthesis::{network_drawing, DrawingOptions};
use crate::web::error::AppError;
use crate::web::State;
use std::collections::BTreeSet;

/// The links emphasised as the newest, on the map and in the list.
const NEWEST: usize = 3;

/// The links the screen lists in large type under the map.
const LATEST_SHOWN: usize = 5;

/// Firms drawn at most: the session's, then the most connected, as many as
/// stay readable from the back of a room.
const MAX_DRAWN: usize = 80;

/// The map as drawn by `network_map`, whose builder passes every name
/// through `escape_xml`: markup askama need not escape.
pub struct MapSvg(String);

impl std::fmt::Display for MapSvg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for MapSvg {}

/// A link of the session, as the screen shows it.
pub struct BoardLink {
    pub source: String,
    pub target: String,
    pub kinds: String,
    pub wished: bool,
    pub newest: bool,
}

pub struct LinksBoard {
    /// None while the territory's network has no link at all.
    pub map: Option<MapSvg>,
    /// The session's links, newest first.
    pub links: Vec<BoardLink>,
}

impl LinksBoard {
    pub fn latest(&self) -> &[BoardLink] {
        &self.links[..self.links.len().min(LATEST_SHOWN)]
    }

    pub fn heading(&self) -> String {
        count(
            self.links.len(),
            "lien déclaré pendant l’atelier",
            "liens déclarés pendant l’atelier",
        )
    }
}

fn key(link: &SessionLink) -> (i64, i64, LinkStatus) {
    let status = LinkStatus::parse(&link.status).unwrap_or(LinkStatus::Existing);
    (link.source_id, link.target_id, status)
}

pub async fn board(
    state: &State,
    ctx: &CampaignContext,
    door: &RoomDoor,
) -> Result<LinksBoard, AppError> {
    let (network, session) = futures_util::future::try_join(
        state.figures.network(&state.db, ctx, &Filters::default()),
        room_links::of_session(&state.db, door.room.id, door.room.session_id),
    )
    .await?;
    let highlight = Highlight {
        links: session.iter().map(key).collect(),
        newest: session
            .iter()
            .filter(|l| l.declared_order.is_some())
            .take(NEWEST)
            .map(key)
            .collect(),
    };
    let net = &network.value;
    let map = (!net.edges.is_empty()).then(|| {
        let mut keep: BTreeSet<i64> = session
            .iter()
            .flat_map(|l| [l.source_id, l.target_id])
            .collect();
        let room_left = MAX_DRAWN.saturating_sub(keep.len());
        keep.extend(net.most_connected.iter().take(room_left).copied());
        let mut drawn = (**net).clone();
        drawn.nodes.retain(|n| keep.contains(&n.id));
        drawn
            .edges
            .retain(|e| keep.contains(&e.source) && keep.contains(&e.target));
        let opts = DrawingOptions {
            title: "Réseau des entreprises du territoire".into(),
            description: format!(
                "{}\u{a0}; {} pendant cet atelier, en traits épais\u{a0}; les plus récents sont les plus épais, leurs entreprises cerclées de noir.",
                count(drawn.nodes.iter().filter(|n| n.degree > 0 || n.wished_degree > 0).count(), "entreprise reliée", "entreprises reliées"),
                count(session.len(), "lien déclaré", "liens déclarés"),
            ),
            include_isolated: false,
            plot_height: 620.0,
            highlight,
            ..DrawingOptions::default()
        };
        MapSvg(network_drawing(&drawn, &ctx.kinds(), &opts).svg)
    });
    let newest = session
        .iter()
        .filter(|l| l.declared_order.is_some())
        .take(NEWEST)
        .count();
    let links = session
        .into_iter()
        .enumerate()
        .map(|(i, l)| BoardLink {
            wished: l.status == LinkStatus::Wished.as_str(),
            newest: i < newest,
            kinds: l.kinds.join(", "),
            source: l.source_name,
            target: l.target_name,
        })
        .collect();
    Ok(LinksBoard { map, links })
}
