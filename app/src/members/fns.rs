//! Form endpoints of the roster: add or change a member, their login, a revealed phone
//! number, contact and care records, transfers out, moving members between placements. Each
//! authorises through the caller's scope as the community's staff.
use domain::clock::today;
use domain::members::{self, CareInput, ContactInput, MemberInput};
use leptos::prelude::*;

use super::{
    CARE_FORM, CONTACT_FORM, LOGIN_FORM, MEMBER_FORM, MOVE_FORM, PROPOSAL_FORM, TRANSFER_FORM,
};
use crate::error::AppError;
use crate::form::{id, optional_id, Form};
use crate::page::Staff;
use crate::routes;
use crate::state::{redirect, session};

/// Adds (`member` empty) or changes a member of `community`. A new member with a transfer-in
/// date or origin arrives by transfer (组织关系转入).
#[server(endpoint = "members/save")]
pub async fn save_member(
    community: String,
    member: String,
    #[server(flatten)] input: MemberInput,
    #[server(default)] transfer_in_date: String,
    #[server(default)] transfer_in_from: String,
) -> Result<(), AppError> {
    let form = Form::on(&community, MEMBER_FORM)?;
    let n = form.node;
    let id = optional_id(&member)?;
    let back = match id {
        None => routes::new_member(n),
        Some(id) => routes::member_edit(n, id),
    };
    form.back(back)
        .keep(&input)
        .keep_field("transfer_in_date", &transfer_in_date)
        .keep_field("transfer_in_from", &transfer_in_from)
        .submit::<Staff>(async |tx| {
            let today = today();
            let transferred =
                !transfer_in_date.trim().is_empty() || !transfer_in_from.trim().is_empty();
            let id = match id {
                None if transferred => {
                    members::transfer_in(tx, &input, &transfer_in_date, &transfer_in_from, today)
                        .await?
                }
                None => members::create(tx, &input, None, today).await?,
                Some(id) => members::update(tx, id, &input, today).await.map(|()| id)?,
            };
            Ok(routes::member(n, id).saved())
        })
        .await
}

/// Opens a login for a member (the secretary or a worker), linked to their roster row. The
/// password is never kept.
#[server(endpoint = "members/login")]
pub async fn create_member_login(
    community: String,
    member: String,
    login_name: String,
    password: String,
) -> Result<(), AppError> {
    let form = Form::on(&community, LOGIN_FORM)?;
    let member = id(&member)?;
    let page = routes::member(form.node, member);
    let (state, staff) = form.grant::<Staff>().await?;
    let created = members::create_login(&state.db, &staff, member, &login_name, &password).await;
    form.back(page.clone().at("login"))
        .keep_field("login_name", &login_name)
        .finish(created.map(|_| page.saved().at("login")))
        .await
}

/// Session key of a phone number the secretary just revealed: (member, number), shown once.
const REVEALED_PHONE: &str = "revealed_phone";

/// Shows the secretary one member's full phone number on the member page, once; every reveal
/// is in the audit log.
#[server(endpoint = "members/reveal_phone")]
pub async fn reveal_member_phone(community: String, member: String) -> Result<(), AppError> {
    let form = Form::on(&community, MEMBER_FORM)?;
    let member = id(&member)?;
    let (state, staff) = form.grant::<Staff>().await?;
    if let Some(phone) = members::reveal_phone(&state.db, &staff, member).await? {
        session()
            .await?
            .insert(REVEALED_PHONE, (member, phone))
            .await
            .map_err(|_| AppError::Internal)?;
    }
    redirect(&routes::member(form.node, member).at("phone").to_string());
    Ok(())
}

/// The number revealed for `member`, taken out of the session (so a reload masks it again).
pub(crate) async fn take_revealed_phone(member: uuid::Uuid) -> Option<String> {
    let (id, phone): (uuid::Uuid, String) = crate::state::take(REVEALED_PHONE).await?;
    (id == member).then_some(phone)
}

/// A write about one member, back to `anchor` of their page.
async fn on_member(
    community: &str,
    member: &str,
    form: &'static str,
    anchor: &str,
    act: impl AsyncFnOnce(&domain::tenancy::TenantTx, uuid::Uuid) -> domain::DomainResult<()>,
) -> Result<(), AppError> {
    let form = Form::on(community, form)?;
    let member = id(member)?;
    let page = routes::member(form.node, member);
    let back = match anchor {
        "" => page.clone(),
        anchor => page.clone().at(anchor),
    };
    form.back(back.clone())
        .submit::<Staff>(async |tx| {
            act(tx, member).await?;
            Ok(match anchor {
                "" => page.saved(),
                anchor => page.saved().at(anchor),
            })
        })
        .await
}

/// Records an attempt to reach a (floating) member.
#[server(endpoint = "members/contact")]
pub async fn record_member_contact(
    community: String,
    member: String,
    #[server(flatten)] input: ContactInput,
) -> Result<(), AppError> {
    on_member(
        &community,
        &member,
        CONTACT_FORM,
        "contacts",
        async |tx, id| members::record_contact(tx, id, &input, today()).await,
    )
    .await
}

/// Records a visit, help given, or study brought to the door for a member.
#[server(endpoint = "members/care")]
pub async fn record_member_care(
    community: String,
    member: String,
    #[server(flatten)] input: CareInput,
) -> Result<(), AppError> {
    on_member(&community, &member, CARE_FORM, "care", async |tx, id| {
        members::record_care(tx, id, &input, today()).await
    })
    .await
}

/// Records that a member's Party relation is transferred out (they leave the active roster).
#[server(endpoint = "members/transfer_out")]
pub async fn transfer_out_member(
    community: String,
    member: String,
    date: String,
    counterpart: String,
) -> Result<(), AppError> {
    let form = Form::on(&community, TRANSFER_FORM)?;
    let member = id(&member)?;
    let page = routes::member(form.node, member);
    form.back(page.clone())
        .keep_field("date", &date)
        .keep_field("counterpart", &counterpart)
        .submit::<Staff>(async |tx| {
            members::transfer_out(tx, member, &date, &counterpart, today()).await?;
            Ok(page.saved())
        })
        .await
}

/// Sets the number of days without contact after which a floating member counts as lost.
#[server(endpoint = "members/lost_contact_days")]
pub async fn set_lost_contact_days(community: String, days: String) -> Result<(), AppError> {
    let form = Form::on(&community, CONTACT_FORM)?;
    let page = routes::floating(form.node);
    form.back(page.clone())
        .submit::<Staff>(async |tx| {
            members::set_lost_contact_days(tx, &days).await?;
            Ok(page)
        })
        .await
}

/// Moves the members ticked on the roster page to one placement unit (empty: none), back to
/// the roster with its filters.
#[server(endpoint = "members/move")]
pub async fn move_members(
    community: String,
    unit: String,
    members: Option<Vec<String>>,
    back: String,
) -> Result<(), AppError> {
    let form = Form::on(&community, MOVE_FORM)?;
    // Only ever back to this community's roster (with its filters), never elsewhere.
    let roster = routes::members(form.node).or_filtered(&back);
    form.back(roster.clone())
        .submit::<Staff>(async |tx| {
            let picked = members
                .unwrap_or_default()
                .iter()
                .map(|id| domain::validate::parse_id(id))
                .collect::<Result<Vec<_>, _>>()?;
            let unit = match unit.trim() {
                "" => None,
                id => Some(
                    uuid::Uuid::parse_str(id)
                        .map_err(|_| domain::DomainError::invalid("unit_id", "not_found"))?,
                ),
            };
            let moved = members::move_members(tx, &picked, unit).await?;
            Ok(roster.query("moved", moved))
        })
        .await
}

/// A member proposes changes to their own phone, address or current city.
#[server(endpoint = "members/propose")]
pub async fn propose_change(
    community: String,
    #[server(flatten)] input: members::ProposalInput,
) -> Result<(), AppError> {
    let form = Form::on(&community, PROPOSAL_FORM)?;
    let back = routes::node(form.node).at("proposal");
    form.back(back.clone())
        .keep(&input)
        .submit::<crate::page::Member>(async |tx| {
            members::propose(tx, &input).await?;
            Ok(back.saved())
        })
        .await
}

/// Staff approve (`decision` = `approve`) or return (`return`, with a reason) a proposal.
#[server(endpoint = "members/decide")]
pub async fn decide_proposal(
    community: String,
    proposal: String,
    decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let form = Form::on(&community, PROPOSAL_FORM)?;
    let proposal = id(&proposal)?;
    let approve = match decision.as_str() {
        "approve" => true,
        "return" => false,
        _ => return Err(domain::DomainError::invalid("decision", "not_in_list").into()),
    };
    let page = routes::proposals(form.node);
    form.back(page.clone())
        .submit::<Staff>(async |tx| {
            members::decide(tx, proposal, approve, &reason).await?;
            Ok(page.saved())
        })
        .await
}
