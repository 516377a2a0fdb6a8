//! Form endpoints for units: register and edit, pairing, the liaison's login, agreements and
//! commitments, resources.
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{coop_scope, COOP_FORM};
use crate::error::AppError;

/// Registers a unit (`unit` empty) or changes one. Street staff.
#[server(endpoint = "coop/unit")]
#[allow(clippy::too_many_arguments)]
pub async fn save_unit(
    street: String,
    unit: String,
    name: String,
    kind: String,
    party_org: String,
    liaison_name: String,
    liaison_phone: String,
    staff_count: String,
    member_count: String,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::{redirect, set_flash, Flash};
    use domain::coop::{self, UnitInput};
    let (state, scope, _) = coop_scope(&street).await?;
    let unit_id = match unit.trim() {
        "" => None,
        id => Some(domain::validate::parse_id(id).map_err(fail)?),
    };
    let input = UnitInput {
        name,
        kind,
        party_org,
        liaison_name,
        liaison_phone,
        staff_count,
        member_count,
    };
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let base = format!("/org/{}/units", scope.street_id());
    match coop::save_unit(&tx, unit_id, &input).await {
        Ok(id) => {
            tx.commit().await.map_err(fail)?;
            redirect(&format!("{base}/{id}?saved=1"));
            Ok(())
        }
        Err(err @ domain::DomainError::Invalid { .. }) => {
            drop(tx);
            let values = [
                ("name", input.name),
                ("kind", input.kind),
                ("party_org", input.party_org),
                ("liaison_name", input.liaison_name),
                ("liaison_phone", input.liaison_phone),
                ("staff_count", input.staff_count),
                ("member_count", input.member_count),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
            set_flash(Flash {
                form: COOP_FORM.into(),
                values,
                error: err.into(),
            })
            .await?;
            match unit_id {
                Some(id) => redirect(&format!("{base}/{id}#edit")),
                None => redirect(&format!("{base}#new")),
            }
            Ok(())
        }
        Err(err) => Err(fail(err)),
    }
}

/// Pairs a unit with a community of the street (`action` = `pair`) or ends the pairing.
#[server(endpoint = "coop/pairing")]
pub async fn change_pairing(
    street: String,
    unit: String,
    community: String,
    action: String,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::finish_form;
    let (state, scope, _) = coop_scope(&street).await?;
    let unit_id = domain::validate::parse_id(&unit).map_err(fail)?;
    let community_id = uuid::Uuid::parse_str(community.trim()).map_err(|_| {
        fail(AppError::Invalid {
            field: "community".into(),
            reason: "required".into(),
        })
    })?;
    let today = domain::clock::today();
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = match action.as_str() {
        "pair" => domain::coop::pair(&tx, unit_id, community_id, today).await,
        "unpair" => domain::coop::unpair(&tx, unit_id, community_id).await,
        _ => Err(domain::DomainError::invalid("action", "not_in_list")),
    };
    let page = format!("/org/{}/units/{unit_id}", scope.street_id());
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1#pairings"),
        COOP_FORM,
        Default::default(),
        &format!("{page}#pairings"),
    )
    .await
}

/// Creates the liaison's login for a unit. Street staff.
#[server(endpoint = "coop/liaison")]
pub async fn create_liaison(
    street: String,
    unit: String,
    login_name: String,
    password: String,
) -> Result<(), AppError> {
    use crate::error::fail;
    let (state, scope, _) = coop_scope(&street).await?;
    let unit_id = domain::validate::parse_id(&unit).map_err(fail)?;
    let page = format!("/org/{}/units/{unit_id}", scope.street_id());
    let created =
        domain::coop::create_liaison_account(&state.db, &scope, unit_id, &login_name, &password)
            .await;
    crate::state::finish_account(created, &page, "liaison", COOP_FORM, login_name).await
}

/// Adds an agreement of a unit with the street or a paired community.
#[server(endpoint = "coop/agreement")]
pub async fn add_agreement(
    node: String,
    unit: String,
    community: Option<String>,
    title: String,
    starts_on: String,
    ends_on: String,
    commitments: String,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::finish_form;
    use domain::coop::AgreementInput;
    let (state, scope, _) = coop_scope(&node).await?;
    let unit_id = domain::validate::parse_id(&unit).map_err(fail)?;
    let input = AgreementInput {
        community: community.unwrap_or_default(),
        title,
        starts_on,
        ends_on,
        commitments,
    };
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = domain::coop::add_agreement(&tx, unit_id, &input)
        .await
        .map(|_| ());
    let node_id = domain::validate::parse_id(&node).map_err(fail)?;
    let page = format!("/org/{node_id}/units/{unit_id}");
    let values = [
        ("title", input.title),
        ("starts_on", input.starts_on),
        ("ends_on", input.ends_on),
        ("commitments", input.commitments),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1#agreements"),
        COOP_FORM,
        values,
        &format!("{page}#agreements"),
    )
    .await
}

/// Ticks a commitment done (`done` = `1`) or not.
#[server(endpoint = "coop/commitment")]
pub async fn set_commitment(
    node: String,
    unit: String,
    commitment: String,
    done: String,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::finish_form;
    let (state, scope, _) = coop_scope(&node).await?;
    let unit_id = domain::validate::parse_id(&unit).map_err(fail)?;
    let commitment_id = domain::validate::parse_id(&commitment).map_err(fail)?;
    let today = domain::clock::today();
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = domain::coop::set_commitment_done(&tx, commitment_id, done == "1", today).await;
    let node_id = domain::validate::parse_id(&node).map_err(fail)?;
    let page = format!("/org/{node_id}/units/{unit_id}#agreements");
    finish_form(tx, result, &page, COOP_FORM, Default::default(), &page).await
}

/// Adds (`resource` empty) or changes a resource a unit offers: its liaison, or the street.
#[server(endpoint = "coop/resource")]
#[allow(clippy::too_many_arguments)]
pub async fn save_resource(
    node: String,
    unit: String,
    resource: String,
    kind: String,
    name: String,
    quantity: String,
    availability: String,
    active: Option<String>,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::finish_form;
    use domain::coop::ResourceInput;
    let (state, scope, node_id) = coop_scope(&node).await?;
    let unit_id = domain::validate::parse_id(&unit).map_err(fail)?;
    let resource_id = match resource.trim() {
        "" => None,
        id => Some(domain::validate::parse_id(id).map_err(fail)?),
    };
    let input = ResourceInput {
        kind,
        name,
        quantity,
        availability,
        active: active.is_some(),
    };
    let today = domain::clock::today();
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = domain::coop::save_resource(&tx, unit_id, resource_id, &input, today)
        .await
        .map(|_| ());
    let page = format!("/org/{node_id}/units/{unit_id}");
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1#resources"),
        COOP_FORM,
        Default::default(),
        &format!("{page}#resources"),
    )
    .await
}
