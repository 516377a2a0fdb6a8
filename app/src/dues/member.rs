//! `/org/:id/dues/:member`: one member's dues: assess them, record a payment (代缴 too), the
//! assessments and the payments with undo.
use domain::dues::{self, PaymentMethod, RATES_PERMILLE};
use domain::tenancy::Commit;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{fns, yuan, DUES_FORM};
use crate::i18n::t;
use crate::page::{on_node, NodeCtx, Outcome, Staff};
use crate::routes;
use crate::shell::{DataTable, PageHead};
use leptos::server_fn::ServerFn as _;

#[component]
pub fn MemberDuesPage() -> impl IntoView {
    let saved = use_query_map().read_untracked().get("saved").is_some();
    let member = use_params_map()
        .read_untracked()
        .get("member")
        .unwrap_or_default();
    on_node(move |ctx: NodeCtx<Staff>| async move {
        let lang = ctx.lang;
        let member = domain::validate::parse_id(&member)?;
        let tx = ctx.read().await?;
        let today = domain::clock::today();
        let kept = dues::member_dues(&tx, member, today).await?;
        tx.commit().await?;
        let flash = crate::state::take_flash(DUES_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let value = |key: &str, default: String| {
            flash
                .as_ref()
                .and_then(|f| f.values.get(key).cloned())
                .unwrap_or(default)
        };
        let node = ctx.node.id;
        let this_month = dues::month_label(today);
        let first_unpaid = kept
            .first_unpaid
            .map(dues::month_label)
            .unwrap_or_else(|| this_month.clone());
        let (rate, method) = (value("rate", String::new()), value("method", String::new()));
        let community = node.to_string();
        let member_id = member.to_string();
        let rates = RATES_PERMILLE
            .iter()
            .map(|r| {
                let code = r.to_string();
                let selected = code == rate;
                view! { <option value=code selected=selected>{dues::rate_label(*r)}</option> }
            })
            .collect_view();
        let methods = PaymentMethod::ALL
            .iter()
            .map(|m| {
                let selected = m.as_str() == method;
                view! { <option value=m.as_str() selected=selected>{t(lang, &format!("dues_method.{}", m.as_str()))}</option> }
            })
            .collect_view();
        let assessments = kept
            .assessments
            .iter()
            .map(|a| {
                view! {
                    <tr>
                        <td>{dues::month_label(a.from_month)}</td>
                        <td class="num">{a.base_cents.map(yuan)}</td>
                        <td class="num">{a.rate_permille.map(dues::rate_label)}</td>
                        <td class="num">{yuan(a.monthly_cents)}</td>
                    </tr>
                }
            })
            .collect_view();
        let no_payments = kept.payments.is_empty();
        let payments = kept
            .payments
            .iter()
            .map(|p| {
                let month = dues::month_label(p.month);
                view! {
                    <tr>
                        <td>{month.clone()}</td>
                        <td class="num">{yuan(p.amount_cents)}</td>
                        <td>{t(lang, &format!("dues_method.{}", p.method.as_str()))}</td>
                        <td>{p.paid_on.to_string()}</td>
                        <td>{p.proxy.clone()}</td>
                        <td class="no-print">
                            <form method="post" action=fns::UndoDuesPayment::url()>
                                <input type="hidden" name="community" value=community.clone() />
                                <input type="hidden" name="member" value=member_id.clone() />
                                <input type="hidden" name="month" value=month.clone() />
                                <button type="submit" class="secondary" aria-label=format!("{} {month}", t(lang, "dues.undo"))>
                                    {t(lang, "dues.undo")}
                                </button>
                            </form>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let forms = kept.pays_here.then(|| view! {
            <section id="pay">
                <h2>{t(lang, "dues.record")}</h2>
                <form method="post" action=fns::RecordDuesPayment::url() class="inline-form">
                    <input type="hidden" name="community" value=community.clone() />
                    <input type="hidden" name="member" value=member_id.clone() />
                    <label>
                        {t(lang, "field.dues_from")}
                        <input type="month" name="from_month" required value=value("pay_from", first_unpaid.clone()) />
                    </label>
                    <label>
                        {t(lang, "field.dues_to")}
                        <input type="month" name="to_month" value=value("pay_to", String::new()) />
                    </label>
                    <label>
                        {t(lang, "field.dues_method")}
                        <select name="method">{methods}</select>
                    </label>
                    <label>
                        {t(lang, "field.dues_paid_on")}
                        <input type="date" name="paid_on" required value=value("paid_on", today.to_string()) />
                    </label>
                    <label>
                        {t(lang, "field.dues_proxy")}
                        <input name="proxy" maxlength="32" value=value("proxy", String::new()) />
                    </label>
                    <button type="submit">{t(lang, "dues.record")}</button>
                </form>
            </section>
            <section id="assess">
                <h2>{t(lang, "dues.assess")}</h2>
                <p class="hint">{t(lang, "dues.assess_hint")}</p>
                <form method="post" action=fns::AssessDues::url() class="inline-form">
                    <input type="hidden" name="community" value=community.clone() />
                    <input type="hidden" name="member" value=member_id.clone() />
                    <label>
                        {t(lang, "field.dues_from")}
                        <input type="month" name="from_month" required value=value("assess_from", this_month.clone()) />
                    </label>
                    <label>
                        {t(lang, "field.dues_base")}
                        <input name="base" inputmode="decimal" maxlength="12" value=value("base", String::new()) />
                    </label>
                    <label>
                        {t(lang, "field.dues_rate")}
                        <select name="rate">
                            <option value="">{t(lang, "dues.standard_rate")}</option>
                            {rates}
                        </select>
                    </label>
                    <label>
                        {t(lang, "field.dues_fixed")}
                        <input name="fixed" inputmode="decimal" maxlength="12" value=value("fixed", String::new()) />
                    </label>
                    <button type="submit" class="secondary">{t(lang, "dues.assess")}</button>
                </form>
            </section>
        });
        Ok(view! {
            <Outcome saved error />
            <PageHead back=routes::dues(node).to_string() kind=t(lang, "dues.title") title=kept.name.clone() />
            {(!kept.pays_here).then(|| view! { <p class="note">{t(lang, "dues.pays_elsewhere")}</p> })}
            {forms}
            <section id="payments">
                <h2>{t(lang, "dues.payments")}</h2>
                {if no_payments {
                    view! { <p class="note">{t(lang, "dues.no_payments")}</p> }.into_any()
                } else {
                    view! {
                        <DataTable heads=vec!["dues.month", "#dues.paid", "field.dues_method", "field.dues_paid_on", "field.dues_proxy", ""]>
                            {payments}
                        </DataTable>
                    }
                    .into_any()
                }}
            </section>
            <section id="assessments">
                <h2>{t(lang, "dues.assessments")}</h2>
                <DataTable heads=vec!["field.dues_from", "#field.dues_base", "#field.dues_rate", "#dues.monthly"]>
                    {assessments}
                </DataTable>
            </section>
        }
        .into_any())
    })
}
