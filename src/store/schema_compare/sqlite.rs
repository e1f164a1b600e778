//! SQLite's catalogue read into a `Schema`: the table-valued pragmas for
//! columns, indexes and foreign keys, `sqlite_master` for what they do not
//! tell (a partial index's condition, a column's 0/1 CHECK).

use super::{predicate, Column, ForeignKey, Index, Schema, Table};
use crate::store::StoreError;
use sqlx::sqlite::SqliteConnection;

/// The schema of the database `conn` reads (sqlx's own table left out).
pub async fn read(conn: &mut SqliteConnection) -> Result<Schema, StoreError> {
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut schema = Schema::default();
    for (name, sql) in tables {
        let table = read_table(conn, &name, &sql).await?;
        schema.tables.insert(name, table);
    }
    Ok(schema)
}

async fn read_table(
    conn: &mut SqliteConnection,
    name: &str,
    sql: &str,
) -> Result<Table, StoreError> {
    let mut table = Table::default();
    let columns: Vec<(String, String, bool, i64)> =
        sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)")
            .bind(name)
            .fetch_all(&mut *conn)
            .await?;
    let flat = flattened(sql);
    let mut key: Vec<(i64, String)> = Vec::new();
    for (column, declared, not_null, pk) in columns {
        let mut type_name = declared.to_lowercase();
        if type_name == "integer"
            && flat.contains(&format!("check({}in(0,1))", column.to_lowercase()))
        {
            type_name = "integer 0/1".into();
        }
        if pk > 0 {
            key.push((pk, column.clone()));
        }
        // A primary key column is never NULL on PostgreSQL; SQLite only
        // says so of its INTEGER PRIMARY KEY (the row id), not in the pragma.
        let not_null = not_null || pk > 0;
        table.columns.insert(
            column,
            Column {
                type_name,
                not_null,
            },
        );
    }
    key.sort();
    table.primary_key = key.into_iter().map(|(_, c)| c).collect();

    let indexes: Vec<(String, bool, String, bool)> = sqlx::query_as(
        "SELECT name, \"unique\", origin, partial FROM pragma_index_list($1) ORDER BY name",
    )
    .bind(name)
    .fetch_all(&mut *conn)
    .await?;
    for (index, unique, origin, partial) in indexes {
        let columns: Vec<(String,)> =
            sqlx::query_as("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                .bind(&index)
                .fetch_all(&mut *conn)
                .await?;
        let columns: Vec<String> = columns.into_iter().map(|(c,)| c).collect();
        match origin.as_str() {
            // The key itself (read above from the columns).
            "pk" => {}
            "u" => {
                table.uniques.insert(columns);
            }
            _ => {
                let predicate = if partial {
                    let sql: Option<String> =
                        sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = $1")
                            .bind(&index)
                            .fetch_one(&mut *conn)
                            .await?;
                    sql.as_deref().and_then(where_clause).map(|w| predicate(&w))
                } else {
                    None
                };
                table.indexes.insert(
                    index,
                    Index {
                        columns,
                        unique,
                        predicate,
                    },
                );
            }
        }
    }

    let keys: Vec<(i64, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list($1) \
         ORDER BY id, seq",
    )
    .bind(name)
    .fetch_all(&mut *conn)
    .await?;
    let mut current: Option<(i64, ForeignKey)> = None;
    for (id, target, from, to, on_delete) in keys {
        let to = match to {
            Some(to) => to,
            // `REFERENCES t` without columns: t's primary key.
            None => primary_key_column(conn, &target).await?,
        };
        match &mut current {
            Some((open, key)) if *open == id => {
                key.columns.push(from);
                key.references.push(to);
            }
            _ => {
                if let Some((_, done)) = current.take() {
                    table.foreign_keys.insert(done);
                }
                current = Some((
                    id,
                    ForeignKey {
                        columns: vec![from],
                        table: target,
                        references: vec![to],
                        on_delete: on_delete.to_lowercase(),
                    },
                ));
            }
        }
    }
    if let Some((_, done)) = current {
        table.foreign_keys.insert(done);
    }
    Ok(table)
}

async fn primary_key_column(
    conn: &mut SqliteConnection,
    table: &str,
) -> Result<String, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT name FROM pragma_table_info($1) WHERE pk = 1")
            .bind(table)
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// The statement without white space, in lower case: what a CHECK is
/// searched in.
fn flattened(sql: &str) -> String {
    sql.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The condition of `CREATE … INDEX … WHERE condition`.
fn where_clause(sql: &str) -> Option<String> {
    let words: Vec<&str> = sql.split_whitespace().collect();
    let at = words
        .iter()
        .rposition(|w| w.eq_ignore_ascii_case("where"))?;
    Some(words[at + 1..].join(" "))
}
