//! Fiches actions.
