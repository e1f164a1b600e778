//! Group commit in the one writer: saves that arrive while a COMMIT is being
//! written to the disk wait, then go together in the next transaction.
//!
//! With `synchronous = FULL` every COMMIT waits for an fsync of the WAL, and
//! the single writer does nothing else meanwhile: one fsync per save is the
//! ceiling of the save rate. SQLite has no group commit of its own, so the
//! writer does it: it takes every save waiting (up to `MAX_SAVES_PER_COMMIT`),
//! runs each inside its own SAVEPOINT (a save refused or failing rolls back
//! to its savepoint alone and gets its own answer; the others go on), COMMITs
//! once, and only then answers each save, so an acknowledged save is on the
//! disk. A save that finds the writer idle commits at once: nothing waits for
//! a timer, so a quiet instance answers as fast as before.
//!
//! When the storage fails (full disk, read-only file, I/O error) anywhere in
//! a batch, the whole transaction is rolled back and every save of the batch
//! gets the same "storage unavailable" error: nothing of it is half-written.
//!
//! PostgreSQL (the next backend) takes the same path: its own commit_delay
//! makes batching optional there, but savepoints are portable, and one COMMIT
//! for many saves still saves round trips.

use super::{StoreError, Unavailable};
use sqlx::{Connection, SqliteConnection, SqlitePool};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A save's writes, run on the writer's connection inside the batch's
/// transaction: `Ok(Err(refused))` writes nothing (rolled back to its savepoint).
pub type Work<T, R> = Box<
    dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<Result<T, R>, StoreError>>
        + Send,
>;

/// One commit's worth of saves at most: bounds how long the first of them
/// waits for the last.
const MAX_SAVES_PER_COMMIT: usize = 64;

/// The saves waiting for the writer, and whether a writer task is running.
#[derive(Default)]
pub struct GroupCommit {
    queue: Mutex<Queue>,
    committed: Mutex<Committed>,
}

/// How many COMMITs the writer made, for how many saves kept.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Committed {
    pub commits: u64,
    pub saves: u64,
}

impl std::fmt::Debug for GroupCommit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit").finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Queue {
    waiting: VecDeque<Box<dyn Member>>,
    writing: bool,
}

impl GroupCommit {
    /// Queues `work` for the writer and answers once its batch is committed
    /// (or refused, or failed). The writer runs in a task of its own, so a
    /// request that goes away does not leave a batch half-done.
    pub async fn save<T, R>(
        self: &Arc<Self>,
        pool: &SqlitePool,
        work: Work<T, R>,
    ) -> Result<Result<T, R>, StoreError>
    where
        T: Send + 'static,
        R: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let start_writer = {
            let mut queue = self.lock();
            queue.waiting.push_back(Box::new(Save {
                work: Some(work),
                result: None,
                reply,
            }));
            !std::mem::replace(&mut queue.writing, true)
        };
        if start_writer {
            tokio::spawn(Arc::clone(self).write_all(pool.clone()));
        }
        // The writer dropped the save without answering: it stopped (the
        // runtime shutting down, or a panic), and nothing was committed.
        answer
            .await
            .unwrap_or(Err(StoreError::Unavailable(Unavailable::Io)))
    }

    /// Commits batch after batch until no save waits.
    async fn write_all(self: Arc<Self>, pool: SqlitePool) {
        let mut running = WriterRunning {
            group: &self,
            stopped: false,
        };
        loop {
            let batch: Vec<Box<dyn Member>> = {
                let mut queue = self.lock();
                if queue.waiting.is_empty() {
                    // Under the same lock as the check: a save queued after it
                    // sees no writer and starts one.
                    queue.writing = false;
                    running.stopped = true;
                    return;
                }
                let n = queue.waiting.len().min(MAX_SAVES_PER_COMMIT);
                queue.waiting.drain(..n).collect()
            };
            if let Some(kept) = commit_batch(&pool, batch).await {
                let mut committed = self.committed();
                committed.commits += 1;
                committed.saves += kept;
            }
        }
    }

    pub fn committed(&self) -> std::sync::MutexGuard<'_, Committed> {
        self.committed.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Lets a later save start a new writer if this one panicked.
struct WriterRunning<'a> {
    group: &'a GroupCommit,
    stopped: bool,
}

impl Drop for WriterRunning<'_> {
    fn drop(&mut self) {
        if !self.stopped {
            self.group.lock().writing = false;
        }
    }
}

/// What one save did inside the batch.
enum Ran {
    Kept,
    /// Refused, or failed on its own: rolled back to its savepoint.
    Dropped,
    /// The storage failed: the whole batch is rolled back.
    Fault(Unavailable),
}

trait Member: Send {
    fn run<'c>(&'c mut self, conn: &'c mut SqliteConnection) -> BoxFuture<'c, Ran>;
    /// `failed`: the batch was not committed, for this reason.
    fn answer(self: Box<Self>, failed: Option<Unavailable>);
}

struct Save<T, R> {
    work: Option<Work<T, R>>,
    result: Option<Result<Result<T, R>, StoreError>>,
    reply: oneshot::Sender<Result<Result<T, R>, StoreError>>,
}

impl<T: Send, R: Send> Member for Save<T, R> {
    fn run<'c>(&'c mut self, conn: &'c mut SqliteConnection) -> BoxFuture<'c, Ran> {
        Box::pin(async move {
            let Some(work) = self.work.take() else {
                return Ran::Dropped;
            };
            let result = work(conn).await;
            let ran = match &result {
                Ok(Ok(_)) => Ran::Kept,
                Ok(Err(_)) => Ran::Dropped,
                Err(e) => e.unavailable().map_or(Ran::Dropped, Ran::Fault),
            };
            self.result = Some(result);
            ran
        })
    }

    fn answer(self: Box<Self>, failed: Option<Unavailable>) {
        let answer = match (failed, self.result) {
            (None, Some(result)) => result,
            (Some(why), _) => Err(StoreError::Unavailable(why)),
            (None, None) => Err(StoreError::Unavailable(Unavailable::Io)),
        };
        // The request may have gone away meanwhile: its save stands.
        let _ = self.reply.send(answer);
    }
}

/// Runs and commits one batch, then answers each of its saves; the number of
/// saves kept when a COMMIT was made.
async fn commit_batch(pool: &SqlitePool, mut members: Vec<Box<dyn Member>>) -> Option<u64> {
    let outcome = run_batch(pool, &mut members).await;
    // bench/step_saves.sh reads this line for the saves per COMMIT.
    tracing::debug!(saves = members.len(), outcome = ?outcome, "group commit");
    let failed = outcome.err();
    for member in members {
        member.answer(failed);
    }
    outcome.ok().flatten()
}

/// `Ok(Some(kept))` once committed, `Ok(None)` when every save was refused
/// (rolled back), `Err` when the storage failed and nothing was kept.
async fn run_batch(
    pool: &SqlitePool,
    members: &mut [Box<dyn Member>],
) -> Result<Option<u64>, Unavailable> {
    let mut tx = pool.begin().await.map_err(fault)?;
    // A lone save needs no savepoint: refused, its transaction is rolled back.
    let alone = members.len() == 1;
    let mut kept = 0;
    let mut failed = None;
    for member in members.iter_mut() {
        let ran = if alone {
            member.run(&mut tx).await
        } else {
            match in_savepoint(&mut tx, member.as_mut()).await {
                Ok(ran) => ran,
                Err(why) => Ran::Fault(why),
            }
        };
        match ran {
            Ran::Kept => kept += 1,
            Ran::Dropped => {}
            Ran::Fault(why) => {
                failed = Some(why);
                break;
            }
        }
    }
    if let Some(why) = failed {
        // SQLite may have rolled back already (a full disk does); a ROLLBACK
        // that fails leaves the connection marked as in a transaction, and
        // the pool replaces it.
        if let Err(e) = tx.rollback().await {
            tracing::warn!(error = %e, "rollback of a failed group commit");
        }
        return Err(why);
    }
    if kept == 0 {
        tx.rollback().await.map_err(fault)?;
        return Ok(None);
    }
    tx.commit().await.map_err(fault)?;
    Ok(Some(kept))
}

async fn in_savepoint(
    tx: &mut SqliteConnection,
    member: &mut dyn Member,
) -> Result<Ran, Unavailable> {
    let mut savepoint = tx.begin().await.map_err(fault)?;
    let ran = member.run(&mut savepoint).await;
    match ran {
        Ran::Kept => savepoint.commit().await.map_err(fault)?,
        Ran::Dropped => savepoint.rollback().await.map_err(fault)?,
        Ran::Fault(_) => drop(savepoint),
    }
    Ok(ran)
}

/// A statement of the batch's own (BEGIN, SAVEPOINT, COMMIT…) failed: the
/// storage is at fault, whatever the code says.
fn fault(e: sqlx::Error) -> Unavailable {
    let e = StoreError::from(e);
    tracing::error!(error = %e, "group commit failed");
    e.unavailable().unwrap_or(Unavailable::Io)
}
