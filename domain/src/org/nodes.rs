//! Org nodes by id, kept in memory. Every page reads its node and the node's ancestors (for
//! its name, kind, lineage and breadcrumbs); a node never changes once imported (divisions are
//! only added), so what was read once stays true (`tenancy::memo`).
use sea_orm::ColumnTrait;
use uuid::Uuid;

use crate::entities::org_node;
use crate::error::DomainResult;
use crate::tenancy::db::Db;

impl Db {
    /// The node with this id, from memory when it was read before.
    pub async fn node(&self, id: Uuid) -> DomainResult<Option<org_node::Model>> {
        Ok(self.nodes(&[id]).await?.pop())
    }

    /// The nodes with these ids that exist, in no particular order; those not read before are
    /// read in one query.
    pub async fn nodes(&self, ids: &[Uuid]) -> DomainResult<Vec<org_node::Model>> {
        let mut out = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        for &id in ids {
            match self.memo().get::<org_node::Model>(id) {
                Some(node) => out.push(org_node::Model::clone(&node)),
                None => missing.push(id),
            }
        }
        if !missing.is_empty() {
            let found = crate::tenancy::shared::find::<org_node::Entity>()
                .filter(org_node::Column::Id.is_in(missing))
                .all(self)
                .await?;
            self.memo()
                .keep(found.iter().map(|n| (n.id, n.clone())).collect());
            out.extend(found);
        }
        Ok(out)
    }
}
