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
        Survey,
        Rater,
    }

    #[leptos::lazy]
    fn light_page(page: Light) -> AnyView {
        use super::*;
        match page {
            Light::Home => home::HomePage().into_any(),
            Light::Survey => public_forms::SurveyPage().into_any(),
            Light::Rater => public_forms::RaterPage().into_any(),
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
        SurveyForm => light_page(Light::Survey);
        RaterForm => light_page(Light::Rater);
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
