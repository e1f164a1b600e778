//! The group commit on a real SQLite file: a batch in which one save is not
//! kept runs again in savepoints, and each save gets its own answer.

use super::{BoxFuture, GroupCommit};
use crate::store::db::sql::{self, Conn, Pool};
use crate::store::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::SqlitePool;
use std::sync::Arc;
use std::time::Duration;

/// What a test save does after inserting its name.
#[derive(Clone, Copy)]
enum Then {
    Keep,
    /// Holds the writer, so that the saves queued meanwhile form one batch.
    KeepSlowly,
    /// Refuses after its insert: the insert must not stay.
    Refuse,
}

type Answer = Result<Result<(), &'static str>, StoreError>;

fn write<'c>((name, then): &'c (&'static str, Then), conn: &'c mut Conn) -> BoxFuture<'c, Answer> {
    Box::pin(async move {
        sql::query("INSERT INTO saves (name) VALUES (?)")
            .bind(*name)
            .execute(&mut *conn)
            .await?;
        match then {
            Then::Keep => Ok(Ok(())),
            Then::KeepSlowly => {
                tokio::time::sleep(Duration::from_millis(300)).await;
                Ok(Ok(()))
            }
            Then::Refuse => Ok(Err("refusé")),
        }
    })
}

async fn pool(dir: &tempfile::TempDir) -> SqlitePool {
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("group.db"))
        .create_if_missing(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    sqlx::query("CREATE TABLE saves (name TEXT PRIMARY KEY)")
        .execute(&pool)
        .await
        .unwrap();
    pool
}

async fn names(pool: &SqlitePool) -> Vec<String> {
    sqlx::query_scalar("SELECT name FROM saves ORDER BY name")
        .fetch_all(pool)
        .await
        .unwrap()
}

/// Queues saves behind a slow one, so that they are committed as one batch.
async fn batch_behind_a_slow_save(
    group: &Arc<GroupCommit>,
    pool: &SqlitePool,
    saves: &[(&'static str, Then)],
) -> Vec<Answer> {
    let slow = {
        let (group, pool) = (group.clone(), Pool::Sqlite(pool.clone()));
        let state = ("lente", Then::KeepSlowly);
        tokio::spawn(async move { group.save(&pool, state, write).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let queued: Vec<_> = saves
        .iter()
        .map(|&state| {
            let (group, pool) = (group.clone(), Pool::Sqlite(pool.clone()));
            tokio::spawn(async move { group.save(&pool, state, write).await })
        })
        .collect();
    assert!(matches!(slow.await.unwrap(), Ok(Ok(()))));
    let mut answers = Vec::new();
    for save in queued {
        answers.push(save.await.unwrap());
    }
    answers
}

#[tokio::test]
async fn a_batch_of_kept_saves_commits_once_without_running_again() {
    let dir = tempfile::tempdir().unwrap();
    let pool = pool(&dir).await;
    let group = Arc::new(GroupCommit::default());
    let saves = [("a", Then::Keep), ("b", Then::Keep), ("c", Then::Keep)];
    let answers = batch_behind_a_slow_save(&group, &pool, &saves).await;
    assert!(answers.iter().all(|a| matches!(a, Ok(Ok(())))));
    assert_eq!(names(&pool).await, ["a", "b", "c", "lente"]);
    let committed = *group.committed();
    assert_eq!(
        (committed.commits, committed.saves, committed.reruns),
        (2, 4, 0)
    );
}

#[tokio::test]
async fn a_refused_and_a_failing_save_in_a_batch_get_their_own_answers_and_the_others_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let pool = pool(&dir).await;
    let group = Arc::new(GroupCommit::default());
    let saves = [
        ("a", Then::Keep),
        ("refusée", Then::Refuse),
        // Already stored by the slow save: the primary key refuses it.
        ("lente", Then::Keep),
        ("b", Then::Keep),
    ];
    let answers = batch_behind_a_slow_save(&group, &pool, &saves).await;
    assert!(matches!(answers[0], Ok(Ok(()))));
    assert!(matches!(answers[1], Ok(Err("refusé"))));
    assert!(
        matches!(answers[2], Err(ref e) if e.unavailable().is_none()),
        "its own error, not the storage's: {:?}",
        answers[2]
    );
    assert!(matches!(answers[3], Ok(Ok(()))));
    assert_eq!(
        names(&pool).await,
        ["a", "b", "lente"],
        "nothing of the refused save stays"
    );
    let committed = *group.committed();
    assert_eq!(
        (committed.commits, committed.saves, committed.reruns),
        (2, 3, 1)
    );
}
