use domain::auth::Principal;
use domain::overview::Crumb;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;
use crate::i18n::{t, use_lang};
use crate::routes;
use leptos::server_fn::ServerFn as _;

/// What the header shows of the signed-in user.
#[derive(Clone, Debug)]
pub struct HeaderUser {
    name: String,
    /// (node id, "role · node name") for the organisation switcher.
    organisations: Vec<(uuid::Uuid, String)>,
    /// The role the page is seen in, as (node id, "role · node name"): one held on the page's
    /// node, or else on the nearest level above it.
    acting: Option<(uuid::Uuid, String)>,
    /// The message centre to link to and how many messages wait unread in all of them.
    messages: Option<(uuid::Uuid, u64)>,
}

impl HeaderUser {
    pub fn of(principal: &Principal) -> Self {
        let lang = use_lang();
        HeaderUser {
            name: principal.display_name.clone(),
            organisations: principal
                .assignments
                .iter()
                .map(|a| {
                    let role = t(lang, &format!("role.{}", a.role.as_str()));
                    (a.node.id, format!("{role} · {}", a.node.name))
                })
                .collect(),
            acting: None,
            messages: None,
        }
    }

    /// Adds the 消息 link: to where unread messages wait (else the node the page is seen
    /// from), with their number. Kept reads: no statement on a page seen again; a failure
    /// only hides the link.
    pub async fn with_messages(mut self, db: &domain::Db, principal: &Principal) -> Self {
        let Ok(held) = domain::notices::unread_everywhere(db, principal).await else {
            return self;
        };
        let total = held.iter().map(|(_, n)| n).sum();
        let acting = self.acting.as_ref().map(|(id, _)| *id);
        let node = held
            .iter()
            .find(|(_, n)| *n > 0)
            .or_else(|| held.iter().find(|(id, _)| Some(*id) == acting))
            .or(held.first())
            .map(|(id, _)| *id);
        self.messages = node.map(|id| (id, total));
        self
    }

    /// Names the role `principal` sees `node` in: a role held on it (a staff role first), or
    /// else one held on the nearest node above it (`crumbs`, from the top).
    pub fn acting_on(mut self, principal: &Principal, node: uuid::Uuid, crumbs: &[Crumb]) -> Self {
        let lang = use_lang();
        let held_on = |id: uuid::Uuid| {
            let mut roles: Vec<_> = principal
                .assignments
                .iter()
                .filter(|a| a.node.id == id)
                .collect();
            roles.sort_by_key(|a| !a.role.manages());
            roles.into_iter().next()
        };
        let acting = held_on(node).or_else(|| crumbs.iter().rev().find_map(|c| held_on(c.node.id)));
        self.acting = acting.map(|a| {
            let role = t(lang, &format!("role.{}", a.role.as_str()));
            (a.node.id, format!("{role} · {}", a.node.name))
        });
        self
    }
}

fn current_path() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| p.uri.path_and_query().map(|pq| pq.as_str().to_owned()))
        .unwrap_or_else(|| "/".to_owned())
}

#[component]
pub fn Layout(user: Option<HeaderUser>, crumbs: Vec<Crumb>, children: Children) -> impl IntoView {
    let lang = use_lang();
    let other = lang.other();
    let signed_in = user.is_some();
    let user_block = user.map(|user| {
        let acting = user.acting.as_ref().map(|(id, _)| *id);
        let switcher = (user.organisations.len() > 1).then(|| {
            view! {
                <details class="switcher">
                    <summary>{t(lang, "nav.switch_organisation")}</summary>
                    <ul>
                        {user
                            .organisations
                            .into_iter()
                            .map(|(id, label)| {
                                let current = (Some(id) == acting).then_some("true");
                                view! {
                                    <li>
                                        <a href=routes::node(id).to_string() aria-current=current>{label}</a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </details>
            }
        });
        let messages = user.messages.map(|(node, unread)| {
            view! {
                <a class="messages" href=routes::messages(node).to_string()>
                    {t(lang, "messages.title")}
                    {(unread > 0).then(|| view! {
                        " " <span class="badge">{unread}</span>
                        <span class="visually-hidden">{t(lang, "messages.unread_suffix")}</span>
                    })}
                </a>
            }
        });
        view! {
            {messages}
            <a class="user" href=routes::account().to_string()>{user.name}</a>
            {user.acting.as_ref().map(|(_, label)| {
                let text = crate::i18n::t_with(lang, "nav.acting", &[("role", label.clone())]);
                view! { <span class="acting">{text}</span> }
            })}
            {switcher}
            <form method="post" action=crate::auth::fns::Logout::url() class="inline">
                <button type="submit" class="link">{t(lang, "nav.logout")}</button>
            </form>
        }
    });
    view! {
        <Title text=t(lang, "app.name") />
        <a class="skip" href="#main">{t(lang, "nav.skip")}</a>
        <header class="top">
            <a class="brand" href="/">{t(lang, "app.short")}</a>
            <nav class="tools" aria-label=t(lang, "app.short")>
                {user_block}
                <form method="post" action=crate::auth::fns::SetLanguage::url() class="inline">
                    <input type="hidden" name="lang" value=other.code() />
                    <input type="hidden" name="back" value=current_path() />
                    <button type="submit" class="link" lang=other.code()>
                        {t(lang, "nav.switch_language")}
                    </button>
                </form>
            </nav>
        </header>
        {(signed_in && !crumbs.is_empty()).then(|| view! { <Breadcrumbs crumbs /> })}
        <main id="main">{children()}</main>
    }
}

/// 区 › 街道 › 社区: every level one click away (where the viewer may open it).
#[component]
fn Breadcrumbs(crumbs: Vec<Crumb>) -> impl IntoView {
    let lang = use_lang();
    let last = crumbs.len().saturating_sub(1);
    view! {
        <nav class="crumbs" aria-label=t(lang, "nav.breadcrumbs")>
            <ol>
                {crumbs
                    .into_iter()
                    .enumerate()
                    .map(|(i, crumb)| {
                        let name = crumb.node.name.clone();
                        if i == last {
                            view! { <li aria-current="page">{name}</li> }.into_any()
                        } else if crumb.linked {
                            view! {
                                <li>
                                    <a href=routes::node(crumb.node.id).to_string()>{name}</a>
                                </li>
                            }
                                .into_any()
                        } else {
                            view! { <li>{name}</li> }.into_any()
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

/// A full-page error: 无权访问, not found, … with a way back.
#[component]
pub fn ErrorPanel(err: AppError) -> impl IntoView {
    let lang = use_lang();
    let detail = (err == AppError::Forbidden).then(|| t(lang, "error.forbidden_detail"));
    view! {
        <section class="error-panel" role="alert">
            <h1>{err.message(lang)}</h1>
            {detail.map(|d| view! { <p>{d}</p> })}
            <p>
                <a href="/">{t(lang, "error.back_home")}</a>
            </p>
        </section>
    }
}

/// A whole page showing one error (and setting its status).
pub fn error_page(user: Option<HeaderUser>, err: AppError) -> AnyView {
    view! {
        <Layout user crumbs=Vec::new()>
            <ErrorPanel err />
        </Layout>
    }
    .into_any()
}

/// The signed-in principal, or the view to show instead: a redirect to the login page, or an
/// error page.
pub async fn require_principal() -> Result<Principal, AnyView> {
    match crate::state::principal().await {
        Ok(p) => Ok(p),
        Err(AppError::Unauthenticated) => {
            // Back to this page once signed in (a notice's link opened from a chat).
            let to = match current_path().as_str() {
                "/" => "/login".to_owned(),
                path => {
                    let next: String = form_urlencoded::byte_serialize(path.as_bytes()).collect();
                    format!("/login?next={next}")
                }
            };
            crate::state::redirect(&to);
            Err(().into_any())
        }
        Err(AppError::PasswordChangeRequired) => {
            crate::state::redirect(&crate::routes::account().to_string());
            Err(().into_any())
        }
        Err(err) => Err(error_page(None, err)),
    }
}
