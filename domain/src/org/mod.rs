//! The org tree: country → province → city → district → street → community (reference data,
//! division codes), and the units inside a community (grid branch → building group → household).

mod nodes;
pub mod placements;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entities::org_node;

pub use crate::kinds::NodeKind;

impl NodeKind {
    /// District, street and community own records; the nodes above only group them.
    pub fn is_tenant(self) -> bool {
        matches!(
            self,
            NodeKind::District | NodeKind::Street | NodeKind::Community
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeSummary {
    pub id: Uuid,
    pub kind: NodeKind,
    pub code: String,
    pub name: String,
}

impl From<&org_node::Model> for NodeSummary {
    fn from(node: &org_node::Model) -> Self {
        NodeSummary {
            id: node.id,
            kind: node.kind,
            code: node.code.clone(),
            name: node.name.clone(),
        }
    }
}

/// The ids on a materialised path (`/a/b/c/`), root first.
pub(crate) fn path_ids(path: &str) -> Vec<Uuid> {
    path.split('/')
        .filter_map(|part| Uuid::parse_str(part).ok())
        .collect()
}

/// A node's name (for headings of downloads).
pub async fn node_name(db: &crate::Db, id: uuid::Uuid) -> crate::DomainResult<String> {
    crate::tenancy::shared::find_by_id::<crate::entities::org_node::Entity>(id)
        .one(db)
        .await?
        .map(|node| node.name)
        .ok_or(crate::DomainError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_ids_read_root_first() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        assert_eq!(path_ids(&format!("/{a}/{b}/")), vec![a, b]);
    }
}
