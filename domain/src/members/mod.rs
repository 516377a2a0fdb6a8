//! The member roster of a community: categories, status, placement, address, flags and history.
mod care;
mod floating;
mod history;
mod home;
mod import;
mod kept_roster;
mod login;
mod messages;
mod model;
mod phone_probes;
mod proposals;
mod reach;
mod roster;
mod spans;
mod spreadsheet;
mod transfers;
mod upload;

pub use care::{care_for, care_list, record_care, Care, CareInput, CareRow};
pub use floating::{
    contacts, floating, lost_contact_days, record_contact, set_lost_contact_days, Contact,
    ContactInput, FloatingRow, DEFAULT_LOST_CONTACT_DAYS,
};
pub use history::{event_kinds, history, MemberEvent};
pub(crate) use history::{record as record_event, EventKind};
pub use home::{home, MemberHome};
pub use import::{import, ImportReport, Rejected};
pub use kept_roster::{roster, Roster};
pub use login::create_login;
pub(crate) use messages::tell_member;
pub use model::{
    mask_phone, CareKind, Category, CheckedMember, ContactMethod, Gender, MemberInput,
    PartyRelation, PartyStanding, Status,
};
pub use phone_probes::BUDGET as PHONE_PROBE_BUDGET;
pub use proposals::{decide, my_proposals, open_proposals, propose, Proposal, ProposalInput};
pub use reach::placements_in_reach;
pub(crate) use reach::reach;
pub use roster::{
    count, count_in_reach, create, export, get, list, lookup, move_members, own_record,
    reveal_phone, update, ListQuery, MemberPage, MemberRow, RosterRow,
};
pub(crate) use roster::{ensure_keeper, ensure_staff, lock_member, own_member};
pub(crate) use spans::{on_roster_at, since_always};
pub use spreadsheet::{roster_xlsx, template_xlsx, HEADERS};
pub use transfers::{transfer_in, transfer_out, transfers, Transfer};
pub use upload::{read_file, Sheet, MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED_BYTES};
