//! The statements of one save, sent to SQLite as one query string.
//!
//! A save costs per round trip to sqlx's SQLite thread (about 45 µs each on a
//! two-core machine, more than SQLite's own work for a twenty-row save), not per
//! row. sqlx 0.8's SQLite driver runs every statement of a query string on that
//! thread in one round trip, binding the `?` arguments in order across them, so
//! a save's writes go there together. (sqlx marks several statements in one
//! prepared query as deprecated, issue 3108: the PostgreSQL port sends them as
//! one pipeline or one function call instead.)
//!
//! The statements address the contribution the same way whether it exists yet
//! or not: by id, or for an online contribution by its participant (the
//! contribution the batch's own upsert just created or updated), so no read
//! of its id stands between them.

use crate::store::db::sql::{QueryBuilder, Separated};
use crate::store::db::Conn;
use crate::store::participants::Respondent;
use crate::store::{now, StoreError};

/// The contribution a save writes.
#[derive(Clone, Copy)]
pub enum Contribution<'r> {
    /// Already created (in the room, by the demo): its id.
    Existing(i64),
    /// The respondent's online contribution, created by its first save; the
    /// save records the step reached and when the participant started.
    Online {
        respondent: &'r Respondent,
        step: i64,
    },
}

/// One query string of several statements, in the order they run.
pub struct Batch<'a> {
    statements: Vec<QueryBuilder>,
    contribution: std::marker::PhantomData<Contribution<'a>>,
}

impl<'a> Batch<'a> {
    /// A batch that starts with the upsert of an online contribution.
    pub fn new(contribution: &Contribution<'a>) -> Self {
        let mut batch = Self {
            statements: Vec::new(),
            contribution: std::marker::PhantomData,
        };
        if let Contribution::Online { respondent, step } = *contribution {
            let at = now();
            batch
                .statement(
                    "INSERT INTO contributions (campaign_id, participant_id, firm_id, step_reached, created_at, updated_at) VALUES (",
                )
                .push_bind(respondent.campaign_id)
                .push(", ")
                .push_bind(respondent.participant_id)
                .push(", ")
                .push_bind(respondent.firm_id)
                .push(", ")
                .push_bind(step)
                .push(", ")
                .push_bind(at.clone())
                .push(", ")
                .push_bind(at)
                .push(
                    ")
         ON CONFLICT (participant_id) WHERE source_session_id IS NULL DO UPDATE SET
             updated_at = excluded.updated_at,
             step_reached = CASE WHEN contributions.step_reached < excluded.step_reached
                                 THEN excluded.step_reached ELSE contributions.step_reached END",
                );
        }
        batch
    }

    /// Starts the next statement with `sql`.
    pub fn statement(&mut self, sql: &str) -> &mut QueryBuilder {
        self.statements.push(QueryBuilder::new(sql));
        self.current()
    }

    fn current(&mut self) -> &mut QueryBuilder {
        self.statements
            .last_mut()
            .expect("a batch's pushes follow its first statement")
    }

    /// Continues the current statement.
    pub fn push(&mut self, sql: &str) {
        self.current().push(sql);
    }

    /// Pushes the condition that selects the contribution as `c` (a row of
    /// `contributions c`).
    pub fn push_is_contribution(&mut self, contribution: &Contribution<'a>) {
        match *contribution {
            Contribution::Existing(id) => {
                self.current().push("c.id = ").push_bind(id);
            }
            Contribution::Online { respondent, .. } => {
                self.current()
                    .push("c.participant_id = ")
                    .push_bind(respondent.participant_id)
                    .push(" AND c.source_session_id IS NULL");
            }
        }
    }

    /// `DELETE FROM table WHERE contribution_id = (the contribution)`.
    pub fn delete_rows_of(&mut self, table: &str, contribution: &Contribution<'a>) {
        self.statement(&format!(
            "DELETE FROM {table} WHERE contribution_id = (SELECT c.id FROM contributions c WHERE "
        ));
        self.push_is_contribution(contribution);
        self.current().push(")");
    }

    /// `INSERT INTO table (contribution_id, columns…)` of these rows, each given
    /// by `push_row` as the bound values of `columns`, for the contribution.
    pub fn insert_rows_of<T>(
        &mut self,
        table: &str,
        columns: &[&str],
        contribution: &Contribution<'a>,
        rows: impl IntoIterator<Item = T>,
        push_row: impl FnMut(Separated<'_>, T),
    ) {
        let mut rows = rows.into_iter().peekable();
        if rows.peek().is_none() {
            return;
        }
        let values: Vec<String> = (1..=columns.len())
            .map(|i| format!("v.column{i}"))
            .collect();
        self.statement(&format!(
            "INSERT INTO {table} (contribution_id, {}) SELECT c.id, {} FROM contributions c CROSS JOIN (",
            columns.join(", "),
            values.join(", ")
        ));
        self.current().push_values(rows, push_row);
        self.current().push(") AS v WHERE ");
        self.push_is_contribution(contribution);
    }

    /// Ends an online save: the participant has started answering.
    pub fn mark_started(&mut self, contribution: &Contribution<'a>) {
        if let Contribution::Online { respondent, .. } = *contribution {
            if respondent.started_at.is_none() {
                self.statement("UPDATE participants SET started_at = ")
                    .push_bind(now())
                    .push(" WHERE id = ")
                    .push_bind(respondent.participant_id)
                    .push(" AND started_at IS NULL");
            }
        }
    }

    /// Runs every statement in one round trip; the rows are those of the one
    /// statement that returns some (`T`), if any.
    pub async fn run<T>(self, conn: &mut Conn) -> Result<Vec<T>, StoreError>
    where
        T: crate::store::db::sql::Decodes,
    {
        let mut statements = self.statements;
        if conn.is_postgres() {
            let mut rows = Vec::new();
            for mut statement in statements {
                rows.extend(
                    statement
                        .build_query_as::<T>()
                        .fetch_all(&mut *conn)
                        .await?,
                );
            }
            return Ok(rows);
        }
        let Some(mut query) = statements.first_mut().map(std::mem::take) else {
            return Ok(Vec::new());
        };
        for statement in statements.into_iter().skip(1) {
            query.push(";\n").append(statement);
        }
        Ok(query.build_query_as::<T>().fetch_all(conn).await?)
    }
}
