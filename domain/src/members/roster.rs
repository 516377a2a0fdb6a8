//! Create, change, read and list members of one community (a `TenantTx` is always the scope).
use crate::tenancy::Commit;
use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, Condition, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::history::{record, EventKind};
use super::model::{
    check, mask_phone, Category, CheckedMember, Gender, MemberInput, PartyRelation, PartyStanding,
    Status,
};
use super::reach::reach;
use crate::changes::{Change, Metric};
use crate::entities::{community_unit, member};
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::tenancy::{Row, Runner, Scoped, Sql, TenantTx};

/// A member as shown to community staff. The phone is masked except for the secretary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: Uuid,
    /// The member's fields (`phone` masked as above).
    #[serde(flatten)]
    pub member: CheckedMember,
    pub has_account: bool,
    /// The login's account, for its keepers to reset or close.
    pub account: Option<Uuid>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    /// Part of a name, or of a phone number (the secretary only).
    pub search: String,
    pub category: Option<Category>,
    /// 组织关系在本社区 or 报到党员.
    pub relation: Option<PartyRelation>,
    /// 正式党员 or 预备党员.
    pub standing: Option<PartyStanding>,
    pub status: Option<Status>,
    pub unit_id: Option<Uuid>,
    /// Members transferred out leave the active roster but keep their history.
    pub include_transferred: bool,
    /// 1-based.
    pub page: u64,
    pub per_page: u64,
}

/// A member as the roster lists them: only what its table shows, read from only those columns
/// (SQLite's driver copies out every column of every row, one value at a time). The phone is
/// masked as in `MemberRow`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    pub id: Uuid,
    pub name: String,
    pub gender: Gender,
    pub category: Category,
    pub relation: PartyRelation,
    pub standing: PartyStanding,
    pub status: Status,
    pub unit_id: Option<Uuid>,
    pub phone: Option<String>,
    pub building: Option<String>,
    pub unit_no: Option<String>,
    pub room: Option<String>,
    pub has_account: bool,
}

/// The columns a `RosterRow` is made of, as read (matched by name).
#[derive(sea_orm::FromQueryResult)]
pub(super) struct Listed {
    pub id: Uuid,
    pub name: String,
    pub gender: Gender,
    pub category: Category,
    pub relation: PartyRelation,
    pub standing: PartyStanding,
    pub status: Status,
    pub unit_id: Option<Uuid>,
    pub phone: Option<String>,
    pub building: Option<String>,
    pub unit_no: Option<String>,
    pub room: Option<String>,
    pub user_id: Option<Uuid>,
}

pub(super) const LISTED: [member::Column; 13] = [
    member::Column::Id,
    member::Column::Name,
    member::Column::Gender,
    member::Column::Category,
    member::Column::Relation,
    member::Column::Standing,
    member::Column::Status,
    member::Column::UnitId,
    member::Column::Phone,
    member::Column::Building,
    member::Column::UnitNo,
    member::Column::Room,
    member::Column::UserId,
];

/// A listed member as `actor` sees them (their own phone in full).
pub(super) fn roster_row(actor: Uuid, m: &Listed) -> RosterRow {
    let own = m.user_id == Some(actor);
    RosterRow {
        id: m.id,
        name: m.name.clone(),
        gender: m.gender,
        category: m.category,
        relation: m.relation,
        standing: m.standing,
        status: m.status,
        unit_id: m.unit_id,
        phone: m
            .phone
            .as_deref()
            .map(|p| if own { p.to_owned() } else { mask_phone(p) }),
        building: m.building.clone(),
        unit_no: m.unit_no.clone(),
        room: m.room.clone(),
        has_account: m.user_id.is_some(),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPage {
    pub rows: Vec<RosterRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

pub const MAX_PER_PAGE: u64 = 200;
/// The page number comes from the address: capped, so its offset stays a number both engines
/// take (the driver refuses, with a panic, an offset beyond `i64`).
pub(super) const MAX_PAGE: u64 = 100_000;

/// Community secretaries and workers keep the roster.
pub(crate) fn ensure_keeper(tx: &TenantTx) -> DomainResult<()> {
    match tx.role() {
        Role::CommunitySecretary | Role::CommunityWorker => Ok(()),
        _ => Err(DomainError::Forbidden),
    }
}

/// The whole community's records are read by its secretary and workers; members read their own
/// record, and a 支部书记 their branch's through `reach`.
pub(crate) fn ensure_staff(tx: &TenantTx) -> DomainResult<()> {
    ensure_keeper(tx)
}

/// A member as shown: the phone masked for everyone but the member themselves (the secretary
/// reveals one number at a time, audited: `reveal_phone`).
pub(super) fn row(tx: &TenantTx, m: member::Model) -> MemberRow {
    row_with(tx, m, false)
}

/// `full_phone`: for the secretary's export, itself audited.
fn row_with(tx: &TenantTx, m: member::Model, full_phone: bool) -> MemberRow {
    let own = m.user_id == Some(tx.actor_user_id());
    let phone = m.phone.as_deref().map(|p| {
        if full_phone || own {
            p.to_owned()
        } else {
            mask_phone(p)
        }
    });
    let mut member = checked_of(&m);
    member.phone = phone;
    MemberRow {
        id: m.id,
        member,
        has_account: m.user_id.is_some(),
        account: m.user_id,
    }
}

/// Checks what only the database can tell: the unit belongs to this community and no other
/// member of it has the phone number.
async fn check_in_tenant(
    tx: &TenantTx,
    m: &CheckedMember,
    except: Option<Uuid>,
) -> DomainResult<()> {
    if let Some(unit) = m.unit_id {
        let found = tx
            .find::<community_unit::Entity>()
            .filter(community_unit::Column::Id.eq(unit))
            .count(tx)
            .await?;
        if found == 0 {
            return Err(DomainError::invalid("unit_id", "not_found"));
        }
    }
    if let Some(phone) = &m.phone {
        let mut same = tx
            .find::<member::Entity>()
            .filter(member::Column::Phone.eq(phone.as_str()));
        if let Some(id) = except {
            same = same.filter(member::Column::Id.ne(id));
        }
        if same.count(tx).await? > 0 {
            return Err(super::phone_probes::duplicate(tx));
        }
    }
    Ok(())
}

/// The stored form of a checked member.
pub(crate) fn stored(
    tenant_id: Uuid,
    id: Uuid,
    m: &CheckedMember,
    user_id: Option<Uuid>,
    created_at: chrono::DateTime<Utc>,
    current_city: Option<String>,
    now: chrono::DateTime<Utc>,
) -> member::ActiveModel {
    member::ActiveModel {
        tenant_id: Set(tenant_id),
        id: Set(id),
        name: Set(m.name.clone()),
        gender: Set(m.gender),
        unit_id: Set(m.unit_id),
        user_id: Set(user_id),
        created_at: Set(created_at),
        birth_date: Set(m.birth_date),
        phone: Set(m.phone.clone()),
        joined_on: Set(m.joined_on),
        category: Set(m.category),
        relation: Set(m.relation),
        standing: Set(m.standing),
        status: Set(m.status),
        building: Set(m.building.clone()),
        unit_no: Set(m.unit_no.clone()),
        room: Set(m.room.clone()),
        employer: Set(m.employer.clone()),
        employer_party_org: Set(m.employer_party_org.clone()),
        interests: Set(m.interests.clone()),
        hardship: Set(m.hardship),
        immobile: Set(m.immobile),
        id_last4: Set(m.id_last4.clone()),
        updated_at: Set(Some(now)),
        current_city: Set(current_city),
    }
}

/// The checked form of a stored member (to compare with a change).
fn checked_of(m: &member::Model) -> CheckedMember {
    CheckedMember {
        name: m.name.clone(),
        gender: m.gender,
        birth_date: m.birth_date,
        phone: m.phone.clone(),
        joined_on: m.joined_on,
        category: m.category,
        relation: m.relation,
        standing: m.standing,
        status: m.status,
        unit_id: m.unit_id,
        building: m.building.clone(),
        unit_no: m.unit_no.clone(),
        room: m.room.clone(),
        employer: m.employer.clone(),
        employer_party_org: m.employer_party_org.clone(),
        interests: m.interests.clone(),
        hardship: m.hardship,
        immobile: m.immobile,
        id_last4: m.id_last4.clone(),
    }
}

/// The counters a member counts in.
pub(crate) fn counters(m: &CheckedMember) -> Vec<Metric> {
    let mut metrics = vec![
        Metric::MembersByCategory(m.category),
        Metric::MembersByStatus(m.status),
    ];
    if m.status != Status::TransferredOut {
        metrics.push(Metric::Members);
        if m.relation == PartyRelation::Reporting {
            metrics.push(Metric::ReportingMembers);
        }
    }
    metrics
}

/// Follows a member's new placement, status or relation: their roster history (`spans`) and
/// their committee seats.
async fn placement_changed(
    tx: &TenantTx,
    id: Uuid,
    unit: Option<Uuid>,
    status: Status,
    relation: PartyRelation,
) -> DomainResult<()> {
    let counted = super::spans::counted_unit(unit, status, relation);
    super::spans::follow(tx, id, counted, Utc::now()).await?;
    vacate_seats(tx, id, unit, status, relation).await
}

/// Vacates the branch-committee seats a member no longer qualifies for: moved out of the branch,
/// off the active roster, or their Party relation elsewhere (the branch's 支委会 figures follow).
async fn vacate_seats(
    tx: &TenantTx,
    id: Uuid,
    unit: Option<Uuid>,
    status: Status,
    relation: PartyRelation,
) -> DomainResult<()> {
    use crate::entities::branch_committee_seat as seat;
    let seats = tx
        .find::<seat::Entity>()
        .filter(seat::Column::MemberId.eq(id))
        .all(tx)
        .await?;
    if seats.is_empty() {
        return Ok(());
    }
    let units = crate::org::placements::list_placements(tx).await?;
    let stays = |branch: Uuid| {
        status != Status::TransferredOut
            && relation == PartyRelation::Here
            && unit.is_some_and(|u| crate::org::placements::subtree(&units, branch).contains(&u))
    };
    let gone: Vec<Uuid> = seats
        .iter()
        .filter(|s| !stays(s.branch_id))
        .map(|s| s.id)
        .collect();
    if !gone.is_empty() {
        tx.delete::<seat::Entity>()
            .filter(seat::Column::Id.is_in(gone))
            .exec(tx)
            .await?;
        tx.record(Change::OrgLife);
    }
    Ok(())
}

/// Takes the member row's write lock for the rest of the transaction (a no-op update), so
/// writes that first check what the member already has (points, dues) go one at a time.
pub(crate) async fn lock_member(tx: &TenantTx, member_id: Uuid) -> DomainResult<()> {
    use sea_orm::sea_query::Expr;
    tx.update_many::<member::Entity>()
        .col_expr(member::Column::Id, Expr::col(member::Column::Id))
        .filter(member::Column::Id.eq(member_id))
        .exec(tx)
        .await?;
    Ok(())
}

/// Adds a member. `user_id` links an account (a member who logs in).
pub async fn create(
    tx: &TenantTx,
    input: &MemberInput,
    user_id: Option<Uuid>,
    today: NaiveDate,
) -> DomainResult<Uuid> {
    ensure_keeper(tx)?;
    let m = check(input, today)?;
    check_in_tenant(tx, &m, None).await?;
    let id = Uuid::now_v7();
    let now = Utc::now();
    stored(tx.tenant_id(), id, &m, user_id, now, None, now)
        .insert_in(tx)
        .await?;
    let counted = super::spans::counted_unit(m.unit_id, m.status, m.relation);
    if let Some(span) = super::spans::first_span(tx.tenant_id(), id, counted, Some(now)) {
        span.insert_in(tx).await?;
    }
    for metric in counters(&m) {
        tx.record(Change::count(tx.tenant_id(), metric, 1));
    }
    record(tx, id, EventKind::Created, serde_json::json!({})).await?;
    Ok(id)
}

async fn load(tx: &TenantTx, id: Uuid) -> DomainResult<member::Model> {
    tx.find::<member::Entity>()
        .filter(member::Column::Id.eq(id))
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Replaces a member's data; records which fields changed.
pub async fn update(
    tx: &TenantTx,
    id: Uuid,
    input: &MemberInput,
    today: NaiveDate,
) -> DomainResult<()> {
    ensure_keeper(tx)?;
    let old = load(tx, id).await?;
    // The form shows a worker the masked number: sent back unchanged, it keeps the stored one.
    let kept;
    let input = match &old.phone {
        Some(phone) if input.phone.trim() == mask_phone(phone) => {
            kept = MemberInput {
                phone: phone.clone(),
                ..input.clone()
            };
            &kept
        }
        _ => input,
    };
    let m = check(input, today)?;
    check_in_tenant(tx, &m, Some(id)).await?;
    let before = checked_of(&old);
    let changed = changed_fields(&before, &m);
    if changed.is_empty() {
        return Ok(());
    }
    let (created_at, user_id, city) = (old.created_at, old.user_id, old.current_city.clone());
    let active = stored(
        tx.tenant_id(),
        id,
        &m,
        user_id,
        created_at,
        city,
        Utc::now(),
    );
    active.update_in(tx).await?;
    for metric in counters(&before) {
        tx.record(Change::count(tx.tenant_id(), metric, -1));
    }
    for metric in counters(&m) {
        tx.record(Change::count(tx.tenant_id(), metric, 1));
    }
    let pays_here =
        |c: &CheckedMember| c.status != Status::TransferredOut && c.relation == PartyRelation::Here;
    if pays_here(&before) != pays_here(&m) {
        tx.record(Change::DuesPayers);
    }
    placement_changed(tx, id, m.unit_id, m.status, m.relation).await?;
    let detail = serde_json::json!({
        "changed": changed,
        "category": [before.category.as_str(), m.category.as_str()],
        "status": [before.status.as_str(), m.status.as_str()],
    });
    record(tx, id, EventKind::Updated, detail).await
}

fn changed_fields(a: &CheckedMember, b: &CheckedMember) -> Vec<&'static str> {
    let mut out = Vec::new();
    macro_rules! cmp {
        ($($field:ident),+) => { $( if a.$field != b.$field { out.push(stringify!($field)); } )+ };
    }
    cmp!(
        name,
        gender,
        birth_date,
        phone,
        joined_on,
        category,
        relation,
        standing,
        status,
        unit_id,
        building,
        unit_no,
        room,
        employer,
        employer_party_org,
        interests,
        hardship,
        immobile,
        id_last4
    );
    out
}

/// Changes only the status (e.g. a transfer out), keeping the counters in step.
pub(crate) async fn set_status(tx: &TenantTx, id: Uuid, status: Status) -> DomainResult<()> {
    let old = load(tx, id).await?;
    let (before, relation, unit) = (old.status, old.relation, old.unit_id);
    if before == status {
        return Ok(());
    }
    let mut active: member::ActiveModel = old.into();
    active.status = Set(status);
    active.updated_at = Set(Some(Utc::now()));
    active.update_in(tx).await?;
    tx.record(Change::count(
        tx.tenant_id(),
        Metric::MembersByStatus(before),
        -1,
    ));
    tx.record(Change::count(
        tx.tenant_id(),
        Metric::MembersByStatus(status),
        1,
    ));
    let active_delta = |s: Status| i64::from(s != Status::TransferredOut);
    let delta = active_delta(status) - active_delta(before);
    if delta != 0 {
        tx.record(Change::count(tx.tenant_id(), Metric::Members, delta));
        if relation == PartyRelation::Reporting {
            tx.record(Change::count(
                tx.tenant_id(),
                Metric::ReportingMembers,
                delta,
            ));
        }
        // Whether they pay dues here changed.
        tx.record(Change::DuesPayers);
    }
    placement_changed(tx, id, unit, status, relation).await?;
    Ok(())
}

/// Moves several members to one placement unit (`None`: no unit) at once; all or nothing.
/// Returns how many members changed unit.
pub async fn move_members(
    tx: &TenantTx,
    ids: &[Uuid],
    unit_id: Option<Uuid>,
) -> DomainResult<usize> {
    ensure_keeper(tx)?;
    // Counted before the sort: a form may carry thousands of ids.
    if ids.len() as u64 > MAX_PER_PAGE {
        return Err(DomainError::invalid("members", "too_many"));
    }
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Err(DomainError::invalid("members", "none_selected"));
    }
    if ids.len() as u64 > MAX_PER_PAGE {
        return Err(DomainError::invalid("members", "too_many"));
    }
    if let Some(unit) = unit_id {
        let found = tx
            .find::<community_unit::Entity>()
            .filter(community_unit::Column::Id.eq(unit))
            .count(tx)
            .await?;
        if found == 0 {
            return Err(DomainError::invalid("unit_id", "not_found"));
        }
    }
    let people = tx.find_ids::<member::Entity>(ids.clone()).await?;
    if people.len() != ids.len() {
        return Err(DomainError::NotFound);
    }
    let mut moved = 0;
    for person in people.into_iter().filter(|m| m.unit_id != unit_id) {
        let (id, from) = (person.id, person.unit_id);
        placement_changed(tx, id, unit_id, person.status, person.relation).await?;
        let mut active: member::ActiveModel = person.into();
        active.unit_id = Set(unit_id);
        active.updated_at = Set(Some(Utc::now()));
        active.update_in(tx).await?;
        let detail = serde_json::json!({ "from": from, "to": unit_id });
        record(tx, id, EventKind::Moved, detail).await?;
        moved += 1;
    }
    Ok(moved)
}

/// One member within the actor's reach (a member of another branch reads as not found).
pub async fn get(tx: &TenantTx, id: Uuid) -> DomainResult<MemberRow> {
    let reach = reach(tx).await?;
    let m = load(tx, id).await?;
    if !reach.covers(&m) {
        return Err(DomainError::NotFound);
    }
    Ok(row(tx, m))
}

/// A member's full phone number for the secretary, one at a time: read without the write lock,
/// then recorded in the audit log (one insert). `None`: no phone on file.
pub async fn reveal_phone(
    db: &crate::Db,
    scope: &crate::tenancy::TenantScope,
    id: Uuid,
) -> DomainResult<Option<String>> {
    let tx = scope.read(db).await?;
    ensure_staff(&tx)?;
    if tx.role() != Role::CommunitySecretary {
        return Err(DomainError::Forbidden);
    }
    let phone = load(&tx, id).await?.phone;
    tx.commit().await?;
    crate::audit::record(
        db,
        crate::audit::AuditEvent::new("phone_revealed", id.to_string())
            .actor(Some(scope.actor_user_id()))
            .node(Some(scope.tenant_id())),
    )
    .await?;
    Ok(phone)
}

/// The signed-in member's own record (any role that has one in this community).
pub async fn own_record(tx: &TenantTx) -> DomainResult<Option<MemberRow>> {
    let found = tx
        .find::<member::Entity>()
        .filter(member::Column::UserId.eq(tx.actor_user_id()))
        .one(tx)
        .await?;
    Ok(found.map(|m| row(tx, m)))
}

/// Up to ten members whose name or phone matches `search`, as (id, name) — for picking one
/// (代报名, adding to a team). Staff only, as `list`.
pub async fn lookup(tx: &TenantTx, search: &str) -> DomainResult<Vec<(Uuid, String)>> {
    let query = ListQuery {
        search: search.trim().to_owned(),
        page: 1,
        per_page: 10,
        ..Default::default()
    };
    Ok(list(tx, &query)
        .await?
        .rows
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect())
}

/// One page of the roster within the actor's reach, filtered.
pub async fn list(tx: &TenantTx, query: &ListQuery) -> DomainResult<MemberPage> {
    let reach = reach(tx).await?;
    let per_page = query.per_page.clamp(1, MAX_PER_PAGE);
    let page = query.page.clamp(1, MAX_PAGE);
    // Count and page over ids only (the covering index `members_roster`), the page of ids a
    // subquery of the read of the listed columns: deep pages of a large community stay cheap.
    // A search reads every row anyway, so it takes all matching ids in that one pass and
    // counts them.
    let select = filtered(tx, query).filter(reach.members());
    let offset = (page - 1) * per_page;
    let (total, listed) = if search_term(query).is_empty() {
        let total = match counted_total(tx, query, reach.branch().is_none()).await? {
            Some(total) => total,
            None => count_ids(tx, select.clone()).await?,
        };
        let page_ids = select
            .select_only()
            .column(member::Column::Id)
            .order_by_asc(member::Column::Id)
            .offset(offset)
            .limit(per_page);
        let listed = tx
            .find::<member::Entity>()
            .filter_in(member::Column::Id, page_ids)?;
        (total, listed)
    } else {
        let all: Vec<Uuid> = select
            .select_only()
            .column(member::Column::Id)
            .order_by_asc(member::Column::Id)
            .into_tuple()
            .all(tx)
            .await?;
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(all.len());
        let end = start.saturating_add(per_page as usize).min(all.len());
        let listed = tx
            .find::<member::Entity>()
            .filter(member::Column::Id.is_in(all[start..end].to_vec()));
        (all.len() as u64, listed)
    };
    let mut listed = listed.select_only();
    for column in LISTED {
        listed = listed.column(column);
    }
    let rows: Vec<Listed> = listed
        .order_by_asc(member::Column::Id)
        .into_model()
        .all(tx)
        .await?;
    Ok(MemberPage {
        rows: rows
            .iter()
            .map(|m| roster_row(tx.actor_user_id(), m))
            .collect(),
        total,
        page,
        per_page,
    })
}

/// Every member matching the filters, for the spreadsheet export (keepers only). The rows are
/// read without SQLite's write lock; the export is then audited (one insert, the audit log is
/// no tenant's table).
pub async fn export(
    db: &crate::Db,
    scope: &crate::tenancy::TenantScope,
    query: &ListQuery,
) -> DomainResult<Vec<MemberRow>> {
    let tx = scope.read(db).await?;
    ensure_keeper(&tx)?;
    let rows: Vec<MemberRow> = filtered(&tx, query)
        .order_by_asc(member::Column::Id)
        .all(&tx)
        .await?
        .into_iter()
        .map(|m| row_with(&tx, m, tx.role() == Role::CommunitySecretary))
        .collect();
    tx.commit().await?;
    crate::audit::record(
        db,
        crate::audit::AuditEvent::new("roster_exported", scope.tenant_id().to_string())
            .actor(Some(scope.actor_user_id()))
            .node(Some(scope.tenant_id()))
            .detail(serde_json::json!({
                "rows": rows.len(),
                "search": search_term(query),
                "category": query.category.map(|c| c.as_str()),
                "relation": query.relation.map(|r| r.as_str()),
                "status": query.status.map(|s| s.as_str()),
                "unit": query.unit_id,
                "include_transferred": query.include_transferred,
            })),
    )
    .await?;
    Ok(rows)
}

/// The longest search looked for: as long as the longest field it searches (a name; phones are
/// shorter), so what is cut could match nothing anyway.
const SEARCH_MAX: usize = 64;

/// The search text, at most `SEARCH_MAX` characters.
pub(super) fn search_term(query: &ListQuery) -> String {
    crate::text_search::search_term(&query.search, SEARCH_MAX)
}

fn filtered(tx: &TenantTx, query: &ListQuery) -> Scoped<sea_orm::Select<member::Entity>> {
    let mut select = tx.find::<member::Entity>();
    let search = search_term(query);
    if !search.is_empty() {
        let mut any = Condition::any().add(contains(tx, member::Column::Name, &search));
        if tx.role() == Role::CommunitySecretary {
            any = any.add(contains(tx, member::Column::Phone, &search));
        }
        select = select.filter(any);
    }
    if let Some(category) = query.category {
        select = select.filter(member::Column::Category.eq(category.as_str()));
    }
    if let Some(relation) = query.relation {
        select = select.filter(member::Column::Relation.eq(relation.as_str()));
    }
    if let Some(standing) = query.standing {
        select = select.filter(member::Column::Standing.eq(standing.as_str()));
    }
    if let Some(status) = query.status {
        select = select.filter(member::Column::Status.eq(status.as_str()));
    } else if !query.include_transferred {
        select = select.filter(member::Column::Status.ne(Status::TransferredOut.as_str()));
    }
    if let Some(unit) = query.unit_id {
        select = select.filter(member::Column::UnitId.eq(unit));
    }
    select
}

fn contains(tx: &TenantTx, column: member::Column, text: &str) -> sea_orm::sea_query::SimpleExpr {
    crate::text_search::contains(tx.backend(), column, text)
}

/// The total of the roster as it opens (the whole community's active members, nothing
/// filtered) from the community's `members` counter: kept in step with the rows by every commit
/// and checked by `reconcile`, it is one key lookup where counting visits every member (on
/// PostgreSQL a scan of the community's rows, ~1.3 ms for 2,000). None for any other view, and
/// inside a write, whose own changes reach the counter only when it commits.
async fn counted_total(
    tx: &TenantTx,
    query: &ListQuery,
    whole_community: bool,
) -> DomainResult<Option<u64>> {
    let opening_view = whole_community
        && search_term(query).is_empty()
        && query.category.is_none()
        && query.relation.is_none()
        && query.standing.is_none()
        && query.status.is_none()
        && query.unit_id.is_none()
        && !query.include_transferred;
    if !opening_view || tx.is_writing() {
        return Ok(None);
    }
    let row = tx
        .query_one_sql(crate::db::statement(
            tx.backend(),
            "SELECT value FROM rollup_counts WHERE node_id = $1 AND metric = $2",
            vec![tx.tenant_id().into(), Metric::Members.name().into()],
        ))
        .await?;
    let value: i64 = match row {
        Some(row) => row.try_get("", "value")?,
        None => 0,
    };
    Ok(Some(u64::try_from(value).unwrap_or(0)))
}

/// How many members the roster's first page counts (the actor's reach, transferred members
/// left out), without reading a page of them.
pub async fn count_in_reach(tx: &TenantTx) -> DomainResult<u64> {
    let reach = reach(tx).await?;
    count_ids(
        tx,
        filtered(tx, &ListQuery::default()).filter(reach.members()),
    )
    .await
}

/// Members on the active roster.
pub async fn count(tx: &TenantTx) -> DomainResult<u64> {
    let active = tx
        .find::<member::Entity>()
        .filter(member::Column::Status.ne(Status::TransferredOut.as_str()));
    count_ids(tx, active).await
}

/// `COUNT(id)` of a filtered select, straight (sea-orm's `count` wraps it in a sub-query).
async fn count_ids(
    tx: &TenantTx,
    select: Scoped<sea_orm::Select<member::Entity>>,
) -> DomainResult<u64> {
    let n: Option<i64> = select
        .select_only()
        .column_as(member::Column::Id.count(), "n")
        .into_tuple()
        .one(tx)
        .await?;
    Ok(n.map_or(0, |n| u64::try_from(n).unwrap_or(0)))
}

/// The signed-in member's own roster row (members only).
pub(crate) async fn own_member(tx: &TenantTx) -> DomainResult<member::Model> {
    if tx.role() != Role::Member {
        return Err(DomainError::Forbidden);
    }
    tx.find::<member::Entity>()
        .filter(member::Column::UserId.eq(tx.actor_user_id()))
        .one(tx)
        .await?
        .ok_or(DomainError::Forbidden)
}

/// A member's own details as they propose them (`members::proposals`): `None` keeps a field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct OwnDetails {
    pub phone: Option<String>,
    pub building: Option<String>,
    pub unit_no: Option<String>,
    pub room: Option<String>,
    pub current_city: Option<String>,
}

/// Applies approved details to a member as any edit does (the phone checked unique in the
/// community); returns the fields that changed.
pub(crate) async fn apply_own_details(
    tx: &TenantTx,
    old: &member::Model,
    details: &OwnDetails,
) -> DomainResult<Vec<&'static str>> {
    let before = checked_of(old);
    let mut after = before.clone();
    let keep = |new: &Option<String>, old: &Option<String>| new.clone().or_else(|| old.clone());
    after.phone = keep(&details.phone, &before.phone);
    after.building = keep(&details.building, &before.building);
    after.unit_no = keep(&details.unit_no, &before.unit_no);
    after.room = keep(&details.room, &before.room);
    let city = keep(&details.current_city, &old.current_city);
    check_in_tenant(tx, &after, Some(old.id)).await?;
    let mut changed = changed_fields(&before, &after);
    if city != old.current_city {
        changed.push("current_city");
    }
    if !changed.is_empty() {
        let now = Utc::now();
        stored(
            tx.tenant_id(),
            old.id,
            &after,
            old.user_id,
            old.created_at,
            city,
            now,
        )
        .update_in(tx)
        .await?;
    }
    Ok(changed)
}
