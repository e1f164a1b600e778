//! Statements built piece by piece (lists of values, optional conditions),
//! as sqlx's `QueryBuilder` builds them, for either backend: the values are
//! bound as `?` and numbered for PostgreSQL when the statement runs.

use super::{query, Bind, Decodes, Query, QueryAs, QueryScalar, Value};
use std::fmt::Display;
use std::marker::PhantomData;

#[derive(Debug, Default)]
pub struct QueryBuilder {
    sql: String,
    /// PostgreSQL's text, from the first piece whose dialects differ on.
    postgres: Option<String>,
    args: Vec<Value>,
}

impl QueryBuilder {
    pub fn new(init: impl Into<String>) -> Self {
        Self {
            sql: init.into(),
            postgres: None,
            args: Vec::new(),
        }
    }

    pub fn push(&mut self, sql: impl Display) -> &mut Self {
        use std::fmt::Write;
        let _ = write!(self.sql, "{sql}");
        if let Some(postgres) = &mut self.postgres {
            let _ = write!(postgres, "{sql}");
        }
        self
    }

    /// A piece written one way for SQLite and another for PostgreSQL
    /// (the same `?` placeholders in both).
    pub fn push_dialect(&mut self, sqlite: &str, postgres: &str) -> &mut Self {
        self.postgres
            .get_or_insert_with(|| self.sql.clone())
            .push_str(postgres);
        self.sql.push_str(sqlite);
        self
    }

    pub fn push_bind(&mut self, value: impl Bind) -> &mut Self {
        self.push("?");
        self.push_bind_only(value)
    }

    /// Binds a value to a `?` already pushed (by `push_dialect`).
    pub fn push_bind_only(&mut self, value: impl Bind) -> &mut Self {
        self.args.push(value.value());
        self
    }

    /// Pushes that put `separator` between them.
    pub fn separated(&mut self, separator: &'static str) -> Separated<'_> {
        Separated {
            builder: self,
            separator,
            first: true,
        }
    }

    /// `VALUES (…), (…)`, each tuple's values given by `push_tuple`.
    pub fn push_values<I, F>(&mut self, tuples: I, mut push_tuple: F) -> &mut Self
    where
        I: IntoIterator,
        F: FnMut(Separated<'_>, I::Item),
    {
        self.push("VALUES ");
        let mut first = true;
        for tuple in tuples {
            if !first {
                self.push(", ");
            }
            first = false;
            self.push("(");
            push_tuple(self.separated(", "), tuple);
            self.push(")");
        }
        self
    }

    /// Appends `other`'s text and values after this one's.
    pub fn append(&mut self, other: QueryBuilder) -> &mut Self {
        match other.postgres {
            Some(postgres) => self.push_dialect(&other.sql, &postgres),
            None => self.push(&other.sql),
        };
        self.args.extend(other.args);
        self
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The statement built so far, its values moved into it.
    pub fn build(&mut self) -> Query<'_> {
        let mut q = query(&self.sql);
        if let Some(postgres) = &self.postgres {
            q = q.postgres(postgres);
        }
        for value in std::mem::take(&mut self.args) {
            q = q.bind(value);
        }
        q
    }

    pub fn build_query_as<T: Decodes>(&mut self) -> QueryAs<'_, T> {
        QueryAs {
            query: self.build(),
            row: PhantomData,
        }
    }

    pub fn build_query_scalar<T: super::Column>(&mut self) -> QueryScalar<'_, T> {
        QueryScalar {
            inner: self.build_query_as(),
        }
    }
}

pub struct Separated<'b> {
    builder: &'b mut QueryBuilder,
    separator: &'static str,
    first: bool,
}

impl Separated<'_> {
    fn separate(&mut self) {
        if !self.first {
            self.builder.push(self.separator);
        }
        self.first = false;
    }

    pub fn push(&mut self, sql: impl Display) -> &mut Self {
        self.separate();
        self.builder.push(sql);
        self
    }

    pub fn push_bind(&mut self, value: impl Bind) -> &mut Self {
        self.separate();
        self.builder.push_bind(value);
        self
    }

    pub fn push_unseparated(&mut self, sql: impl Display) -> &mut Self {
        self.builder.push(sql);
        self
    }

    pub fn push_bind_unseparated(&mut self, value: impl Bind) -> &mut Self {
        self.builder.push_bind(value);
        self
    }
}
