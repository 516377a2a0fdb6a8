use serde::{Deserialize, Serialize};

use crate::org::NodeKind;

/// A role held on one org node. Stored as its snake_case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    PlatformOperator,
    DistrictOrganiser,
    StreetStaff,
    CommunitySecretary,
    CommunityWorker,
    BranchSecretary,
    Member,
    UnitLiaison,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::PlatformOperator,
        Role::DistrictOrganiser,
        Role::StreetStaff,
        Role::CommunitySecretary,
        Role::CommunityWorker,
        Role::BranchSecretary,
        Role::Member,
        Role::UnitLiaison,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::PlatformOperator => "platform_operator",
            Role::DistrictOrganiser => "district_organiser",
            Role::StreetStaff => "street_staff",
            Role::CommunitySecretary => "community_secretary",
            Role::CommunityWorker => "community_worker",
            Role::BranchSecretary => "branch_secretary",
            Role::Member => "member",
            Role::UnitLiaison => "unit_liaison",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == value)
    }

    /// The kind of node a role is held on. The platform operator's node is the root of the tree
    /// it operates (any province or the whole country, by convention its topmost node).
    pub fn fits(self, kind: NodeKind) -> bool {
        match self {
            Role::PlatformOperator => true,
            Role::DistrictOrganiser => kind == NodeKind::District,
            Role::StreetStaff | Role::UnitLiaison => kind == NodeKind::Street,
            Role::CommunitySecretary
            | Role::CommunityWorker
            | Role::BranchSecretary
            | Role::Member => kind == NodeKind::Community,
        }
    }

    /// Staff roles manage the detail records of their node and see aggregates below it.
    pub fn manages(self) -> bool {
        matches!(
            self,
            Role::DistrictOrganiser
                | Role::StreetStaff
                | Role::CommunitySecretary
                | Role::CommunityWorker
                | Role::BranchSecretary
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn roles_fit_their_level() {
        assert!(Role::StreetStaff.fits(NodeKind::Street));
        assert!(!Role::StreetStaff.fits(NodeKind::Community));
        assert!(Role::CommunitySecretary.fits(NodeKind::Community));
        assert!(!Role::Member.manages());
    }
}
