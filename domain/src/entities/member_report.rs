use sea_orm::entity::prelude::*;

/// An in-service member's report (报到) to their residential community; one per member.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub reported_on: Date,
    /// `pending`, `confirmed` or `declined`.
    pub status: crate::kinds::ReportStatus,
    pub decided_on: Option<Date>,
    pub decided_by: Option<Uuid>,
    /// Why the secretary declined.
    pub reason: Option<String>,
}

tenant_table!();
