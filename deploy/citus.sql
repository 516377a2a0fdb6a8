-- Distributes gongjian's schema over a Citus cluster (README, "Onto a Citus cluster").
--
-- Run once on the coordinator, as a superuser, in the service's database, after
-- `server migrate` made the schema there and before the server serves from it:
--
--   psql -v ON_ERROR_STOP=1 -v app_role=gongjian_app -d gongjian -f deploy/citus.sql
--
-- The citus extension must exist and the workers be added already (README). Tables are
-- named in foreign-key order: a table comes after every table its keys point at.
-- `domain/tests/citus_script.rs` runs this file on plain PostgreSQL with stand-ins for the
-- two Citus functions and checks it against the catalogue: every table named once, each
-- distributed table's unique keys holding its distribution column, keys only between
-- co-located or reference tables, this order. Citus itself was not run (README).

\if :{?app_role}
\else
\set app_role gongjian_app
\endif

-- Else making `org_nodes` a reference table would turn every table with a key to it into a
-- Citus local table, and distributing those would then re-add keys from local tables to
-- distributed ones, which Citus refuses.
SET citus.enable_local_reference_table_foreign_keys TO off;

-- The tables every tenant reads, rarely written: a copy on every node.
SELECT create_reference_table('org_nodes');
SELECT create_reference_table('users');
SELECT create_reference_table('role_assignments');
SELECT create_reference_table('group_robots');
SELECT create_reference_table('message_preferences');
SELECT create_reference_table('contact_checks');
SELECT create_reference_table('scheduler_leases');

-- The tenants' rows, by tenant (a community or street: its node's id), all co-located: a
-- tenant's transaction touches one shard. The first table starts the co-location group.
SELECT create_distributed_table('community_settings', 'tenant_id', colocate_with => 'none');
SELECT create_distributed_table('community_units', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('coop_meetings', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('coop_need_settings', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('coop_needs', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('coop_units', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('meeting_cadences', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('messages', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('need_requesters', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('notices', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('points_rules', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('service_posts', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('activities', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('coop_agreements', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('coop_meeting_invitees', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('coop_pairings', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('coop_projects', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('coop_resolutions', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('coop_resources', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('members', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('notice_files', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('notice_targets', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('activity_signups', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('branch_committee_seats', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('branch_reviews', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('coop_agenda_items', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('coop_commitments', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('coop_project_resources', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('coop_resolution_notes', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('dues_assessments', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('dues_payments', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('meeting_minutes', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('meeting_photos', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('member_care', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('member_contacts', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('member_events', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('member_proposals', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('member_reports', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('points_year_totals', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('roster_spans', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('volunteer_teams', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('member_report_posts', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('member_reviews', 'tenant_id', colocate_with => 'community_settings');
SELECT create_distributed_table('volunteer_team_members', 'tenant_id', colocate_with => 'community_settings');
-- Its append-only row trigger (and the audit log's) only raises an error: safe on every
-- shard (the serving role's missing UPDATE and DELETE rights stay the first guard). Citus
-- asks for this when a table with triggers is distributed, not when they fire.
SET citus.enable_unsafe_triggers TO on;
SELECT create_distributed_table('points_entries', 'tenant_id', colocate_with => 'community_settings');

-- The rolled-up figures, by node, beside the node's own rows: a community's counters and
-- their pending deltas (kept by the community that wrote them) move on its own shard; its
-- street's totals on the street's.
SELECT create_distributed_table('rollup_counts', 'node_id', colocate_with => 'community_settings');
SELECT create_distributed_table('rollup_totals', 'node_id', colocate_with => 'community_settings');
SELECT create_distributed_table('rollup_pending', 'source_id', colocate_with => 'community_settings');
-- Reminders are kept by the tenant their subject is in.
SELECT create_distributed_table('reminders', 'node_id', colocate_with => 'community_settings');

-- Written on every request or sign-in, by no tenant: spread by their own keys.
SELECT create_distributed_table('sessions', 'id', colocate_with => 'none');
SELECT create_distributed_table('login_failures', 'account_id', colocate_with => 'none');
SELECT create_distributed_table('outbox', 'id', colocate_with => 'none');
-- By line, its months with it (months `migrate` makes later are distributed as they come).
SELECT create_distributed_table('audit_log', 'id', colocate_with => 'none');

-- The tenant is set per transaction with SET LOCAL app.tenant_id: Citus sends it on to the
-- workers' connections only when told to (row-level security is checked there).
ALTER ROLE :"app_role" IN DATABASE :"DBNAME" SET citus.propagate_set_commands = 'local';
