//! The action plan's tables (migration 0020): committee meetings and fiches
//! actions, each change in one transaction with its audit line.

pub mod contract;
pub mod fiches;
pub mod meetings;
pub mod results_page;

use crate::store::db::sql::QueryBuilder;
use crate::store::db::sql::Separated;
use crate::store::db::Conn;
use crate::store::StoreError;

/// Inserts `rows` in one multi-row statement, nothing when there are none:
/// each list of a meeting or a fiche is written with one statement.
async fn insert_rows<T>(
    conn: &mut Conn,
    head: &'static str,
    rows: impl IntoIterator<Item = T>,
    bind: impl FnMut(Separated<'_>, T),
) -> Result<(), StoreError> {
    let mut rows = rows.into_iter().peekable();
    if rows.peek().is_none() {
        return Ok(());
    }
    let mut builder: QueryBuilder = QueryBuilder::new(head);
    builder.push_values(rows, bind);
    builder.build().execute(conn).await?;
    Ok(())
}
