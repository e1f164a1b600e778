//! The privacy notice, "Mes données" and the erasure in a real headless
//! Chromium without JavaScript: axe-core finds no violation, nothing scrolls
//! sideways at 320 px, and the erasure goes through its confirmation.

use crate::browser::{self, assert_accessible};
use crate::helpers::{invited_respondent, Invited};
use tissu::store::testing::{rows, Table};

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
    assert_accessible(&session, "mes données").await;
    session
        .goto(&app.url("/confidentialite?campagne=navigateur-donnees"))
        .await
        .unwrap();
    assert_accessible(&session, "notice de confidentialité").await;

    session
        .goto(&app.url(&format!("{path}/effacer")))
        .await
        .unwrap();
    assert_accessible(&session, "effacement").await;
    session
        .submit_form("form[action$='/effacer']")
        .await
        .unwrap();
    assert!(session
        .text_of("#confirm-error")
        .await
        .unwrap()
        .contains("Cochez la case"));
    assert_accessible(&session, "effacement refusé sans la case").await;
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
    assert_eq!(rows(&app.db, Table::Participants).await.unwrap(), 0);
    session.close().await;
}
