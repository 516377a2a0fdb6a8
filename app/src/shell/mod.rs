//! The HTML document, the routes and the page frame (header, breadcrumbs, error panel).
mod head;
mod layout;
mod linked_text;
mod links;
mod table;

pub use head::PageHead;
pub use layout::{error_page, require_principal, ErrorPanel, HeaderUser, Layout};
pub use linked_text::LinkedText;
pub use links::{GroupedLinks, LinkButtons};
pub use table::{list_table, DataTable};

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::account::AccountPage;
use crate::activities::{
    ActivitiesPage, ActivityPage, CheckInCodePage, CompliancePage, MeetingRecordPage,
};
use crate::admin::AccountsPage;
use crate::auth::LoginPage;
use crate::coop::{NeedsPage, ProjectsPage, UnitPage, UnitsPage};
use crate::dashboard::DashboardPage;
use crate::dues::{DuesPage, DuesTotalsPage, MemberDuesPage};
use crate::error::AppError;
use crate::i18n::request_lang;
use crate::meetings::{
    MeetingPage, MeetingsPage, MinutesPrintPage, ResolutionsPage, SignInSheetPage,
};
use crate::members::{
    CarePage, FloatingPage, ImportJobPage, ImportPage, MemberFormPage, MemberPage, ProposalsPage,
    RosterPage, TransfersPage,
};
use crate::notices::{InboxPage, MessagePage, NoticePage, NoticesPage};
use crate::org::{HomePage, NodePage};
use crate::points::PointsPage;
use crate::reporting::{FeedbackPage, ReportingPage};
use crate::reviews::{BranchReviewPage, ReviewTotalsPage, ReviewsPage};
use crate::volunteers::{TeamPage, VolunteersPage};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = use_context::<http::request::Parts>()
        .map(|parts| request_lang(&parts))
        .unwrap_or_default();
    provide_context(lang);
    page_csp();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // Added to a phone's home screen, it opens as an app of its own.
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icon-192.png" />
                <meta name="theme-color" content="#b71c1c" />
                // Named by content hash in builds (cargo-leptos hash-files): cached for good.
                <HashedStylesheet options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy: scripts only from this site or inline with this
/// response's nonce (the islands' loader), wasm compiled, no framing, no plugins, forms only
/// to this site. Inline style attributes stay allowed (charts and swatches use them; user text
/// is never markup).
fn page_csp() {
    let (Some(nonce), Some(options)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        options.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id") view=NodePage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/members") view=RosterPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/units") view=UnitsPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/needs") view=NeedsPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/projects") view=ProjectsPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/units/:uid") view=UnitPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/meetings") view=MeetingsPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/meetings/:mid") view=MeetingPage ssr=SsrMode::Async />
                <Route
                    path=path!("/org/:id/meetings/:mid/minutes")
                    view=MinutesPrintPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/org/:id/meetings/:mid/sign-in-sheet")
                    view=SignInSheetPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/org/:id/resolutions") view=ResolutionsPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/activities") view=ActivitiesPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/points") view=PointsPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/compliance") view=CompliancePage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/volunteers") view=VolunteersPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/dashboard") view=DashboardPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/dues") view=DuesPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/dues/:member") view=MemberDuesPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/dues-totals") view=DuesTotalsPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/reviews") view=ReviewsPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/reviews/:branch") view=BranchReviewPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/review-totals") view=ReviewTotalsPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/accounts") view=AccountsPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/messages") view=InboxPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/messages/:msg") view=MessagePage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/notices") view=NoticesPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/notices/:nid") view=NoticePage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/volunteers/:tid") view=TeamPage ssr=SsrMode::Async />
                <Route
                    path=path!("/org/:id/activities/:aid")
                    view=ActivityPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/org/:id/activities/:aid/code")
                    view=CheckInCodePage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/org/:id/activities/:aid/record")
                    view=MeetingRecordPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/org/:id/members/new") view=MemberFormPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/members/import") view=ImportPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/members/floating") view=FloatingPage ssr=SsrMode::Async />
                <Route path=path!("/org/:id/members/care") view=CarePage ssr=SsrMode::Async />
                <Route
                    path=path!("/org/:id/members/proposals")
                    view=ProposalsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/org/:id/members/transfers")
                    view=TransfersPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/org/:id/members/reporting")
                    view=ReportingPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/org/:id/members/reporting/feedback")
                    view=FeedbackPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/org/:id/members/import/:job")
                    view=ImportJobPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/org/:id/members/:mid") view=MemberPage ssr=SsrMode::Async />
                <Route
                    path=path!("/org/:id/members/:mid/edit")
                    view=MemberFormPage
                    ssr=SsrMode::Async
                />
            </Routes>
        </Router>
    }
}

#[component]
fn NotFoundPage() -> impl IntoView {
    let err = crate::error::fail(AppError::NotFound);
    view! {
        <Layout user=None crumbs=Vec::new()>
            <ErrorPanel err />
        </Layout>
    }
}
