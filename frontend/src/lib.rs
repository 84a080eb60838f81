//! Dudao's single-page app: Leptos (client-side rendered), talking GraphQL to the server.
//! It never depends on the server crates; its only contract is `schema.graphql`.

mod api;
mod charts;
mod components;
mod format;
mod i18n;
mod outbox;
mod pages;
mod session;
mod transfer;

use gloo_storage::Storage;
use leptos::prelude::*;
use leptos_router::components::{A, Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{Lazy, path};

use crate::api::{Logout, Me, call, logout, me};
use crate::components::{ErrorBox, Loading, role_label};
use crate::i18n::{Lang, lang, t};

pub type MeData = me::ResponseData;

/// Whether a navigation is under way (a lazily loaded page's module on its way).
#[derive(Clone, Copy)]
struct Routing(RwSignal<bool>);
pub type MeResource = LocalResource<Result<Option<MeData>, api::ApiError>>;

/// A role, as the schema's generated enum (`me::Role`).
pub use api::me::Role;

impl Role {
    /// The schema's name of the role (`REP`), for labels and form values.
    pub fn code(&self) -> &'static str {
        match self {
            Role::ADMIN => "ADMIN",
            Role::DIRECTOR => "DIRECTOR",
            Role::SUPERVISOR => "SUPERVISOR",
            Role::REP => "REP",
            Role::Other(_) => "",
        }
    }

    /// Whether the role answers for the whole company (its scorecard, every region).
    pub fn company_wide(&self) -> bool {
        matches!(self, Role::ADMIN | Role::DIRECTOR)
    }
}

/// The signed-in user's role (`Other("")` while unknown), for what a page offers.
/// The server decides what is allowed; this only hides what would be refused.
pub fn viewer_role() -> Role {
    use_context::<MeResource>()
        .and_then(|m| m.get_untracked())
        .and_then(Result::ok)
        .flatten()
        .map_or(Role::Other(String::new()), |d| d.me.role)
}

// Bumped whenever the coaching outbox (entries kept on the device while offline)
// changes, so the pages listing it draw again. Held per thread rather than in the
// context: the outbox also changes from tasks with no reactive owner (the shell's retry).
thread_local! {
    static OUTBOX_TICK: std::cell::Cell<Option<RwSignal<u32>>> = const { std::cell::Cell::new(None) };
}

/// Where the coaching pages keep entries made offline (`outbox`).
pub const COACHING_OUTBOX: &str = "dudao.outbox.coaching";

pub fn outbox_tick() -> RwSignal<u32> {
    OUTBOX_TICK.with(|t| match t.get() {
        Some(s) => s,
        None => {
            let s = RwSignal::new(0);
            t.set(Some(s));
            s
        }
    })
}

pub fn outbox_changed() {
    outbox_tick().update(|n| *n += 1);
}

fn has_outbox() -> bool {
    gloo_storage::LocalStorage::raw()
        .get_item(COACHING_OUTBOX)
        .ok()
        .flatten()
        .is_some_and(|s| s.len() > 2)
}

/// What a page adds to the browser's title before its name (`华东 · 2026 Q4`): pages that
/// show one thing set it and clear it when they go, [`Frame`] writes the title.
#[derive(Clone, Copy)]
pub struct PageTitle(pub RwSignal<Option<String>>);

/// The title of the page at `path`, in the current language: `<detail> · <page> — 督导`.
pub fn page_title(path: &str, detail: Option<String>) -> String {
    let key = match path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
    {
        "scorecard" => "nav.scorecard",
        "alerts" => "nav.alerts",
        "targets" => "nav.targets",
        "activity" => "nav.activity",
        "coaching" => "nav.coaching",
        "evaluations" => "nav.evaluations",
        "reviews" => "nav.reviews",
        "promotion" => "nav.promotion",
        "knowledge" => "nav.knowledge",
        "training" => "nav.training",
        "regions" => "nav.regions",
        "reps" => "nav.reps",
        "customers" => "nav.customers",
        "orders" => "nav.orders",
        "users" => "nav.users",
        "import" => "nav.import",
        "login" => "login.title",
        _ => "nav.home",
    };
    match detail {
        Some(d) => format!("{d} · {} — {}", t(key), t("app")),
        None => format!("{} — {}", t(key), t("app")),
    }
}

pub fn set_document_title(title: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(title);
    }
}

#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let lang = RwSignal::new(Lang::load());
    lang.get_untracked().save();
    provide_context(lang);
    provide_context(PageTitle(RwSignal::new(None)));
    outbox_tick();
    let version = RwSignal::new(0u32);
    session::install(version);
    let me: MeResource = LocalResource::new(move || {
        version.track();
        async move {
            if session::refresh_token().is_none() {
                return Ok(None);
            }
            call::<Me>(me::Variables {}).await.map(Some)
        }
    });
    provide_context(me);
    // While the router fetches a page's module (pages load when first visited), a thin
    // bar under the top bar says something is on its way.
    let routing = RwSignal::new(false);
    provide_context(Routing(routing));
    view! {
        <Router set_is_routing=routing>
            // Every address matches a route (the shell's `*any` answers "not found").
            <Routes fallback=|| ()>
                <Route path=path!("/login") view=pages::login::LoginPage/>
                // A customer's one-time forms: no account, nothing but the form.
                <Route path=path!("/form/*any") view={Lazy::<pages::lazy::PublicForm>::new()}/>
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("") view={Lazy::<pages::lazy::Home>::new()}/>
                    <Route path=path!("regions") view={Lazy::<pages::lazy::Regions>::new()}/>
                    <Route path=path!("scorecard") view=pages::scorecard::ScorecardPage/>
                    <Route path=path!("orders") view={Lazy::<pages::lazy::Orders>::new()}/>
                    <Route path=path!("alerts") view={Lazy::<pages::lazy::Alerts>::new()}/>
                    <Route path=path!("targets") view={Lazy::<pages::lazy::Targets>::new()}/>
                    <Route path=path!("activity") view={Lazy::<pages::lazy::Activity>::new()}/>
                    <Route path=path!("import") view={Lazy::<pages::lazy::Import>::new()}/>
                    <Route path=path!("reps") view={Lazy::<pages::lazy::Reps>::new()}/>
                    <Route path=path!("reps/:id") view={Lazy::<pages::lazy::Rep>::new()}/>
                    <Route path=path!("customers") view={Lazy::<pages::lazy::Customers>::new()}/>
                    <Route path=path!("customers/new") view={Lazy::<pages::lazy::NewCustomer>::new()}/>
                    <Route path=path!("customers/:id") view={Lazy::<pages::lazy::Customer>::new()}/>
                    <Route path=path!("users") view={Lazy::<pages::lazy::Users>::new()}/>
                    // Coaching, evaluations, review meetings and handovers choose among
                    // themselves (`pages::lazy::more`): every route here adds to the router
                    // code of the first load. Anything else is "not found", in the shell.
                    <Route path=path!("*any") view={Lazy::<pages::lazy::More>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

#[component]
pub fn LangSwitch() -> impl IntoView {
    let l = lang();
    view! {
        <button class="btn ghost lang" on:click=move |_| {
            let next = if l.get() == Lang::Zh { Lang::En } else { Lang::Zh };
            next.save();
            l.set(next);
        }>{move || t("lang.switch")}</button>
    }
}

/// The signed-in frame: navigation that follows the role, and the page.
#[component]
fn Shell() -> impl IntoView {
    let me = expect_context::<MeResource>();
    move || match me.get() {
        None => view! { <Loading/> }.into_any(),
        // Right after sign-in the resource may still hold the signed-out answer.
        Some(Ok(None)) if session::refresh_token().is_some() => view! { <Loading/> }.into_any(),
        Some(Ok(None)) => view! { <Redirect path="/login"/> }.into_any(),
        Some(Err(e)) if e.code == "UNAUTHENTICATED" => {
            view! { <Redirect path="/login"/> }.into_any()
        }
        Some(Err(e)) => view! { <main class="center"><ErrorBox error=e/></main> }.into_any(),
        Some(Ok(Some(data))) => view! { <Frame me=data/> }.into_any(),
    }
}

#[component]
fn Frame(me: MeData) -> impl IntoView {
    let role = me.me.role.code();
    let is_rep = me.me.role == Role::REP;
    let company = me.me.role.company_wide();
    let name = me.me.name.clone();
    let rep_link = me.me.rep.as_ref().map(|r| format!("/reps/{}", r.id));
    let nav_open = RwSignal::new(false);
    let routing = expect_context::<Routing>().0;
    let location = leptos_router::hooks::use_location();
    let detail = expect_context::<PageTitle>().0;
    Effect::new(move |_| set_document_title(&page_title(&location.pathname.get(), detail.get())));
    // Coaching entries made offline go out when the network returns (and on start, and
    // every half minute while any wait).
    let flush = move || {
        if has_outbox() {
            leptos::task::spawn_local(pages::lazy::send_outbox());
        }
    };
    flush();
    let online = window_event_listener(leptos::ev::online, move |_| flush());
    let retry = set_interval_with_handle(flush, std::time::Duration::from_secs(30)).ok();
    on_cleanup(move || {
        online.remove();
        if let Some(r) = retry {
            r.clear();
        }
    });
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            if let Some(token) = session::refresh_token() {
                let _ = call::<Logout>(logout::Variables { token }).await;
            }
            session::expire();
        });
    };
    view! {
        <div class="app" class:nav-open=move || nav_open.get()>
            <header class="topbar">
                <button class="btn ghost menu" aria-label="menu" on:click=move |_| nav_open.update(|o| *o = !*o)>"☰"</button>
                <A href="/" attr:class="brand"><span class="logo">"督"</span>{move || t("app")}<small>{move || t("tagline")}</small></A>
                <span class="spacer"></span>
                <LangSwitch/>
                <span class="who" title=me.me.email.clone()>{name}" · "{move || role_label(role)}</span>
                <button class="btn ghost" on:click=sign_out>{move || t("logout")}</button>
            </header>
            <nav class="sidebar" on:click=move |_| nav_open.set(false)>
                <A href="/" exact=true>{move || t("nav.home")}</A>
                <A href="/scorecard">{move || t("nav.scorecard")}</A>
                <A href="/alerts">{move || t("nav.alerts")}</A>
                <A href="/targets">{move || t("nav.targets")}</A>
                <A href="/activity">{move || t("nav.activity")}</A>
                <A href="/coaching">{move || t("nav.coaching")}</A>
                <A href="/evaluations">{move || t("nav.evaluations")}</A>
                <A href="/reviews">{move || t("nav.reviews")}</A>
                <A href="/promotion">{move || t("nav.promotion")}</A>
                <A href="/knowledge">{move || t("nav.knowledge")}</A>
                <A href="/training">{move || t("nav.training")}</A>
                {(!is_rep).then(|| view! { <A href="/regions">{move || t("nav.regions")}</A> })}
                {(!is_rep).then(|| view! { <A href="/reps">{move || t("nav.reps")}</A> })}
                {rep_link.map(|href| view! { <A href=href>{move || t("nav.me")}</A> })}
                <A href="/customers">{move || t("nav.customers")}</A>
                <A href="/orders">{move || t("nav.orders")}</A>
                {company.then(|| view! { <A href="/users">{move || t("nav.users")}</A> })}
                {company.then(|| view! { <A href="/import">{move || t("nav.import")}</A> })}
            </nav>
            <div class="route-progress" class:on=move || routing.get() aria-hidden="true"></div>
            <main class="content"><Outlet/></main>
        </div>
    }
}
