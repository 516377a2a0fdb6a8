//! Form endpoints of 党费: assess a member's dues, record a payment, undo one recorded by mistake.
//! The domain decides who may (community staff; a 支部书记 for their branch's members).
use domain::clock::today;
use domain::dues::{self, DuesInput, PaymentInput};
use leptos::prelude::*;

use super::DUES_FORM;
use crate::error::AppError;
use crate::form::{id, Form};
use crate::page::Staff;
use crate::routes;

/// Sets a member's dues from a month on.
#[server(endpoint = "dues/assess")]
pub async fn assess_dues(
    community: String,
    member: String,
    #[server(flatten)] input: DuesInput,
) -> Result<(), AppError> {
    let form = Form::on(&community, DUES_FORM)?;
    let member = id(&member)?;
    let page = routes::member_dues(form.node, member);
    form.back(page.clone().at("assess"))
        .keep_field("assess_from", &input.from_month)
        .keep_field("base", &input.base)
        .keep_field("rate", &input.rate)
        .keep_field("fixed", &input.fixed)
        .submit::<Staff>(async |tx| {
            dues::assess(tx, member, &input, today()).await?;
            Ok(page.saved())
        })
        .await
}

/// Records the months from `from_month` to `to_month` as paid.
#[server(endpoint = "dues/pay")]
pub async fn record_dues_payment(
    community: String,
    member: String,
    #[server(flatten)] input: PaymentInput,
) -> Result<(), AppError> {
    let form = Form::on(&community, DUES_FORM)?;
    let member = id(&member)?;
    let page = routes::member_dues(form.node, member);
    form.back(page.clone().at("pay"))
        .keep_field("pay_from", &input.from_month)
        .keep_field("pay_to", &input.to_month)
        .keep_field("method", &input.method)
        .keep_field("paid_on", &input.paid_on)
        .keep_field("proxy", &input.proxy)
        .submit::<Staff>(async |tx| {
            dues::record_payment(tx, member, &input, today()).await?;
            Ok(page.saved())
        })
        .await
}

/// Takes back the payment of one month.
#[server(endpoint = "dues/undo")]
pub async fn undo_dues_payment(
    community: String,
    member: String,
    month: String,
) -> Result<(), AppError> {
    let form = Form::on(&community, DUES_FORM)?;
    let member = id(&member)?;
    let page = routes::member_dues(form.node, member);
    form.back(page.clone().at("payments"))
        .submit::<Staff>(async |tx| {
            dues::undo_payment(tx, member, &month, today()).await?;
            Ok(page.saved())
        })
        .await
}
