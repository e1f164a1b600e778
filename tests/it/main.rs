//! One test binary for every user journey: each top-level file in tests/ would
//! link separately, which is slow on two cores.

mod browser;
mod browser_respondent;
mod cli;
mod helpers;
mod respondent;
mod respondent_lifecycle;
mod synthesis;
