//! 共驻共建: the street's co-construction space. Its records belong to the street tenant; the
//! street's staff see all of them, a community's staff only what concerns their community, a
//! unit's liaison only what concerns their unit. `CoopScope` is built from a principal's roles
//! in `access` only.
mod access;
mod agreements;
mod convening;
mod export;
mod meetings;
pub(crate) mod messages;
mod needs;
mod pairings;
mod partners;
mod projects;
mod resolutions;
mod resources;
mod todo;

pub use agreements::{
    add_agreement, agreements, due_for_renewal, set_commitment_done, Agreement, AgreementInput,
    Commitment, RENEWAL_DAYS,
};
pub use convening::{invite_choices, InviteChoices};
pub use export::{export_meetings, meetings_xlsx};
pub use meetings::{
    clear_sign_in, invite, meeting, meetings, meetings_of, propose_item, record_minutes,
    remove_item, save_meeting, sign_in, uninvite, AgendaInput, AgendaItem, Invitee, InviteeKind,
    Meeting, MeetingInput, MeetingSummary,
};
pub use needs::{
    claim, confirm, deliver, escalate, mask_name, needs, post_need, reveal_requester_phone,
    set_unclaimed_days, unclaimed_days, Need, NeedCategory, NeedInput, NeedStatus, Urgency,
    DEFAULT_UNCLAIMED_DAYS,
};
pub use pairings::{pair, street_communities, unpair, Pairing};
pub use partners::{
    attach_liaison, create_liaison_account, get_partner, partners, save_partner, PartnerInput,
    PartnerKind, PartnerSummary, PartnerUnit,
};
pub use projects::{
    create_project, projects, update_project, Project, ProjectInput, ProjectStatus,
};
pub use resolutions::{
    add_resolution, close_resolution, followup, owner_choices, report_progress, resolutions,
    Completion, Followup, OwnerKind, ProgressNote, RateRow, Resolution, ResolutionInput,
    ResolutionStatus,
};
pub use resources::{resources, save_resource, Resource, ResourceInput, ResourceKind};
pub use todo::{todo, todo_of, CoopTodo};

use uuid::Uuid;

use crate::db::Db;
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::tenancy::{Commit, TenantScope, TenantTx};

/// Who looks at the co-construction space, which decides what they see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    /// Staff of the street: everything of the street.
    Street,
    /// Staff of one community of the street: what concerns that community.
    Community(Uuid),
    /// The liaison of one unit: what concerns that unit.
    Unit(Uuid),
}

/// Proof that the caller may work in one street's co-construction space as `viewer`.
#[derive(Debug)]
pub struct CoopScope {
    street: TenantScope,
    viewer: Viewer,
}

impl CoopScope {
    pub(crate) fn new(street: TenantScope, viewer: Viewer) -> Self {
        CoopScope { street, viewer }
    }

    pub fn street_id(&self) -> Uuid {
        self.street.tenant_id()
    }

    pub fn viewer(&self) -> Viewer {
        self.viewer
    }

    /// The role the viewer acts in here.
    pub fn role(&self) -> Role {
        self.street.role()
    }

    /// The key of a read kept for this viewer (`Db::kept`), forgotten when anything is written
    /// in the street's co-construction space: the viewer's level and role are all such a read
    /// depends on.
    pub(crate) fn kept_read(
        &self,
        what: &'static str,
        today: chrono::NaiveDate,
    ) -> crate::tenancy::recent::NodeRead {
        let viewer = match self.viewer {
            Viewer::Street => self.street_id(),
            Viewer::Community(id) | Viewer::Unit(id) => id,
        };
        crate::tenancy::recent::NodeRead {
            node: self.street_id(),
            what,
            whom: Some((viewer, self.role())),
            day: today,
        }
    }

    pub async fn read(&self, db: &Db) -> DomainResult<CoopTx> {
        Ok(CoopTx {
            tx: self.street.read(db).await?,
            viewer: self.viewer,
            write: false,
        })
    }

    pub async fn write(&self, db: &Db) -> DomainResult<CoopTx> {
        Ok(CoopTx {
            tx: self.street.write(db).await?,
            viewer: self.viewer,
            write: true,
        })
    }
}

impl crate::tenancy::Commit for CoopTx {
    async fn commit(self) -> DomainResult<()> {
        CoopTx::commit(self).await
    }
}

/// A transaction in a street's co-construction space.
pub struct CoopTx {
    tx: TenantTx,
    viewer: Viewer,
    /// A write transaction refreshes the street's co-construction figures before it commits.
    write: bool,
}

impl CoopTx {
    pub fn viewer(&self) -> Viewer {
        self.viewer
    }

    pub fn street_id(&self) -> Uuid {
        self.tx.tenant_id()
    }

    pub(crate) fn tx(&self) -> &TenantTx {
        &self.tx
    }

    pub async fn commit(self) -> DomainResult<()> {
        if self.write {
            self.tx.record(crate::changes::Change::Coop);
        }
        self.tx.commit().await
    }

    /// Staff and liaisons; a member of a community only takes part in micro-wishes.
    pub(crate) fn ensure_not_member(&self) -> DomainResult<()> {
        match self.tx.role() {
            Role::Member => Err(DomainError::Forbidden),
            _ => Ok(()),
        }
    }

    /// Street staff only (registering units, pairing them).
    pub(crate) fn ensure_street(&self) -> DomainResult<()> {
        match (self.viewer, self.tx.role()) {
            (Viewer::Street, Role::StreetStaff) => Ok(()),
            _ => Err(DomainError::Forbidden),
        }
    }
}
