//! The network for Gephi and other tools: GEXF 1.3 and GraphML, with node
//! attributes (sector, commune, size band, degree, betweenness, cluster)
//! and edge attributes (kind, status, direction, mentions, reciprocity),
//! named and valued in French, the codes kept beside them.
//!
//! Both files are directed graphs: an edge of a directed kind goes from the
//! firm that declared it to the firm it names. An edge of an undirected kind
//! is written once, in both files, as an edge whose `Sens` says "sans sens"
//! (the file's description says so too): GEXF's "mutual" makes networkx add
//! both directions, which doubles the degree of every firm it links, and
//! GraphML's per-edge `directed="false"` would be exact, but networkx refuses
//! to read it inside a directed graph.

use super::{campaign, Reader};
use crate::domain::links::LinkStatus;
use crate::domain::xml::escape_xml;
use crate::store::synthesis::CampaignContext;
use crate::synthesis::Network;
use crate::web::error::AppError;
use crate::web::staff::synthesis::{filters_of, Query};
use crate::web::State;
use actix_web::{web, HttpResponse};
use std::fmt::Write;

/// (id, French title, type): the title is the name tools show (and the key
/// networkx reads); codes stay beside the French values as extra attributes.
const NODE_ATTRS: [(&str, &str, &str); 8] = [
    ("sector", "Secteur", "string"),
    ("commune", "Commune", "string"),
    ("size_band", "Taille", "string"),
    ("degree", "Degré", "integer"),
    ("betweenness", "Intermédiarité", "double"),
    ("component", "Groupe", "string"),
    ("component_number", "Numéro de groupe", "integer"),
    ("size_band_code", "Code de la taille", "string"),
];
const EDGE_ATTRS: [(&str, &str, &str); 7] = [
    ("kind_label", "Type de lien", "string"),
    ("status", "Statut", "string"),
    ("direction", "Sens", "string"),
    ("mentions", "Mentions", "integer"),
    ("reciprocal", "Réciproque", "boolean"),
    ("kind", "Code du type", "string"),
    ("status_code", "Code du statut", "string"),
];

/// What the `Sens` attribute says of a directed edge and of an undirected one.
pub const DIRECTED_VALUE: &str = "de l'entreprise qui déclare vers celle qu'elle cite";
pub const UNDIRECTED_VALUE: &str = "sans sens";

/// The export's note on the links without a direction.
const UNDIRECTED_NOTE: &str = "Les liens sans sens (partenariat, projet commun…) sont écrits une fois, de l'entreprise qui les déclare vers celle qu'elle cite, avec l'attribut «\u{a0}Sens\u{a0}» à «\u{a0}sans sens\u{a0}»\u{a0}: comptez-les une fois dans les degrés.";

fn node_values(n: &crate::synthesis::network::NodeMetrics) -> [String; 8] {
    let band = n.size_band.clone().unwrap_or_default();
    [
        n.sector.clone().unwrap_or_default(),
        n.commune.clone().unwrap_or_default(),
        crate::web::staff::synthesis::view::size_band_label(&band),
        n.degree.to_string(),
        n.betweenness.to_string(),
        n.component_label.clone(),
        n.component.unwrap_or(0).to_string(),
        band,
    ]
}

fn edge_values(
    ctx: &CampaignContext,
    e: &crate::synthesis::network::AggregatedEdge,
) -> [String; 7] {
    [
        ctx.kind_label(&e.kind),
        match e.status {
            LinkStatus::Existing => "existant".into(),
            LinkStatus::Wished => "souhaité".into(),
        },
        if e.directed {
            DIRECTED_VALUE
        } else {
            UNDIRECTED_VALUE
        }
        .into(),
        e.mentions.to_string(),
        e.reciprocal.to_string(),
        e.kind.clone(),
        e.status.as_str().into(),
    ]
}

pub fn to_gexf(ctx: &CampaignContext, net: &Network) -> String {
    let mut s = String::with_capacity(256 + net.nodes.len() * 300 + net.edges.len() * 250);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<gexf xmlns=\"http://gexf.net/1.3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n");
    let _ = writeln!(
        s,
        "  <meta lastmodifieddate=\"{}\"><creator>tissu</creator><description>{} — {UNDIRECTED_NOTE}</description></meta>",
        &crate::store::now()[..10],
        escape_xml(&ctx.campaign.title)
    );
    s.push_str(
        "  <graph defaultedgetype=\"directed\" mode=\"static\">\n    <attributes class=\"node\">\n",
    );
    for (id, title, ty) in NODE_ATTRS {
        let _ = writeln!(
            s,
            "      <attribute id=\"{id}\" title=\"{title}\" type=\"{ty}\"/>"
        );
    }
    s.push_str("    </attributes>\n    <attributes class=\"edge\">\n");
    for (id, title, ty) in EDGE_ATTRS {
        let _ = writeln!(
            s,
            "      <attribute id=\"{id}\" title=\"{title}\" type=\"{ty}\"/>"
        );
    }
    s.push_str("    </attributes>\n    <nodes>\n");
    for n in &net.nodes {
        let _ = write!(
            s,
            "      <node id=\"{}\" label=\"{}\"><attvalues>",
            n.id,
            escape_xml(&n.name)
        );
        for ((id, _, _), v) in NODE_ATTRS.iter().zip(node_values(n)) {
            let _ = write!(s, "<attvalue for=\"{id}\" value=\"{}\"/>", escape_xml(&v));
        }
        s.push_str("</attvalues></node>\n");
    }
    s.push_str("    </nodes>\n    <edges>\n");
    for (i, e) in net.edges.iter().enumerate() {
        let _ = write!(
            s,
            "      <edge id=\"{i}\" source=\"{}\" target=\"{}\" type=\"directed\" weight=\"{}\" label=\"{}\"><attvalues>",
            e.source,
            e.target,
            e.mentions,
            escape_xml(&ctx.kind_label(&e.kind))
        );
        for ((id, _, _), v) in EDGE_ATTRS.iter().zip(edge_values(ctx, e)) {
            let _ = write!(s, "<attvalue for=\"{id}\" value=\"{}\"/>", escape_xml(&v));
        }
        s.push_str("</attvalues></edge>\n");
    }
    s.push_str("    </edges>\n  </graph>\n</gexf>\n");
    s
}

pub fn to_graphml(ctx: &CampaignContext, net: &Network) -> String {
    let mut s = String::with_capacity(256 + net.nodes.len() * 300 + net.edges.len() * 250);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    s.push_str("  <key id=\"label\" for=\"node\" attr.name=\"Nom\" attr.type=\"string\"/>\n");
    fn ty(t: &'static str) -> &'static str {
        match t {
            "integer" => "int",
            other => other,
        }
    }
    for (id, title, t) in NODE_ATTRS {
        let _ = writeln!(
            s,
            "  <key id=\"{id}\" for=\"node\" attr.name=\"{title}\" attr.type=\"{}\"/>",
            ty(t)
        );
    }
    for (id, title, t) in EDGE_ATTRS {
        let _ = writeln!(
            s,
            "  <key id=\"e_{id}\" for=\"edge\" attr.name=\"{title}\" attr.type=\"{}\"/>",
            ty(t)
        );
    }
    let _ = writeln!(
        s,
        "  <graph id=\"{}\" edgedefault=\"directed\">",
        escape_xml(&ctx.campaign.slug)
    );
    for n in &net.nodes {
        let _ = write!(
            s,
            "    <node id=\"n{}\"><data key=\"label\">{}</data>",
            n.id,
            escape_xml(&n.name)
        );
        for ((id, _, _), v) in NODE_ATTRS.iter().zip(node_values(n)) {
            let _ = write!(s, "<data key=\"{id}\">{}</data>", escape_xml(&v));
        }
        s.push_str("</node>\n");
    }
    for (i, e) in net.edges.iter().enumerate() {
        let _ = write!(
            s,
            "    <edge id=\"e{i}\" source=\"n{}\" target=\"n{}\"{}>",
            e.source,
            e.target,
            if e.directed { " directed=\"true\"" } else { "" }
        );
        for ((id, _, _), v) in EDGE_ATTRS.iter().zip(edge_values(ctx, e)) {
            let _ = write!(s, "<data key=\"e_{id}\">{}</data>", escape_xml(&v));
        }
        s.push_str("</edge>\n");
    }
    s.push_str("  </graph>\n</graphml>\n");
    s
}

async fn network_file(
    state: State,
    reader: Reader,
    slug: &str,
    query: Query,
    ext: &str,
    mime: &str,
    render: fn(&CampaignContext, &Network) -> String,
) -> Result<HttpResponse, AppError> {
    let ctx = campaign(&state, &reader, slug).await?;
    let net = state
        .figures
        .network(&state.db, &ctx, &filters_of(&query))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(mime)
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"reseau-{}.{ext}\"",
                ctx.campaign.slug
            ),
        ))
        .body(render(&ctx, &net)))
}

pub async fn gexf(
    state: State,
    reader: Reader,
    slug: web::Path<String>,
    query: Query,
) -> Result<HttpResponse, AppError> {
    network_file(
        state,
        reader,
        &slug,
        query,
        "gexf",
        "application/gexf+xml; charset=utf-8",
        to_gexf,
    )
    .await
}

pub async fn graphml(
    state: State,
    reader: Reader,
    slug: web::Path<String>,
    query: Query,
) -> Result<HttpResponse, AppError> {
    network_file(
        state,
        reader,
        &slug,
        query,
        "graphml",
        "application/graphml+xml; charset=utf-8",
        to_graphml,
    )
    .await
}

#[cfg(test)]
#[path = "gephi_tests.rs"]
mod tests;
