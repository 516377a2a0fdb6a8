//! `/org/:id/accounts`: the accounts this node's staff manage, the forms to open one and to
//! give an existing login another role, and the account changes below the node.
use domain::auth::admin::{self, AccountChange, AccountRow, AccountsView};
use domain::auth::Role;
use domain::notices::ChannelStatus;
use domain::org::{NodeKind, NodeSummary};
use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use uuid::Uuid;

use super::fns::{GrantRole, OpenAccount, ResetPassword, RevokeRole, SetActive};
use super::ACCOUNTS_FORM;
use crate::activities::when;
use crate::i18n::{t, t_with, use_lang};
use crate::page::{on_node, Grants, NodeCtx, Outcome};
use crate::shell::{list_table, PageHead};

#[component]
pub fn AccountsPage() -> impl IntoView {
    let saved = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("saved")
        .is_some();
    on_node(move |ctx: NodeCtx<Grants>| async move {
        let lang = ctx.lang;
        // Taken first: a one-time password does not stay in the session if the page fails.
        let handover = crate::state::take_handover().await;
        let view = admin::accounts(ctx.db(), &ctx.access.0, ctx.node.id).await?;
        let outbound = outbound_status(&ctx).await?;
        let health = service_health(&ctx).await?;
        let flash = crate::state::take_flash(ACCOUNTS_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let kept = move |key: &str| {
            flash
                .as_ref()
                .and_then(|f| f.values.get(key).cloned())
                .unwrap_or_default()
        };
        let AccountsView {
            node,
            grants,
            places,
            branches,
            accounts,
            truncated,
            changes,
        } = view;
        let handover = handover.map(|handover| view! { <HandoverNotice handover /> });
        // 已保存 unless the saved thing is the one-time password shown above it.
        let saved = saved && handover.is_none();
        let typed = [
            kept("login_name"),
            kept("display_name"),
            kept("phone"),
            kept("role"),
            kept("place"),
            kept("branch"),
        ];
        let typed_login = kept("login");
        Ok(view! {
            <Outcome saved error />
            {handover}
            <PageHead kind=node.name.clone() title=t(lang, "accounts.title") />
            <AccountTable accounts node=node.id branches=branches.clone() />
            {truncated.then(|| view! { <p class="note">{t(lang, "accounts.truncated")}</p> })}
            <OpenForm node=node.id grants=grants.clone() places=places.clone() branches=branches.clone() kept=typed />
            <GrantForm node=node.id grants places branches login=typed_login />
            <Changes changes />
            {health.map(|health| view! { <ServiceHealth health /> })}
            {outbound.map(|channels| view! { <Outbound channels /> })}
        }
        .into_any())
    })
}

/// A one-time password just made, shown this once to hand over in person.
#[component]
pub fn HandoverNotice(handover: crate::state::Handover) -> impl IntoView {
    let lang = use_lang();
    let text = t_with(lang, "accounts.handover", &[("login", handover.login_name)]);
    view! {
        <div class="notice handover" role="status">
            <p>{text}</p>
            <p class="one-time-password"><code>{handover.password}</code></p>
            <p class="note">{t(lang, "accounts.handover_note")}</p>
        </div>
    }
}

/// Reset and deactivate (or reactivate) buttons for a login kept from its record's page (a
/// member's, a unit's liaison's): `back` names the record (`member` or `unit`) and its id, so
/// the post returns there.
#[component]
pub fn LoginButtons(
    node: Uuid,
    account: Uuid,
    active: bool,
    back: (&'static str, Uuid),
) -> impl IntoView {
    let lang = use_lang();
    let on = |extra: Option<(&'static str, String)>| {
        let mut fields = vec![
            ("account", account.to_string()),
            (back.0, back.1.to_string()),
        ];
        fields.extend(extra);
        fields
    };
    let (switch, label) = if active {
        ("false", "accounts.deactivate")
    } else {
        ("true", "accounts.reactivate")
    };
    view! {
        <p>
            {button_form(ResetPassword::url(), node, on(None), t(lang, "accounts.reset"), "secondary")}
            " "
            {button_form(SetActive::url(), node, on(Some(("active", switch.to_owned()))), t(lang, label), "secondary")}
        </p>
    }
}

/// A one-button form posting the page's node and `fields` as hidden inputs.
fn button_form(
    action: &'static str,
    node: Uuid,
    fields: Vec<(&'static str, String)>,
    label: String,
    class: &'static str,
) -> impl IntoView {
    let hidden = fields
        .into_iter()
        .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
        .collect_view();
    view! {
        <form method="post" action=action class="inline">
            <input type="hidden" name="node" value=node.to_string() />
            {hidden}
            <button type="submit" class=class>{label}</button>
        </form>
    }
}

fn role_name(lang: crate::i18n::Lang, role: Role) -> String {
    t(lang, &format!("role.{}", role.as_str()))
}

/// One row per account: its roles here (each with a revoke button), last login, state, and
/// what the viewer may do with it.
#[component]
fn AccountTable(
    accounts: Vec<AccountRow>,
    node: Uuid,
    branches: Vec<(Uuid, String)>,
) -> impl IntoView {
    let lang = use_lang();
    let heads = vec![
        "accounts.person",
        "accounts.roles",
        "accounts.last_login",
        "accounts.state",
        "",
    ];
    let table = list_table(heads, "accounts.none", accounts, move |a| {
        let roles = a
            .roles
            .iter()
            .map(|r| {
                let revoke = r.revocable.then(|| {
                    let fields = vec![("assignment", r.assignment.to_string())];
                    button_form(
                        RevokeRole::url(),
                        node,
                        fields,
                        t(lang, "accounts.revoke"),
                        "link",
                    )
                });
                // A 支部书记's branch, or a note that their role names none (granted before
                // roles named one: they see nothing until it is granted again).
                let branch = (r.role == Role::BranchSecretary).then(|| {
                    let name = r
                        .branch
                        .and_then(|b| branches.iter().find(|(id, _)| *id == b))
                        .map(|(_, name)| name.clone())
                        .unwrap_or_else(|| t(lang, "accounts.no_branch"));
                    format!(" · {name}")
                });
                view! {
                    <li>
                        {format!("{} · {}{}", role_name(lang, r.role), r.node.name, branch.unwrap_or_default())}
                        " "
                        {revoke}
                    </li>
                }
            })
            .collect_view();
        let state = if !a.active {
            "accounts.state_inactive"
        } else if a.locked {
            "accounts.state_locked"
        } else if a.one_time {
            "accounts.state_one_time"
        } else {
            "accounts.state_active"
        };
        let actions = a.manageable.then(|| {
            let account = ("account", a.id.to_string());
            let (switch, label) = if a.active {
                ("false", "accounts.deactivate")
            } else {
                ("true", "accounts.reactivate")
            };
            let reset = vec![account.clone()];
            let active = vec![account, ("active", switch.to_owned())];
            view! {
                {button_form(ResetPassword::url(), node, reset, t(lang, "accounts.reset"), "secondary")}
                " "
                {button_form(SetActive::url(), node, active, t(lang, label), "secondary")}
            }
        });
        view! {
            <tr>
                <td>{a.display_name} <br /> <span class="code">{a.login_name}</span></td>
                <td><ul class="plain">{roles}</ul></td>
                <td>{a.last_login_at.map(when).unwrap_or_else(|| t(lang, "accounts.never"))}</td>
                <td>{t(lang, state)}</td>
                <td class="no-print">{actions}</td>
            </tr>
        }
    });
    view! { <section id="accounts">{table}</section> }
}

/// The role and the place it is held on: a list of the nodes below, or (for the operator, at
/// the top of ~2,800 districts) a district's code typed in.
#[component]
fn RoleAndPlace(
    grants: Vec<(Role, NodeKind)>,
    places: Vec<NodeSummary>,
    branches: Vec<(Uuid, String)>,
    role: String,
    place: String,
    branch: String,
) -> impl IntoView {
    let lang = use_lang();
    let roles = grants
        .iter()
        .map(|(r, _)| {
            let selected = role == r.as_str();
            view! { <option value=r.as_str() selected=selected>{role_name(lang, *r)}</option> }
        })
        .collect_view();
    let place_field = if places.is_empty() {
        view! {
            <label>
                {t(lang, "accounts.district_code")}
                <input name="place" inputmode="numeric" maxlength="12" required value=place />
            </label>
        }
        .into_any()
    } else {
        let options = places
            .into_iter()
            .map(|n| {
                let selected = place == n.id.to_string();
                view! { <option value=n.id.to_string() selected=selected>{n.name}</option> }
            })
            .collect_view();
        view! {
            <label>
                {t(lang, "accounts.place")}
                <select name="place">{options}</select>
            </label>
        }
        .into_any()
    };
    // Only a 支部书记's role names a branch; the select says so and other roles ignore it.
    let branch_field = (!branches.is_empty()).then(|| {
        let options = branches
            .into_iter()
            .map(|(id, name)| {
                let selected = branch == id.to_string();
                view! { <option value=id.to_string() selected=selected>{name}</option> }
            })
            .collect_view();
        view! {
            <label>
                {t(lang, "accounts.branch")}
                <select name="branch">
                    <option value="">{t(lang, "accounts.branch_none")}</option>
                    {options}
                </select>
            </label>
        }
    });
    view! {
        <label>
            {t(lang, "accounts.role")}
            <select name="role">{roles}</select>
        </label>
        {place_field}
        {branch_field}
    }
}

#[component]
fn OpenForm(
    node: Uuid,
    grants: Vec<(Role, NodeKind)>,
    places: Vec<NodeSummary>,
    branches: Vec<(Uuid, String)>,
    kept: [String; 6],
) -> impl IntoView {
    let lang = use_lang();
    let [login_name, display_name, phone, role, place, branch] = kept;
    view! {
        <section id="open" class="card">
            <h2>{t(lang, "accounts.open")}</h2>
            <p class="note">{t(lang, "accounts.open_note")}</p>
            <form method="post" action=OpenAccount::url() class="member-form">
                <input type="hidden" name="node" value=node.to_string() />
                <label>
                    {t(lang, "field.login_name")}
                    <input name="login_name" maxlength="64" autocomplete="off" required value=login_name />
                </label>
                <label>
                    {t(lang, "accounts.display_name")}
                    <input name="display_name" maxlength="64" required value=display_name />
                </label>
                <label>
                    {t(lang, "field.phone")}
                    <input name="phone" inputmode="numeric" maxlength="11" value=phone />
                </label>
                <RoleAndPlace grants places branches role place branch />
                <div class="buttons">
                    <button type="submit">{t(lang, "accounts.open")}</button>
                </div>
            </form>
        </section>
    }
}

/// A second role for someone who already has a login (street staff who also work in a
/// community keep one account).
#[component]
fn GrantForm(
    node: Uuid,
    grants: Vec<(Role, NodeKind)>,
    places: Vec<NodeSummary>,
    branches: Vec<(Uuid, String)>,
    login: String,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section id="grant" class="card">
            <h2>{t(lang, "accounts.grant")}</h2>
            <form method="post" action=GrantRole::url() class="member-form">
                <input type="hidden" name="node" value=node.to_string() />
                <label>
                    {t(lang, "field.login")}
                    <input name="login" maxlength="64" autocomplete="off" required value=login />
                </label>
                <RoleAndPlace grants places branches role=String::new() place=String::new() branch=String::new() />
                <div class="buttons">
                    <button type="submit" class="secondary">{t(lang, "accounts.grant")}</button>
                </div>
            </form>
        </section>
    }
}

/// Account changes below the node, newest first (the level above sees what each level did).
#[component]
fn Changes(changes: Vec<AccountChange>) -> impl IntoView {
    let lang = use_lang();
    let heads = vec![
        "accounts.when",
        "accounts.change",
        "accounts.account",
        "accounts.by",
    ];
    let table = list_table(heads, "accounts.no_changes", changes, move |c| {
        view! {
            <tr>
                <td>{when(c.at)}</td>
                <td>{t(lang, &format!("accounts.change.{}", c.action))}</td>
                <td>{c.account}</td>
                <td>{c.by.unwrap_or_default()}</td>
            </tr>
        }
    });
    view! {
        <section id="changes">
            <h2>{t(lang, "accounts.changes")}</h2>
            {table}
        </section>
    }
}

/// The platform operator's view of the service's health (on the country's accounts page):
/// `None` for everyone else.
async fn service_health(
    ctx: &NodeCtx<Grants>,
) -> Result<Option<domain::operations::Health>, crate::error::AppError> {
    if !ctx.access.0.is_operator() || ctx.node.kind != NodeKind::Country {
        return Ok(None);
    }
    Ok(Some(
        domain::operations::health(ctx.db(), &ctx.access.0).await?,
    ))
}

/// The pool's connections, and how far the upper levels' totals and the read replica are behind.
#[component]
fn ServiceHealth(health: domain::operations::Health) -> impl IntoView {
    let lang = use_lang();
    let seconds = |s: f64| t_with(lang, "health.seconds", &[("n", format!("{s:.1}"))]);
    let rollup = match health.rollup.oldest_ms {
        Some(ms) => t_with(
            lang,
            "health.rollup_behind",
            &[
                ("n", health.rollup.pending.to_string()),
                ("age", seconds(ms as f64 / 1000.0)),
            ],
        ),
        None => t(lang, "health.up_to_date"),
    };
    let replica = match health.replica {
        None if health.replica_unreachable => t(lang, "health.replica_unreachable"),
        None => t(lang, "health.no_replica"),
        Some(lag) if lag.bytes == 0 => t(lang, "health.up_to_date"),
        Some(lag) => t_with(
            lang,
            "health.replica_behind",
            &[
                ("kb", ((lag.bytes + 1023) / 1024).to_string()),
                ("age", seconds(lag.seconds)),
            ],
        ),
    };
    // SQLite keeps no months: nothing to say.
    let audit = match health.audit_unplaced {
        Some(0) => Some(t(lang, "health.audit_by_month")),
        Some(n) => Some(t_with(
            lang,
            "health.audit_unplaced",
            &[("n", n.to_string())],
        )),
        None if health.audit_unreadable => Some(t(lang, "health.audit_unreadable")),
        None => None,
    };
    let pool = t_with(
        lang,
        "health.pool_use",
        &[
            ("busy", health.pool.in_use().to_string()),
            ("open", health.pool.open.to_string()),
            ("max", health.pool.max.to_string()),
        ],
    );
    view! {
        <section id="health">
            <h2>{t(lang, "health.title")}</h2>
            <dl class="fields">
                <dt>{t(lang, "health.pool")}</dt>
                <dd>{pool}</dd>
                <dt>{t(lang, "health.rollup")}</dt>
                <dd>{rollup}</dd>
                <dt>{t(lang, "health.replica")}</dt>
                <dd>{replica}</dd>
                {audit.map(|audit| view! {
                    <dt>{t(lang, "health.audit")}</dt>
                    <dd>{audit}</dd>
                })}
            </dl>
            <p class="note">{t(lang, "health.note")}</p>
        </section>
    }
}

/// The platform operator's view of the channels beyond the app (on the country's accounts page):
/// `None` for everyone else.
async fn outbound_status(
    ctx: &NodeCtx<Grants>,
) -> Result<Option<Vec<ChannelStatus>>, crate::error::AppError> {
    if !ctx.access.0.is_operator() || ctx.node.kind != NodeKind::Country {
        return Ok(None);
    }
    let now = chrono::Utc::now();
    Ok(Some(
        domain::notices::outbox_status(ctx.db(), &ctx.access.0, now).await?,
    ))
}

/// Each channel: configured or not, what waits, what was sent, what was given up, and the
/// latest errors (no addresses: the operator needs to see the channel fail, not whom it missed).
#[component]
fn Outbound(channels: Vec<ChannelStatus>) -> impl IntoView {
    let lang = use_lang();
    let heads = vec![
        "outbound.channel",
        "outbound.configured",
        "outbound.waiting",
        "outbound.retrying",
        "outbound.sent_last_day",
        "outbound.given_up",
    ];
    let errors: Vec<_> = channels
        .iter()
        .flat_map(|c| c.latest_errors.iter().map(move |e| (c.channel, e.clone())))
        .collect();
    let table = list_table(heads, "outbound.none", channels, move |c| {
        let configured = if c.configured {
            "outbound.on"
        } else {
            "outbound.off"
        };
        view! {
            <tr>
                <td>{t(lang, &format!("outbound.channel.{}", c.channel.as_str()))}</td>
                <td>{t(lang, configured)}</td>
                <td>{c.waiting}</td>
                <td>{c.retrying}</td>
                <td>{c.sent_last_day}</td>
                <td>{c.given_up}</td>
            </tr>
        }
    });
    let error_heads = vec![
        "outbound.channel",
        "accounts.when",
        "outbound.attempts",
        "outbound.error",
    ];
    let error_table = list_table(
        error_heads,
        "outbound.no_errors",
        errors,
        move |(channel, (at, attempts, error))| {
            view! {
                <tr>
                    <td>{t(lang, &format!("outbound.channel.{}", channel.as_str()))}</td>
                    <td>{when(at)}</td>
                    <td>{attempts}</td>
                    <td>{error}</td>
                </tr>
            }
        },
    );
    view! {
        <section id="outbound">
            <h2>{t(lang, "outbound.title")}</h2>
            <p class="note">{t(lang, "outbound.note")}</p>
            {table}
            <h3>{t(lang, "outbound.latest_errors")}</h3>
            {error_table}
        </section>
    }
}
