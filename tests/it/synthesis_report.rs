//! The report handed to the steering committee: its cover (territory, logo,
//! key figures, contents), the facilitators' texts edited beside the
//! syntheses, and the participation chart.

use crate::helpers::VisibleText;
use crate::helpers::{fixture_bytes, seed_campaign, spawn_app, unescape, Browser};
use crate::synthesis::demo_app;
use crate::synthesis_swot::submitted_contribution;
use tissu::store::testing::{self, rows, Table};

const DEMO: &str = "diagnostic-anjou-bleu";

fn texts(slug: &str) -> String {
    format!("/staff/campagnes/{slug}/synthese/textes")
}

fn logo(slug: &str) -> String {
    format!("/staff/campagnes/{slug}/synthese/logo")
}

fn report(slug: &str) -> String {
    format!("/staff/campagnes/{slug}/synthese/rapport")
}

#[tokio::test]
async fn a_facilitator_writes_the_introduction_and_the_report_prints_it_as_paragraphs() {
    let app = spawn_app().await;
    let fx = seed_campaign(&app.db, "rapport").await;
    let anim = Browser::staff(&app, "anim@rapport.fr", "facilitator", &[fx.territory_id]).await;
    let r = anim
        .post_form(
            &texts("rapport"),
            &[
                (
                    "introduction",
                    "Nous avons rencontré\r\nles entreprises.\r\n\r\nMerci <b>à tous</b>.",
                ),
                ("swot", "Le recrutement domine."),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (status, html) = anim.get_html(&report("rapport")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<p>Nous avons rencontré les entreprises.</p>"),
        "{html}"
    );
    assert!(
        html.contains("<p>Merci &#60;b&#62;à tous&#60;/b&#62;.</p>")
            || html.contains("<p>Merci &lt;b&gt;à tous&lt;/b&gt;.</p>")
    );
    assert!(html.contains("<a href=\"#r-introduction\">Introduction</a>"));
    assert!(html.contains("Conclusion des animateurs</h3><p>Le recrutement domine.</p>"));
    assert_eq!(
        (crate::helpers::audit_lines(&app.db, "report_text")
            .await
            .len() as i64),
        1
    );
}

#[tokio::test]
async fn a_text_too_long_comes_back_with_what_was_typed_and_nothing_is_stored() {
    let app = spawn_app().await;
    let fx = seed_campaign(&app.db, "rapport").await;
    let anim = Browser::staff(&app, "anim@rapport.fr", "facilitator", &[fx.territory_id]).await;
    let long = "é".repeat(6001);
    let r = anim
        .post_form(
            &texts("rapport"),
            &[("introduction", "Gardé tel quel"), ("leviers", &long)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.visible_text().await;
    assert!(html.contains("Le texte fait 6001 caractères : 6000 au plus"));
    assert!(html.contains("id=\"leviers-error\""));
    assert!(html.contains(">Gardé tel quel</textarea>"));
    assert_eq!(rows(&app.db, Table::ReportTexts).await.unwrap(), 0);
}

#[tokio::test]
async fn an_organiser_uploads_a_png_logo_and_the_report_cover_shows_it() {
    let app = spawn_app().await;
    let fx = seed_campaign(&app.db, "rapport").await;
    let orga = Browser::staff(&app, "orga@rapport.fr", "organiser", &[fx.territory_id]).await;
    let png = fixture_bytes("logo-territoire.png");
    // The name says CSV: the content decides.
    let r = orga
        .post_file(&logo("rapport"), "file", "logo.csv", png.clone())
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = orga.get_html(&report("rapport")).await;
    assert!(html.contains("class=\"cover-logo\" src=\"data:image/png;base64,"));
    assert!(html.contains("width=\"240\" height=\"80\""));
    let stored = tissu::store::territory_logo::find(&app.db, fx.territory_id)
        .await
        .unwrap()
        .expect("the logo stored");
    assert_eq!(
        (stored.content_type.as_str(), stored.bytes),
        ("image/png", png)
    );
    assert_eq!(
        (crate::helpers::audit_lines(&app.db, "territory_logo")
            .await
            .len() as i64),
        1
    );
}

#[tokio::test]
async fn a_file_that_is_not_png_or_jpeg_is_refused_whatever_its_name() {
    let app = spawn_app().await;
    let fx = seed_campaign(&app.db, "rapport").await;
    let orga = Browser::staff(&app, "orga@rapport.fr", "organiser", &[fx.territory_id]).await;
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec();
    let r = orga
        .post_file(&logo("rapport"), "file", "logo.png", svg)
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.visible_text().await;
    assert!(unescape(&html).contains("Ce fichier n'est pas une image PNG ou JPEG lisible."));
    assert_eq!(rows(&app.db, Table::TerritoryLogos).await.unwrap(), 0);
}

#[tokio::test]
async fn a_logo_over_512_kb_is_refused() {
    let app = spawn_app().await;
    let fx = seed_campaign(&app.db, "rapport").await;
    let orga = Browser::staff(&app, "orga@rapport.fr", "organiser", &[fx.territory_id]).await;
    let mut big = fixture_bytes("logo-territoire.png");
    big.resize(600 * 1024, 0);
    let r = orga
        .post_file(&logo("rapport"), "file", "logo.png", big)
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(unescape(&r.visible_text().await).contains("L'image fait 600 Ko : 512 Ko au plus."));
    assert_eq!(rows(&app.db, Table::TerritoryLogos).await.unwrap(), 0);
}

#[tokio::test]
async fn a_facilitator_may_not_upload_or_remove_the_logo() {
    let app = spawn_app().await;
    let fx = seed_campaign(&app.db, "rapport").await;
    let anim = Browser::staff(&app, "anim@rapport.fr", "facilitator", &[fx.territory_id]).await;
    let r = anim
        .post_file(
            &logo("rapport"),
            "file",
            "logo.png",
            fixture_bytes("logo-territoire.png"),
        )
        .await;
    assert_eq!(r.status().as_u16(), 403);
    let r = anim
        .post_form(&format!("{}/retrait", logo("rapport")), &[])
        .await;
    assert_eq!(r.status().as_u16(), 403);
    let (_, html) = anim.get_html(&texts("rapport")).await;
    assert!(html.contains("Seul un organisateur du territoire peut envoyer ou retirer le logo."));
    assert!(!html.contains("enctype=\"multipart/form-data\""));
    assert_eq!(rows(&app.db, Table::TerritoryLogos).await.unwrap(), 0);
}

#[tokio::test]
async fn removing_the_logo_is_audited_and_the_cover_shows_none() {
    let app = spawn_app().await;
    let fx = seed_campaign(&app.db, "rapport").await;
    let orga = Browser::staff(&app, "orga@rapport.fr", "organiser", &[fx.territory_id]).await;
    orga.post_file(
        &logo("rapport"),
        "file",
        "l.png",
        fixture_bytes("logo-territoire.png"),
    )
    .await;
    let r = orga
        .post_form(&format!("{}/retrait", logo("rapport")), &[])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = orga.get_html(&report("rapport")).await;
    assert!(!html.contains("cover-logo"));
    assert_eq!(
        (crate::helpers::audit_lines(&app.db, "territory_logo_removed")
            .await
            .len() as i64),
        1
    );
}

#[tokio::test]
async fn the_report_cover_gives_the_territory_the_key_figures_and_a_contents_list() {
    let (app, territory) = demo_app().await;
    let anim = Browser::staff(&app, "anim@anjou-bleu.fr", "facilitator", &[territory]).await;
    let (status, html) = anim.get_html(&report(DEMO)).await;
    assert_eq!(status, 200);
    let cover = &html[html.find("id=\"couverture\"").unwrap()..html.find("</header>").unwrap()];
    assert!(cover.contains("Anjou"), "territory on the cover");
    assert!(cover.contains("Chiffres clés"));
    assert!(cover.contains("<dd>52</dd>"), "{cover}");
    assert!(cover.contains("contributions (37 en atelier, 15 en ligne)"));
    for part in ["r-participation", "r-reseau", "r-swot", "r-leviers"] {
        assert!(
            cover.contains(&format!("href=\"#{part}\"")),
            "{part} in the contents"
        );
        assert!(html.contains(&format!("id=\"{part}\"")));
    }
    assert!(!html.contains("au plus)"));
}

/// The rows of the overview's timeline table.
fn timeline_rows(html: &str) -> Vec<&str> {
    let table = &html[html.find("id=\"table-timeline\"").unwrap()..];
    let table = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    table.split("<tr>").skip(1).collect()
}

#[tokio::test]
async fn a_campaign_of_fifteen_days_is_drawn_by_day_with_its_figures_in_a_table() {
    let (app, territory) = demo_app().await;
    let anim = Browser::staff(&app, "anim@anjou-bleu.fr", "facilitator", &[territory]).await;
    let (_, html) = anim
        .get_html(&format!("/staff/campagnes/{DEMO}/synthese"))
        .await;
    assert!(html.contains("<title id=\"timeline-title\">Contributions envoyées par jour</title>"));
    let rows = timeline_rows(&html);
    // From the first workshop (15 April) to the last online answer (29 April).
    assert_eq!(rows.len(), 15);
    assert!(rows[0].contains("15 avril 2026"));
    assert!(
        rows[14].contains("<td class=\"num\">52</td>"),
        "{}",
        rows[14]
    );
    // The percentages hold their sign with a narrow no-break space (read in
    // the raw page: `get_html` reads it as a space).
    let raw = anim
        .get(&format!("/staff/campagnes/{DEMO}/synthese"))
        .await
        .text()
        .await
        .unwrap();
    assert!(raw.contains("\u{202f}%"));
    assert!(!raw.contains(",0 %") && !raw.contains(",5 %"));
}

#[tokio::test]
async fn a_campaign_of_several_months_is_drawn_by_week() {
    let app = spawn_app().await;
    let fx = seed_campaign(&app.db, "longue").await;
    for at in [
        "2026-01-06T10:00:00Z",
        "2026-01-08T10:00:00Z",
        "2026-08-20T10:00:00Z",
    ] {
        submitted_contribution(&app, &fx, at, &[]).await;
    }
    let anim = Browser::staff(&app, "anim@longue.fr", "facilitator", &[fx.territory_id]).await;
    let (_, html) = anim.get_html("/staff/campagnes/longue/synthese").await;
    assert!(
        html.contains("<title id=\"timeline-title\">Contributions envoyées par semaine</title>")
    );
    let rows = timeline_rows(&html);
    // Monday 5 January to the week of Thursday 20 August: 33 weeks, not 227 days.
    assert_eq!(rows.len(), 33);
    assert!(
        rows[0].contains("semaine du 5 janvier 2026</th><td class=\"num\">2</td>"),
        "{}",
        rows[0]
    );
}

#[tokio::test]
async fn the_cover_gives_the_last_day_of_the_online_window_not_the_day_after() {
    let app = spawn_app().await;
    let fx = seed_campaign(&app.db, "fenetre").await;
    testing::set_online_window(
        &app.db,
        fx.campaign_id,
        Some("2026-12-01T00:00:00Z"),
        Some("2027-01-31T23:59:59Z"),
    )
    .await
    .unwrap();
    let anim = Browser::staff(&app, "anim@fenetre.fr", "facilitator", &[fx.territory_id]).await;
    let (status, html) = anim.get_html(&report("fenetre")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Questionnaire en ligne du 1er décembre 2026 au 31 janvier 2027"),
        "{html}"
    );
    assert!(!html.contains("1er février 2027"));
}
