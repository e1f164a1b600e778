//! The store's pools and connections, one type for either backend. Store
//! functions take a `&mut Conn` and send SQL through it; code outside the
//! store only passes it along (`Db::begin`, `Db::writer`).

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnection, PgPool};
use sqlx::sqlite::{SqliteConnection, SqlitePool};
use sqlx::{Postgres, Sqlite};

/// Where a statement runs: a pool (a connection taken for it alone) or a
/// connection already held (inside a transaction).
pub enum Target<'e> {
    SqlitePool(&'e SqlitePool),
    PostgresPool(&'e PgPool),
    Sqlite(&'e mut SqliteConnection),
    Postgres(&'e mut PgConnection),
}

/// What a statement can run on: `&Pool`, `&mut Conn` (and so `&mut Tx`,
/// `&mut Writer` through their `Deref`).
pub trait Executes<'e> {
    fn target(self) -> Target<'e>;
}

#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(Tx(Conn(match self {
            Self::Sqlite(p) => Inner::SqliteTx(p.begin().await?),
            Self::Postgres(p) => Inner::PostgresTx(p.begin().await?),
        })))
    }

    pub async fn acquire(&self) -> Result<Writer, sqlx::Error> {
        Ok(Writer(Conn(match self {
            Self::Sqlite(p) => Inner::SqlitePooled(p.acquire().await?),
            Self::Postgres(p) => Inner::PostgresPooled(p.acquire().await?),
        })))
    }

    pub fn size(&self) -> u32 {
        match self {
            Self::Sqlite(p) => p.size(),
            Self::Postgres(p) => p.size(),
        }
    }

    pub fn num_idle(&self) -> usize {
        match self {
            Self::Sqlite(p) => p.num_idle(),
            Self::Postgres(p) => p.num_idle(),
        }
    }

    pub async fn close(&self) {
        match self {
            Self::Sqlite(p) => p.close().await,
            Self::Postgres(p) => p.close().await,
        }
    }
}

impl<'e> Executes<'e> for &'e Pool {
    fn target(self) -> Target<'e> {
        match self {
            Pool::Sqlite(p) => Target::SqlitePool(p),
            Pool::Postgres(p) => Target::PostgresPool(p),
        }
    }
}

/// A connection of the store, in a transaction or not.
pub struct Conn(Inner);

enum Inner {
    SqliteTx(sqlx::Transaction<'static, Sqlite>),
    SqlitePooled(PoolConnection<Sqlite>),
    PostgresTx(sqlx::Transaction<'static, Postgres>),
    PostgresPooled(PoolConnection<Postgres>),
}

impl<'e> Executes<'e> for &'e mut Conn {
    fn target(self) -> Target<'e> {
        match &mut self.0 {
            Inner::SqliteTx(c) => Target::Sqlite(c),
            Inner::SqlitePooled(c) => Target::Sqlite(c),
            Inner::PostgresTx(c) => Target::Postgres(c),
            Inner::PostgresPooled(c) => Target::Postgres(c),
        }
    }
}

impl Conn {
    /// Whether this connection is PostgreSQL's: for the few statements
    /// that cannot be written once (see `dialect`).
    pub fn is_postgres(&self) -> bool {
        matches!(self.0, Inner::PostgresTx(_) | Inner::PostgresPooled(_))
    }

    /// Runs `SAVEPOINT name`: both backends nest a transaction this way.
    pub async fn savepoint(&mut self, name: &str) -> Result<(), sqlx::Error> {
        super::query(&format!("SAVEPOINT {name}"))
            .execute(&mut *self)
            .await
            .map(drop)
    }

    pub async fn release_savepoint(&mut self, name: &str) -> Result<(), sqlx::Error> {
        super::query(&format!("RELEASE SAVEPOINT {name}"))
            .execute(&mut *self)
            .await
            .map(drop)
    }

    pub async fn rollback_to_savepoint(&mut self, name: &str) -> Result<(), sqlx::Error> {
        super::query(&format!("ROLLBACK TO SAVEPOINT {name}"))
            .execute(&mut *self)
            .await
            .map(drop)
    }

    /// The SQLite connection under this one, for SQLite's own statements
    /// (PRAGMA, the backup API): `None` on PostgreSQL.
    pub fn as_sqlite(&mut self) -> Option<&mut SqliteConnection> {
        match &mut self.0 {
            Inner::SqliteTx(c) => Some(c),
            Inner::SqlitePooled(c) => Some(c),
            _ => None,
        }
    }
}

/// A write transaction (`Db::begin`): committed with `commit()`, rolled back
/// when dropped.
pub struct Tx(Conn);

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.0 .0 {
            Inner::SqliteTx(t) => t.commit().await,
            Inner::PostgresTx(t) => t.commit().await,
            Inner::SqlitePooled(_) | Inner::PostgresPooled(_) => Ok(()),
        }
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self.0 .0 {
            Inner::SqliteTx(t) => t.rollback().await,
            Inner::PostgresTx(t) => t.rollback().await,
            Inner::SqlitePooled(_) | Inner::PostgresPooled(_) => Ok(()),
        }
    }
}

/// One connection of the writer, held for several writes in a row, each
/// committed alone.
pub struct Writer(Conn);

macro_rules! derefs_to_conn {
    ($t:ty) => {
        impl std::ops::Deref for $t {
            type Target = Conn;
            fn deref(&self) -> &Conn {
                &self.0
            }
        }
        impl std::ops::DerefMut for $t {
            fn deref_mut(&mut self) -> &mut Conn {
                &mut self.0
            }
        }
        impl<'e> Executes<'e> for &'e mut $t {
            fn target(self) -> Target<'e> {
                (&mut self.0).target()
            }
        }
    };
}

derefs_to_conn!(Tx);
derefs_to_conn!(Writer);

impl<'e> Executes<'e> for &'e SqlitePool {
    fn target(self) -> Target<'e> {
        Target::SqlitePool(self)
    }
}

impl<'e> Executes<'e> for &'e PgPool {
    fn target(self) -> Target<'e> {
        Target::PostgresPool(self)
    }
}

impl<'e> Executes<'e> for &'e mut SqliteConnection {
    fn target(self) -> Target<'e> {
        Target::Sqlite(self)
    }
}

impl<'e> Executes<'e> for &'e mut PgConnection {
    fn target(self) -> Target<'e> {
        Target::Postgres(self)
    }
}

impl Writer {
    /// The connection is closed rather than given back to the pool: for a
    /// connection whose state cannot be trusted (a setting not restored).
    pub fn close_on_drop(&mut self) {
        match &mut self.0 .0 {
            Inner::SqlitePooled(c) => c.close_on_drop(),
            Inner::PostgresPooled(c) => c.close_on_drop(),
            Inner::SqliteTx(_) | Inner::PostgresTx(_) => {}
        }
    }

    /// A transaction on this held connection (after a setting made on it).
    /// Dropped uncommitted, the connection is closed, which rolls it back.
    pub async fn transaction(&mut self) -> Result<WriterTx<'_>, sqlx::Error> {
        super::query("BEGIN").execute(&mut self.0).await?;
        Ok(WriterTx {
            writer: self,
            open: true,
        })
    }
}

/// See `Writer::transaction`.
pub struct WriterTx<'w> {
    writer: &'w mut Writer,
    open: bool,
}

impl WriterTx<'_> {
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        super::query("COMMIT").execute(&mut self.writer.0).await?;
        self.open = false;
        Ok(())
    }
}

impl Drop for WriterTx<'_> {
    fn drop(&mut self) {
        if self.open {
            self.writer.close_on_drop();
        }
    }
}

impl<'e> Executes<'e> for &'e mut WriterTx<'_> {
    fn target(self) -> Target<'e> {
        (&mut self.writer.0).target()
    }
}

impl Pool {
    /// SQLite's pool, for SQLite's own statements (PRAGMA, VACUUM INTO, the
    /// file's schema check): `None` on PostgreSQL.
    pub fn as_sqlite(&self) -> Option<&SqlitePool> {
        match self {
            Self::Sqlite(p) => Some(p),
            Self::Postgres(_) => None,
        }
    }
}
