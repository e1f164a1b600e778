//! French plurals for a counted noun: 0 and 1 take the singular, 2 and more
//! the plural (« 0 contribution », « 1 contribution », « 2 contributions »),
//! so no page or message needs to write « contribution(s) ».

/// A count, whatever integer type holds it.
pub trait Count: Copy {
    fn value(self) -> i128;
}

macro_rules! count_of {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn value(self) -> i128 {
                self as i128
            }
        }
    )*};
}
count_of!(i32, i64, u32, u64, usize);

impl<T: Count> Count for &T {
    fn value(self) -> i128 {
        (*self).value()
    }
}

/// The form that agrees with `n`: `one` below 2 (in French, « 0 lien »,
/// « 1,5 jour »), `many` from 2.
pub fn agree<'a>(n: impl Count, one: &'a str, many: &'a str) -> &'a str {
    if n.value().abs() < 2 {
        one
    } else {
        many
    }
}

/// The number and the words that agree with it: « 3 relances mises en file »,
/// joined by U+00A0 so that no line ends on the bare number.
pub fn count(n: impl Count, one: &str, many: &str) -> String {
    format!("{}\u{a0}{}", n.value(), agree(n, one, many))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_and_one_take_the_singular_two_the_plural() {
        assert_eq!(count(0_i64, "lien", "liens"), "0\u{a0}lien");
        assert_eq!(count(1_usize, "lien", "liens"), "1\u{a0}lien");
        assert_eq!(count(2_u64, "lien", "liens"), "2\u{a0}liens");
        assert_eq!(
            count(3_i64, "relance mise en file", "relances mises en file"),
            "3\u{a0}relances mises en file"
        );
        assert_eq!(agree(-1_i32, "jour", "jours"), "jour");
    }
}
