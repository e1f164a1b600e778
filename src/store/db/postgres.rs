//! The PostgreSQL side of the store, as far as it is served today: opening
//! the pool, bringing the schema to this binary's version
//! (`migrations/postgres/`), and the health probe. Every other store
//! function still runs on SQLite only, so `Db::connect` refuses to start on
//! a PostgreSQL URL once the schema is in place (see `backend`).
//!
//! The migrations live in a subfolder of SQLite's: `sqlx::migrate!` reads
//! the files of the folder it is given and skips what is not a file (sqlx
//! 0.8's `resolve_blocking`), so SQLite's migrator never sees them
//! (`schema_equivalence` holds it).

use super::{health_of, Health, StoreError};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::Connection;
use std::str::FromStr;
use std::time::Duration;

/// A PostgreSQL database with tissu's schema at this binary's version.
#[derive(Clone, Debug)]
pub struct PgDb {
    pool: PgPool,
    /// Where it is, without the password (messages name it).
    shown: String,
}

impl PgDb {
    /// Connects and applies the migrations this database lacks, all in one
    /// transaction: one that fails leaves the schema as it was. Several
    /// instances starting at once take turns (sqlx holds an advisory lock
    /// while it migrates), so one migrates and the others find it done.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)?;
        let shown = format!(
            "{}:{}/{}",
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or_default()
        );
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        migrate(&pool).await?;
        Ok(Self { pool, shown })
    }

    /// Reads, then writes the probe's row, as `Db::health` does on SQLite.
    pub async fn health(&self) -> Health {
        health_of!(&self.pool, &self.pool)
    }

    /// The versions of the migrations applied, in order.
    pub async fn applied_migrations(&self) -> Result<Vec<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    pub(super) fn into_pool(self) -> PgPool {
        self.pool
    }

    /// Host, port and database, never the password.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// One connection, for the schema comparison (`store::schema_compare`).
    pub async fn connection(
        &self,
    ) -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>, StoreError> {
        Ok(self.pool.acquire().await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

async fn migrate(pool: &PgPool) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    match sqlx::migrate!("./migrations/postgres")
        .run_direct(&mut *tx)
        .await
    {
        Ok(()) => {
            tx.commit().await?;
            Ok(())
        }
        Err(e) => {
            tx.rollback().await?;
            Err(StoreError::Refused(format!(
                "la mise à jour du schéma PostgreSQL a échoué ({e})\u{a0}: la base est restée telle qu'elle était\u{a0}; \
                 revenez à la version précédente de tissu et signalez l'erreur"
            )))
        }
    }
}

/// An empty database of its own on a PostgreSQL server, for a test or a
/// bench: created with a random name, dropped by `drop_database`.
#[derive(Debug)]
pub struct ScratchDatabase {
    server: PgConnectOptions,
    name: String,
    /// The URL that opens it (the server's, with this database).
    pub url: String,
}

impl ScratchDatabase {
    /// Creates it on the server `server_url` names.
    pub async fn create(server_url: &str) -> Result<Self, StoreError> {
        use rand::Rng;
        let server = PgConnectOptions::from_str(server_url)?;
        let suffix: u64 = rand::rng().random();
        let name = format!("tissu_test_{suffix:016x}");
        let mut admin = PgConnection::connect_with(&server).await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await?;
        admin.close().await?;
        let url = sqlx::ConnectOptions::to_url_lossy(&server.clone().database(&name)).to_string();
        Ok(Self { server, name, url })
    }

    /// Creates it as a copy of `template` (a database of the same server
    /// holding the schema already): a file copy, much faster than migrating.
    pub async fn create_from(server_url: &str, template: &str) -> Result<Self, StoreError> {
        use rand::Rng;
        let server = PgConnectOptions::from_str(server_url)?;
        let suffix: u64 = rand::rng().random();
        let name = format!("tissu_test_{suffix:016x}");
        let mut admin = PgConnection::connect_with(&server).await?;
        sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .execute(&mut admin)
            .await?;
        admin.close().await?;
        let url = sqlx::ConnectOptions::to_url_lossy(&server.clone().database(&name)).to_string();
        Ok(Self { server, name, url })
    }

    /// A database named `name` with this binary's schema, made once per
    /// server and kept (the name should say which schema: see the tests'
    /// `suite_database`), to copy with `create_from`.
    pub async fn ensure_template(server_url: &str, name: &str) -> Result<(), StoreError> {
        let server = PgConnectOptions::from_str(server_url)?;
        let mut admin = PgConnection::connect_with(&server).await?;
        let exists: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
                .bind(name)
                .fetch_optional(&mut admin)
                .await?;
        if exists.is_none() {
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await?;
            let url =
                sqlx::ConnectOptions::to_url_lossy(&server.clone().database(name)).to_string();
            PgDb::connect(&url).await?.close().await;
        }
        admin.close().await?;
        Ok(())
    }

    /// Drops it, closing the connections still open on it (a pool the test
    /// did not close, a server it killed).
    pub async fn drop_database(self) -> Result<(), StoreError> {
        let mut admin = PgConnection::connect_with(&self.server).await?;
        sqlx::query(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut admin)
        .await?;
        admin.close().await?;
        Ok(())
    }
}
