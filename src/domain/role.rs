//! Staff roles and what each may do. The one place that says who may do what.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Organiser,
    Facilitator,
}

/// What a request wants to do inside a territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// See campaigns, participants' statuses, syntheses.
    Read,
    /// Type in-room contributions, curate SWOT themes.
    Capture,
    /// Directory, campaigns, participants, invitations.
    Manage,
    /// Territories and staff accounts of the instance.
    Administer,
}

impl Role {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "organiser" => Some(Self::Organiser),
            "facilitator" => Some(Self::Facilitator),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Organiser => "organiser",
            Self::Facilitator => "facilitator",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Administrateur",
            Self::Organiser => "Organisateur",
            Self::Facilitator => "Animateur",
        }
    }

    pub fn allows(self, capability: Capability) -> bool {
        match self {
            Self::Admin => true,
            Self::Organiser => capability != Capability::Administer,
            Self::Facilitator => matches!(capability, Capability::Read | Capability::Capture),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_allow_what_product_md_says() {
        use Capability::*;
        assert!(Role::Admin.allows(Administer));
        assert!(
            Role::Organiser.allows(Manage)
                && Role::Organiser.allows(Capture)
                && !Role::Organiser.allows(Administer)
        );
        assert!(Role::Facilitator.allows(Capture) && Role::Facilitator.allows(Read));
        assert!(!Role::Facilitator.allows(Manage));
        assert_eq!(Role::parse("organiser"), Some(Role::Organiser));
        assert_eq!(Role::parse("root"), None);
    }
}
