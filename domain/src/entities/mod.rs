//! sea-orm entities, one file per table. Tenant tables carry `tenant_id` as the first key.

/// What every tenant table's entity shares: no declared relations, the default behaviour, and
/// `tenant_id` as the column `TenantTx` filters on.
macro_rules! tenant_table {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}

        impl crate::tenancy::TenantEntity for Entity {
            fn tenant_column() -> Column {
                Column::TenantId
            }
        }

        impl crate::tenancy::Table for Entity {
            fn tenant_column() -> Option<Column> {
                Some(Column::TenantId)
            }
        }
    };
}

/// A tenant table keyed by (`tenant_id`, `id`): declares the two keys before the columns given
/// and the rest as `tenant_table!`. Written `tenant_model! { /// doc  "table" { columns } }`.
macro_rules! tenant_model {
    ($(#[$doc:meta])* $table:literal { $($columns:tt)* }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = $table)]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub tenant_id: Uuid,
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: Uuid,
            $($columns)*
        }

        tenant_table!();

        impl crate::tenancy::Keyed for Entity {
            fn id_column() -> Column {
                Column::Id
            }
        }
    };
}

/// A table of the whole instance (no tenant): reached through `tenancy::shared`.
macro_rules! shared_table {
    () => {
        impl crate::tenancy::SharedEntity for Entity {}

        impl crate::tenancy::Table for Entity {
            fn tenant_column() -> Option<Column> {
                None
            }
        }
    };
}
pub mod activity;
pub mod activity_signup;
pub mod audit_log;
pub mod branch_committee_seat;
pub mod branch_review;
pub mod community_setting;
pub mod community_unit;
pub mod contact_check;
pub mod coop_agenda_item;
pub mod coop_agreement;
pub mod coop_commitment;
pub mod coop_meeting;
pub mod coop_meeting_invitee;
pub mod coop_need;
pub mod coop_need_setting;
pub mod coop_pairing;
pub mod coop_project;
pub mod coop_project_resource;
pub mod coop_resolution;
pub mod coop_resolution_note;
pub mod coop_resource;
pub mod coop_unit;
pub mod dues_assessment;
pub mod dues_payment;
pub mod group_robot;
pub mod meeting_cadence;
pub mod meeting_minutes;
pub mod meeting_photo;
pub mod member;
pub mod member_care;
pub mod member_contact;
pub mod member_event;
pub mod member_proposal;
pub mod member_report;
pub mod member_report_post;
pub mod member_review;
pub mod message;
pub mod message_preference;
pub mod need_requester;
pub mod notice;
pub mod notice_file;
pub mod notice_target;
pub mod org_node;
pub mod outbox;
pub mod points_entry;
pub mod points_rule;
pub mod points_year_total;
pub mod reminder;
pub mod role_assignment;
pub mod rollup_count;
pub mod roster_span;
pub mod scheduler_lease;
pub mod service_post;
pub mod session;
pub mod user;
pub mod volunteer_team;
pub mod volunteer_team_member;
