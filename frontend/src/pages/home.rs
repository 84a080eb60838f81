use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::role_label;
use crate::i18n::t;
use crate::{MeResource, role_name};

#[component]
pub fn HomePage() -> impl IntoView {
    let me = expect_context::<MeResource>();
    move || {
        me.get().and_then(Result::ok).flatten().map(|d| {
            let role = role_name(&d.me.role);
            let regions = d.me.regions.iter().map(|r| r.name.clone()).collect::<Vec<_>>().join("、");
            let is_rep = role == "REP";
            view! {
                <section class="page">
                    <h1>{move || t("home.welcome")}", "{d.me.name.clone()}</h1>
                    <p class="muted">{move || role_label(role)}" · "{d.me.email.clone()}</p>
                    {(!regions.is_empty()).then(|| view! { <p>{move || t("home.assigned")}": "<strong>{regions.clone()}</strong></p> })}
                    <h2>{move || t("home.scope")}</h2>
                    <div class="tiles">
                        {(!is_rep).then(|| view! {
                            <A href="/regions" attr:class="tile"><span class="num">{d.regions.total_count}</span><span>{move || t("nav.regions")}</span></A>
                            <A href="/reps" attr:class="tile"><span class="num">{d.reps.total_count}</span><span>{move || t("nav.reps")}</span></A>
                        })}
                        <A href="/customers" attr:class="tile"><span class="num">{d.customers.total_count}</span><span>{move || t("nav.customers")}</span></A>
                    </div>
                </section>
            }
        })
    }
}
