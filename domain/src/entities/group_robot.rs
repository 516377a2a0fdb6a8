use sea_orm::entity::prelude::*;

/// A node's 企业微信 or 钉钉 group robot: its notices are posted to the group.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "group_robots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub node_id: Uuid,
    pub kind: crate::kinds::RobotKind,
    /// The robot's webhook address (its key is in it: shown to nobody once saved).
    pub url: String,
    /// 钉钉's 加签 secret, when the robot asks for signed posts.
    pub secret: Option<String>,
    pub set_by: Uuid,
    pub set_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

shared_table!();
