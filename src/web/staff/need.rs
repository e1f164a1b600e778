//! What a staff route requires: the route table's entries name it, the
//! access check enforces it, and the refusal page says it in French.

use crate::domain::role::Capability;

/// What a staff route requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Any signed-in staff member (home, own password).
    SignedIn,
    /// A capability inside the territory the path points to.
    Territory(Capability),
    /// An administrator of the instance.
    Admin,
    /// A capability over the territories the account is bound to (all of them
    /// for an administrator), none of them named in the path: the handler
    /// reads `staff.territory_ids` itself.
    Territories(Capability),
}
