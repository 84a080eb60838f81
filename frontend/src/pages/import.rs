//! Import (导入): upload a CSV or XLSX file of customers, orders, payments, opportunities,
//! targets or surveys. Nothing is written unless every row is valid; the bad rows are listed.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::ApiError;
use crate::components::ErrorBox;
use crate::i18n::t;
use crate::transfer::{Report, TemplateButtons, upload};

const KINDS: [(&str, &str, &str); 6] = [
    (
        "customers",
        "import.customers",
        "name*, industry*, owner_rep_id* | owner_employee_no, city, address, external_code",
    ),
    (
        "orders",
        "import.orders",
        "customer_id* | customer_code, rep_id* | rep_employee_no, ordered_on*, amount*, status, due_on",
    ),
    (
        "payments",
        "import.payments",
        "order_id*, paid_on*, amount*",
    ),
    (
        "opportunities",
        "import.opportunities",
        "customer_id* | customer_code, rep_id* | rep_employee_no, name*, amount*, stage*, created_on*, closed_on, lost_reason",
    ),
    (
        "targets",
        "import.targets",
        "metric*, scope_kind*, scope_id, period_kind*, year*, index, value*",
    ),
    (
        "surveys",
        "import.surveys",
        "customer_id* | customer_code, surveyed_on*, score* (0–10), comment",
    ),
];

#[component]
pub fn ImportPage() -> impl IntoView {
    let kind = RwSignal::new("orders".to_owned());
    let file = RwSignal::new_local(None::<web_sys::File>);
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<Report, ApiError>>);
    let columns = move || {
        let k = kind.get();
        KINDS
            .iter()
            .find(|(n, _, _)| *n == k)
            .map_or("", |(_, _, c)| *c)
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(f) = file.get_untracked() else {
            return;
        };
        busy.set(true);
        result.set(None);
        let k = kind.get_untracked();
        leptos::task::spawn_local(async move {
            let r = upload(k, f).await;
            result.set(Some(r));
            busy.set(false);
        });
    };
    view! {
        <section class="page">
            <h1>{move || t("nav.import")}</h1>
            <form class="card form import" on:submit=submit>
                <label>{move || t("import.kind")}
                    <select name="kind" on:change=move |ev| { kind.set(event_target_value(&ev)); result.set(None); }>
                        {KINDS.iter().map(|(n, key, _)| view! { <option value=*n selected=*n == "orders">{move || t(key)}</option> }).collect_view()}
                    </select>
                </label>
                <p class="muted small">{move || t("import.columns")}" "<code>{columns}</code></p>
                <p class="muted small">{move || t("import.headersHint")}</p>
                <div class="actions"><TemplateButtons kind=Signal::derive(move || kind.get())/></div>
                <label>{move || t("import.file")}
                    <input type="file" name="file" accept=".csv,.xlsx" on:change=move |ev| {
                        let f = ev.target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                            .and_then(|i| i.files())
                            .and_then(|l| l.get(0));
                        file.set(f);
                        result.set(None);
                    }/>
                </label>
                <p class="muted small">{move || t("import.rule")}</p>
                <div class="actions">
                    <button class="btn primary" type="submit" disabled=move || busy.get() || file.with(Option::is_none)>
                        {move || if busy.get() { t("import.busy") } else { t("import.submit") }}
                    </button>
                </div>
            </form>
            {move || match result.get() {
                None => ().into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                Some(Ok(r)) if r.error_count == 0 => view! {
                    <div class="state ok" role="status"><strong>{move || t("import.done")}</strong><p>{r.imported}" "{move || t("page.rows")}</p></div>
                }.into_any(),
                Some(Ok(r)) => {
                    let more = r.error_count.saturating_sub(r.errors.len());
                    view! {
                        <div class="state error" role="alert">
                            <strong>{move || t("import.rejected")}</strong>
                            <p>{r.error_count}" / "{r.rows}" "{move || t("import.badRows")}</p>
                        </div>
                        <table class="list import-errors">
                            <thead><tr><th>{move || t("import.line")}</th><th>{move || t("import.reason")}</th></tr></thead>
                            <tbody>
                                {r.errors.into_iter().map(|e| view! { <tr><td data-label=move || t("import.line")>{e.line}</td><td data-label=move || t("import.reason")>{e.reason}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                        {(more > 0).then(|| view! { <p class="muted">"… +"{more}</p> })}
                    }.into_any()
                }
            }}
        </section>
    }
}
