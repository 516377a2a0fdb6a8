use domain::members;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::roster_read;
use crate::error::fail;
use crate::i18n::{t, use_lang};
use crate::shell::{error_page, require_principal, HeaderUser, Layout};

/// `/org/:id/members/care`: members in hardship or with limited mobility, least recently cared
/// for first.
#[component]
pub fn CarePage() -> impl IntoView {
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

            let today = domain::clock::today();
            let rows = members::care_list(&tx, today).await.map_err(fail)?;
            tx.commit().await.map_err(fail)?;
            Ok((page, rows))
        };
        let (page, rows) = match loaded.await {
            Ok(loaded) => loaded,
            Err(err) => return error_page(Some(user), err),
        };
        let base = format!("/org/{}/members", page.node.id);
        let yes = |flag: bool| {
            if flag {
                t(lang, "members.yes")
            } else {
                String::new()
            }
        };
        let body = rows
            .into_iter()
            .map(|r| {
                view! {
                    <tr>
                        <td>
                            <a href=format!("{base}/{}#care", r.member_id)>{r.name}</a>
                        </td>
                        <td>{yes(r.hardship)}</td>
                        <td>{yes(r.immobile)}</td>
                        <td>{r.last_care.map(|d| d.to_string()).unwrap_or_else(|| t(lang, "care.never"))}</td>
                        <td class="num">{r.this_year}</td>
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
                    <h1>{t(lang, "care.title")}</h1>
                </header>
                <div class="table-wrap">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{t(lang, "field.full_name")}</th>
                                <th scope="col">{t(lang, "field.hardship")}</th>
                                <th scope="col">{t(lang, "field.immobile")}</th>
                                <th scope="col">{t(lang, "care.last")}</th>
                                <th scope="col" class="num">{t(lang, "care.this_year")}</th>
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
            </Layout>
        }
        .into_any()
    })
}
