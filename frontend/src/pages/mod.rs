pub mod activity;
pub mod alerts;
pub mod coaching;
pub mod customers;
pub mod evaluations;
pub mod home;
pub mod import;
pub mod login;
pub mod orders;
pub mod public_forms;
pub mod regions;
pub mod reps;
pub mod reviews;
pub mod scorecard;
pub mod targets;
pub mod users;

/// Adds the lazily loaded pages' stylesheet (`pages.css`) to the document once: it comes
/// with their modules, not with the first load. Inline styles are allowed by the
/// Content-Security-Policy (the charts set them too).
pub fn style() {
    const CSS: &str = include_str!("pages.css");
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if doc.get_element_by_id("dudao-pages-css").is_some() {
        return;
    }
    if let (Ok(el), Ok(Some(head))) = (doc.create_element("style"), doc.query_selector("head")) {
        el.set_id("dudao-pages-css");
        el.set_text_content(Some(CSS));
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
        Coaching,
        Evaluations,
        Reviews,
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
            Record::Coaching => coaching::Pages().into_any(),
            Record::Evaluations => evaluations::Pages().into_any(),
            Record::Reviews => reviews::Pages().into_any(),
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
        Coaching => record_page(Record::Coaching);
        Evaluations => record_page(Record::Evaluations);
        Reviews => record_page(Record::Reviews);
        Alerts => record_page(Record::Alerts);
        Targets => admin_page(Admin::Targets);
        Import => admin_page(Admin::Import);
        Regions => admin_page(Admin::Regions);
        Users => admin_page(Admin::Users);
    }
}
