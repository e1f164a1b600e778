//! A value bound to a statement, kept until the statement runs on whichever
//! backend the store holds: each backend's driver then gets it as its own
//! type (an instant as text on SQLite, as `timestamptz` on PostgreSQL).
//! A NULL keeps its type, since PostgreSQL types every parameter.

use super::temporal::{parse_hour, parse_instant, Day, Hour, Stamp};
use sqlx::error::BoxDynError;
use sqlx::postgres::PgArguments;
use sqlx::sqlite::SqliteArguments;
use sqlx::Arguments;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(Option<i64>),
    Float(Option<f64>),
    Bool(Option<bool>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
    Stamp(Option<Stamp>),
    Day(Option<Day>),
    Hour(Option<Hour>),
}

/// What a statement accepts as a bound value.
pub trait Bind {
    fn value(self) -> Value;
    /// This type's NULL.
    fn null() -> Value;
}

impl<T: Bind> Bind for Option<T> {
    fn value(self) -> Value {
        match self {
            Some(v) => v.value(),
            None => T::null(),
        }
    }
    fn null() -> Value {
        T::null()
    }
}

macro_rules! bind_as {
    ($variant:ident, $($t:ty => |$v:ident| $to:expr),+ $(,)?) => {
        $(
            impl Bind for $t {
                fn value(self) -> Value {
                    let $v = self;
                    Value::$variant(Some($to))
                }
                fn null() -> Value {
                    Value::$variant(None)
                }
            }
        )+
    };
}

bind_as!(Int,
    i64 => |v| v,
    &i64 => |v| *v,
    i32 => |v| i64::from(v),
    &i32 => |v| i64::from(*v),
    u32 => |v| i64::from(v),
    u16 => |v| i64::from(v),
    u8 => |v| i64::from(v),
    // Counts and sizes: far below i64::MAX in a diagnostic.
    usize => |v| v as i64,
);
bind_as!(Float, f64 => |v| v, &f64 => |v| *v, f32 => |v| f64::from(v));
bind_as!(Bool, bool => |v| v, &bool => |v| *v);
bind_as!(Text,
    String => |v| v,
    &String => |v| v.clone(),
    &str => |v| v.to_string(),
    &&str => |v| v.to_string(),
    std::borrow::Cow<'_, str> => |v| v.into_owned(),
);
bind_as!(Bytes, Vec<u8> => |v| v, &Vec<u8> => |v| v.clone(), &[u8] => |v| v.to_vec());
bind_as!(Stamp, Stamp => |v| v, &Stamp => |v| v.clone());
bind_as!(Day, Day => |v| v, &Day => |v| v.clone());
bind_as!(Hour, Hour => |v| v, &Hour => |v| v.clone());

impl Bind for Value {
    fn value(self) -> Value {
        self
    }
    fn null() -> Value {
        Value::Text(None)
    }
}

impl Value {
    pub(super) fn add_to_sqlite(self, args: &mut SqliteArguments<'_>) -> Result<(), BoxDynError> {
        match self {
            Self::Int(v) => args.add(v),
            Self::Float(v) => args.add(v),
            Self::Bool(v) => args.add(v),
            Self::Text(v) => args.add(v),
            Self::Bytes(v) => args.add(v),
            Self::Stamp(v) => args.add(v.map(String::from)),
            Self::Day(v) => args.add(v.map(String::from)),
            Self::Hour(v) => args.add(v.map(String::from)),
        }
    }

    pub(super) fn add_to_postgres(self, args: &mut PgArguments) -> Result<(), BoxDynError> {
        match self {
            Self::Int(v) => args.add(v),
            Self::Float(v) => args.add(v),
            Self::Bool(v) => args.add(v),
            Self::Text(v) => args.add(v),
            Self::Bytes(v) => args.add(v),
            Self::Stamp(v) => args.add(
                v.map(|s| parse_instant(&s).ok_or_else(|| not_a("instant", &s)))
                    .transpose()?,
            ),
            Self::Day(v) => args.add(
                v.map(|s| s.date().ok_or_else(|| not_a("day", &s)))
                    .transpose()?,
            ),
            Self::Hour(v) => args.add(
                v.map(|s| parse_hour(&s).ok_or_else(|| not_a("hour", &s)))
                    .transpose()?,
            ),
        }
    }
}

fn not_a(what: &str, text: &str) -> BoxDynError {
    format!("not an {what}: {text:?}").into()
}

impl<'a, T> Bind for &'a Option<T>
where
    &'a T: Bind,
{
    fn value(self) -> Value {
        self.as_ref().value()
    }
    fn null() -> Value {
        <&'a T>::null()
    }
}
