//! `tissu doctor` through the binary, on a badly and on a well configured
//! instance.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};
use tissu::store::Db;

fn doctor(database: &Path, settings: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tissu"))
        .env("RUST_LOG", "error")
        .env_remove("TISSU_BASE_URL")
        .env_remove("TISSU_SMTP_HOST")
        .env_remove("TISSU_BACKUP_EVERY")
        .arg("--database")
        .arg(format!("sqlite://{}", database.display()))
        .args(settings)
        .arg("doctor")
        .output()
        .unwrap()
}

/// A database that ran once: the link key file beside it, and a session key
/// file with these permissions.
async fn instance(dir: &Path, session_key_mode: u32) -> std::path::PathBuf {
    let database = dir.join("tissu.db");
    Db::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap()
        .close()
        .await;
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o600)).unwrap();
    let session_key = database.with_extension("session.key");
    std::fs::write(&session_key, "clé").unwrap();
    std::fs::set_permissions(
        &session_key,
        std::fs::Permissions::from_mode(session_key_mode),
    )
    .unwrap();
    database
}

#[tokio::test]
async fn doctor_lists_every_problem_of_a_badly_configured_instance_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let database = instance(dir.path(), 0o644).await;
    let out = doctor(
        &database,
        &[
            "--base-url",
            "http://tissu.example.fr",
            // More than any disk holds.
            "--min-free-disk-mb",
            "1099511627776",
        ],
    );
    let said = crate::helpers::words(&String::from_utf8_lossy(&out.stdout));
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("5 problèmes de configuration"), "{said}");
    for expected in [
        "TISSU_BASE_URL est en http (http://tissu.example.fr)",
        "aucun serveur d'envoi de courriels (TISSU_SMTP_HOST)",
        "aucune sauvegarde automatique (TISSU_BACKUP_EVERY",
        "la clé des sessions",
        "lisible par d'autres comptes (droits 644)",
        "espace disque bas",
    ] {
        assert!(
            said.contains(expected),
            "{expected:?} missing from:\n{said}"
        );
    }
}

#[tokio::test]
async fn doctor_finds_nothing_on_a_well_configured_instance() {
    let dir = tempfile::tempdir().unwrap();
    let database = instance(dir.path(), 0o600).await;
    let out = doctor(
        &database,
        &[
            "--base-url",
            "https://tissu.example.fr",
            "--smtp-host",
            "smtp.example.fr",
            "--backup-every",
            "6h",
            "--min-free-disk-mb",
            "1",
        ],
    );
    let said = crate::helpers::words(&String::from_utf8_lossy(&out.stdout));
    assert!(out.status.success(), "{said}");
    assert!(said.contains("aucun problème"), "{said}");
}

#[tokio::test]
async fn doctor_names_a_foreign_trigger_in_the_live_database() {
    let dir = tempfile::tempdir().unwrap();
    let database = instance(dir.path(), 0o600).await;
    let db = Db::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    // Raw SQL: a foreign trigger in the SQLite schema is what doctor must find.
    sqlx::query(
        "CREATE TRIGGER plant AFTER INSERT ON participants BEGIN \
         INSERT INTO api_tokens (staff_id, token_hash, label, created_at) \
         VALUES (1, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'x', '2026-01-01'); END",
    )
    .execute(tissu::store::testing::sqlite_writer(&db))
    .await
    .unwrap();
    db.close().await;
    let out = doctor(
        &database,
        &[
            "--base-url",
            "https://tissu.example.fr",
            "--smtp-host",
            "smtp.example.fr",
            "--backup-every",
            "6h",
            "--min-free-disk-mb",
            "1",
        ],
    );
    let said = crate::helpers::words(&String::from_utf8_lossy(&out.stdout));
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("1 problème de configuration"), "{said}");
    assert!(said.contains("déclencheur inconnu : plant"), "{said}");
}
