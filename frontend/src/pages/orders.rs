//! Orders: the records behind the sales figures. Scorecards link here with the same
//! scope and dates (`/orders?region=…&from=…&to=…`).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::{Orders, call, orders};
use crate::components::{ListView, Paging, RegionSelect, SortHeader, connection};
use crate::format::money;
use crate::i18n::t;
use crate::transfer::ExportButtons;

use orders::OrderOrderField as F;

/// The order as the URL says it: newest first (the default), `date`, `-amount`, `amount`.
fn sort_key((field, desc): &(F, bool)) -> String {
    match (field, desc) {
        (F::AMOUNT, true) => "-amount".into(),
        (F::AMOUNT, false) => "amount".into(),
        (_, false) => "date".into(),
        _ => String::new(),
    }
}

fn sort_of(key: &str) -> (F, bool) {
    match key {
        "-amount" => (F::AMOUNT, true),
        "amount" => (F::AMOUNT, false),
        "date" => (F::ORDERED_ON, false),
        _ => (F::ORDERED_ON, true),
    }
}

#[component]
pub fn OrdersPage() -> impl IntoView {
    let query = use_query_map();
    let get = |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let paging = Paging::new(50);
    let rep = RwSignal::new(get("rep"));
    let region = RwSignal::new(get("region"));
    let from = RwSignal::new(get("from"));
    let to = RwSignal::new(get("to"));
    let cancelled = RwSignal::new(get("cancelled"));
    let sort = RwSignal::new(sort_of(&get("sort")));
    // Filters, order and page live in the URL: a drill-down is a link, Back undoes a
    // filter, a reload keeps the page.
    crate::components::list_url_state(
        paging,
        vec![
            ("rep", rep),
            ("region", region),
            ("from", from),
            ("to", to),
            ("cancelled", cancelled),
        ],
        move || sort_key(&sort.get()),
        move |s| sort.set(sort_of(s)),
    );
    let data = LocalResource::new(move || {
        let (field, desc) = sort.get();
        let some = |s: String| (!s.is_empty()).then_some(s);
        call::<Orders>(orders::Variables {
            first: Some(paging.size),
            after: paging.after.get(),
            filter: Some(orders::OrderFilter {
                rep_id: some(rep.get()),
                region_id: some(region.get()),
                customer_id: None,
                from: some(from.get()),
                to: some(to.get()),
                include_cancelled: (cancelled.get() == "1").then_some(true),
            }),
            order_by: Some(orders::OrderOrderBy {
                field,
                direction: if desc {
                    orders::OrderDirection::DESC
                } else {
                    orders::OrderDirection::ASC
                },
            }),
        })
    });
    let date_input = move |label: &'static str, value: RwSignal<String>| {
        view! {
            <label class="inline">{move || t(label)}
                <input type="date" prop:value=move || value.get() on:change=move |ev| { value.set(event_target_value(&ev)); paging.reset(); }/>
            </label>
        }
    };
    view! {
        <section class="page">
            <h1>{move || t("nav.orders")}</h1>
            <div class="toolbar">
                <RegionSelect value=region paging=paging/>
                {date_input("orders.from", from)}
                {date_input("orders.to", to)}
                <label class="check"><input type="checkbox" prop:checked=move || cancelled.get() == "1" on:change=move |ev| { cancelled.set(if event_target_checked(&ev) { "1".into() } else { String::new() }); paging.reset(); }/>{move || t("orders.cancelled")}</label>
                <span class="spacer"></span>
                <ExportButtons kind="orders" query=Signal::derive(move || {
                    let mut q = String::new();
                    for (k, v) in [("rep", rep.get()), ("region", region.get()), ("from", from.get()), ("to", to.get())] {
                        if !v.is_empty() { q.push_str(&format!("&{k}={v}")); }
                    }
                    q
                })/>
            </div>
            <crate::components::DrillChips rep=rep from=from to=to paging=paging/>
            <ListView data=data paging=paging page=|d: orders::ResponseData| connection!(d.orders)
                head=move || view! {
                    <SortHeader label="col.date" field=F::ORDERED_ON sort=sort paging=paging/>
                    <th>{move || t("col.customer")}</th>
                    <th>{move || t("col.rep")}</th>
                    <th>{move || t("col.region")}</th>
                    <th>{move || t("col.status")}</th>
                    <SortHeader label="col.amount" field=F::AMOUNT sort=sort paging=paging/>
                }
                row=Callback::new(|n: orders::OrdersOrdersEdgesNode| {
                    let cancelled = matches!(n.status, orders::OrderStatus::CANCELLED);
                    let status = if cancelled { "status.CANCELLED" } else { "status.CONFIRMED" };
                    view! { <tr class:cancelled=cancelled>
                        <td data-label=move || t("col.date")>{n.ordered_on}</td>
                        <td data-label=move || t("col.customer")>{n.customer.map(|c| { let href = format!("/customers/{}", c.id); view! { <A href=href>{c.name}</A> } })}</td>
                        <td data-label=move || t("col.rep")>{n.rep.as_ref().map(|r| { let href = format!("/reps/{}", r.id); let name = r.name.clone(); view! { <A href=href>{name}</A> } })}</td>
                        <td data-label=move || t("col.region")>{n.rep.map(|r| r.region.name).unwrap_or_default()}</td>
                        <td data-label=move || t("col.status")><span class=if cancelled { "badge left" } else { "badge active" }>{move || t(status)}</span></td>
                        <td class="num" data-label=move || t("col.amount")>{money(&n.amount)}</td>
                    </tr> }.into_any()
                })/>
        </section>
    }
}
