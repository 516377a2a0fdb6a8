//! 党员名册: the roster list, a member's page and the add/edit form. Pages render on the server;
//! `save_member` is the one write, a form post that comes back to the form on bad input.
#[cfg(feature = "ssr")]
mod care;
#[cfg(feature = "ssr")]
mod detail;
#[cfg(feature = "ssr")]
mod export;
#[cfg(feature = "ssr")]
mod floating;
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
mod form;
#[cfg(feature = "ssr")]
mod import;
#[cfg(feature = "ssr")]
mod jobs;
#[cfg(feature = "ssr")]
mod list;
#[cfg(feature = "ssr")]
mod proposals;
#[cfg(feature = "ssr")]
mod transfers;

#[cfg(feature = "ssr")]
pub use care::CarePage;
#[cfg(feature = "ssr")]
pub use detail::MemberPage;
#[cfg(feature = "ssr")]
pub use export::export_xlsx;
#[cfg(feature = "ssr")]
#[cfg(feature = "ssr")]
pub use floating::FloatingPage;
#[cfg(feature = "ssr")]
pub(crate) use fns::take_revealed_phone;
#[cfg(feature = "ssr")]
pub use fns::{
    create_member_login, decide_proposal, move_members, propose_change, record_member_care,
    record_member_contact, reveal_member_phone, save_member, set_lost_contact_days,
    transfer_out_member,
};
#[cfg(feature = "ssr")]
pub use form::MemberFormPage;
#[cfg(feature = "ssr")]
pub use import::{import_upload, template_xlsx, ImportJobPage, ImportPage, IMPORT_LIMIT_BYTES};
#[cfg(feature = "ssr")]
pub use jobs::ImportJobs;
#[cfg(feature = "ssr")]
pub use list::RosterPage;
#[cfg(feature = "ssr")]
pub use proposals::{OwnDetailsForm, ProposalsPage};
#[cfg(feature = "ssr")]
pub use transfers::TransfersPage;

/// Name of the form whose values come back in the flash after a validation error.
pub const MEMBER_FORM: &str = "member";

/// Name of the member-login form (its error comes back in the flash).
pub const LOGIN_FORM: &str = "member_login";

/// Name of the contact form (its error comes back in the flash).
pub const CONTACT_FORM: &str = "contact";

/// Name of the care form (its error comes back in the flash).
pub const CARE_FORM: &str = "care";

/// Name of the proposal forms: the member's own and the staff's decision.
pub const PROPOSAL_FORM: &str = "proposal";

/// Name of the member page's transfer form (its error comes back in the flash).
pub const TRANSFER_FORM: &str = "transfer";

/// Labels of the placement units (`第一网格党支部 › 1号楼党小组`) by id.
#[cfg(feature = "ssr")]
pub(crate) async fn unit_labels(
    tx: &domain::tenancy::TenantTx,
) -> domain::DomainResult<Vec<(uuid::Uuid, String)>> {
    Ok(domain::org::placements::labels(
        &domain::members::placements_in_reach(tx).await?,
    ))
}

/// The roster filters from query parameters (`q`, `category`, `relation`, `standing`, `status`,
/// `unit`, `all`, `page`).
#[cfg(feature = "ssr")]
pub(crate) fn roster_query(
    get: impl Fn(&str) -> String,
    per_page: u64,
) -> domain::members::ListQuery {
    use domain::members::{Category, PartyRelation, PartyStanding, Status};
    domain::members::ListQuery {
        search: get("q"),
        category: Category::parse(&get("category")),
        relation: PartyRelation::parse(&get("relation")),
        standing: PartyStanding::parse(&get("standing")),
        status: Status::parse(&get("status")),
        unit_id: uuid::Uuid::parse_str(&get("unit")).ok(),
        include_transferred: get("all") == "on",
        page: get("page").parse().unwrap_or(1),
        per_page,
    }
}

/// Name of the roster's move form (its error comes back in the flash).
pub const MOVE_FORM: &str = "move";
