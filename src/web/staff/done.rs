//! The `?fait=…` that a successful POST redirects with (post/redirect/get), so
//! that the page it leads to says what was done, and a reload posts nothing.

use serde::Deserialize;

#[derive(Deserialize)]
pub struct Done {
    /// What was done (`cree`, `modifie`…), empty when nothing was.
    #[serde(default)]
    pub fait: String,
}
