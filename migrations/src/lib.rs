//! Schema migrations, one dated file per change. Run as the owner role; the server
//! connects as a separate application role afterwards (see `domain::db`).
#![deny(clippy::unwrap_used, clippy::expect_used)]
pub use m20261123_000018_rollup_totals::rebuild_totals;
pub use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_member_roster;
mod m20261123_000003_floating_members;
mod m20261123_000004_member_care;
mod m20261123_000005_dual_reporting;
mod m20261123_000006_roster_index;
mod m20261123_000007_coop_units;
mod m20261123_000008_coop_agreements;
mod m20261123_000009_coop_needs;
mod m20261123_000010_coop_resources_projects;
mod m20261123_000011_need_settings;
mod m20261123_000012_coop_meetings;
mod m20261123_000013_activities;
mod m20261123_000014_checkin_points;
mod m20261123_000015_compliance_freeze;
mod m20261123_000016_volunteer_teams;
mod m20261123_000017_unit_activities;
mod m20261123_000018_rollup_totals;
mod m20261130_000019_login_failures;
mod m20261130_000020_ledger_keys;
mod m20261201_000021_accounts;
mod m20261201_000022_member_proposals;
mod m20261201_000023_branch_roles;
mod m20261203_000024_member_lookups;
mod m20261203_000025_notices;
mod m20261204_000026_notice_indexes;
mod m20261204_000027_message_withdrawn;
mod m20261204_000028_reminders;
mod m20261204_000029_message_preferences;
mod m20261204_000030_reminders_sent;
mod m20261204_000031_coop_reminders;
mod m20261204_000032_outbox;
mod m20261205_000033_notice_files;
mod m20261205_000034_sms;
mod m20261205_000035_message_confirm_by;
mod m20261205_000036_contact_checks;
mod m20261205_000037_party_relation;
mod m20261206_000038_party_dues;
mod m20261206_000039_branch_committees;
mod m20261206_000040_meeting_records;
mod m20261206_000041_meeting_rolls;
mod m20261206_000042_party_standing;
mod m20261206_000043_member_reviews;
mod m20261206_000044_rollup_pending;
mod m20261207_000045_audit_log_by_month;
mod m20261207_000046_distribution_keys;
mod m20261207_000047_checkin_keys;
mod m20261207_000048_unit_founding;
mod sql;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_member_roster::MIGRATION),
            Box::new(m20261123_000003_floating_members::MIGRATION),
            Box::new(m20261123_000004_member_care::MIGRATION),
            Box::new(m20261123_000005_dual_reporting::MIGRATION),
            Box::new(m20261123_000006_roster_index::MIGRATION),
            Box::new(m20261123_000007_coop_units::MIGRATION),
            Box::new(m20261123_000008_coop_agreements::MIGRATION),
            Box::new(m20261123_000009_coop_needs::MIGRATION),
            Box::new(m20261123_000010_coop_resources_projects::MIGRATION),
            Box::new(m20261123_000011_need_settings::MIGRATION),
            Box::new(m20261123_000012_coop_meetings::MIGRATION),
            Box::new(m20261123_000013_activities::MIGRATION),
            Box::new(m20261123_000014_checkin_points::Migration),
            Box::new(m20261123_000015_compliance_freeze::MIGRATION),
            Box::new(m20261123_000016_volunteer_teams::MIGRATION),
            Box::new(m20261123_000017_unit_activities::MIGRATION),
            Box::new(m20261123_000018_rollup_totals::Migration),
            Box::new(m20261130_000019_login_failures::MIGRATION),
            Box::new(m20261130_000020_ledger_keys::Migration),
            Box::new(m20261201_000021_accounts::MIGRATION),
            Box::new(m20261201_000022_member_proposals::MIGRATION),
            Box::new(m20261201_000023_branch_roles::MIGRATION),
            Box::new(m20261203_000024_member_lookups::MIGRATION),
            Box::new(m20261203_000025_notices::MIGRATION),
            Box::new(m20261204_000026_notice_indexes::MIGRATION),
            Box::new(m20261204_000027_message_withdrawn::MIGRATION),
            Box::new(m20261204_000028_reminders::Migration),
            Box::new(m20261204_000029_message_preferences::MIGRATION),
            Box::new(m20261204_000030_reminders_sent::MIGRATION),
            Box::new(m20261204_000031_coop_reminders::Migration),
            Box::new(m20261204_000032_outbox::MIGRATION),
            Box::new(m20261205_000033_notice_files::MIGRATION),
            Box::new(m20261205_000034_sms::MIGRATION),
            Box::new(m20261205_000035_message_confirm_by::Migration),
            Box::new(m20261205_000036_contact_checks::MIGRATION),
            Box::new(m20261205_000037_party_relation::Migration),
            Box::new(m20261206_000038_party_dues::MIGRATION),
            Box::new(m20261206_000039_branch_committees::MIGRATION),
            Box::new(m20261206_000040_meeting_records::Migration),
            Box::new(m20261206_000041_meeting_rolls::MIGRATION),
            Box::new(m20261206_000042_party_standing::MIGRATION),
            Box::new(m20261206_000043_member_reviews::MIGRATION),
            Box::new(m20261206_000044_rollup_pending::Migration),
            Box::new(m20261207_000045_audit_log_by_month::Migration),
            Box::new(m20261207_000046_distribution_keys::Migration),
            Box::new(m20261207_000047_checkin_keys::Migration),
            Box::new(m20261207_000048_unit_founding::Migration),
        ]
    }
}

/// Makes the audit log's missing monthly partitions (China-time months) from the month of
/// `from` (a timestamp, or `now`) to 24 months ahead; run by migration 45 and by every
/// `migrate` (PostgreSQL; the owner). A month whose rows already sit in the DEFAULT partition
/// is left there, with a warning in the server's log.
pub async fn audit_months(
    conn: &impl sea_orm_migration::sea_orm::ConnectionTrait,
    from: &str,
) -> Result<(), DbErr> {
    // Our own timestamp text or `now`; quotes could only come from a bug, and are dropped.
    let from = from.replace('\'', "");
    conn.execute_unprepared(&format!(
        "DO $$
         DECLARE m timestamp; name text;
         BEGIN
           FOR m IN SELECT generate_series(
               date_trunc('month', timestamptz '{from}' AT TIME ZONE 'Asia/Shanghai'),
               date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') + interval '24 months',
               interval '1 month') LOOP
             name := 'audit_log_y' || to_char(m, 'YYYY') || 'm' || to_char(m, 'MM');
             IF to_regclass(name) IS NULL THEN
               BEGIN
                 EXECUTE format('CREATE TABLE %I PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)',
                   name, m AT TIME ZONE 'Asia/Shanghai', (m + interval '1 month') AT TIME ZONE 'Asia/Shanghai');
               EXCEPTION WHEN others THEN
                 RAISE WARNING 'audit log month % not made: %', name, SQLERRM;
               END;
             END IF;
           END LOOP;
         END $$"
    ))
    .await
    .map(|_| ())
}
