pub mod activity;
pub mod alerts;
pub mod coaching;
pub mod customers;
pub mod evaluation_templates;
pub mod evaluations;
pub mod home;
pub mod import;
pub mod knowledge;
pub mod login;
pub mod orders;
pub mod promotion;
pub mod public_forms;
pub mod regions;
pub mod reps;
pub mod reviews;
pub mod scorecard;
pub mod targets;
pub mod training;
pub mod users;

/// Links the lazily loaded pages' stylesheet (`pages.css`, its built name in index.html's
/// `dudao-pages-css` meta) once, when one of them first draws: it is not part of the first
/// load, neither as a file nor as text inside the main module's data.
pub fn style() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if doc.get_element_by_id("dudao-pages-css").is_some() {
        return;
    }
    let href = doc
        .query_selector("meta[name=dudao-pages-css]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"));
    if let (Some(href), Ok(el), Ok(Some(head))) =
        (href, doc.create_element("link"), doc.query_selector("head"))
    {
        el.set_id("dudao-pages-css");
        let _ = el.set_attribute("rel", "stylesheet");
        let _ = el.set_attribute("href", &href);
        let _ = head.append_child(&el);
    }
}

/// Pages fetched when first visited, in three wasm modules split off by `cargo xtask web`:
/// the home page with the customers' one-time forms; the daily work (customers, reps, orders,
/// activity, alerts, coaching, evaluations); the
/// director's and admin's pages (targets, import, regions, users). The first load carries
/// only sign-in, the shell and the scorecard (≤ 300 KB brotli, checked by the build). A
/// module per page would cut finer, but the code pages share is then cut into one part
/// per set of pages using it (150 small files, 56 of them for the orders page); with
/// three groups a page needs its module and at most three shared parts.
pub mod lazy {
    use leptos::prelude::*;
    use leptos_router::LazyRoute;

    #[derive(Clone, Copy)]
    #[repr(u8)]
    pub enum Record {
        Customers,
        Customer,
        NewCustomer,
        Reps,
        Rep,
        Orders,
        Activity,
        Alerts,
        /// Every page behind the shell's catch-all route: coaching, evaluations, review
        /// meetings and handovers, promotion, the knowledge base, training, or "not found" (one route
        /// in the first load's router instead of one per page set).
        More,
        /// Not a page: loading it sends the coaching entries kept offline (below).
        SendOutbox,
    }

    #[derive(Clone, Copy)]
    #[repr(u8)]
    pub enum Admin {
        Targets,
        Import,
        Regions,
        Users,
    }

    /// The pages of [`Record::More`], by the address's first part.
    fn more() -> impl IntoView {
        use super::*;
        let location = leptos_router::hooks::use_location();
        let first = Memo::new(move |_| {
            location
                .pathname
                .get()
                .trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or_default()
                .to_owned()
        });
        move || {
            match first.get().as_str() {
            "coaching" => coaching::Pages().into_any(),
            "evaluations" => evaluations::Pages().into_any(),
            "reviews" => reviews::Pages().into_any(),
            "promotion" => promotion::Pages().into_any(),
            "knowledge" => knowledge::Pages().into_any(),
            "training" => training::Pages().into_any(),
            _ => view! {
                <main class="center">
                    <h1>"404"</h1>
                    <p>{move || crate::i18n::t("notfound")}</p>
                    <leptos_router::components::A href="/">{move || crate::i18n::t("nav.home")}</leptos_router::components::A>
                </main>
            }.into_any(),
        }
        }
    }

    #[leptos::lazy]
    fn record_page(page: Record) -> AnyView {
        use super::*;
        match page {
            Record::Customers => customers::CustomersPage().into_any(),
            Record::Customer => customers::CustomerPage().into_any(),
            Record::NewCustomer => customers::NewCustomerPage().into_any(),
            Record::Reps => reps::RepsPage().into_any(),
            Record::Rep => reps::RepPage().into_any(),
            Record::Orders => orders::OrdersPage().into_any(),
            Record::Activity => activity::ActivityPage().into_any(),
            Record::Alerts => alerts::AlertsPage().into_any(),
            Record::More => more().into_any(),
            Record::SendOutbox => {
                leptos::task::spawn_local(crate::outbox::flush());
                ().into_any()
            }
        }
    }

    /// The home page and the customers' one-time forms: a small module, so a customer
    /// on a phone loads little.
    #[derive(Clone, Copy)]
    #[repr(u8)]
    pub enum Light {
        Home,
        /// `/form/survey/<token>` and `/form/rating/<token>`.
        Form,
    }

    #[leptos::lazy]
    fn light_page(page: Light) -> AnyView {
        use super::*;
        match page {
            Light::Home => home::HomePage().into_any(),
            Light::Form => public_forms::Pages().into_any(),
        }
    }

    #[leptos::lazy]
    fn admin_page(page: Admin) -> AnyView {
        use super::*;
        match page {
            Admin::Targets => targets::TargetsPage().into_any(),
            Admin::Import => import::ImportPage().into_any(),
            Admin::Regions => regions::RegionsPage().into_any(),
            Admin::Users => users::UsersPage().into_any(),
        }
    }

    /// Sends the coaching entries kept on the device while offline. The sender comes with
    /// the daily-work module (a `#[lazy]` function of its own would be a fourth group,
    /// and the code groups share would be cut into three times as many files), so the
    /// first load carries only the shell's listener.
    pub async fn send_outbox() {
        let _ = record_page(Record::SendOutbox).await;
    }

    macro_rules! lazy_page {
        ($($route:ident => $load:expr;)*) => {$(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $load.await
                }
            }
        )*};
    }

    lazy_page! {
        Customers => record_page(Record::Customers);
        Customer => record_page(Record::Customer);
        NewCustomer => record_page(Record::NewCustomer);
        Reps => record_page(Record::Reps);
        Rep => record_page(Record::Rep);
        Orders => record_page(Record::Orders);
        Activity => record_page(Record::Activity);
        Home => light_page(Light::Home);
        PublicForm => light_page(Light::Form);
        More => record_page(Record::More);
        Alerts => record_page(Record::Alerts);
        Targets => admin_page(Admin::Targets);
        Import => admin_page(Admin::Import);
        Regions => admin_page(Admin::Regions);
        Users => admin_page(Admin::Users);
    }
}
