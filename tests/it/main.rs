//! One test binary for every user journey: each top-level file in tests/ would
//! link separately, which is slow on two cores.

mod helpers;
mod respondent;
mod respondent_lifecycle;
