//! sea-orm entities, one file per table. Tenant tables carry `tenant_id` as the first key.
pub mod audit_log;
pub mod community_setting;
pub mod community_unit;
pub mod coop_pairing;
pub mod coop_unit;
pub mod member;
pub mod member_care;
pub mod member_contact;
pub mod member_event;
pub mod member_report;
pub mod member_report_post;
pub mod org_node;
pub mod role_assignment;
pub mod rollup_count;
pub mod service_post;
pub mod session;
pub mod user;
