//! Whether the SQLite migrations (`migrations/`) and the PostgreSQL ones
//! (`migrations/postgres/`) build the same schema: the same tables, columns
//! (name, nullability, type), primary keys, unique constraints, foreign keys
//! (with what a delete does) and indexes (columns, uniqueness, partial
//! condition). Each backend's catalogue is read into one `Schema` shape
//! (`sqlite`, `postgres`), then the two are compared here. CHECK constraints
//! and triggers are not read from the catalogues: the triggers are compared
//! by what they do (`data_version`).
//!
//! Over 400 lines with its tests: two hand-made schemas, and each kind of
//! difference shown to be caught on them.

mod data_version;
mod postgres;
mod sqlite;

pub use data_version::{expected, Moved, Step, STEPS};

use crate::store::{Db, PgDb, StoreError};
use std::collections::{BTreeMap, BTreeSet};

/// The schema of a SQLite database tissu opened.
pub async fn of_sqlite(db: &Db) -> Result<Schema, StoreError> {
    let mut conn = db.read.acquire().await?;
    let conn = conn.as_sqlite().ok_or_else(not_sqlite)?;
    sqlite::read(conn).await
}

fn not_sqlite() -> StoreError {
    StoreError::Refused("cette base n'est pas une base SQLite".into())
}

/// The schema of a PostgreSQL database tissu opened.
pub async fn of_postgres(db: &PgDb) -> Result<Schema, StoreError> {
    let mut conn = db.connection().await?;
    postgres::read(&mut conn).await
}

/// Runs the data-version steps (`STEPS`) on a new SQLite database.
pub async fn versions_moved_on_sqlite(db: &Db) -> Result<Moved, StoreError> {
    let mut conn = db.write.acquire().await?;
    let conn = conn.as_sqlite().ok_or_else(not_sqlite)?;
    data_version::versions_moved_sqlite(conn).await
}

/// Runs the data-version steps (`STEPS`) on a new PostgreSQL database.
pub async fn versions_moved_on_postgres(db: &PgDb) -> Result<Moved, StoreError> {
    let mut conn = db.connection().await?;
    data_version::versions_moved_postgres(&mut conn).await
}

/// Which PostgreSQL type a SQLite column type may become, the one mapping
/// between the two backends' schemas. SQLite's `TEXT` holds the instants
/// (ISO 8601), the days ("2026-04-15") and the hours ("09:30") that
/// PostgreSQL types natively; its `INTEGER` constrained to 0 or 1 (`CHECK
/// (x IN (0, 1))`, "integer 0/1" here) is PostgreSQL's boolean, and every
/// other `INTEGER` a bigint (what the store decodes into `i64`). Which of
/// text, timestamp, date or time a TEXT column becomes cannot be read from
/// SQLite's schema; the columns named as dates (`temporal`) must not stay
/// text.
pub const TYPE_MAPPING: &[(&str, &str)] = &[
    ("integer", "bigint"),
    ("integer 0/1", "boolean"),
    ("text", "text"),
    ("text", "timestamp with time zone"),
    ("text", "date"),
    ("text", "time without time zone"),
    ("blob", "bytea"),
];

/// One backend's schema: table name → table.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Table {
    pub columns: BTreeMap<String, Column>,
    /// In key order; empty without a primary key.
    pub primary_key: Vec<String>,
    /// UNIQUE constraints (not the unique indexes made by CREATE INDEX).
    pub uniques: BTreeSet<Vec<String>>,
    pub foreign_keys: BTreeSet<ForeignKey>,
    /// Indexes made by CREATE INDEX, by name.
    pub indexes: BTreeMap<String, Index>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// As the backend names it, lower case ("integer 0/1" for SQLite's
    /// booleans, see `TYPE_MAPPING`).
    pub type_name: String,
    pub not_null: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub table: String,
    pub references: Vec<String>,
    /// "cascade", "set null", "restrict", "no action" or "set default".
    pub on_delete: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub columns: Vec<String>,
    pub unique: bool,
    /// The WHERE of a partial index, normalised (`predicate`).
    pub predicate: Option<String>,
}

/// What differs between the SQLite schema and the PostgreSQL one, in
/// French, one entry per difference; empty when they are equivalent.
pub fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut found = Vec::new();
    for name in sqlite.tables.keys() {
        if !postgres.tables.contains_key(name) {
            found.push(format!("table {name}\u{a0}: absente de PostgreSQL"));
        }
    }
    for name in postgres.tables.keys() {
        if !sqlite.tables.contains_key(name) {
            found.push(format!("table {name}\u{a0}: absente de SQLite"));
        }
    }
    for (name, lite) in &sqlite.tables {
        if let Some(pg) = postgres.tables.get(name) {
            compare_tables(name, lite, pg, &mut found);
        }
    }
    found
}

fn compare_tables(name: &str, lite: &Table, pg: &Table, found: &mut Vec<String>) {
    for (column, l) in &lite.columns {
        let Some(p) = pg.columns.get(column) else {
            found.push(format!(
                "{name}.{column}\u{a0}: colonne absente de PostgreSQL"
            ));
            continue;
        };
        if !types_match(&l.type_name, &p.type_name) {
            found.push(format!(
                "{name}.{column}\u{a0}: type {} en SQLite, {} en PostgreSQL",
                l.type_name, p.type_name
            ));
        } else if p.type_name == "text" && temporal(column) {
            found.push(format!(
                "{name}.{column}\u{a0}: une date gardée en texte sur PostgreSQL"
            ));
        }
        if l.not_null != p.not_null {
            found.push(format!(
                "{name}.{column}\u{a0}: {} en SQLite, {} en PostgreSQL",
                nullability(l.not_null),
                nullability(p.not_null)
            ));
        }
    }
    for column in pg.columns.keys() {
        if !lite.columns.contains_key(column) {
            found.push(format!("{name}.{column}\u{a0}: colonne absente de SQLite"));
        }
    }
    if lite.primary_key != pg.primary_key {
        found.push(format!(
            "{name}\u{a0}: clé primaire ({}) en SQLite, ({}) en PostgreSQL",
            lite.primary_key.join(", "),
            pg.primary_key.join(", ")
        ));
    }
    for unique in lite.uniques.symmetric_difference(&pg.uniques) {
        let side = if lite.uniques.contains(unique) {
            "PostgreSQL"
        } else {
            "SQLite"
        };
        found.push(format!(
            "{name}\u{a0}: contrainte UNIQUE ({}) absente de {side}",
            unique.join(", ")
        ));
    }
    for key in lite.foreign_keys.symmetric_difference(&pg.foreign_keys) {
        let side = if lite.foreign_keys.contains(key) {
            "PostgreSQL"
        } else {
            "SQLite"
        };
        found.push(format!(
            "{name}\u{a0}: clé étrangère ({}) → {}({}) ON DELETE {} absente de {side}",
            key.columns.join(", "),
            key.table,
            key.references.join(", "),
            key.on_delete
        ));
    }
    for (index, l) in &lite.indexes {
        match pg.indexes.get(index) {
            None => found.push(format!("index {index}\u{a0}: absent de PostgreSQL")),
            Some(p) if p != l => found.push(format!(
                "index {index}\u{a0}: {} en SQLite, {} en PostgreSQL",
                describe(l),
                describe(p)
            )),
            Some(_) => {}
        }
    }
    for index in pg.indexes.keys() {
        if !lite.indexes.contains_key(index) {
            found.push(format!("index {index}\u{a0}: absent de SQLite"));
        }
    }
}

/// The names the schema gives to instants, days and hours (`created_at`,
/// `lease_until`, `held_on`, `day`…): SQLite's TEXT, never PostgreSQL's.
fn temporal(column: &str) -> bool {
    column == "at"
        || column == "day"
        || column.ends_with("_at")
        || column.ends_with("_on")
        || column.ends_with("_until")
}

fn types_match(sqlite: &str, postgres: &str) -> bool {
    TYPE_MAPPING
        .iter()
        .any(|(l, p)| *l == sqlite && *p == postgres)
}

fn nullability(not_null: bool) -> &'static str {
    if not_null {
        "NOT NULL"
    } else {
        "NULL permis"
    }
}

fn describe(index: &Index) -> String {
    format!(
        "{}({}){}",
        if index.unique { "UNIQUE " } else { "" },
        index.columns.join(", "),
        index
            .predicate
            .as_ref()
            .map(|p| format!(" WHERE {p}"))
            .unwrap_or_default()
    )
}

/// A partial index's condition as both backends can be compared on:
/// PostgreSQL gives it back with parentheses and casts (`(state <>
/// 'closed'::text)`), SQLite as it was written.
pub(crate) fn predicate(sql: &str) -> String {
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    let mut in_literal = false;
    while let Some(c) = chars.next() {
        if in_literal {
            out.push(c);
            in_literal = c != '\'';
            continue;
        }
        match c {
            '\'' => {
                in_literal = true;
                out.push(c);
            }
            '(' | ')' => {}
            ':' if chars.peek() == Some(&':') => {
                chars.next();
                while chars
                    .peek()
                    .is_some_and(|c| c.is_alphanumeric() || *c == '_')
                {
                    chars.next();
                }
            }
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.extend(c.to_lowercase()),
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(type_name: &str, not_null: bool) -> Column {
        Column {
            type_name: type_name.into(),
            not_null,
        }
    }

    /// A `rooms` table as SQLite's catalogue reads it.
    fn sqlite_rooms() -> Schema {
        let mut table = Table {
            primary_key: vec!["id".into()],
            ..Table::default()
        };
        table.columns.insert("id".into(), column("integer", true));
        table.columns.insert("code".into(), column("text", true));
        table
            .columns
            .insert("joining_locked".into(), column("integer 0/1", true));
        table
            .columns
            .insert("opened_at".into(), column("text", true));
        table
            .columns
            .insert("session_id".into(), column("integer", true));
        table.uniques.insert(vec!["session_id".into()]);
        table.foreign_keys.insert(ForeignKey {
            columns: vec!["session_id".into()],
            table: "workshop_sessions".into(),
            references: vec!["id".into()],
            on_delete: "cascade".into(),
        });
        table.indexes.insert(
            "rooms_code_while_not_closed".into(),
            Index {
                columns: vec!["code".into()],
                unique: true,
                predicate: Some(predicate("state <> 'closed'")),
            },
        );
        Schema {
            tables: [("rooms".to_string(), table)].into(),
        }
    }

    /// The same table written for PostgreSQL, native types.
    fn postgres_rooms() -> Schema {
        let mut schema = sqlite_rooms();
        let table = schema.tables.get_mut("rooms").unwrap();
        table.columns.insert("id".into(), column("bigint", true));
        table
            .columns
            .insert("joining_locked".into(), column("boolean", true));
        table
            .columns
            .insert("opened_at".into(), column("timestamp with time zone", true));
        table
            .columns
            .insert("session_id".into(), column("bigint", true));
        table
            .indexes
            .get_mut("rooms_code_while_not_closed")
            .unwrap()
            .predicate = Some(predicate("(state <> 'closed'::text)"));
        schema
    }

    #[test]
    fn native_types_of_the_mapping_are_no_difference() {
        assert_eq!(
            differences(&sqlite_rooms(), &postgres_rooms()),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_boolean_left_as_an_integer_is_a_difference() {
        let mut pg = postgres_rooms();
        let table = pg.tables.get_mut("rooms").unwrap();
        table
            .columns
            .insert("joining_locked".into(), column("bigint", true));
        assert_eq!(
            differences(&sqlite_rooms(), &pg),
            ["rooms.joining_locked\u{a0}: type integer 0/1 en SQLite, bigint en PostgreSQL"]
        );
    }

    #[test]
    fn a_date_left_as_text_is_a_difference() {
        let mut pg = postgres_rooms();
        let table = pg.tables.get_mut("rooms").unwrap();
        table
            .columns
            .insert("opened_at".into(), column("text", true));
        assert_eq!(
            differences(&sqlite_rooms(), &pg),
            ["rooms.opened_at\u{a0}: une date gardée en texte sur PostgreSQL"]
        );
    }

    #[test]
    fn a_missing_column_a_nullability_and_a_cascade_are_differences() {
        let mut pg = postgres_rooms();
        let table = pg.tables.get_mut("rooms").unwrap();
        table.columns.remove("code");
        table.columns.insert(
            "opened_at".into(),
            column("timestamp with time zone", false),
        );
        let mut key = table.foreign_keys.pop_first().unwrap();
        key.on_delete = "no action".into();
        table.foreign_keys.insert(key);
        let found = differences(&sqlite_rooms(), &pg);
        assert_eq!(
            found,
            [
                "rooms.code\u{a0}: colonne absente de PostgreSQL",
                "rooms.opened_at\u{a0}: NOT NULL en SQLite, NULL permis en PostgreSQL",
                "rooms\u{a0}: clé étrangère (session_id) → workshop_sessions(id) ON DELETE cascade absente de PostgreSQL",
                "rooms\u{a0}: clé étrangère (session_id) → workshop_sessions(id) ON DELETE no action absente de SQLite",
            ]
        );
    }

    #[test]
    fn an_index_no_longer_partial_and_a_missing_unique_are_differences() {
        let mut pg = postgres_rooms();
        let table = pg.tables.get_mut("rooms").unwrap();
        table
            .indexes
            .get_mut("rooms_code_while_not_closed")
            .unwrap()
            .predicate = None;
        table.uniques.clear();
        assert_eq!(
            differences(&sqlite_rooms(), &pg),
            [
                "rooms\u{a0}: contrainte UNIQUE (session_id) absente de PostgreSQL",
                "index rooms_code_while_not_closed\u{a0}: UNIQUE (code) WHERE state <> 'closed' en SQLite, \
                 UNIQUE (code) en PostgreSQL",
            ]
        );
    }

    #[test]
    fn a_table_on_one_side_only_is_a_difference() {
        let mut pg = postgres_rooms();
        pg.tables.insert("room_posts".into(), Table::default());
        assert_eq!(
            differences(&sqlite_rooms(), &pg),
            ["table room_posts\u{a0}: absente de SQLite"]
        );
    }

    #[test]
    fn predicates_compare_without_postgresql_parentheses_and_casts() {
        assert_eq!(
            predicate("(source_session_id IS NULL)"),
            predicate("source_session_id IS NULL")
        );
        assert_eq!(predicate("(state <> 'closed'::text)"), "state <> 'closed'");
        assert_ne!(
            predicate("state <> 'Closed'"),
            predicate("state <> 'closed'")
        );
    }
}
