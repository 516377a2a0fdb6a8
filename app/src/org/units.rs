//! Organising a community's units (网格党支部 › 楼栋党小组 › 党员中心户): one form endpoint that
//! creates, renames or moves a unit and returns to the community page.
use leptos::prelude::*;

use crate::error::AppError;

/// Name of the form whose error comes back in the flash.
#[cfg(feature = "ssr")]
pub const UNIT_FORM: &str = "unit";

/// Creates a unit (`unit` empty; `kind` and `parent` say where) or renames/moves one.
#[server(endpoint = "units/save")]
pub async fn save_unit(
    community: String,
    unit: String,
    kind: String,
    name: String,
    parent: String,
) -> Result<(), AppError> {
    use crate::state::{community_scope, finish_form};
    use domain::org::units::{self, UnitKind};
    use domain::validate::parse_id;
    use domain::DomainError;
    let (state, scope) = community_scope(&community).await?;
    let parent = match parent.trim() {
        "" => Ok(None),
        id => uuid::Uuid::parse_str(id)
            .map(Some)
            .map_err(|_| DomainError::invalid("parent", "not_found")),
    };
    let tx = scope.write(&state.db).await.map_err(crate::error::fail)?;
    let result = match (parent, unit.trim()) {
        (Err(err), _) => Err(err),
        (Ok(parent), "") => match UnitKind::parse(&kind) {
            Some(kind) => units::create_unit(&tx, kind, &name, parent)
                .await
                .map(|_| ()),
            None => Err(DomainError::invalid("kind", "not_in_list")),
        },
        (Ok(parent), id) => match parse_id(id) {
            Ok(id) => units::update_unit(&tx, id, &name, parent).await,
            Err(err) => Err(err),
        },
    };
    let back = format!("/org/{}", scope.tenant_id());
    finish_form(
        tx,
        result,
        &format!("{back}#units"),
        UNIT_FORM,
        Default::default(),
        &back,
    )
    .await
}
