//! The roster as its keepers browse it. A community's members (only the columns the roster
//! shows) and its placements are read in one go and kept (`Db::kept`) until anything is written
//! in the community, at most 5 s; each page, filter and search is then worked out in memory, so
//! paging through the roster or searching it reads nothing. Who may see what is decided on
//! every request, from the scope, before anything kept is looked at. A community of more than
//! `KEPT_UP_TO` members is paged in the database every time (`list`).
use std::sync::Arc;

use uuid::Uuid;

use super::model::Status;
use super::reach::{may_reach, reach_of, Reach};
use super::roster::{
    list, roster_row, search_term, ListQuery, Listed, MemberPage, LISTED, MAX_PAGE, MAX_PER_PAGE,
};
use crate::entities::member;
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::org::placements::{labels, list_placements, Placement};
use crate::tenancy::recent::NodeRead;
use crate::tenancy::{Commit, TenantScope};
use crate::Db;

/// Past this many members (transferred ones included) a community's roster is not kept: its
/// rows would take about a megabyte. (A large community has a few hundred to 2,000.)
const KEPT_UP_TO: u64 = 3_000;

/// A kept roster weighs one kept page (~16 KB) per this many members (~330 B each with their
/// text).
const MEMBERS_PER_PAGE_WEIGHT: usize = 48;

/// A page of the roster and the labels of the placements within the viewer's reach (the
/// filter's choices and the rows' placement names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Roster {
    pub page: MemberPage,
    pub units: Vec<(Uuid, String)>,
}

/// What is kept of a community: its members ordered by id and its placements, or that it has
/// too many members to keep.
#[derive(Clone)]
enum Kept {
    Members(Arc<Community>),
    TooLarge,
}

struct Community {
    members: Vec<Listed>,
    placements: Vec<Placement>,
}

/// The roster page `query` asks for, as `members::list` gives it, with the placements' labels
/// (`members::placements_in_reach`). For community staff and a 支部书记 (their branch).
pub async fn roster(db: &Db, scope: &TenantScope, query: &ListQuery) -> DomainResult<Roster> {
    // Whether a 支部书记's branch is this community's is known from its placements, below.
    if !may_reach(scope.role(), scope.branch_id()) {
        return Err(DomainError::Forbidden);
    }
    // Whom: none, the community's rows are the same for every viewer; each request takes its
    // own part of them below. Not by day: nothing in it depends on the date.
    let key = NodeRead {
        node: scope.tenant_id(),
        what: "members.roster",
        whom: None,
        day: chrono::NaiveDate::MIN,
    };
    let kept = db
        .kept_weighing(key, read(db, scope), |kept| match kept {
            Kept::Members(community) => 1 + community.members.len() / MEMBERS_PER_PAGE_WEIGHT,
            Kept::TooLarge => 1,
        })
        .await?;
    match kept {
        Kept::Members(community) => community.roster(scope, query),
        Kept::TooLarge => {
            let tx = scope.read(db).await?;
            let page = list(&tx, query).await?;
            let units = labels(&super::placements_in_reach(&tx).await?);
            tx.commit().await?;
            Ok(Roster { page, units })
        }
    }
}

async fn read(db: &Db, scope: &TenantScope) -> DomainResult<Kept> {
    let tx = scope.read(db).await?;
    // Counted first (on the ids' index, at most one past the bound), so a large community's
    // rows are not read only to be left.
    let counted = tx
        .find::<member::Entity>()
        .select_only()
        .column(member::Column::Id)
        .limit(KEPT_UP_TO + 1)
        .count(&tx)
        .await?;
    if counted > KEPT_UP_TO {
        tx.commit().await?;
        return Ok(Kept::TooLarge);
    }
    let mut select = tx.find::<member::Entity>().select_only();
    for column in LISTED {
        select = select.column(column);
    }
    let members: Vec<Listed> = select
        .order_by_asc(member::Column::Id)
        .into_model()
        .all(&tx)
        .await?;
    let placements = list_placements(&tx).await?;
    tx.commit().await?;
    Ok(Kept::Members(Arc::new(Community {
        members,
        placements,
    })))
}

impl Community {
    /// The viewer's page: the same rows, total and order as `list` reads from the database.
    fn roster(&self, scope: &TenantScope, query: &ListQuery) -> DomainResult<Roster> {
        let reach = reach_of(scope.role(), scope.branch_id(), &self.placements)?;
        let wanted = Wanted::new(query, scope.role(), &reach);
        let per_page = query.per_page.clamp(1, MAX_PER_PAGE);
        let page = query.page.clamp(1, MAX_PAGE);
        let skip = usize::try_from((page - 1) * per_page).unwrap_or(usize::MAX);
        let take = usize::try_from(per_page).unwrap_or(usize::MAX);
        let mut total = 0_usize;
        let mut rows = Vec::new();
        for member in self.members.iter().filter(|m| wanted.matches(m)) {
            if total >= skip && rows.len() < take {
                rows.push(roster_row(scope.actor_user_id(), member));
            }
            total += 1;
        }
        Ok(Roster {
            page: MemberPage {
                rows,
                total: total as u64,
                page,
                per_page,
            },
            units: labels(&reach.units_among(self.placements.clone())),
        })
    }
}

/// The members a query asks for within the viewer's reach (`roster::filtered` in memory).
struct Wanted<'a> {
    query: &'a ListQuery,
    reach: &'a Reach,
    /// The search text, ASCII letters in lower case (their case is ignored, as the database
    /// path does: SQLite's `LIKE`, PostgreSQL's `ILIKE`), prepared once for every member
    /// (`str::contains` prepares it anew each call: ~7 % of a searched roster's CPU for the
    /// 2,000 names and phones).
    search: Option<memchr::memmem::Finder<'static>>,
    search_has_letters: bool,
    /// Only the secretary finds members by phone number.
    by_phone: bool,
}

impl<'a> Wanted<'a> {
    fn new(query: &'a ListQuery, role: Role, reach: &'a Reach) -> Self {
        let search = search_term(query).to_ascii_lowercase();
        Wanted {
            query,
            reach,
            search_has_letters: search.bytes().any(|b| b.is_ascii_alphabetic()),
            search: (!search.is_empty())
                .then(|| memchr::memmem::Finder::new(search.as_bytes()).into_owned()),
            by_phone: role == Role::CommunitySecretary,
        }
    }

    fn matches(&self, m: &Listed) -> bool {
        let query = self.query;
        let status = match query.status {
            Some(status) => m.status == status,
            None => query.include_transferred || m.status != Status::TransferredOut,
        };
        status
            && self.reach.covers_unit(m.unit_id)
            && query.category.is_none_or(|c| m.category == c)
            && query.relation.is_none_or(|r| m.relation == r)
            && query.standing.is_none_or(|s| m.standing == s)
            && query.unit_id.is_none_or(|u| m.unit_id == Some(u))
            && self.search.as_ref().is_none_or(|search| {
                self.found_in(search, &m.name)
                    || (self.by_phone
                        && m.phone.as_deref().is_some_and(|p| self.found_in(search, p)))
            })
    }

    fn found_in(&self, search: &memchr::memmem::Finder<'_>, text: &str) -> bool {
        if self.search_has_letters {
            search.find(text.to_ascii_lowercase().as_bytes()).is_some()
        } else {
            search.find(text.as_bytes()).is_some()
        }
    }
}
