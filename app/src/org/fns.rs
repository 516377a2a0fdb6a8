//! Organising a community's units (网格党支部 › 楼栋党小组 › 党员中心户): one form endpoint that
//! creates, renames or moves a unit and returns to the community page.
use domain::org::units::{self, UnitKind};
use domain::DomainError;
use leptos::prelude::*;

use crate::error::AppError;
use crate::form::{optional_id, Form};
use crate::page::Staff;
use crate::routes;

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
    let form = Form::on(&community, UNIT_FORM)?;
    let page = routes::node(form.node);
    let unit = optional_id(&unit)?;
    form.back(page.clone())
        .submit::<Staff>(async |tx| {
            let parent = match parent.trim() {
                "" => None,
                id => Some(
                    uuid::Uuid::parse_str(id)
                        .map_err(|_| DomainError::invalid("parent", "not_found"))?,
                ),
            };
            match unit {
                None => {
                    let kind = UnitKind::parse(&kind)
                        .ok_or_else(|| DomainError::invalid("kind", "not_in_list"))?;
                    units::create_unit(tx, kind, &name, parent)
                        .await
                        .map(|_| ())
                }
                Some(id) => units::update_unit(tx, id, &name, parent).await,
            }?;
            Ok(page.at("units"))
        })
        .await
}
