use sea_orm::entity::prelude::*;

tenant_model! {
    /// Who is invited to a meeting (a unit, a community, a branch or a person) and their sign-in.
    "coop_meeting_invitees" {
        pub meeting_id: Uuid,
        pub kind: crate::kinds::InviteeKind,
        pub unit_id: Option<Uuid>,
        pub community_id: Option<Uuid>,
        /// A grid branch of the community (kept in the community's tenant, so no foreign key).
        pub branch_id: Option<Uuid>,
        /// The name when invited, shown on the sign-in sheet and in the minutes.
        pub name: String,
        /// Who came for the invitee.
        pub attendee: Option<String>,
        pub signed_in_at: Option<DateTimeUtc>,
    }
}
