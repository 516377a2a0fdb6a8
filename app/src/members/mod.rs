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
mod form;
#[cfg(feature = "ssr")]
mod import;
#[cfg(feature = "ssr")]
mod jobs;
#[cfg(feature = "ssr")]
mod list;
#[cfg(feature = "ssr")]
mod transfers;

#[cfg(feature = "ssr")]
pub use care::CarePage;
#[cfg(feature = "ssr")]
pub use detail::MemberPage;
#[cfg(feature = "ssr")]
pub use export::export_xlsx;
#[cfg(feature = "ssr")]
pub(crate) use export::xlsx_response;
#[cfg(feature = "ssr")]
pub use floating::FloatingPage;
#[cfg(feature = "ssr")]
pub use form::MemberFormPage;
#[cfg(feature = "ssr")]
pub use import::{import_upload, template_xlsx, ImportJobPage, ImportPage, IMPORT_LIMIT_BYTES};
#[cfg(feature = "ssr")]
pub use jobs::ImportJobs;
#[cfg(feature = "ssr")]
pub use list::RosterPage;
#[cfg(feature = "ssr")]
pub use transfers::TransfersPage;

use leptos::prelude::*;

use crate::error::AppError;

/// Name of the form whose values come back in the flash after a validation error.
pub const MEMBER_FORM: &str = "member";

/// Adds (`member` empty) or changes a member of `community`.
#[server(endpoint = "members/save")]
#[allow(clippy::too_many_arguments)]
pub async fn save_member(
    community: String,
    member: String,
    name: String,
    gender: String,
    birth_date: String,
    phone: String,
    joined_on: String,
    category: String,
    status: String,
    unit_id: String,
    building: String,
    unit_no: String,
    room: String,
    employer: String,
    employer_party_org: String,
    interests: String,
    hardship: Option<String>,
    immobile: Option<String>,
    id_last4: String,
    transfer_in_date: Option<String>,
    transfer_in_from: Option<String>,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::{app_state, redirect, set_flash, Flash};
    use domain::members::{self, MemberInput};
    let state = app_state()?;
    let principal = crate::state::principal().await?;
    let community_id = domain::validate::parse_id(&community).map_err(fail)?;
    let scope = principal
        .manage_scope(&state.db, community_id)
        .await
        .map_err(fail)?;
    let member_id = match member.trim() {
        "" => None,
        id => Some(domain::validate::parse_id(id).map_err(fail)?),
    };
    let values = [
        ("name", &name),
        ("gender", &gender),
        ("birth_date", &birth_date),
        ("phone", &phone),
        ("joined_on", &joined_on),
        ("category", &category),
        ("status", &status),
        ("unit_id", &unit_id),
        ("building", &building),
        ("unit_no", &unit_no),
        ("room", &room),
        ("employer", &employer),
        ("employer_party_org", &employer_party_org),
        ("interests", &interests),
        ("id_last4", &id_last4),
    ];
    let unit = match unit_id.trim() {
        "" => Ok(None),
        id => uuid::Uuid::parse_str(id)
            .map(Some)
            .map_err(|_| domain::DomainError::invalid("unit_id", "not_found")),
    };
    let input = unit.map(|unit_id| MemberInput {
        name: name.clone(),
        gender: gender.clone(),
        birth_date: birth_date.clone(),
        phone: phone.clone(),
        joined_on: joined_on.clone(),
        category: category.clone(),
        status: status.clone(),
        unit_id,
        building: building.clone(),
        unit_no: unit_no.clone(),
        room: room.clone(),
        employer: employer.clone(),
        employer_party_org: employer_party_org.clone(),
        interests: interests.clone(),
        hardship: hardship.is_some(),
        immobile: immobile.is_some(),
        id_last4: id_last4.clone(),
    });
    let today = domain::clock::today();
    let saved = match input {
        Err(err) => Err(err),
        Ok(input) => {
            let tx = scope.write(&state.db).await.map_err(fail)?;
            let transfer_in = (
                transfer_in_date.clone().unwrap_or_default(),
                transfer_in_from.clone().unwrap_or_default(),
            );
            let result = match member_id {
                None if !transfer_in.0.trim().is_empty() || !transfer_in.1.trim().is_empty() => {
                    members::transfer_in(&tx, &input, &transfer_in.0, &transfer_in.1, today).await
                }
                None => members::create(&tx, &input, None, today).await,
                Some(id) => members::update(&tx, id, &input, today).await.map(|()| id),
            };
            match result {
                Ok(id) => tx.commit().await.map(|()| id),
                Err(err) => Err(err),
            }
        }
    };
    let base = format!("/org/{community_id}/members");
    match saved {
        Ok(id) => {
            redirect(&format!("{base}/{id}?saved=1"));
            Ok(())
        }
        Err(err @ domain::DomainError::Invalid { .. }) => {
            let mut kept: std::collections::HashMap<String, String> = values
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            if hardship.is_some() {
                kept.insert("hardship".into(), "on".into());
            }
            if immobile.is_some() {
                kept.insert("immobile".into(), "on".into());
            }
            kept.insert(
                "transfer_in_date".into(),
                transfer_in_date.unwrap_or_default(),
            );
            kept.insert(
                "transfer_in_from".into(),
                transfer_in_from.unwrap_or_default(),
            );
            set_flash(Flash {
                form: MEMBER_FORM.into(),
                values: kept,
                error: err.into(),
            })
            .await?;
            match member_id {
                None => redirect(&format!("{base}/new")),
                Some(id) => redirect(&format!("{base}/{id}/edit")),
            }
            Ok(())
        }
        Err(err) => Err(fail(err)),
    }
}

/// Name of the member-login form (its error comes back in the flash).
pub const LOGIN_FORM: &str = "member_login";

/// Opens a login for a member (the secretary or a worker), linked to their roster row.
#[server(endpoint = "members/login")]
pub async fn create_member_login(
    community: String,
    member: String,
    login_name: String,
    password: String,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::community_scope;
    let (state, scope) = community_scope(&community).await?;
    let member_id = domain::validate::parse_id(&member).map_err(fail)?;
    let page = format!("/org/{}/members/{member_id}", scope.tenant_id());
    let created =
        domain::members::create_login(&state.db, &scope, member_id, &login_name, &password).await;
    crate::state::finish_account(created, &page, "login", LOGIN_FORM, login_name).await
}

/// Session key of a phone number the secretary just revealed: (member, number), shown once.
#[cfg(feature = "ssr")]
const REVEALED_PHONE: &str = "revealed_phone";

/// Shows the secretary one member's full phone number on the member page, once; every reveal
/// is in the audit log.
#[server(endpoint = "members/reveal_phone")]
pub async fn reveal_member_phone(community: String, member: String) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::{community_scope, redirect, session};
    let (state, scope) = community_scope(&community).await?;
    let member_id = domain::validate::parse_id(&member).map_err(fail)?;
    let phone = domain::members::reveal_phone(&state.db, &scope, member_id)
        .await
        .map_err(fail)?;
    if let Some(phone) = phone {
        session()
            .await?
            .insert(REVEALED_PHONE, (member_id, phone))
            .await
            .map_err(|_| fail(AppError::Internal))?;
    }
    redirect(&format!(
        "/org/{}/members/{member_id}#phone",
        scope.tenant_id()
    ));
    Ok(())
}

/// The number revealed for `member`, taken out of the session (so a reload masks it again).
#[cfg(feature = "ssr")]
pub(crate) async fn take_revealed_phone(member: uuid::Uuid) -> Option<String> {
    let session = crate::state::session().await.ok()?;
    let (id, phone): (uuid::Uuid, String) = session.get(REVEALED_PHONE).await.ok().flatten()?;
    session
        .remove::<(uuid::Uuid, String)>(REVEALED_PHONE)
        .await
        .ok();
    (id == member).then_some(phone)
}

/// Name of the contact form (its error comes back in the flash).
pub const CONTACT_FORM: &str = "contact";

/// Records an attempt to reach a (floating) member.
#[server(endpoint = "members/contact")]
pub async fn record_member_contact(
    community: String,
    member: String,
    date: String,
    method: String,
    reached: Option<String>,
    city: String,
    note: String,
) -> Result<(), AppError> {
    use crate::state::{community_scope, finish_form};
    use domain::members::{record_contact, ContactInput};
    let (state, scope) = community_scope(&community).await?;
    let member_id = domain::validate::parse_id(&member).map_err(crate::error::fail)?;
    let input = ContactInput {
        date,
        method,
        reached: reached.is_some(),
        city,
        note,
    };
    let today = domain::clock::today();
    let tx = scope.write(&state.db).await.map_err(crate::error::fail)?;
    let result = record_contact(&tx, member_id, &input, today).await;
    let page = format!("/org/{}/members/{member_id}", scope.tenant_id());
    let done = format!("{page}?saved=1#contacts");
    finish_form(
        tx,
        result,
        &done,
        CONTACT_FORM,
        Default::default(),
        &format!("{page}#contacts"),
    )
    .await
}

/// Name of the care form (its error comes back in the flash).
pub const CARE_FORM: &str = "care";

/// Records a visit, help given, or study brought to the door for a member.
#[server(endpoint = "members/care")]
pub async fn record_member_care(
    community: String,
    member: String,
    date: String,
    kind: String,
    help: String,
    amount: String,
    note: String,
) -> Result<(), AppError> {
    use crate::state::{community_scope, finish_form};
    use domain::members::{record_care, CareInput};
    let (state, scope) = community_scope(&community).await?;
    let member_id = domain::validate::parse_id(&member).map_err(crate::error::fail)?;
    let input = CareInput {
        date,
        kind,
        help,
        amount,
        note,
    };
    let today = domain::clock::today();
    let tx = scope.write(&state.db).await.map_err(crate::error::fail)?;
    let result = record_care(&tx, member_id, &input, today).await;
    let page = format!("/org/{}/members/{member_id}", scope.tenant_id());
    let done = format!("{page}?saved=1#care");
    finish_form(
        tx,
        result,
        &done,
        CARE_FORM,
        Default::default(),
        &format!("{page}#care"),
    )
    .await
}

/// Sets the number of days without contact after which a floating member counts as lost.
#[server(endpoint = "members/lost_contact_days")]
pub async fn set_lost_contact_days(community: String, days: String) -> Result<(), AppError> {
    use crate::state::{community_scope, finish_form};
    let (state, scope) = community_scope(&community).await?;
    let tx = scope.write(&state.db).await.map_err(crate::error::fail)?;
    let result = domain::members::set_lost_contact_days(&tx, &days).await;
    let page = format!("/org/{}/members/floating", scope.tenant_id());
    finish_form(tx, result, &page, CONTACT_FORM, Default::default(), &page).await
}

/// Name of the member page's transfer form (its error comes back in the flash).
pub const TRANSFER_FORM: &str = "transfer";

/// Records that a member's Party relation is transferred out (they leave the active roster).
#[server(endpoint = "members/transfer_out")]
pub async fn transfer_out_member(
    community: String,
    member: String,
    date: String,
    counterpart: String,
) -> Result<(), AppError> {
    use crate::state::{community_scope, finish_form};
    let (state, scope) = community_scope(&community).await?;
    let member_id = domain::validate::parse_id(&member).map_err(crate::error::fail)?;
    let today = domain::clock::today();
    let tx = scope.write(&state.db).await.map_err(crate::error::fail)?;
    let result = domain::members::transfer_out(&tx, member_id, &date, &counterpart, today).await;
    let page = format!("/org/{}/members/{member_id}", scope.tenant_id());
    let values = [("date", date), ("counterpart", counterpart)]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1"),
        TRANSFER_FORM,
        values,
        &page,
    )
    .await
}

/// Labels of the placement units (`第一网格党支部 › 1号楼党小组`) by id.
#[cfg(feature = "ssr")]
pub(crate) async fn unit_labels(
    tx: &domain::tenancy::TenantTx,
) -> domain::DomainResult<Vec<(uuid::Uuid, String)>> {
    Ok(domain::org::units::labels(
        &domain::org::units::list_units(tx).await?,
    ))
}

/// The roster filters from query parameters (`q`, `category`, `status`, `unit`, `all`, `page`).
#[cfg(feature = "ssr")]
pub(crate) fn roster_query(
    get: impl Fn(&str) -> String,
    per_page: u64,
) -> domain::members::ListQuery {
    use domain::members::{Category, Status};
    domain::members::ListQuery {
        search: get("q"),
        category: Category::parse(&get("category")),
        status: Status::parse(&get("status")),
        unit_id: uuid::Uuid::parse_str(&get("unit")).ok(),
        include_transferred: get("all") == "on",
        page: get("page").parse().unwrap_or(1),
        per_page,
    }
}

/// For plain HTTP handlers (downloads, uploads): the session's user and their detail scope on
/// `community`.
#[cfg(feature = "ssr")]
pub(crate) async fn handler_scope(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
    community: &str,
) -> Result<(uuid::Uuid, domain::tenancy::TenantScope), AppError> {
    let principal = session_principal(state, session).await?;
    let id = domain::validate::parse_id(community)?;
    let scope = principal.manage_scope(&state.db, id).await?;
    Ok((principal.user_id, scope))
}

/// The signed-in user of a plain HTTP handler's request.
#[cfg(feature = "ssr")]
pub(crate) async fn session_principal(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
) -> Result<domain::auth::Principal, AppError> {
    let user_id = session
        .get::<uuid::Uuid>(crate::state::USER_KEY)
        .await
        .ok()
        .flatten()
        .ok_or(AppError::Unauthenticated)?;
    domain::auth::Principal::load(&state.db, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)
}

/// How a plain HTTP handler answers an error: to the login page, or the status and message.
#[cfg(feature = "ssr")]
pub(crate) fn handler_error(err: AppError) -> axum::response::Response {
    use axum::response::IntoResponse;
    if err == AppError::Unauthenticated {
        return axum::response::Redirect::to("/login").into_response();
    }
    let status =
        http::StatusCode::from_u16(err.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    (status, err.message(crate::i18n::Lang::Zh)).into_response()
}

/// Name of the roster's move form (its error comes back in the flash).
pub const MOVE_FORM: &str = "move";

/// Moves the members ticked on the roster page to one placement unit (empty: none).
#[server(endpoint = "members/move")]
pub async fn move_members(
    community: String,
    unit: String,
    members: Option<Vec<String>>,
    back: String,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::{community_scope, redirect, set_flash, Flash};
    let (state, scope) = community_scope(&community).await?;
    let roster = format!("/org/{}/members", scope.tenant_id());
    // Only ever back to this community's roster (with its filters), never elsewhere.
    let back = if back.starts_with(&format!("{roster}?")) {
        back
    } else {
        roster
    };
    let picked: Result<Vec<uuid::Uuid>, _> = members
        .unwrap_or_default()
        .iter()
        .map(|id| domain::validate::parse_id(id))
        .collect();
    let unit_id = match unit.trim() {
        "" => Ok(None),
        id => uuid::Uuid::parse_str(id)
            .map(Some)
            .map_err(|_| domain::DomainError::invalid("unit_id", "not_found")),
    };
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = match (picked, unit_id) {
        (Ok(ids), Ok(unit)) => domain::members::move_members(&tx, &ids, unit).await,
        (Err(err), _) | (_, Err(err)) => Err(err),
    };
    match result {
        Ok(moved) => {
            tx.commit().await.map_err(fail)?;
            let separator = if back.contains('?') { '&' } else { '?' };
            redirect(&format!("{back}{separator}moved={moved}"));
            Ok(())
        }
        Err(err @ domain::DomainError::Invalid { .. }) => {
            drop(tx);
            set_flash(Flash {
                form: MOVE_FORM.into(),
                values: Default::default(),
                error: err.into(),
            })
            .await?;
            redirect(&back);
            Ok(())
        }
        Err(err) => Err(fail(err)),
    }
}
