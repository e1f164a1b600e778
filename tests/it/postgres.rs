//! The PostgreSQL half of the tests: the server TISSU_TEST_POSTGRES_URL names
//! (`postgres://postgres@127.0.0.1:PORT/postgres`, as `.ci/run` exports it),
//! on which each test gets a new database of its own, dropped when it ends.
//! Without the variable the PostgreSQL half is skipped, and says so, except
//! under CI=true, where a missing server must fail the run instead of
//! hiding tests.

use std::future::Future;
use tissu::store::ScratchDatabase;

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
