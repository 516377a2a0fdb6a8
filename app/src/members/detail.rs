use domain::members;
use domain::tenancy::Commit;
use leptos::prelude::*;

use crate::admin::{HandoverNotice, LoginButtons};
use leptos_router::hooks::use_query_map;

use super::unit_labels;
use crate::i18n::{t, use_lang};
use crate::page::{on_node, path_param, NodeCtx, Outcome, Staff};
use crate::routes;
use crate::shell::{DataTable, PageHead};
use leptos::server_fn::ServerFn as _;

/// `/org/:id/members/:mid`: one member's record and history.
#[component]
pub fn MemberPage() -> impl IntoView {
    let member_id = path_param("mid");
    let saved = use_query_map().read_untracked().get("saved").is_some();
    on_node(move |ctx: NodeCtx<Staff>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;
        let id = domain::validate::parse_id(&member_id)?;
        let m = members::get(&tx, id).await?;
        let history = members::history(&tx, id).await?;
        // A 支部书记 reads their branch's members and history; follow-up, care, 双报到 and the
        // forms are the roster keepers'.
        let keeps = matches!(
            tx.role(),
            domain::auth::Role::CommunitySecretary | domain::auth::Role::CommunityWorker
        );
        let (contacts, care, report, posts) = if keeps {
            (
                members::contacts(&tx, id).await?,
                members::care_for(&tx, id).await?,
                domain::reporting::report_of(&tx, id).await?,
                domain::reporting::posts(&tx).await?,
            )
        } else {
            Default::default()
        };
        let reveals = tx.role() == domain::auth::Role::CommunitySecretary;
        let units = unit_labels(&tx).await?;
        tx.commit().await?;
        let reporting = (report, posts, keeps);
        let login_flash = crate::state::take_flash(super::LOGIN_FORM).await;
        // The member's login, for its keepers: whether it is active, and a password just reset.
        let handover = crate::state::take_handover().await;
        let login_active = match m.account.filter(|_| reporting.2) {
            Some(account) => Some((
                account,
                domain::auth::Principal::load(ctx.db(), account)
                    .await?
                    .is_some(),
            )),
            None => None,
        };
        let login_section = reporting.2.then(|| {
            let error = login_flash.as_ref().map(|f| f.error.message(lang));
            let typed = login_flash
                .as_ref()
                .and_then(|f| f.values.get("login_name").cloned())
                .unwrap_or_default();
            let body = if m.has_account {
                let node = ctx.node.id;
                let manage = login_active.map(|(account, active)| {
                    view! { <LoginButtons node account active back=("member", m.id) /> }
                });
                view! {
                    <p>{t(lang, if login_active.is_some_and(|(_, active)| !active) { "members.login_closed" } else { "members.has_login" })}</p>
                    {handover.map(|handover| view! { <HandoverNotice handover /> })}
                    {manage}
                }
                .into_any()
            } else {
                view! {
                    <p class="hint">{t(lang, "members.login_note")}</p>
                    <Outcome error />
                    <form method="post" action=crate::members::fns::CreateMemberLogin::url() class="inline-form">
                        <input type="hidden" name="community" value=ctx.node.id.to_string() />
                        <input type="hidden" name="member" value=m.id.to_string() />
                        <label>
                            {t(lang, "field.login_name")}
                            <input name="login_name" maxlength="64" required autocomplete="off" value=typed />
                        </label>
                        <label>
                            {t(lang, "coop.initial_password")}
                            <input name="password" type="password" maxlength="128" required autocomplete="new-password" />
                        </label>
                        <button type="submit">{t(lang, "coop.create_account")}</button>
                    </form>
                }
                .into_any()
            };
            view! {
                <section id="login">
                    <h2>{t(lang, "members.login_title")}</h2>
                    {body}
                </section>
            }
        });
        let contact_error = crate::state::take_flash(super::CONTACT_FORM)
            .await
            .map(|f| f.error.message(lang));
        let follows_up = keeps
            && (m.member.category == domain::members::Category::Floating
                || m.member.status == domain::members::Status::LostContact
                || !contacts.is_empty());
        let contact_rows = contacts
            .into_iter()
            .map(|c| {
                view! {
                    <tr>
                        <td>{c.date.to_string()}</td>
                        <td>{t(lang, &format!("contact.{}", c.method.as_str()))}</td>
                        <td>{t(lang, if c.reached { "members.yes" } else { "members.no" })}</td>
                        <td>{c.city.unwrap_or_default()}</td>
                        <td>{c.note.unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view();
        let methods = domain::members::ContactMethod::ALL
            .iter()
            .map(|c| view! { <option value=c.as_str()>{t(lang, &format!("contact.{}", c.as_str()))}</option> })
            .collect_view();
        let contact_section = follows_up.then(|| {
            view! {
                <section id="contacts">
                    <h2>{t(lang, "contact.title")}</h2>
                    {contact_error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <form method="post" action=crate::members::fns::RecordMemberContact::url() class="inline-form">
                        <input type="hidden" name="community" value=ctx.node.id.to_string() />
                        <input type="hidden" name="member" value=m.id.to_string() />
                        <label>
                            {t(lang, "field.contact_date")}
                            <input name="date" type="date" required />
                        </label>
                        <label>
                            {t(lang, "field.method")}
                            <select name="method">{methods}</select>
                        </label>
                        <label class="check">
                            <input type="checkbox" name="reached" checked />
                            {t(lang, "contact.reached")}
                        </label>
                        <label>
                            {t(lang, "field.city")}
                            <input name="city" maxlength="64" />
                        </label>
                        <label>
                            {t(lang, "field.note")}
                            <input name="note" maxlength="500" />
                        </label>
                        <button type="submit" class="secondary">{t(lang, "contact.add")}</button>
                    </form>
                    <DataTable heads=vec!["field.contact_date", "field.method", "contact.reached", "field.city", "field.note"]>{contact_rows}</DataTable>
                </section>
            }
        });
        let care_error = crate::state::take_flash(super::CARE_FORM)
            .await
            .map(|f| f.error.message(lang));
        let needs_care = keeps && (m.member.hardship || m.member.immobile || !care.is_empty());
        let care_rows = care
            .into_iter()
            .map(|c| {
                let amount = c
                    .amount_cents
                    .map(|cents| format!("{}.{:02}", cents / 100, cents % 100));
                view! {
                    <tr>
                        <td>{c.date.to_string()}</td>
                        <td>{t(lang, &format!("care.{}", c.kind.as_str()))}</td>
                        <td>{c.help.unwrap_or_default()}</td>
                        <td class="num">{amount.unwrap_or_default()}</td>
                        <td>{c.note.unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view();
        let care_kinds = domain::members::CareKind::ALL
            .iter()
            .map(|k| view! { <option value=k.as_str()>{t(lang, &format!("care.{}", k.as_str()))}</option> })
            .collect_view();
        let care_section = needs_care.then(|| {
            view! {
                <section id="care">
                    <h2>{t(lang, "care.title")}</h2>
                    {care_error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <form method="post" action=crate::members::fns::RecordMemberCare::url() class="inline-form">
                        <input type="hidden" name="community" value=ctx.node.id.to_string() />
                        <input type="hidden" name="member" value=m.id.to_string() />
                        <label>
                            {t(lang, "field.care_date")}
                            <input name="date" type="date" required />
                        </label>
                        <label>
                            {t(lang, "field.care_kind")}
                            <select name="kind">{care_kinds}</select>
                        </label>
                        <label>
                            {t(lang, "field.help")}
                            <input name="help" maxlength="100" />
                        </label>
                        <label>
                            {t(lang, "field.amount")}
                            <input name="amount" inputmode="decimal" maxlength="12" />
                        </label>
                        <label>
                            {t(lang, "field.note")}
                            <input name="note" maxlength="500" />
                        </label>
                        <button type="submit" class="secondary">{t(lang, "care.add")}</button>
                    </form>
                    <DataTable heads=vec!["field.care_date", "field.care_kind", "field.help", "#field.amount", "field.note"]>{care_rows}</DataTable>
                </section>
            }
        });
        let reporting_section = match keeps {
            true => reporting_section(&m, ctx.node.id, reporting).await,
            false => None,
        };
        let flash = crate::state::take_flash(super::TRANSFER_FORM).await;
        let transfer_error = flash.as_ref().map(|f| f.error.message(lang));
        let kept = |key: &str| {
            flash
                .as_ref()
                .and_then(|f| f.values.get(key).cloned())
                .unwrap_or_default()
        };
        let transfer_form = (keeps && m.member.status != domain::members::Status::TransferredOut).then(|| {
            view! {
                <section>
                    <h2>{t(lang, "transfers.out_title")}</h2>
                    {transfer_error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <form method="post" action=crate::members::fns::TransferOutMember::url() class="inline-form">
                        <input type="hidden" name="community" value=ctx.node.id.to_string() />
                        <input type="hidden" name="member" value=m.id.to_string() />
                        <label>
                            {t(lang, "field.transfer_date")}
                            <input name="date" type="date" required value=kept("date") />
                        </label>
                        <label>
                            {t(lang, "transfers.to")}
                            <input name="counterpart" maxlength="100" required value=kept("counterpart") />
                        </label>
                        <button type="submit" class="secondary">{t(lang, "transfers.out")}</button>
                    </form>
                </section>
            }
        });
        // Masked unless revealed just now (once, audited) by the secretary.
        let revealed = super::take_revealed_phone(m.id).await;
        let mut phone = Some(match (&m.member.phone, revealed) {
            (_, Some(full)) => view! {
                <span id="phone">{full}</span>
                " "
                <small>{t(lang, "members.phone_reveal_recorded")}</small>
            }
            .into_any(),
            (Some(masked), None) if reveals => view! {
                <span id="phone">{masked.clone()}</span>
                " "
                <form method="post" action=crate::members::fns::RevealMemberPhone::url() class="inline">
                    <input type="hidden" name="community" value=ctx.node.id.to_string() />
                    <input type="hidden" name="member" value=m.id.to_string() />
                    <button type="submit" class="link">{t(lang, "members.phone_reveal")}</button>
                </form>
            }
            .into_any(),
            (masked, None) => {
                view! { <span id="phone">{masked.clone().unwrap_or_default()}</span> }.into_any()
            }
        });
        let base = routes::members(ctx.node.id).to_string();
        let placement = m
            .member
            .unit_id
            .and_then(|id| units.into_iter().find(|(u, _)| *u == id))
            .map(|(_, name)| name)
            .unwrap_or_else(|| t(lang, "members.none_selected"));
        let yes_no = |flag: bool| t(lang, if flag { "members.yes" } else { "members.no" });
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let date =
            |value: Option<chrono::NaiveDate>| value.map(|d| d.to_string()).unwrap_or_default();
        let fields: Vec<(&str, String)> = vec![
            (
                "field.gender",
                t(lang, &format!("gender.{}", m.member.gender.as_str())),
            ),
            ("field.birth_date", date(m.member.birth_date)),
            ("field.joined_on", date(m.member.joined_on)),
            (
                "field.category",
                t(lang, &format!("category.{}", m.member.category.as_str())),
            ),
            (
                "field.relation",
                t(lang, &format!("relation.{}", m.member.relation.as_str())),
            ),
            (
                "field.standing",
                t(lang, &format!("standing.{}", m.member.standing.as_str())),
            ),
            (
                "field.status",
                t(lang, &format!("status.{}", m.member.status.as_str())),
            ),
            ("field.phone", String::new()),
            ("members.placement", placement),
            (
                "members.address",
                [&m.member.building, &m.member.unit_no, &m.member.room]
                    .iter()
                    .filter_map(|v| v.as_deref())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            ("field.employer", text(&m.member.employer)),
            (
                "field.employer_party_org",
                text(&m.member.employer_party_org),
            ),
            ("field.interests", text(&m.member.interests)),
            ("field.hardship", yes_no(m.member.hardship)),
            ("field.immobile", yes_no(m.member.immobile)),
            ("field.id_last4", text(&m.member.id_last4)),
        ];
        let events = history
            .into_iter()
            .rev()
            .map(|e| {
                let counterpart = e.detail["counterpart"].as_str().map(|c| {
                    format!("（{} {}）", e.detail["date"].as_str().unwrap_or_default(), c)
                });
                let changed = e.detail["changed"]
                    .as_array()
                    .map(|fields| {
                        fields
                            .iter()
                            .filter_map(|f| f.as_str())
                            .map(|f| t(lang, &format!("field.{f}")))
                            .collect::<Vec<_>>()
                            .join("、")
                    })
                    .unwrap_or_default();
                view! {
                    <li>
                        <time datetime=e.at.to_rfc3339()>{e.at.format("%Y-%m-%d %H:%M").to_string()}</time>
                        " "
                        {t(lang, &format!("members.event.{}", e.kind))}
                        {(!changed.is_empty()).then(|| format!("：{changed}"))}
                        {counterpart}
                    </li>
                }
            })
            .collect_view();
        Ok(view! {
            {saved.then(|| view! { <p class="notice" role="status">{t(lang, "members.saved")}</p> })}
            <PageHead back=base.clone() kind=t(lang, "members.roster") title=m.member.name.clone() />
            {keeps.then(|| view! {
                <p class="actions">
                    <a class="button" href=format!("{base}/{}/edit", m.id)>{t(lang, "members.edit")}</a>
                    " "
                    <a class="button secondary" href=crate::routes::member_dues(ctx.node.id, m.id).to_string()>
                        {t(lang, "dues.member_title")}
                    </a>
                </p>
            })}
            <section class="card">
                <dl class="fields">
                    {fields
                        .into_iter()
                        .map(|(label, value)| {
                            let value = match phone.take() {
                                Some(phone) if label == "field.phone" => phone,
                                other => {
                                    phone = other;
                                    value.into_any()
                                }
                            };
                            view! {
                                <div>
                                    <dt>{t(lang, label)}</dt>
                                    <dd>{value}</dd>
                                </div>
                            }
                        })
                        .collect_view()}
                </dl>
            </section>
            {reporting_section}
            {login_section}
            {care_section}
            {contact_section}
            {transfer_form}
            <section>
                <h2>{t(lang, "members.history")}</h2>
                <ol class="history">{events}</ol>
            </section>
        }
        .into_any())
    })
}

/// 双报到 on the member page: for in-service members (or anyone with a report), the report's
/// state and, for roster keepers, the posts to report them with.
async fn reporting_section(
    m: &members::MemberRow,
    community: uuid::Uuid,
    (report, posts, keeps): (
        Option<domain::reporting::Report>,
        Vec<domain::reporting::Post>,
        bool,
    ),
) -> Option<impl IntoView> {
    use crate::reporting::{PostPicker, ReportSummary, REPORTING_FORM};
    let lang = use_lang();
    let in_service = m.member.category == members::Category::InService
        && m.member.status != members::Status::TransferredOut;
    if !in_service && report.is_none() {
        return None;
    }
    let error = crate::state::take_flash(REPORTING_FORM)
        .await
        .map(|f| f.error.message(lang));
    let picked: Vec<uuid::Uuid> = report
        .as_ref()
        .map(|r| r.posts.iter().map(|(id, _)| *id).collect())
        .unwrap_or_default();
    let offered: Vec<_> = posts.into_iter().filter(|p| p.active).collect();
    let member = Some(m.id);
    let picker = (keeps && in_service).then(|| {
        view! {
            <PostPicker community member posts=offered picked label=t(lang, "reporting.report_for") />
        }
    });
    Some(view! {
        <section id="reporting">
            <h2>{t(lang, "reporting.title")}</h2>
            <Outcome error />
            <ReportSummary report />
            {picker}
        </section>
    })
}
