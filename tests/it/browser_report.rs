//! The report as a steering committee gets it: an organiser puts the
//! territory's logo and the facilitators' texts in place through the pages,
//! then Chromium prints the report to PDF, whose text must hold the page
//! numbers, the running header and the contents list. axe-core checks every
//! page touched; each reflows at 320 px. The SWOT page's 2×2 is measured too.
//!
//! With `TISSU_REPORT_PAGES=<dir>`, the test also writes the PDF's first two
//! pages as `report-page1.png` and `report-page2.png` there (pdftoppm), the
//! screenshots kept under `docs/`.

use crate::browser::{self, Session};
use crate::browser_staff::{sign_in, visit, wait_for};
use crate::helpers::{fixture_path, TestApp};
use crate::staff_helpers::create_staff;
use crate::synthesis::demo_app;
use fantoccini::wd::{PrintConfiguration, PrintMargins, PrintSize};
use std::path::Path;
use std::process::Command;

const INTRODUCTION: &str = "Entre avril et mai, cinquante-deux entreprises du territoire ont répondu.\n\nCe document rassemble leurs avis pour le comité de pilotage.";

/// The PDF's text, page by page (pdftotext separates pages with a form feed).
fn pdf_pages(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian's poppler-utils) is installed");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(String::from)
        .collect()
}

async fn print_to_pdf(session: &Session, path: &Path) {
    // No margins from WebDriver: the report's own `@page` margins hold the
    // page numbers and the running header.
    let config = PrintConfiguration::builder()
        .size(PrintSize::A4)
        .margins(PrintMargins {
            top: 0.0,
            bottom: 0.0,
            left: 0.0,
            right: 0.0,
        })
        .background(true)
        .build()
        .unwrap();
    let pdf = session.client().print(config).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    std::fs::write(path, pdf).unwrap();
}

/// A browser (JavaScript off) signed in as `role` of the demo's territory;
/// None without Chromium.
async fn demo_session(role: &str) -> Option<(Session, TestApp)> {
    let session = browser::start(false).await?;
    let (app, territory) = demo_app().await;
    let email = format!("{role}@anjou-bleu.fr");
    create_staff(&app.db, &email, role, &[territory]).await;
    sign_in(&session, &app, &email).await;
    Some((session, app))
}

#[tokio::test]
async fn the_report_printed_by_chromium_has_page_numbers_a_header_and_its_contents() {
    let Some((session, app)) = demo_session("organiser").await else {
        return;
    };
    let base = format!("/staff/campagnes/{}/synthese", tissu::demo::CAMPAIGN_SLUG);

    visit(
        &session,
        &app,
        &format!("{base}/textes"),
        "textes du rapport",
    )
    .await;
    session
        .check_reflow("textes du rapport")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let file = session
        .client()
        .find(fantoccini::Locator::Css("#file"))
        .await
        .unwrap();
    file.send_keys(fixture_path("logo-territoire.png").to_str().unwrap())
        .await
        .unwrap();
    session
        .submit_form("form[enctype='multipart/form-data']")
        .await
        .unwrap();
    wait_for(&session, &format!("{base}/textes")).await;
    session.fill("#introduction", INTRODUCTION).await.unwrap();
    session
        .fill(
            "#swot",
            "Le recrutement et le logement des salariés reviennent partout.",
        )
        .await
        .unwrap();
    session.submit_form("form.report-texts").await.unwrap();
    visit(
        &session,
        &app,
        &format!("{base}/textes"),
        "textes enregistrés",
    )
    .await;
    assert!(session
        .text_of("#introduction")
        .await
        .unwrap()
        .contains("cinquante-deux"));

    visit(
        &session,
        &app,
        &format!("{base}/swot"),
        "synthèse : SWOT en 2×2",
    )
    .await;
    session
        .check_reflow("synthèse : SWOT")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    visit(
        &session,
        &app,
        &format!("{base}/rapport"),
        "rapport imprimable",
    )
    .await;
    session
        .check_reflow("rapport imprimable")
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("rapport.pdf");
    print_to_pdf(&session, &pdf).await;
    session.close().await;

    if let Ok(out) = std::env::var("TISSU_REPORT_PAGES") {
        std::fs::copy(&pdf, Path::new(&out).join("rapport.pdf")).unwrap();
    }
    let pages = pdf_pages(&pdf);
    let n = pages.len();
    assert!((3..=14).contains(&n), "{n} pages");
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(&format!("Page {} sur {n}", i + 1)),
            "page {} numbered: {page}",
            i + 1
        );
    }
    assert!(pages[0].contains("Sommaire") && pages[0].contains("Chiffres clés"));
    // What only a screen needs stays off the paper.
    for screen_only in ["Chiffres à jour", "calculés à"] {
        assert!(
            pages.iter().all(|p| !p.contains(screen_only)),
            "« {screen_only} » printed"
        );
    }
    for part in [
        "Participation",
        "Réseau des entreprises",
        "Leviers et objectifs",
    ] {
        assert!(pages[0].contains(part), "{part} in the contents");
    }
    assert!(
        pages[1].contains("Synthèse des avis des participants"),
        "running header"
    );
    assert!(pages[1].contains("cinquante-deux entreprises"));
    if let Ok(out) = std::env::var("TISSU_REPORT_PAGES") {
        let status = Command::new("pdftoppm")
            .args(["-png", "-r", "70", "-f", "1", "-l", "2"])
            .arg(&pdf)
            .arg(Path::new(&out).join("report-page"))
            .status()
            .unwrap();
        assert!(status.success());
    }
}

/// The top and left of an element, in CSS pixels.
async fn position(session: &Session, css: &str) -> (f64, f64) {
    let script = format!(
        "const r = document.querySelector('{css}').getBoundingClientRect(); return [r.top + window.scrollY, r.left];"
    );
    let v = session.client().execute(&script, vec![]).await.unwrap();
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

#[tokio::test]
async fn the_swot_quadrants_sit_two_by_two_on_a_wide_screen_and_in_one_column_on_a_phone() {
    let Some((session, app)) = demo_session("facilitator").await else {
        return;
    };
    let page = format!(
        "/staff/campagnes/{}/synthese/swot",
        tissu::demo::CAMPAIGN_SLUG
    );
    visit(&session, &app, &page, "synthèse : SWOT").await;
    session.set_window_width(1280).await.unwrap();
    let strengths = position(&session, "#q-strength").await;
    let weaknesses = position(&session, "#q-weakness").await;
    let opportunities = position(&session, "#q-opportunity").await;
    assert_eq!(
        strengths.0, weaknesses.0,
        "strengths and weaknesses side by side"
    );
    assert!(weaknesses.1 > strengths.1);
    assert!(opportunities.0 > strengths.0 && opportunities.1 == strengths.1);
    session.set_window_width(320).await.unwrap();
    let strengths = position(&session, "#q-strength").await;
    let weaknesses = position(&session, "#q-weakness").await;
    assert!(
        weaknesses.0 > strengths.0 && weaknesses.1 == strengths.1,
        "one column"
    );
    assert!(!session.overflows_horizontally().await.unwrap());
    session.close().await;
}

/// The contract annex printed by Chromium: its own running header, not the
/// report's, and its first fiche on the first page (the report's cover rule,
/// a page of its own, left it nearly blank).
#[tokio::test]
async fn the_contract_annex_prints_under_its_own_header_from_its_first_page() {
    let Some((session, app)) = demo_session("organiser").await else {
        return;
    };
    visit(
        &session,
        &app,
        &format!(
            "/staff/campagnes/{}/plan/annexe?date=2026-12-18",
            tissu::demo::CAMPAIGN_SLUG
        ),
        "annexe du contrat",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("annexe.pdf");
    print_to_pdf(&session, &pdf).await;
    session.close().await;
    let pages = pdf_pages(&pdf);
    assert!(pages.len() >= 2, "{} pages", pages.len());
    assert!(pages[0].contains("Action 1 :"), "page 1: {}", pages[0]);
    for (i, page) in pages.iter().enumerate() {
        assert!(
            !page.contains("Synthèse des avis des participants"),
            "page {}: {page}",
            i + 1
        );
    }
    assert!(
        pages[1].contains("Annexe du contrat"),
        "running header: {}",
        pages[1]
    );
}
