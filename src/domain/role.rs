//! Staff roles and what each may do. The one place that says who may do what.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Organiser,
    Facilitator,
    /// A Région's account: bound to several territories, it reads their
    /// aggregated figures side by side and nothing else.
    Regional,
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
    /// The aggregated figures of territories, side by side: counts, rates,
    /// scores and theme labels, never a participant, a firm or a verbatim.
    Compare,
}

impl Role {
    /// In the order the account forms offer them.
    pub const ALL: [Self; 4] = [
        Self::Organiser,
        Self::Facilitator,
        Self::Regional,
        Self::Admin,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "organiser" => Some(Self::Organiser),
            "facilitator" => Some(Self::Facilitator),
            "regional" => Some(Self::Regional),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Organiser => "organiser",
            Self::Facilitator => "facilitator",
            Self::Regional => "regional",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Administrateur",
            Self::Organiser => "Organisateur",
            Self::Facilitator => "Animateur",
            Self::Regional => "Région",
        }
    }

    pub fn allows(self, capability: Capability) -> bool {
        match self {
            Self::Admin => true,
            Self::Organiser => !matches!(capability, Capability::Administer | Capability::Compare),
            Self::Facilitator => matches!(capability, Capability::Read | Capability::Capture),
            Self::Regional => capability == Capability::Compare,
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

    #[test]
    fn a_regional_account_compares_and_reads_nothing_else() {
        use Capability::*;
        assert!(Role::Regional.allows(Compare));
        for capability in [Read, Capture, Manage, Administer] {
            assert!(!Role::Regional.allows(capability), "{capability:?}");
        }
        assert!(Role::Admin.allows(Compare));
        assert!(!Role::Organiser.allows(Compare) && !Role::Facilitator.allows(Compare));
    }

    #[test]
    fn every_role_reads_back_from_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }
}
