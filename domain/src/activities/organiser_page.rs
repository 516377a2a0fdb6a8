//! What the staff's activity page reads, kept: every visit of an organiser opens it, and it
//! changes only when something is written in the community.
use chrono::{DateTime, Utc};

use super::{choices, organiser_list, Choices, OrganiserList};
use crate::error::DomainResult;
use crate::points::{rule_points, Rule};
use crate::tenancy::recent::NodeRead;
use crate::tenancy::{Commit, TenantScope};
use crate::Db;

/// An organiser's activity page: the list (`organiser_list`), what the form offers, and the
/// community's points for attending (a new activity's default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganiserPage {
    pub list: OrganiserList,
    pub choices: Choices,
    pub attend: i32,
}

/// The organiser's page `page` (0: the coming activities and the latest past ones). Page 0 is
/// kept until anything is written in the community (`Db::kept`), at most 5 s, so an activity
/// that has just ended may stay among the coming ones that long; older pages are read each
/// time.
pub async fn organiser_page(
    db: &Db,
    scope: &TenantScope,
    now: DateTime<Utc>,
    page: u64,
) -> DomainResult<OrganiserPage> {
    let read = async {
        let tx = scope.read(db).await?;
        let list = organiser_list(&tx, now, page).await?;
        let choices = choices(&tx).await?;
        let attend = rule_points(&tx, Rule::Attend).await?;
        tx.commit().await?;
        Ok(OrganiserPage {
            list,
            choices,
            attend,
        })
    };
    if page != 0 {
        return read.await;
    }
    // Whom: everything `ensure_organiser` and `own_unit_only` look at (the unit a liaison acts
    // for, or a 支部书记's branch, and the role), so a kept page was read after the same check.
    let whom = scope
        .acting_unit()
        .or(scope.branch_id())
        .unwrap_or(scope.tenant_id());
    let key = NodeRead {
        node: scope.tenant_id(),
        what: "activities.organiser",
        whom: Some((whom, scope.role())),
        day: now.with_timezone(&crate::clock::CHINA).date_naive(),
    };
    db.kept(key, read).await
}
