//! A closed set of values that addresses name by short French keys (a list's
//! sort column: `tri=entreprise`): read from the key, anything unknown being
//! the default, and written back as the same key.

pub trait Keyed: Copy + PartialEq + Default + 'static {
    /// Every value with its key.
    const KEYS: &'static [(Self, &'static str)];

    /// The value of `key`; the default for any other text.
    fn parse(key: &str) -> Self {
        Self::KEYS
            .iter()
            .find(|(_, k)| *k == key)
            .map_or_else(Self::default, |(value, _)| *value)
    }

    fn key(self) -> &'static str {
        Self::KEYS
            .iter()
            .find(|(value, _)| *value == self)
            .map_or("", |(_, k)| k)
    }
}
