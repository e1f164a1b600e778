//! The store's statements, written once and run on either backend.
//!
//! `query`, `query_as` and `query_scalar` read as sqlx's do, but the values
//! bound are kept (`Value`) until the statement runs, and the pool or
//! connection it runs on (`Executes`) says which driver gets it: SQLite's
//! with the text as written, PostgreSQL's with its `?` numbered (`$1, $2…`,
//! `placeholders`) and the values as its own types. Rows decode into the same
//! Rust types on both (`Decodes`): `#[derive(sqlx::FromRow)]` is generic
//! over the row, and `temporal` gives instants, days and hours one Rust type
//! whose database type is the backend's.
//!
//! A statement PostgreSQL cannot take as written gets its PostgreSQL text
//! beside it (`.postgres(…)`), in the store function that owns it: one
//! query, two spellings side by side, never an `if postgres` around code.

mod builder;
mod conn;
mod placeholders;
mod temporal;
mod value;

pub use builder::{QueryBuilder, Separated};
pub use conn::{Conn, Executes, Pool, Target, Tx, Writer};
pub use temporal::{Day, Hour, Stamp};
pub use value::{Bind, Value};

use futures_util::TryStreamExt;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, Decode, FromRow, Postgres, Sqlite, Type};
use std::marker::PhantomData;

/// Rows both backends decode into `Self`.
pub trait Decodes:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Decodes for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// A column both backends decode into `Self`.
pub trait Column:
    Type<Sqlite>
    + for<'r> Decode<'r, Sqlite>
    + Type<Postgres>
    + for<'r> Decode<'r, Postgres>
    + Send
    + Unpin
{
}
impl<T> Column for T where
    T: Type<Sqlite>
        + for<'r> Decode<'r, Sqlite>
        + Type<Postgres>
        + for<'r> Decode<'r, Postgres>
        + Send
        + Unpin
{
}

/// What a statement that returns no rows did.
#[derive(Debug, Clone, Copy)]
pub struct Done {
    rows_affected: u64,
}

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.rows_affected
    }
}

pub fn query(sql: &str) -> Query<'_> {
    Query {
        sql,
        postgres: None,
        args: Vec::new(),
        postgres_only: false,
    }
}

pub fn query_as<T: Decodes>(sql: &str) -> QueryAs<'_, T> {
    QueryAs {
        query: query(sql),
        row: PhantomData,
    }
}

pub fn query_scalar<T: Column>(sql: &str) -> QueryScalar<'_, T> {
    QueryScalar {
        inner: query_as(sql),
    }
}

/// A statement and its bound values.
#[must_use]
pub struct Query<'q> {
    sql: &'q str,
    postgres: Option<&'q str>,
    args: Vec<Value>,
    /// Runs on PostgreSQL only (a setting SQLite has no form of).
    postgres_only: bool,
}

#[must_use]
pub struct QueryAs<'q, T> {
    query: Query<'q>,
    row: PhantomData<fn() -> T>,
}

#[must_use]
pub struct QueryScalar<'q, T> {
    inner: QueryAs<'q, (T,)>,
}

impl<'q> Query<'q> {
    pub fn bind(mut self, value: impl Bind) -> Self {
        self.args.push(value.value());
        self
    }

    /// The statement as PostgreSQL must read it, where its dialect differs
    /// (with `?` placeholders too).
    pub fn postgres(mut self, sql: &'q str) -> Self {
        self.postgres = Some(sql);
        self
    }

    /// Runs on PostgreSQL only; on SQLite it does nothing.
    pub fn only_on_postgres(mut self) -> Self {
        self.postgres_only = true;
        self
    }

    fn parts(self) -> Result<Parts<'q>, sqlx::Error> {
        Ok(Parts {
            sql: self.sql,
            postgres: self.postgres,
            args: self.args,
        })
    }

    pub async fn execute<'e>(self, on: impl Executes<'e>) -> Result<Done, sqlx::Error> {
        let postgres_only = self.postgres_only;
        let parts = self.parts()?;
        Ok(match on.target() {
            Target::SqlitePool(_) | Target::Sqlite(_) if postgres_only => Done { rows_affected: 0 },
            Target::SqlitePool(e) => {
                let (sql, args) = parts.sqlite_args()?;
                noted(sqlx::query_with(sql, args).execute(e).await, sql)?.into()
            }
            Target::Sqlite(e) => {
                let (sql, args) = parts.sqlite_args()?;
                noted(sqlx::query_with(sql, args).execute(e).await, sql)?.into()
            }
            Target::PostgresPool(e) => {
                let (sql, args) = parts.postgres()?;
                noted(sqlx::query_with(&sql, args).execute(e).await, &sql)?.into()
            }
            Target::Postgres(e) => {
                let (sql, args) = parts.postgres()?;
                noted(sqlx::query_with(&sql, args).execute(e).await, &sql)?.into()
            }
        })
    }
}

/// The parts of a statement about to run.
struct Parts<'q> {
    sql: &'q str,
    postgres: Option<&'q str>,
    args: Vec<Value>,
}

impl<'q> Parts<'q> {
    fn sqlite_args(self) -> Result<(&'q str, SqliteArguments<'q>), sqlx::Error> {
        let mut args = SqliteArguments::default();
        args.reserve(self.args.len(), 0);
        for value in self.args {
            value
                .add_to_sqlite(&mut args)
                .map_err(sqlx::Error::Encode)?;
        }
        Ok((self.sql, args))
    }

    fn postgres(self) -> Result<(String, PgArguments), sqlx::Error> {
        let mut args = PgArguments::default();
        for value in self.args {
            value
                .add_to_postgres(&mut args)
                .map_err(sqlx::Error::Encode)?;
        }
        Ok((
            placeholders::numbered(self.postgres.unwrap_or(self.sql)),
            args,
        ))
    }
}

/// A statement the database refused is logged with its text (the error
/// alone does not say which of a page's statements it was); a refusal is a
/// bug or a constraint the caller turns into a French message.
fn noted<T>(result: Result<T, sqlx::Error>, sql: &str) -> Result<T, sqlx::Error> {
    if let Err(e @ sqlx::Error::Database(_)) = &result {
        let statement: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
        tracing::debug!(error = %e, statement = %statement.chars().take(300).collect::<String>(), "statement refused");
    }
    result
}

impl From<sqlx::sqlite::SqliteQueryResult> for Done {
    fn from(r: sqlx::sqlite::SqliteQueryResult) -> Self {
        Self {
            rows_affected: r.rows_affected(),
        }
    }
}

impl From<sqlx::postgres::PgQueryResult> for Done {
    fn from(r: sqlx::postgres::PgQueryResult) -> Self {
        Self {
            rows_affected: r.rows_affected(),
        }
    }
}

/// Runs `$parts` as a `query_as` of `$t` with `$method` on whichever target.
macro_rules! fetch {
    ($parts:expr, $on:expr, $t:ty, $method:ident) => {{
        let parts = $parts;
        match $on.target() {
            Target::SqlitePool(e) => {
                let (sql, args) = parts.sqlite_args()?;
                noted(
                    sqlx::query_as_with::<_, $t, _>(sql, args).$method(e).await,
                    sql,
                )
            }
            Target::Sqlite(e) => {
                let (sql, args) = parts.sqlite_args()?;
                noted(
                    sqlx::query_as_with::<_, $t, _>(sql, args).$method(e).await,
                    sql,
                )
            }
            Target::PostgresPool(e) => {
                let (sql, args) = parts.postgres()?;
                noted(
                    sqlx::query_as_with::<_, $t, _>(&sql, args).$method(e).await,
                    &sql,
                )
            }
            Target::Postgres(e) => {
                let (sql, args) = parts.postgres()?;
                noted(
                    sqlx::query_as_with::<_, $t, _>(&sql, args).$method(e).await,
                    &sql,
                )
            }
        }
    }};
}

impl<'q, T: Decodes> QueryAs<'q, T> {
    pub fn bind(mut self, value: impl Bind) -> Self {
        self.query = self.query.bind(value);
        self
    }

    pub fn postgres(mut self, sql: &'q str) -> Self {
        self.query = self.query.postgres(sql);
        self
    }

    pub async fn fetch_all<'e>(self, on: impl Executes<'e>) -> Result<Vec<T>, sqlx::Error> {
        fetch!(self.query.parts()?, on, T, fetch_all)
    }

    pub async fn fetch_one<'e>(self, on: impl Executes<'e>) -> Result<T, sqlx::Error> {
        fetch!(self.query.parts()?, on, T, fetch_one)
    }

    pub async fn fetch_optional<'e>(self, on: impl Executes<'e>) -> Result<Option<T>, sqlx::Error> {
        fetch!(self.query.parts()?, on, T, fetch_optional)
    }

    /// Hands each row to `each` as it arrives, without holding them all
    /// (exports of a whole campaign); `each` answers whether to go on.
    pub async fn fetch_each<'e, E>(
        self,
        on: impl Executes<'e>,
        mut each: impl AsyncFnMut(T) -> Result<bool, E>,
    ) -> Result<(), E>
    where
        E: From<sqlx::Error>,
    {
        macro_rules! each_row {
            ($rows:expr) => {{
                let mut rows = $rows;
                while let Some(row) = rows.try_next().await? {
                    if !each(row).await? {
                        break;
                    }
                }
            }};
        }
        let parts = self.query.parts()?;
        match on.target() {
            Target::SqlitePool(e) => {
                let (sql, args) = parts.sqlite_args()?;
                each_row!(sqlx::query_as_with::<_, T, _>(sql, args).fetch(e))
            }
            Target::Sqlite(e) => {
                let (sql, args) = parts.sqlite_args()?;
                each_row!(sqlx::query_as_with::<_, T, _>(sql, args).fetch(e))
            }
            Target::PostgresPool(e) => {
                let (sql, args) = parts.postgres()?;
                each_row!(sqlx::query_as_with::<_, T, _>(&sql, args).fetch(e))
            }
            Target::Postgres(e) => {
                let (sql, args) = parts.postgres()?;
                each_row!(sqlx::query_as_with::<_, T, _>(&sql, args).fetch(e))
            }
        }
        Ok(())
    }
}

impl<'q, T: Column> QueryScalar<'q, T> {
    pub fn bind(mut self, value: impl Bind) -> Self {
        self.inner = self.inner.bind(value);
        self
    }

    pub fn postgres(mut self, sql: &'q str) -> Self {
        self.inner = self.inner.postgres(sql);
        self
    }

    pub async fn fetch_all<'e>(self, on: impl Executes<'e>) -> Result<Vec<T>, sqlx::Error> {
        Ok(self
            .inner
            .fetch_all(on)
            .await?
            .into_iter()
            .map(|(v,)| v)
            .collect())
    }

    pub async fn fetch_one<'e>(self, on: impl Executes<'e>) -> Result<T, sqlx::Error> {
        Ok(self.inner.fetch_one(on).await?.0)
    }

    pub async fn fetch_optional<'e>(self, on: impl Executes<'e>) -> Result<Option<T>, sqlx::Error> {
        Ok(self.inner.fetch_optional(on).await?.map(|(v,)| v))
    }
}
