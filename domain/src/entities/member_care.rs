use sea_orm::entity::prelude::*;

/// One act of care for a member: a visit, help given, or study brought to the door.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member_care")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub cared_on: Date,
    pub kind: crate::kinds::CareKind,
    /// What was given (慰问金, 米面油, 就业推荐 …).
    pub help: Option<String>,
    /// Money given, in fen.
    pub amount_cents: Option<i64>,
    pub note: Option<String>,
    pub actor_user_id: Option<Uuid>,
}

tenant_table!();
