//! The command line speaks French as the rest of tissu does, each command's
//! `--help` lists the options it reads, and operating-system errors are said
//! in French with what to do.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn tissu(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tissu"));
    command.env("RUST_LOG", "error").args(args);
    command
}

fn help(args: &[&str]) -> String {
    let out = tissu(args).arg("--help").output().unwrap();
    assert!(out.status.success(), "{args:?}");
    crate::helpers::words(&String::from_utf8(out.stdout).unwrap())
}

fn with_stdin(mut command: Command, stdin: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn each_command_help_lists_the_options_it_uses_and_not_the_servers() {
    let user_add = help(&["user", "add"]);
    assert!(
        user_add.contains("Utilisation : tissu user add")
            && user_add.contains("Affiche cette aide"),
        "{user_add}"
    );
    assert!(user_add.contains("--database") && user_add.contains("--territory"));
    for server_only in ["--smtp-host", "--bind", "--backup-every", "--session-key"] {
        assert!(!user_add.contains(server_only), "user add: {server_only}");
    }
    let backup = help(&["backup"]);
    assert!(backup.contains("--to") && !backup.contains("--smtp-host"));
    let mail = help(&["mail", "test"]);
    assert!(mail.contains("--smtp-host") && mail.contains("--to"));
    assert!(!mail.contains("--backup-every") && !mail.contains("--workers"));
    let serve = help(&["serve"]);
    for setting in ["--database", "--bind", "--smtp-host", "--backup-every"] {
        assert!(serve.contains(setting), "serve: {setting}");
    }
}

#[tokio::test]
async fn user_add_answers_in_french_and_lists_the_territories_when_one_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("users.db").display());
    let db = tissu::store::Db::connect(&database).await.unwrap();
    crate::helpers::seed_campaign(&db, "diag").await;
    let territories = tissu::store::territories::list(&db, None).await.unwrap();
    let slug = territories[0].slug.clone();
    db.close().await;

    let out = with_stdin(
        tissu(&[
            "--database",
            &database,
            "user",
            "add",
            "--email",
            "anim@territoire.fr",
            "--role",
            "facilitator",
        ]),
        "",
    );
    assert!(!out.status.success());
    let stderr = crate::helpers::words(&String::from_utf8_lossy(&out.stderr));
    assert!(
        stderr.contains("territoires existants") && stderr.contains(&format!("--territory {slug}")),
        "{stderr}"
    );

    let out = with_stdin(
        tissu(&[
            "user",
            "add",
            "--database",
            &database,
            "--email",
            "chef@territoire.fr",
            "--role",
            "admin",
        ]),
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        crate::helpers::words(&String::from_utf8_lossy(&out.stderr))
    );
    let stdout = crate::helpers::words(&String::from_utf8_lossy(&out.stdout));
    assert!(
        stdout.starts_with("compte : chef@territoire.fr admin (n° "),
        "{stdout}"
    );
    assert!(stdout.contains("\nmot de passe : "), "{stdout}");
    assert!(!stdout.contains("user:") && !stdout.contains("password:"));
}

#[test]
fn a_refused_connection_is_said_in_french_with_what_to_check() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("t.db").display());
    // A port nobody listens on any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let out = tissu(&[
        "--database",
        &database,
        "mail",
        "test",
        "--to",
        "ops@example.fr",
    ])
    .env("TISSU_SMTP_HOST", "127.0.0.1")
    .env("TISSU_SMTP_PORT", &port)
    .env("TISSU_SMTP_TLS", "none")
    .output()
    .unwrap();
    assert!(!out.status.success());
    let stderr = crate::helpers::words(&String::from_utf8_lossy(&out.stderr));
    assert!(
        stderr.contains(&format!(
            "Erreur : envoi impossible (127.0.0.1:{port} : connexion refusée ; aucun service n'écoute à cette adresse"
        )),
        "{stderr}"
    );
    assert!(
        !stderr.contains("os error") && !stderr.contains("refused"),
        "{stderr}"
    );
}

#[test]
fn a_database_in_a_missing_folder_is_said_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("absent/t.db").display());
    let out = tissu(&[
        "token",
        "create",
        "--database",
        &database,
        "--email",
        "a@b.fr",
    ])
    .output()
    .unwrap();
    assert!(!out.status.success());
    let stderr = crate::helpers::words(&String::from_utf8_lossy(&out.stderr));
    assert!(stderr.starts_with("Erreur : "), "{stderr}");
    assert!(
        stderr.contains("fichier ou dossier introuvable ; vérifiez le chemin indiqué"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("No such file") && !stderr.contains("os error"),
        "{stderr}"
    );
}
