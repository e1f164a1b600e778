//! The binary as an operator runs it: `demo`, `serve` and its graceful stop,
//! `user add`.

use crate::helpers::exit_of;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;
use tissu::store::testing;

fn tissu() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tissu"));
    // These commands run on SQLite files of their own, whose key files they
    // are about: without the shared keys the suite may run with.
    command
        .env("RUST_LOG", "warn")
        .env_remove("TISSU_LINK_KEY")
        .env_remove("TISSU_SESSION_KEY");
    command
}

#[tokio::test]
async fn demo_seeds_once_and_prints_its_links() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("demo.db").display());
    let run = || {
        let out = tissu()
            .args([
                "--database",
                &database,
                "--bind",
                "127.0.0.1:0",
                "demo",
                "--no-serve",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            crate::helpers::words(&String::from_utf8_lossy(&out.stderr))
        );
        crate::helpers::words(&String::from_utf8(out.stdout).unwrap())
    };
    let first = run();
    let lines: Vec<&str> = first.lines().collect();
    assert!(lines[0].starts_with("adresse : http://127.0.0.1:"));
    assert!(lines[1].starts_with("administrateur : admin@demo.tissu.fr "));
    assert_eq!(lines[2], "campagne : diagnostic-anjou-bleu");
    assert_eq!(
        first
            .lines()
            .filter(|l| l.starts_with("répondant : "))
            .count(),
        3
    );
    let second = run();
    assert_ne!(first, second, "fresh links and password on each run");

    let db = tissu::store::Db::connect(&database).await.unwrap();
    let firms = testing::rows(&db, testing::Table::Firms).await.unwrap();
    let campaign = tissu::store::campaigns::find_by_slug(&db, tissu::demo::CAMPAIGN_SLUG)
        .await
        .unwrap()
        .unwrap();
    let submitted: Vec<_> = testing::contributions(&db, campaign.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.submitted_at.is_some())
        .collect();
    let room = submitted
        .iter()
        .filter(|c| c.source_session_id.is_some())
        .count();
    let online = submitted
        .iter()
        .filter(|c| c.source_session_id.is_none())
        .count();
    assert_eq!(
        (firms, room, online, room + online),
        (60, 37, 15, 52),
        "seeded once, as in the seed story"
    );

    // The last printed password is the one that opens the staff side.
    let account = tissu::store::staff::find_by_email(&db, "admin@demo.tissu.fr")
        .await
        .unwrap()
        .unwrap();
    let first_password = lines[1].split_whitespace().nth(3).unwrap();
    assert!(!tissu::domain::password::verify(
        first_password,
        &account.password_hash
    ));
    let second_password = second
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .nth(3)
        .unwrap();
    assert!(tissu::domain::password::verify(
        second_password,
        &account.password_hash
    ));
}

#[tokio::test]
async fn serve_answers_health_checks_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("serve.db").display());
    let mut child = tissu()
        .args(["--database", &database, "--bind", "127.0.0.1:0", "serve"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    let url = crate::helpers::words(&first_line)
        .trim()
        .strip_prefix("adresse : ")
        .expect("prints its url")
        .to_string();
    let address = url.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        dir.path().join("serve.session.key").exists(),
        "the session key file is made beside the database"
    );

    // SAFETY: sends SIGTERM to the child we spawned.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = exit_of(&mut child, "tissu serve stops after SIGTERM").await;
    assert!(
        status.success(),
        "a graceful stop exits with 0, got {status}"
    );
}

#[tokio::test]
async fn user_add_reads_the_password_from_stdin_and_checks_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("users.db").display());
    let add = |args: &[&str], stdin: &str| {
        let mut child = tissu()
            .args(["--database", &database, "user", "add"])
            .args(args)
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
    };
    let out = add(
        &["--email", "Chef@Territoire.fr", "--role", "admin"],
        "un mot de passe solide\n",
    );
    assert!(
        out.status.success(),
        "{}",
        crate::helpers::words(&String::from_utf8_lossy(&out.stderr))
    );
    assert!(
        !crate::helpers::words(&String::from_utf8_lossy(&out.stdout)).contains("mot de passe"),
        "a typed password is not printed"
    );
    let out = add(
        &["--email", "anim@territoire.fr", "--role", "facilitator"],
        "un mot de passe solide\n",
    );
    assert!(!out.status.success(), "a facilitator needs a territory");
    assert!(crate::helpers::words(&String::from_utf8_lossy(&out.stderr)).contains("territoire"));
    let out = add(
        &["--email", "x@territoire.fr", "--role", "root"],
        "un mot de passe solide\n",
    );
    assert!(!out.status.success());
    let out = add(
        &["--email", "court@territoire.fr", "--role", "admin"],
        "court\n",
    );
    assert!(!out.status.success(), "short passwords are refused");

    let db = tissu::store::Db::connect(&database).await.unwrap();
    let account = tissu::store::staff::find_by_email(&db, "chef@territoire.fr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.role, "admin");
    assert!(tissu::domain::password::verify(
        "un mot de passe solide",
        &account.password_hash
    ));
}
