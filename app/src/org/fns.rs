//! Organising a community's placements (网格党支部 › 楼栋党小组 › 党员中心户): one form endpoint that
//! creates, renames or moves a placement and returns to the community page.
use domain::org::placements::{self, PlacementKind};
use domain::DomainError;
use leptos::prelude::*;

use crate::error::AppError;
use crate::form::{optional_id, Form};
use crate::page::Staff;
use crate::routes;

/// Name of the form whose error comes back in the flash.
pub const PLACEMENT_FORM: &str = "unit";

/// A form field that may be left out (`None`: keep what is stored) as against sent empty
/// (`Some("")`: clear it). An `Option<String>` cannot tell them apart: a form's empty value
/// reads as none.
#[derive(Clone, Debug, Default)]
pub struct SentField(pub Option<String>);

impl<'de> serde::Deserialize<'de> for SentField {
    fn deserialize<D: serde::Deserializer<'de>>(fields: D) -> Result<Self, D::Error> {
        String::deserialize(fields).map(|text| SentField(Some(text)))
    }
}

impl serde::Serialize for SentField {
    fn serialize<S: serde::Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(out)
    }
}

/// Creates a placement (`unit` empty; `kind` and `parent` say where) or renames/moves one and
/// sets its 成立日期 (`founded`, on the edit form of a branch or group; empty: none; left out
/// by a caller that does not know it: kept).
#[server(endpoint = "units/save")]
pub async fn save_placement(
    community: String,
    unit: String,
    kind: String,
    name: String,
    parent: String,
    #[server(default)] founded: SentField,
) -> Result<(), AppError> {
    let form = Form::on(&community, PLACEMENT_FORM)?;
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
                    let kind = PlacementKind::parse(&kind)
                        .ok_or_else(|| DomainError::invalid("kind", "not_in_list"))?;
                    placements::create_placement(tx, kind, &name, parent)
                        .await
                        .map(|_| ())
                }
                Some(id) => {
                    placements::update_placement(tx, id, &name, parent, founded.0.as_deref()).await
                }
            }?;
            Ok(page.at("units"))
        })
        .await
}
