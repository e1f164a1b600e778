//! The PostgreSQL half of the tests: the server TISSU_TEST_POSTGRES_URL names
//! (`postgres://postgres@127.0.0.1:PORT/postgres`, as `.ci/run` exports it),
//! on which each test gets a new database of its own, dropped when it ends.
//! Without the variable the PostgreSQL half is skipped, and says so, except
//! under CI=true, where a missing server must fail the run instead of
//! hiding tests.

use std::future::Future;
use tissu::config::Settings;
use tissu::store::ScratchDatabase;

/// The shared keys a database server needs (any valid ones: each test's
/// database is its own).
pub const LINK_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
pub const SESSION_KEY: &str =
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==";

/// Whether the whole suite runs on PostgreSQL (`TISSU_TEST_BACKEND=postgres`,
/// with TISSU_TEST_POSTGRES_URL): every `spawn_app` then gets a database of
/// its own on that server instead of a SQLite file.
pub fn suite_on_postgres() -> bool {
    std::env::var("TISSU_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// The template database of this binary's schema: named after its
/// migrations' checksums, so a changed migration gets a template of its own.
fn template_name() -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for m in sqlx::migrate!("./migrations/postgres").iter() {
        m.version.hash(&mut hasher);
        m.checksum.hash(&mut hasher);
    }
    format!("tissu_template_{:016x}", hasher.finish())
}

/// A test's PostgreSQL database, dropped when the test's app is.
pub struct Scratch(Option<ScratchDatabase>);

impl Drop for Scratch {
    fn drop(&mut self) {
        let Some(scratch) = self.0.take() else {
            return;
        };
        // Drop runs outside any async context we could await in: a thread
        // of its own with a small runtime drops the database.
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(scratch.drop_database())
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("a test database could not be dropped: {dropped:?}");
        }
    }
}

/// When the suite runs on PostgreSQL, points `settings` at a new database
/// of the test's own, with the shared keys a server database needs.
pub async fn suite_database(settings: &mut Settings) -> Option<Scratch> {
    if !suite_on_postgres() {
        return None;
    }
    let server = server_url("the suite on PostgreSQL")?;
    let template = template_name();
    // Once per test process: the later tests find it made.
    static MADE: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    MADE.get_or_init(|| async {
        ScratchDatabase::ensure_template(&server, &template)
            .await
            .unwrap_or_else(|e| panic!("cannot make the template database: {e}"));
    })
    .await;
    let scratch = ScratchDatabase::create_from(&server, &template)
        .await
        .unwrap_or_else(|e| {
            panic!("cannot create a test database on TISSU_TEST_POSTGRES_URL: {e}")
        });
    settings.database.url = scratch.url.clone();
    settings.link_key = Some(LINK_KEY.into());
    settings.session_key = Some(SESSION_KEY.into());
    Some(Scratch(Some(scratch)))
}

/// Runs `test` with the URL of a new, empty database on the test server,
/// then drops that database, whether `test` passed or panicked. Without a
/// server, says that `what` was skipped on PostgreSQL and returns.
pub async fn on_postgres<F, Fut>(what: &str, test: F)
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(server) = server_url(what) else {
        return;
    };
    let scratch = ScratchDatabase::create(&server).await.unwrap_or_else(|e| {
        panic!("cannot create a test database on TISSU_TEST_POSTGRES_URL: {e}")
    });
    // On a task of its own, so that a failed assertion comes back here and
    // the database is dropped before the panic goes on.
    let outcome = tokio::spawn(test(scratch.url.clone())).await;
    scratch
        .drop_database()
        .await
        .unwrap_or_else(|e| panic!("cannot drop the test database: {e}"));
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("the PostgreSQL half of {what} did not finish: {e}"),
        }
    }
}

fn server_url(what: &str) -> Option<String> {
    match std::env::var("TISSU_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if running_in_ci() => panic!(
            "PostgreSQL tests cannot be skipped in CI: TISSU_TEST_POSTGRES_URL is not set \
             (.ci/run starts a throwaway server and sets it)"
        ),
        _ => {
            eprintln!("PostgreSQL half skipped ({what}): TISSU_TEST_POSTGRES_URL is not set");
            None
        }
    }
}

fn running_in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}
