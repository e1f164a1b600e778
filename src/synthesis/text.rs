//! Comparing SWOT grouping keys (the keys themselves are computed by the
//! store when it writes an item: `domain::swot::normalize_key`), and the
//! French sort order of labels.

pub use crate::domain::swot::collation_key;

/// Jaccard index of the two keys' stem sets, in 0..=1. Two empty keys score
/// 0: text made only of stop words says nothing that could be grouped.
pub fn similarity(a_key: &str, b_key: &str) -> f64 {
    token_similarity(&key_tokens(a_key), &key_tokens(b_key))
}

/// The stems of a key, sorted and deduplicated (keys from `normalize_key`
/// already are; this makes any stored key safe to compare).
pub fn key_tokens(key: &str) -> Vec<&str> {
    let mut t: Vec<&str> = key.split_whitespace().collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// Jaccard index of two sorted, deduplicated token lists, by a linear merge
/// so clustering thousands of keys stays cheap.
pub fn token_similarity(a: &[&str], b: &[&str]) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    if union == 0 {
        0.0
    } else {
        common as f64 / union as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaccard() {
        assert_eq!(similarity("a b c", "a b c"), 1.0);
        assert_eq!(similarity("a b", "b c"), 1.0 / 3.0);
        assert_eq!(similarity("a b c d", "a b"), 0.5);
        assert_eq!(similarity("a", "b"), 0.0);
        assert_eq!(similarity("", ""), 0.0);
        assert_eq!(similarity("a", ""), 0.0);
        // Unsorted or repeated stems in a stored key do not skew the index.
        assert_eq!(similarity("c b a a", "a b"), 2.0 / 3.0);
        assert_eq!(key_tokens("b a b"), ["a", "b"]);
    }
}
