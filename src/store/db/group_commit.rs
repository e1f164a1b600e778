//! Group commit in the one writer: saves that arrive while a COMMIT is being
//! written to the disk wait, then go together in the next transaction.
//!
//! With `synchronous = FULL` every COMMIT waits for an fsync of the WAL, and
//! the single writer does nothing else meanwhile: one fsync per save is the
//! ceiling of the save rate. SQLite has no group commit of its own, so the
//! writer does it: it takes every save waiting (up to `MAX_SAVES_PER_COMMIT`),
//! runs them one after the other in one transaction, COMMITs once, and only
//! then answers each save, so an acknowledged save is on the disk. A save that
//! finds the writer idle commits at once: nothing waits for a timer, so a
//! quiet instance answers as fast as before.
//!
//! A save refused or failing on its own must not take the others with it.
//! Each could run in a SAVEPOINT of its own, but that costs two more round
//! trips per save and a copy of every page it touches (SQLite's subjournal),
//! about a fifth of the save rate, for a case that is rare (a refusal the
//! handler could not see before the transaction, a constraint broken by a
//! concurrent change). So the batch runs without savepoints first; when one
//! save is not kept, that transaction is rolled back and the batch runs again,
//! each save in its own SAVEPOINT, which gives each its own answer. A save's
//! writes are therefore a function of its state and the connection (`Write`),
//! which the writer may call twice: everything it reads, it reads through the
//! connection, in the transaction.
//!
//! When the storage fails (full disk, read-only file, I/O error) anywhere in
//! a batch, the whole transaction is rolled back and every save of the batch
//! gets the same "storage unavailable" error: nothing of it is half-written.
//!
//! PostgreSQL (the next backend) takes the same path: its own commit_delay
//! makes batching optional there, but savepoints are portable, and one COMMIT
//! for many saves still saves round trips.

use super::sql::{Conn, Pool, Tx};
use super::{StoreError, Unavailable};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::oneshot;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A save's writes, of its state `S`, run on the writer's connection inside
/// the batch's transaction: `Ok(Err(refused))` is rolled back. It may be
/// called a second time, after a rollback, when another save of its batch
/// was not kept.
pub type Write<S, T, R> =
    for<'c> fn(&'c S, &'c mut Conn) -> BoxFuture<'c, Result<Result<T, R>, StoreError>>;

/// One commit's worth of saves at most: bounds how long the first of them
/// waits for the last.
const MAX_SAVES_PER_COMMIT: usize = 64;

/// The saves waiting for the writer, and whether a writer task is running.
#[derive(Default)]
pub struct GroupCommit {
    queue: Mutex<Queue>,
    committed: Mutex<Committed>,
    thread: OnceLock<WriterThread>,
}

/// The thread the writer task runs on. On a request worker's runtime, each
/// of the writer's round trips to SQLite would wait, once SQLite answers,
/// behind every request that worker has ready; on a thread of its own it goes
/// on as soon as the answer comes, and the batch (and every save waiting for
/// it) is not held up by the requests' parsing and rendering.
struct WriterThread {
    runtime: tokio::runtime::Handle,
    /// Dropped with the group commit: the thread's runtime then stops.
    _stop: oneshot::Sender<()>,
}

impl WriterThread {
    fn start() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("tissu-writer".into())
            .spawn(move || {
                runtime.block_on(async {
                    let _ = stopped.await;
                })
            })?;
        Ok(Self {
            runtime: handle,
            _stop: stop,
        })
    }
}

/// How many COMMITs the writer made, for how many saves kept.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Committed {
    pub commits: u64,
    pub saves: u64,
    /// Batches run a second time, each save in a savepoint, because one of
    /// their saves was not kept.
    pub reruns: u64,
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
    /// Queues `write` for the writer and answers once its batch is committed
    /// (or refused, or failed). The writer runs in a task of its own, so a
    /// request that goes away does not leave a batch half-done.
    pub async fn save<S, T, R>(
        self: &Arc<Self>,
        pool: &Pool,
        state: S,
        write: Write<S, T, R>,
    ) -> Result<Result<T, R>, StoreError>
    where
        S: Send + Sync + 'static,
        T: Send + 'static,
        R: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let start_writer = {
            let mut queue = self.lock();
            queue.waiting.push_back(Box::new(Save {
                state,
                write,
                result: None,
                reply,
            }));
            !std::mem::replace(&mut queue.writing, true)
        };
        if start_writer {
            let writer = Arc::clone(self).write_all(pool.clone());
            match self.writer_thread() {
                Some(thread) => drop(thread.runtime.spawn(writer)),
                // No thread could be started: the request's runtime writes.
                None => drop(tokio::spawn(writer)),
            }
        }
        // The writer dropped the save without answering: it stopped (the
        // runtime shutting down, or a panic), and nothing was committed.
        answer
            .await
            .unwrap_or(Err(StoreError::Unavailable(Unavailable::Io)))
    }

    /// Commits batch after batch until no save waits.
    async fn write_all(self: Arc<Self>, pool: Pool) {
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
            let batch = commit_batch(&pool, batch).await;
            let mut committed = self.committed();
            committed.reruns += u64::from(batch.rerun);
            if let Some(kept) = batch.kept {
                committed.commits += 1;
                committed.saves += kept;
            }
        }
    }

    fn writer_thread(&self) -> Option<&WriterThread> {
        if let Some(thread) = self.thread.get() {
            return Some(thread);
        }
        match WriterThread::start() {
            Ok(thread) => Some(self.thread.get_or_init(|| thread)),
            Err(e) => {
                tracing::error!(error = %e, "the writer's thread could not start");
                None
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
    /// Refused, or failed on its own: rolled back, with the rest of the
    /// first pass or alone to its savepoint.
    Dropped,
    /// The storage failed: the whole batch is rolled back.
    Fault(Unavailable),
}

trait Member: Send {
    fn run<'c>(&'c mut self, conn: &'c mut Conn) -> BoxFuture<'c, Ran>;
    /// `failed`: the batch was not committed, for this reason.
    fn answer(self: Box<Self>, failed: Option<Unavailable>);
}

struct Save<S, T, R> {
    state: S,
    write: Write<S, T, R>,
    /// The answer of the last run.
    result: Option<Result<Result<T, R>, StoreError>>,
    reply: oneshot::Sender<Result<Result<T, R>, StoreError>>,
}

impl<S: Send + Sync, T: Send, R: Send> Member for Save<S, T, R> {
    fn run<'c>(&'c mut self, conn: &'c mut Conn) -> BoxFuture<'c, Ran> {
        Box::pin(async move {
            let result = (self.write)(&self.state, conn).await;
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

/// What became of one batch.
struct BatchDone {
    /// The saves kept, when a COMMIT was made.
    kept: Option<u64>,
    /// Whether it ran a second time, in savepoints.
    rerun: bool,
}

/// Runs and commits one batch, then answers each of its saves.
async fn commit_batch(pool: &Pool, mut members: Vec<Box<dyn Member>>) -> BatchDone {
    let mut rerun = false;
    let outcome = run_batch(pool, &mut members, &mut rerun).await;
    // bench/step_saves.sh reads this line for the saves per COMMIT.
    tracing::debug!(saves = members.len(), rerun, outcome = ?outcome, "group commit");
    let failed = outcome.err();
    for member in members {
        member.answer(failed);
    }
    BatchDone {
        kept: outcome.ok().flatten(),
        rerun,
    }
}

/// `Ok(Some(kept))` once committed, `Ok(None)` when every save was refused
/// (rolled back), `Err` when the storage failed and nothing was kept.
async fn run_batch(
    pool: &Pool,
    members: &mut [Box<dyn Member>],
    rerun: &mut bool,
) -> Result<Option<u64>, Unavailable> {
    let mut tx = pool.begin().await.map_err(fault)?;
    for member in members.iter_mut() {
        match member.run(&mut tx).await {
            Ran::Kept => {}
            Ran::Fault(why) => {
                rollback_failed(tx).await;
                return Err(why);
            }
            Ran::Dropped => {
                tx.rollback().await.map_err(fault)?;
                // Alone, its answer is the one it just got.
                if members.len() == 1 {
                    return Ok(None);
                }
                *rerun = true;
                return run_in_savepoints(pool, members).await;
            }
        }
    }
    tx.commit().await.map_err(fault)?;
    Ok(Some(members.len() as u64))
}

/// Runs the batch again, each save in its own SAVEPOINT: one not kept is
/// rolled back to it alone.
async fn run_in_savepoints(
    pool: &Pool,
    members: &mut [Box<dyn Member>],
) -> Result<Option<u64>, Unavailable> {
    let mut tx = pool.begin().await.map_err(fault)?;
    let mut kept = 0;
    for member in members.iter_mut() {
        match in_savepoint(&mut tx, member.as_mut()).await {
            Ok(Ran::Kept) => kept += 1,
            Ok(Ran::Dropped) => {}
            Ok(Ran::Fault(why)) | Err(why) => {
                rollback_failed(tx).await;
                return Err(why);
            }
        }
    }
    if kept == 0 {
        tx.rollback().await.map_err(fault)?;
        return Ok(None);
    }
    tx.commit().await.map_err(fault)?;
    Ok(Some(kept))
}

/// SQLite may have rolled back already (a full disk does); a ROLLBACK that
/// fails leaves the connection marked as in a transaction, and the pool
/// replaces it.
async fn rollback_failed(tx: Tx) {
    if let Err(e) = tx.rollback().await {
        tracing::warn!(error = %e, "rollback of a failed group commit");
    }
}

async fn in_savepoint(tx: &mut Conn, member: &mut dyn Member) -> Result<Ran, Unavailable> {
    tx.savepoint(SAVEPOINT).await.map_err(fault)?;
    let ran = member.run(tx).await;
    match ran {
        Ran::Kept => tx.release_savepoint(SAVEPOINT).await.map_err(fault)?,
        Ran::Dropped => tx.rollback_to_savepoint(SAVEPOINT).await.map_err(fault)?,
        // The whole transaction is rolled back.
        Ran::Fault(_) => {}
    }
    Ok(ran)
}

const SAVEPOINT: &str = "tissu_save";

/// A statement of the batch's own (BEGIN, SAVEPOINT, COMMIT…) failed: the
/// storage is at fault, whatever the code says.
fn fault(e: sqlx::Error) -> Unavailable {
    let e = StoreError::from(e);
    tracing::error!(error = %e, "group commit failed");
    e.unavailable().unwrap_or(Unavailable::Io)
}

#[cfg(test)]
#[path = "group_commit_tests.rs"]
mod tests;
