//! Opening a SQLite file: the writer and the readers' pools, the migrations
//! in one transaction, and the refusals before anything is written to a
//! file this binary must not open.

use super::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{ConnectOptions, Connection};
use std::time::Duration;

pub(super) fn writer_pool() -> SqlitePoolOptions {
    SqlitePoolOptions::new()
        .max_connections(1)
        // A writer that comes back inside a transaction had its COMMIT or
        // ROLLBACK fail: reusing it would nest every later save in a
        // transaction that never ends (saves acknowledged, nothing committed,
        // the file locked for everyone). Closing it rolls back what was left.
        .after_release(|conn, _meta| {
            let healthy = !conn.is_in_transaction();
            Box::pin(async move {
                if !healthy {
                    tracing::error!("writer connection left inside a failed transaction: replaced");
                }
                Ok(healthy)
            })
        })
        .acquire_timeout(Duration::from_secs(30))
}

pub(super) async fn reader_pool(options: &SqliteConnectOptions) -> Result<SqlitePool, StoreError> {
    let readers = std::thread::available_parallelism()
        .map_or(4, |n| n.get() * 2)
        .max(4);
    // Rows cross from SQLite's thread to the async one through a channel: 50
    // rows (sqlx's default) means a thread hand-over every few rows, which
    // halved the exports' throughput. Reads log their statements one level
    // below the writer's, so that `RUST_LOG=sqlx::query=debug` lists exactly
    // the writes' round trips (what bench/step_saves.sh counts per save).
    let read_options = options
        .clone()
        .read_only(true)
        .row_buffer_size(2048)
        .log_statements(log::LevelFilter::Trace);
    let pool = |o: SqliteConnectOptions| {
        SqlitePoolOptions::new()
            .max_connections(readers as u32)
            .connect_with(o)
    };
    match pool(read_options.clone()).await {
        Ok(pool) => Ok(pool),
        Err(e) => {
            let e = StoreError::from(e);
            if e.unavailable().is_none() {
                return Err(e);
            }
            // A WAL file on a read-only mount cannot get its shared-memory
            // index: such a file can only be read as immutable.
            tracing::warn!(error = %e, "opening the database as immutable (read-only medium)");
            Ok(pool(read_options.immutable(true)).await?)
        }
    }
}

/// Every pending migration in one transaction: a migration that fails leaves
/// the database as it was, not half-way between two versions (sqlx alone
/// commits each migration on its own; nested inside this transaction, its
/// per-migration transactions become savepoints).
pub(super) async fn migrate(write: &SqlitePool) -> Result<(), StoreError> {
    let mut conn = write.acquire().await?;
    let mut tx = conn.begin().await?;
    match sqlx::migrate!("./migrations").run_direct(&mut *tx).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(())
        }
        Err(e) => {
            tx.rollback().await?;
            let e = StoreError::from(e);
            if e.unavailable().is_some() {
                return Err(e);
            }
            Err(StoreError::Refused(format!(
                "la mise à jour du schéma de la base a échoué ({e})\u{a0}: la base est restée telle qu'elle était\u{a0}; \
                 gardez-la, revenez à la version précédente de tissu et signalez l'erreur"
            )))
        }
    }
}

/// The SQLite file's first bytes.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Refuses, before anything writes to it, a file that is not a tissu
/// database this binary can open: not SQLite (a damaged file, a file given by
/// mistake), another program's SQLite database, one written by a newer tissu,
/// or one whose pages cannot be read. Opening such a file for writing would
/// already change it (the journal mode lives in its header).
pub(super) async fn refuse_foreign_file(file: &std::path::Path) -> Result<(), StoreError> {
    use std::io::Read;
    let shown = file.display();
    let mut header = [0u8; 16];
    let read = match std::fs::File::open(file) {
        Ok(mut f) => f.read(&mut header).unwrap_or(0),
        // Created on first start.
        // Missing: created on first start. Unreadable: the normal start says why.
        Err(_) => return Ok(()),
    };
    if read == 0 {
        return Ok(());
    }
    if read < header.len() || &header != SQLITE_HEADER {
        return Err(StoreError::Refused(format!(
            "{shown} n'est pas une base de données SQLite (fichier endommagé, ou un autre fichier)\u{a0}: \
             rien n'y a été modifié\u{a0}; vérifiez TISSU_DATABASE ou restaurez une sauvegarde (tissu restore)"
        )));
    }
    let options = SqliteConnectOptions::new().filename(file).read_only(true);
    let Ok(mut conn) = options.connect().await else {
        // Not openable even for reading (a read-only medium without the WAL
        // index): the normal start says why.
        return Ok(());
    };
    let damaged = |e: sqlx::Error| {
        StoreError::Refused(format!(
            "{shown} est endommagée ({e})\u{a0}: rien n'y a été modifié\u{a0}; restaurez une sauvegarde (tissu restore)"
        ))
    };
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(damaged)?;
    if tables.is_empty() {
        return Ok(());
    }
    if !tables.iter().any(|(t,)| t == "_sqlx_migrations") {
        let names: Vec<&str> = tables.iter().take(5).map(|(t,)| t.as_str()).collect();
        return Err(StoreError::Refused(format!(
            "{shown} est une base SQLite qui n'est pas celle de tissu (elle contient les tables {})\u{a0}: rien n'y a été modifié\u{a0}; \
             vérifiez TISSU_DATABASE",
            names.join(", ")
        )));
    }
    let applied: Vec<(i64,)> =
        sqlx::query_as("SELECT version FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut conn)
            .await
            .map_err(damaged)?;
    let known = sqlx::migrate!("./migrations");
    if let Some((unknown,)) = applied
        .iter()
        .find(|(v,)| !known.iter().any(|m| m.version == *v))
    {
        return Err(StoreError::Refused(format!(
            "{shown} a été écrite par une version plus récente de tissu (migration {unknown} inconnue de celle-ci)\u{a0}: \
             rien n'y a été modifié\u{a0}; installez la version de tissu qui l'a écrite, ou restaurez une sauvegarde faite avec celle-ci"
        )));
    }
    let differences = crate::store::schema_check::differences(&mut conn)
        .await
        .map_err(|e| {
            StoreError::Refused(format!(
                "{shown} est endommagée ({e})\u{a0}: rien n'y a été modifié\u{a0}; restaurez une sauvegarde (tissu restore)"
            ))
        })?;
    if !differences.is_empty() {
        return Err(StoreError::Refused(format!(
            "{shown} n'a pas le schéma que construisent les migrations de tissu ({})\u{a0}: rien n'y a été modifié\u{a0}; \
             quelqu'un a changé la base hors de tissu\u{a0}: restaurez une sauvegarde saine (tissu restore)",
            differences.join("\u{a0}; ")
        )));
    }
    let _ = conn.close().await;
    Ok(())
}

/// A database opened read-only must already hold every migration of this binary.
pub(super) async fn ensure_schema_current(read: &SqlitePool) -> Result<(), StoreError> {
    let applied: Vec<(i64,)> = sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success")
        .fetch_all(read)
        .await?;
    let missing = sqlx::migrate!("./migrations")
        .iter()
        .any(|m| !applied.iter().any(|(v,)| *v == m.version));
    if missing {
        return Err(StoreError::Sqlx(sqlx::Error::Configuration(
            "the database file is read-only and its schema is older than this binary's".into(),
        )));
    }
    Ok(())
}
