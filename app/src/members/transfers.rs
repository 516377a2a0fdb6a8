use domain::members;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::roster_read;
use crate::error::fail;
use crate::i18n::{t, use_lang};
use crate::shell::{error_page, require_principal, HeaderUser, Layout};

/// `/org/:id/members/transfers`: the community's 组织关系接转 records, newest first.
#[component]
pub fn TransfersPage() -> impl IntoView {
    let lang = use_lang();
    let community = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    Suspend::new(async move {
        let p = match require_principal().await {
            Ok(p) => p,
            Err(view) => return view,
        };
        let user = HeaderUser::of(&p);
        let loaded = async {
            let (tx, page) = roster_read(&p, &community).await?;

            let records = members::transfers(&tx).await.map_err(fail)?;
            tx.commit().await.map_err(fail)?;
            Ok((page, records))
        };
        let (page, records) = match loaded.await {
            Ok(loaded) => loaded,
            Err(err) => return error_page(Some(user), err),
        };
        let base = format!("/org/{}/members", page.node.id);
        let empty = records.is_empty();
        let rows = records
            .into_iter()
            .map(|r| {
                view! {
                    <tr>
                        <td>{r.date}</td>
                        <td>{t(lang, &format!("transfers.{}", r.kind))}</td>
                        <td>
                            <a href=format!("{base}/{}", r.member_id)>{r.name}</a>
                        </td>
                        <td>{r.counterpart}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <Layout user=Some(user) crumbs=page.crumbs.clone()>
                <header class="page-head">
                    <p class="kind">
                        <a href=base.clone()>{t(lang, "members.roster")}</a>
                    </p>
                    <h1>{t(lang, "transfers.title")}</h1>
                </header>
                {if empty {
                    view! { <p>{t(lang, "transfers.none")}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap">
                            <table>
                                <thead>
                                    <tr>
                                        <th scope="col">{t(lang, "field.transfer_date")}</th>
                                        <th scope="col">{t(lang, "transfers.kind")}</th>
                                        <th scope="col">{t(lang, "field.full_name")}</th>
                                        <th scope="col">{t(lang, "field.counterpart")}</th>
                                    </tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                    }
                        .into_any()
                }}
            </Layout>
        }
        .into_any()
    })
}
