//! Form endpoints of 民主评议: grade a branch's members, record its decision, reopen a decided
//! review. The domain decides who may (community staff; a 支部书记 for their branch).
use domain::clock::today;
use domain::reviews::{self, ReviewInput};
use domain::DomainError;
use leptos::prelude::*;

use super::REVIEW_FORM;
use crate::error::AppError;
use crate::form::{id, Form};
use crate::page::Staff;
use crate::routes;

/// The year sent (anything else: 0, which the domain refuses as out of range) — a number
/// before it goes into the address the form returns to.
fn year(value: &str) -> i32 {
    value.trim().parse().unwrap_or(0)
}

/// Saves the grades of the branch's members (`members[i]` graded `grades[i]`, empty: none).
#[server(endpoint = "reviews/grade")]
pub async fn grade_members(
    node: String,
    branch: String,
    year: String,
    members: Option<Vec<String>>,
    grades: Option<Vec<String>>,
) -> Result<(), AppError> {
    let form = Form::on(&node, REVIEW_FORM)?;
    let (branch, year) = (id(&branch)?, self::year(&year));
    let page = routes::branch_review(form.node, branch).query("year", year);
    form.back(page.clone().at("grades"))
        .submit::<Staff>(async |tx| {
            let (members, grades) = (members.unwrap_or_default(), grades.unwrap_or_default());
            if members.len() > reviews::GRADES_MAX {
                return Err(DomainError::invalid("review_member", "too_many"));
            }
            if members.len() != grades.len() {
                return Err(DomainError::invalid("review_grade", "not_in_list"));
            }
            let not_in_branch = |_| DomainError::invalid("review_member", "not_in_branch");
            let pairs = members
                .iter()
                .zip(grades)
                .map(|(m, g)| Ok((domain::validate::parse_id(m).map_err(not_in_branch)?, g)))
                .collect::<Result<Vec<_>, DomainError>>()?;
            reviews::grade_members(tx, branch, year, &pairs, today()).await?;
            Ok(page.saved().at("grades"))
        })
        .await
}

/// Records the branch's decision on its review.
#[server(endpoint = "reviews/decide")]
pub async fn decide_review(
    node: String,
    branch: String,
    year: String,
    #[server(flatten)] input: ReviewInput,
) -> Result<(), AppError> {
    let form = Form::on(&node, REVIEW_FORM)?;
    let (branch, year) = (id(&branch)?, self::year(&year));
    let page = routes::branch_review(form.node, branch).query("year", year);
    form.back(page.clone().at("decision"))
        .keep_field("decided_on", &input.decided_on)
        .keep_field("decision", &input.decision)
        .submit::<Staff>(async |tx| {
            reviews::decide_review(tx, branch, year, &input, today()).await?;
            Ok(page.saved())
        })
        .await
}

/// Reopens a decided review to correct its grades.
#[server(endpoint = "reviews/reopen")]
pub async fn reopen_review(node: String, branch: String, year: String) -> Result<(), AppError> {
    let form = Form::on(&node, REVIEW_FORM)?;
    let (branch, year) = (id(&branch)?, self::year(&year));
    let page = routes::branch_review(form.node, branch).query("year", year);
    form.back(page.clone())
        .submit::<Staff>(async |tx| {
            reviews::reopen_review(tx, branch, year, today()).await?;
            Ok(page.saved().at("grades"))
        })
        .await
}
