//! Organising a community's units (网格党支部 › 楼栋党小组 › 党员中心户): one form endpoint that
//! creates, renames or moves a unit and returns to the community page.
use leptos::prelude::*;

use crate::error::AppError;

/// Name of the form whose error comes back in the flash.
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
    use crate::error::fail;
    use crate::state::{app_state, redirect, set_flash, Flash};
    use domain::org::units::{self, UnitKind};
    use domain::validate::parse_id;
    let state = app_state()?;
    let principal = crate::state::principal().await?;
    let community_id = parse_id(&community).map_err(fail)?;
    let scope = principal
        .manage_scope(&state.db, community_id)
        .await
        .map_err(fail)?;
    let parent = match parent.trim() {
        "" => Ok(None),
        id => uuid::Uuid::parse_str(id)
            .map(Some)
            .map_err(|_| domain::DomainError::invalid("parent", "not_found")),
    };
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = match (parent, unit.trim()) {
        (Err(err), _) => Err(err),
        (Ok(parent), "") => match UnitKind::parse(&kind) {
            Some(kind) => units::create_unit(&tx, kind, &name, parent)
                .await
                .map(|_| ()),
            None => Err(domain::DomainError::invalid("kind", "not_in_list")),
        },
        (Ok(parent), id) => match parse_id(id) {
            Ok(id) => units::update_unit(&tx, id, &name, parent).await,
            Err(err) => Err(err),
        },
    };
    let back = format!("/org/{community_id}");
    match result {
        Ok(()) => {
            tx.commit().await.map_err(fail)?;
            redirect(&format!("{back}#units"));
            Ok(())
        }
        Err(err @ domain::DomainError::Invalid { .. }) => {
            drop(tx);
            set_flash(Flash {
                form: UNIT_FORM.into(),
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
