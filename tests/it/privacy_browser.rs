//! The privacy notice, "Mes données" and the erasure in a real headless
//! Chromium without JavaScript: axe-core finds no violation, nothing scrolls
//! sideways at 320 px, and the erasure goes through its confirmation.

use crate::browser::{self, axe_check, Session};
use crate::helpers::{count, invited_respondent, Invited};

async fn check(session: &Session, label: &str) {
    axe_check(session, label)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session
        .check_reflow(label)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test]
async fn my_data_and_its_erasure_are_accessible_without_javascript() {
    let Some(session) = browser::start(false).await else {
        return;
    };
    let Invited { app, path, .. } = invited_respondent("navigateur-donnees").await;
    session
        .goto(&app.url(&format!("{path}/mes-donnees")))
        .await
        .unwrap();
    check(&session, "mes données").await;
    session
        .goto(&app.url("/confidentialite?campagne=navigateur-donnees"))
        .await
        .unwrap();
    check(&session, "notice de confidentialité").await;

    session
        .goto(&app.url(&format!("{path}/effacer")))
        .await
        .unwrap();
    check(&session, "effacement").await;
    session
        .submit_form("form[action$='/effacer']")
        .await
        .unwrap();
    assert!(session
        .text_of("#confirm-error")
        .await
        .unwrap()
        .contains("Cochez la case"));
    check(&session, "effacement refusé sans la case").await;
    session.click("#confirm").await.unwrap();
    session
        .submit_form("form[action$='/effacer']")
        .await
        .unwrap();
    let title = session.title().await.unwrap();
    assert!(
        title.contains("Vos réponses ont été effacées"),
        "the link now says what happened: {title}"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM participants").await, 0);
    session.close().await;
}
