use crate::kinds::NodeKind;

pub use crate::kinds::Role;

impl Role {
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
