//! PostgreSQL's catalogue read into a `Schema`: `information_schema` for the
//! columns, `pg_constraint` for the keys, `pg_index` for the indexes made by
//! CREATE INDEX (those backing a primary key or a UNIQUE constraint are the
//! constraints themselves). Only the current schema, without sqlx's table.

use super::{predicate, Column, ForeignKey, Index, Schema, Table};
use crate::store::StoreError;
use sqlx::postgres::PgConnection;

/// Table, kind (p, u, f), columns, referenced table and columns, on delete.
type ConstraintRow = (
    String,
    String,
    Vec<String>,
    Option<String>,
    Vec<String>,
    String,
);
/// Table, index, columns, unique, partial condition.
type IndexRow = (String, String, Vec<String>, bool, Option<String>);

/// The schema of the database `conn` reads.
pub async fn read(conn: &mut PgConnection) -> Result<Schema, StoreError> {
    let mut schema = Schema::default();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
           AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (name,) in tables {
        schema.tables.insert(name, Table::default());
    }

    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text
         FROM information_schema.columns WHERE table_schema = current_schema()",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table, column, type_name, nullable) in columns {
        if let Some(t) = schema.tables.get_mut(&table) {
            t.columns.insert(
                column,
                Column {
                    type_name,
                    not_null: nullable == "NO",
                },
            );
        }
    }

    let constraints: Vec<ConstraintRow> = sqlx::query_as(
        "SELECT t.relname::text, c.contype::text,
                    ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                          ORDER BY k.i),
                    r.relname::text,
                    ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n
                          ORDER BY k.i),
                    c.confdeltype::text
             FROM pg_constraint c
             JOIN pg_class t ON t.oid = c.conrelid
             JOIN pg_namespace n ON n.oid = t.relnamespace
             LEFT JOIN pg_class r ON r.oid = c.confrelid
             WHERE n.nspname = current_schema() AND c.contype IN ('p', 'u', 'f')",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table, kind, columns, target, references, on_delete) in constraints {
        let Some(t) = schema.tables.get_mut(&table) else {
            continue;
        };
        match kind.as_str() {
            "p" => t.primary_key = columns,
            "u" => {
                t.uniques.insert(columns);
            }
            _ => {
                t.foreign_keys.insert(ForeignKey {
                    columns,
                    table: target.unwrap_or_default(),
                    references,
                    on_delete: on_delete_action(&on_delete).into(),
                });
            }
        }
    }

    let indexes: Vec<IndexRow> = sqlx::query_as(
        "SELECT t.relname::text, x.relname::text,
                ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n
                      ORDER BY k.o),
                i.indisunique,
                pg_get_expr(i.indpred, i.indrelid)
         FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_class x ON x.oid = i.indexrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname = current_schema()
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                           WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid
                             AND c.contype IN ('p', 'u'))",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table, index, columns, unique, condition) in indexes {
        if let Some(t) = schema.tables.get_mut(&table) {
            t.indexes.insert(
                index,
                Index {
                    columns,
                    unique,
                    predicate: condition.as_deref().map(predicate),
                },
            );
        }
    }
    Ok(schema)
}

/// `pg_constraint.confdeltype` in the words SQLite's pragma uses.
fn on_delete_action(code: &str) -> &'static str {
    match code {
        "c" => "cascade",
        "n" => "set null",
        "d" => "set default",
        "r" => "restrict",
        _ => "no action",
    }
}
