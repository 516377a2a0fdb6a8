//! One way to open a page on an org node (`/org/:id/…`): the principal loaded once, the node
//! authorised for what the page needs, its name and breadcrumbs (the light `overview::head`),
//! and the frame around the page (layout, error page, the redirect to login). A page writes
//! only what it shows, and may use `?` on domain results: the frame sets the status.
use std::future::Future;

use domain::auth::{NodeAccess, Principal};
use domain::coop::{CoopScope, CoopTx};
use domain::org::{NodeKind, NodeSummary};
use domain::overview::Crumb;
use domain::rollup::RollupScope;
use domain::tenancy::{Commit, TenantScope, TenantTx};
use domain::{Db, DomainResult};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::error::{fail, AppError};
use crate::i18n::{use_lang, Lang};
use crate::shell::{error_page, require_principal, HeaderUser, Layout};
use crate::state::{app_state, AppState};

/// What a page needs on its node, granted by the domain's `Principal` (403/404 otherwise).
pub trait PageAccess: Sized + Send + Sync + 'static {
    fn grant(
        principal: &Principal,
        db: &Db,
        node: Uuid,
    ) -> impl Future<Output = DomainResult<Self>> + Send;

    /// The kinds of node the page exists for (others answer 404).
    fn fits(_kind: NodeKind) -> bool {
        true
    }
}

/// A community's own staff (secretary or worker): the roster and its records.
pub struct Staff(pub TenantScope);

impl PageAccess for Staff {
    async fn grant(principal: &Principal, db: &Db, node: Uuid) -> DomainResult<Self> {
        principal.manage_scope(db, node).await.map(Staff)
    }

    fn fits(kind: NodeKind) -> bool {
        kind == NodeKind::Community
    }
}

/// Anyone with a part in a community's activities: its staff, its members, the liaison of a
/// paired unit (the domain decides what each may do).
pub struct Activities(pub TenantScope);

impl PageAccess for Activities {
    async fn grant(principal: &Principal, db: &Db, node: Uuid) -> DomainResult<Self> {
        principal.activities_scope(db, node).await.map(Activities)
    }
}

/// Someone of the community: its staff or one of its members (their own records).
pub struct Member(pub TenantScope);

impl PageAccess for Member {
    async fn grant(principal: &Principal, db: &Db, node: Uuid) -> DomainResult<Self> {
        principal.tenant_scope(db, node).await.map(Member)
    }
}

impl ReadAccess for Member {
    type Tx = TenantTx;
    fn read(&self, db: &Db) -> impl Future<Output = DomainResult<TenantTx>> + Send {
        self.0.read(db)
    }
}

/// The street's co-construction space, as the street, one of its communities or a unit.
impl PageAccess for CoopScope {
    async fn grant(principal: &Principal, db: &Db, node: Uuid) -> DomainResult<Self> {
        principal.coop_scope(db, node).await
    }
}

/// Whatever the principal may see of the node (its landing page decides by the access).
impl PageAccess for NodeAccess {
    async fn grant(principal: &Principal, db: &Db, node: Uuid) -> DomainResult<Self> {
        principal.access(db, node).await
    }
}

/// Aggregates of the node's subtree.
impl PageAccess for RollupScope {
    async fn grant(principal: &Principal, db: &Db, node: Uuid) -> DomainResult<Self> {
        principal.rollup_scope(db, node).await
    }
}

/// Whoever grants roles from this node (its staff, the platform operator at the top): its
/// accounts page. The domain checks each grant again.
pub struct Grants(pub Principal);

impl PageAccess for Grants {
    async fn grant(principal: &Principal, _db: &Db, node: Uuid) -> DomainResult<Self> {
        if principal.grants_from(node).is_empty() {
            return Err(domain::DomainError::Forbidden);
        }
        Ok(Grants(principal.clone()))
    }
}

/// Access that reads the node's records in one transaction (`NodeCtx::read`).
pub trait ReadAccess {
    type Tx;
    fn read(&self, db: &Db) -> impl Future<Output = DomainResult<Self::Tx>> + Send;
}

impl ReadAccess for Staff {
    type Tx = TenantTx;
    fn read(&self, db: &Db) -> impl Future<Output = DomainResult<TenantTx>> + Send {
        self.0.read(db)
    }
}

impl ReadAccess for Activities {
    type Tx = TenantTx;
    fn read(&self, db: &Db) -> impl Future<Output = DomainResult<TenantTx>> + Send {
        self.0.read(db)
    }
}

impl ReadAccess for CoopScope {
    type Tx = CoopTx;
    fn read(&self, db: &Db) -> impl Future<Output = DomainResult<CoopTx>> + Send {
        CoopScope::read(self, db)
    }
}

/// Access that writes the node's records in one transaction (form endpoints, `form::Form`).
pub trait WriteAccess: PageAccess + ReadAccess<Tx: Commit + Send + Sync> {
    fn write(&self, db: &Db) -> impl Future<Output = DomainResult<Self::Tx>> + Send;
}

impl WriteAccess for Staff {
    fn write(&self, db: &Db) -> impl Future<Output = DomainResult<TenantTx>> + Send {
        self.0.write(db)
    }
}

impl WriteAccess for Activities {
    fn write(&self, db: &Db) -> impl Future<Output = DomainResult<TenantTx>> + Send {
        self.0.write(db)
    }
}

impl WriteAccess for Member {
    fn write(&self, db: &Db) -> impl Future<Output = DomainResult<TenantTx>> + Send {
        self.0.write(db)
    }
}

impl WriteAccess for CoopScope {
    fn write(&self, db: &Db) -> impl Future<Output = DomainResult<CoopTx>> + Send {
        CoopScope::write(self, db)
    }
}

impl std::ops::Deref for Staff {
    type Target = TenantScope;
    fn deref(&self) -> &TenantScope {
        &self.0
    }
}

impl std::ops::Deref for Activities {
    type Target = TenantScope;
    fn deref(&self) -> &TenantScope {
        &self.0
    }
}

/// Everything a page on a node starts from.
pub struct NodeCtx<A> {
    pub state: AppState,
    pub principal: Principal,
    pub node: NodeSummary,
    /// The levels above the node (the layout shows them; a page may too).
    pub crumbs: Vec<Crumb>,
    pub access: A,
    pub lang: Lang,
}

impl<A> NodeCtx<A> {
    pub fn db(&self) -> &Db {
        &self.state.db
    }
}

impl<A: ReadAccess> NodeCtx<A> {
    /// A read transaction on the node's records, as the page's access allows.
    pub async fn read(&self) -> DomainResult<A::Tx> {
        self.access.read(&self.state.db).await
    }
}

/// The page on the node of the `:id` path parameter: `body` gets the context and returns what
/// goes inside the layout. Without a session: to the login page; a refusal or an error: the
/// error page with its status.
pub fn on_node<A, F, Fut>(body: F) -> impl IntoView
where
    A: PageAccess,
    F: FnOnce(NodeCtx<A>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<AnyView, AppError>> + Send + 'static,
{
    let lang = use_lang();
    let node = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    Suspend::new(async move {
        let principal = match require_principal().await {
            Ok(p) => p,
            Err(view) => return view,
        };
        let user = HeaderUser::of(&principal);
        let opened = async {
            let state = app_state()?;
            let node_id = domain::validate::parse_id(&node)?;
            let access = A::grant(&principal, &state.db, node_id).await?;
            let (node, crumbs) = domain::overview::head(&state.db, &principal, node_id).await?;
            if !A::fits(node.kind) {
                return Err(AppError::NotFound);
            }
            Ok::<_, AppError>((state, node, crumbs, access))
        };
        let (state, node, crumbs, access) = match opened.await {
            Ok(opened) => opened,
            Err(err) => return error_page(Some(user), fail(err)),
        };
        let user = user.acting_on(&principal, node.id, &crumbs);
        let (db, viewer) = (state.db.clone(), principal.clone());
        let ctx = NodeCtx {
            state,
            principal,
            node,
            crumbs: crumbs.clone(),
            access,
            lang,
        };
        let page = body(ctx).await;
        // After the page: a message it opened is no longer counted unread.
        let user = user.with_messages(&db, &viewer).await;
        match page {
            Ok(main) => view! { <Layout user=Some(user) crumbs>{main}</Layout> }.into_any(),
            Err(err) => error_page(Some(user), fail(err)),
        }
    })
}

/// A path parameter other than the node's (`mid`, `aid`…), read before the page suspends.
pub fn path_param(name: &str) -> String {
    use_params_map()
        .read_untracked()
        .get(name)
        .unwrap_or_default()
}

/// What the last form post left for the page: 已保存 after a save, the reason after a refusal.
#[component]
pub fn Outcome(#[prop(optional)] saved: bool, error: Option<String>) -> impl IntoView {
    let lang = use_lang();
    view! {
        {saved.then(|| view! { <p class="notice" role="status">{crate::i18n::t(lang, "members.saved")}</p> })}
        {error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
    }
}
