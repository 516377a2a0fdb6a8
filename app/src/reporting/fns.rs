//! Form endpoints of 双报到: the community's service posts, reports, and the secretary's
//! decision on them.
use domain::clock::today;
use domain::reporting::{self, PostInput};
use domain::DomainError;
use leptos::prelude::*;

use super::REPORTING_FORM;
use crate::error::AppError;
use crate::form::{id, optional_id, Form};
use crate::page::{Member, Staff};
use crate::routes;

/// Adds a service post (`post` empty) or changes one.
#[server(endpoint = "reporting/post")]
pub async fn save_post(
    community: String,
    post: String,
    #[server(flatten)] input: PostInput,
) -> Result<(), AppError> {
    let form = Form::on(&community, REPORTING_FORM)?;
    let post = optional_id(&post)?;
    let page = routes::reporting(form.node);
    form.back(page.clone().at("posts"))
        .submit::<Staff>(async |tx| {
            reporting::save_post(tx, post, &input).await?;
            Ok(page.saved().at("posts"))
        })
        .await
}

/// Reports an in-service member with the posts picked: staff name the member; a member with an
/// account leaves `member` empty and reports for themself.
#[server(endpoint = "reporting/report")]
pub async fn report(
    community: String,
    member: String,
    posts: Option<Vec<String>>,
) -> Result<(), AppError> {
    let form = Form::on(&community, REPORTING_FORM)?;
    let member = optional_id(&member)?;
    let page = match member {
        Some(id) => routes::member(form.node, id),
        None => routes::node(form.node),
    };
    form.back(page.clone().at("reporting"))
        .submit::<Member>(async |tx| {
            let picked = posts.unwrap_or_default();
            reporting::report(tx, member, &picked, today()).await?;
            Ok(page.saved().at("reporting"))
        })
        .await
}

/// The secretary confirms (`decision` = `confirm`) or declines a pending report with a reason.
#[server(endpoint = "reporting/decide")]
pub async fn decide(
    community: String,
    member: String,
    decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let form = Form::on(&community, REPORTING_FORM)?;
    let member = id(&member)?;
    let confirm = match decision.as_str() {
        "confirm" => true,
        "decline" => false,
        _ => return Err(DomainError::invalid("decision", "not_in_list").into()),
    };
    let page = routes::reporting(form.node);
    form.back(page.clone().at("reports"))
        .submit::<Staff>(async |tx| {
            reporting::decide(tx, member, confirm, &reason, today()).await?;
            Ok(page.saved().at("reports"))
        })
        .await
}
