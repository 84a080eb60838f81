use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::{
    ApiError, CreateCustomer, CustomerDetail, Customers, Reps, UpdateCustomer, call,
    create_customer, customer_detail, customers, reps, update_customer,
};
use crate::components::{
    ErrorBox, ListView, Loading, Paging, RegionSelect, SearchBox, SortHeader, connection,
};
use crate::format::money;
use crate::i18n::{pick, t};
use crate::transfer::ExportButtons;
use crate::{Role, viewer_role};

use customers::CustomerOrderField as F;

/// The orders the list offers, by their name in the URL (`sort=-created`); the first is
/// the default.
const SORTS: &[(&str, F)] = &[
    ("name", F::NAME),
    ("industry", F::INDUSTRY),
    ("city", F::CITY),
    ("created", F::CREATED_AT),
];

fn sort_key(order: &(F, bool)) -> String {
    crate::components::sort_param(SORTS, order)
}

fn sort_of(key: &str) -> (F, bool) {
    crate::components::parse_sort_param(SORTS, key).unwrap_or((F::NAME, false))
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    let query = use_query_map();
    let from_url = |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let paging = Paging::new(25);
    let search = RwSignal::new(from_url("q"));
    let region = RwSignal::new(from_url("region"));
    let sort = RwSignal::new(sort_of(&from_url("sort")));
    let is_rep = viewer_role() == Role::REP;
    let tier = RwSignal::new(from_url("tier"));
    let churn = RwSignal::new(from_url("churn"));
    let weak = RwSignal::new(from_url("weak"));
    // Search, filters, order and page live in the URL: Back from a customer returns to the
    // same page of the same list.
    crate::components::list_url_state(
        paging,
        vec![
            ("q", search),
            ("region", region),
            ("tier", tier),
            ("churn", churn),
            ("weak", weak),
        ],
        move || sort_key(&sort.get()),
        move |s| sort.set(sort_of(s)),
    );
    let ticked = |s: RwSignal<String>| {
        move |ev: leptos::ev::Event| {
            s.set(if event_target_checked(&ev) {
                "1".into()
            } else {
                String::new()
            });
            paging.reset();
        }
    };
    let data = LocalResource::new(move || {
        let (field, desc) = sort.get();
        call::<Customers>(customers::Variables {
            first: Some(paging.size),
            after: paging.after.get(),
            filter: Some(customers::CustomerFilter {
                search: Some(search.get()).filter(|s| !s.trim().is_empty()),
                owner_id: None,
                region_id: Some(region.get()).filter(|s| !s.is_empty()),
                industry: None,
                city: None,
                tier: match tier.get().as_str() {
                    "A" => Some(customers::CustomerTier::A),
                    "B" => Some(customers::CustomerTier::B),
                    "C" => Some(customers::CustomerTier::C),
                    _ => None,
                },
                churn_risk: (churn.get() == "1").then_some(true),
                health_below: (weak.get() == "1").then_some(50),
            }),
            order_by: Some(customers::CustomerOrderBy {
                field,
                direction: if desc {
                    customers::OrderDirection::DESC
                } else {
                    customers::OrderDirection::ASC
                },
            }),
        })
    });
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{move || t("nav.customers")}</h1>
                <A href="/customers/new" attr:class="btn primary">"+ "{move || t("customer.new")}</A>
            </div>
            <div class="toolbar">
                <SearchBox value=search paging=paging/>
                {(!is_rep).then(|| view! { <RegionSelect value=region paging=paging/> })}
                <select class="filter" aria-label=move || t("cust.tier") prop:value=move || tier.get() on:change=move |ev| { tier.set(event_target_value(&ev)); paging.reset(); }>
                    <option value="">{move || t("cust.allTiers")}</option>
                    <option value="A">{move || t("cust.tierA")}</option>
                    <option value="B">{move || t("cust.tierB")}</option>
                    <option value="C">{move || t("cust.tierC")}</option>
                </select>
                <label class="check"><input type="checkbox" prop:checked=move || churn.get() == "1" on:change=ticked(churn)/>{move || t("cust.churnOnly")}</label>
                <label class="check"><input type="checkbox" prop:checked=move || weak.get() == "1" on:change=ticked(weak)/>{move || t("cust.weakOnly")}</label>
                <span class="spacer"></span>
                <ExportButtons kind="customers" query=Signal::derive(move || {
                    let r = region.get();
                    if r.is_empty() { String::new() } else { format!("&region={r}") }
                })/>
            </div>
            <ListView data=data paging=paging page=|d: customers::ResponseData| connection!(d.customers)
                head=move || view! {
                                <SortHeader label="col.name" field=F::NAME sort=sort paging=paging/>
                                <SortHeader label="col.industry" field=F::INDUSTRY sort=sort paging=paging/>
                                <SortHeader label="col.city" field=F::CITY sort=sort paging=paging/>
                                <th>{move || t("col.owner")}</th>
                                <th>{move || t("col.region")}</th>
                                <th>{move || t("cust.tier")}</th>
                                <th class="num">{move || t("cust.health")}</th>
                }
                row=Callback::new(move |n: customers::CustomersCustomersEdgesNode| {
                                    let href = format!("/customers/{}", n.id);
                                    let owner = format!("/reps/{}", n.owner.id);
                                    view! { <tr>
                                        <td data-label=move || t("col.name")><A href=href><strong>{n.name}</strong></A></td>
                                        <td data-label=move || t("col.industry")>{n.industry}</td>
                                        <td data-label=move || t("col.city")>{n.city.unwrap_or_default()}</td>
                                        <td data-label=move || t("col.owner")><A href=owner>{n.owner.name}</A></td>
                                        <td data-label=move || t("col.region")>{n.owner.region.name}</td>
                                        <td data-label=move || t("cust.tier")>{n.score.as_ref().map(|s| {
                                            let (class, label) = match s.tier {
                                                customers::CustomerTier::A => ("tier a", "A"),
                                                customers::CustomerTier::B => ("tier b", "B"),
                                                _ => ("tier c", "C"),
                                            };
                                            view! { <span class=class>{label}</span>{s.churn_risk.then(|| view! { " "<span class="badge warn">{move || t("cust.churn")}</span> })} }
                                        })}</td>
                                        <td class="num" data-label=move || t("cust.health")>{n.score.as_ref().map(|s| view! { <strong class=health_tone(s.health)>{s.health}</strong> })}</td>
                                    </tr> }.into_any()
                })/>
        </section>
    }
}

#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let data =
        LocalResource::new(move || call::<CustomerDetail>(customer_detail::Variables { id: id() }));
    let editing = RwSignal::new(false);
    view! {
        <section class="page">
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                Some(Ok(d)) => {
                    let c = d.customer;
                    let customer_id = c.id.clone();
                    let owner_href = format!("/reps/{}", c.owner.id);
                    let edit = c.clone();
                    view! {
                        <p class="crumbs"><A href="/customers">{move || t("nav.customers")}</A>" / "{c.name.clone()}</p>
                        <div class="page-head">
                            <h1>{c.name.clone()}</h1>
                            <button class="btn" on:click=move |_| editing.update(|e| *e = !*e)>{move || t("customer.edit")}</button>
                        </div>
                        <Show when=move || editing.get()>
                            <EditCustomer customer=edit.clone() done=Callback::new(move |_| { editing.set(false); data.refetch(); })/>
                        </Show>
                        <dl class="facts">
                            <div><dt>{move || t("col.industry")}</dt><dd>{c.industry.clone()}</dd></div>
                            <div><dt>{move || t("col.city")}</dt><dd>{c.city.clone().unwrap_or_else(|| "—".into())}</dd></div>
                            <div><dt>{move || t("col.address")}</dt><dd>{c.address.clone().unwrap_or_else(|| "—".into())}</dd></div>
                            <div><dt>{move || t("col.externalCode")}</dt><dd>{c.external_code.clone().unwrap_or_else(|| "—".into())}</dd></div>
                            <div><dt>{move || t("col.owner")}</dt><dd><A href=owner_href>{c.owner.name.clone()}</A></dd></div>
                            <div><dt>{move || t("col.region")}</dt><dd>{c.owner.region.name.clone()}</dd></div>
                            <div><dt>{move || t("col.supervisor")}</dt><dd>{c.owner.supervisor.as_ref().map(|s| s.name.clone()).unwrap_or_else(|| "—".into())}</dd></div>
                            <div><dt>{move || t("col.updated")}</dt><dd>{crate::components::local_time(&c.updated_at)}</dd></div>
                        </dl>
                        {c.score.clone().map(|s| view! { <HealthCard s=s/> })}
                        <crate::pages::evaluations::CustomerSurveysCard customer=customer_id/>
                        <h2>{move || t("customer.contacts")}</h2>
                        {if c.contacts.is_empty() {
                            view! { <p class="muted">{move || t("customer.noContacts")}</p> }.into_any()
                        } else {
                            view! {
                                <table class="list">
                                    <thead><tr>
                                        <th>{move || t("col.person")}</th>
                                        <th>{move || t("col.title")}</th>
                                        <th>{move || t("col.phone")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {c.contacts.into_iter().map(|p| view! { <tr>
                                            <td data-label=move || t("col.person")>{p.name}
                                                {p.is_decision_maker.then(|| view! { " "<span class="badge active">{move || t("customer.decision")}</span> })}</td>
                                            <td data-label=move || t("col.title")>{p.title.unwrap_or_default()}</td>
                                            <td data-label=move || t("col.phone")>{p.phone.unwrap_or_default()}</td>
                                        </tr> }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </section>
    }
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim().to_owned();
    if s.is_empty() { None } else { Some(s) }
}

#[component]
fn EditCustomer(
    customer: customer_detail::CustomerDetailCustomer,
    done: Callback<()>,
) -> impl IntoView {
    let name = RwSignal::new(customer.name.clone());
    let industry = RwSignal::new(customer.industry.clone());
    let city = RwSignal::new(customer.city.clone().unwrap_or_default());
    let address = RwSignal::new(customer.address.clone().unwrap_or_default());
    let code = RwSignal::new(customer.external_code.clone().unwrap_or_default());
    let chain = RwSignal::new(
        customer
            .decision_chain_changed_on
            .clone()
            .unwrap_or_default(),
    );
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let id = customer.id.clone();
    let version = customer.version;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let input = update_customer::UpdateCustomerInput {
            id: id.clone(),
            version,
            name: Some(name.get_untracked()),
            industry: Some(industry.get_untracked()),
            city: opt(&city.get_untracked()),
            address: opt(&address.get_untracked()),
            external_code: opt(&code.get_untracked()),
            owner_id: None,
            decision_chain_changed_on: opt(&chain.get_untracked()),
        };
        leptos::task::spawn_local(async move {
            match call::<UpdateCustomer>(update_customer::Variables { input }).await {
                Ok(_) => done.run(()),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card form" on:submit=submit>
            <label>{move || t("col.name")}<input required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
            <label>{move || t("col.industry")}<input required prop:value=move || industry.get() on:input=move |ev| industry.set(event_target_value(&ev))/></label>
            <label>{move || t("col.city")}<input prop:value=move || city.get() on:input=move |ev| city.set(event_target_value(&ev))/></label>
            <label>{move || t("col.address")}<input prop:value=move || address.get() on:input=move |ev| address.set(event_target_value(&ev))/></label>
            <label>{move || t("col.externalCode")}<input name="externalCode" maxlength="64" prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/></label>
            <label>{move || t("cust.chainChanged")}<input type="date" prop:value=move || chain.get() on:change=move |ev| chain.set(event_target_value(&ev))/></label>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
            <div class="actions">
                <button class="btn primary" type="submit" disabled=move || busy.get()>{move || if busy.get() { t("saving") } else { t("save") }}</button>
                <button class="btn" type="button" on:click=move |_| done.run(())>{move || t("cancel")}</button>
            </div>
        </form>
    }
}

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    let is_rep = viewer_role() == Role::REP;
    let name = RwSignal::new(String::new());
    let industry = RwSignal::new(String::new());
    let city = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    let owners = LocalResource::new(move || async move {
        if is_rep {
            return Ok(None);
        }
        call::<Reps>(reps::Variables {
            first: Some(100),
            after: None,
            filter: Some(reps::RepFilter {
                search: None,
                region_id: None,
                supervisor_id: None,
                status: Some(reps::RepStatus::ACTIVE),
                level: None,
            }),
            order_by: None,
        })
        .await
        .map(Some)
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let input = create_customer::CreateCustomerInput {
            name: name.get_untracked(),
            industry: industry.get_untracked(),
            city: opt(&city.get_untracked()),
            address: None,
            external_code: None,
            owner_id: opt(&owner.get_untracked()),
            contacts: vec![],
        };
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match call::<CreateCustomer>(create_customer::Variables { input }).await {
                Ok(d) => navigate(
                    &format!("/customers/{}", d.create_customer.id),
                    Default::default(),
                ),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page">
            <p class="crumbs"><A href="/customers">{move || t("nav.customers")}</A>" / "{move || t("customer.new")}</p>
            <h1>{move || t("customer.new")}</h1>
            <form class="card form" on:submit=submit>
                <label>{move || t("col.name")}<input name="name" required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
                <label>{move || t("col.industry")}<input name="industry" required prop:value=move || industry.get() on:input=move |ev| industry.set(event_target_value(&ev))/></label>
                <label>{move || t("col.city")}<input name="city" prop:value=move || city.get() on:input=move |ev| city.set(event_target_value(&ev))/></label>
                {(!is_rep).then(|| view! {
                    <label>{move || t("col.owner")}
                        <select name="owner" required on:change=move |ev| owner.set(event_target_value(&ev))>
                            <option value="">"—"</option>
                            {move || owners.get().and_then(Result::ok).flatten().map(|d| d.reps.edges.into_iter().map(|e| view! {
                                <option value=e.node.id>{format!("{}（{}）", e.node.name, e.node.region.name)}</option>
                            }).collect_view())}
                        </select>
                    </label>
                })}
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
                <div class="actions">
                    <button class="btn primary" type="submit" disabled=move || busy.get()>{move || if busy.get() { t("saving") } else { t("save") }}</button>
                    <A href="/customers" attr:class="btn">{move || t("cancel")}</A>
                </div>
            </form>
        </section>
    }
}

/// Green from 70, amber from 50, red below.
pub fn health_tone(h: i64) -> &'static str {
    match h {
        70.. => "good",
        50..=69 => "warn",
        _ => "bad",
    }
}

/// The health score with its components as bars, the tier and the churn warning.
#[component]
fn HealthCard(s: customer_detail::CustomerDetailCustomerScore) -> impl IntoView {
    let tier = match s.tier {
        customer_detail::CustomerTier::A => "A",
        customer_detail::CustomerTier::B => "B",
        _ => "C",
    };
    view! {
        <h2>{move || t("cust.healthTitle")}</h2>
        <div class="card health">
            <div class="health-head">
                <span class=format!("health-score {}", health_tone(s.health))>{s.health}</span>
                <div>
                    <span class=format!("tier {}", tier.to_lowercase())>{tier}</span>" "
                    {s.churn_risk.then(|| view! { <span class="badge warn">{move || t("cust.churn")}</span> })}
                    <p class="muted small">{move || t("cust.asOf")}" "{s.as_of.clone()}" · "{move || t("cust.sales12")}" "{money(&s.sales_last_year)}
                        " · "{move || t("cust.orders12")}" "{s.orders_last_year}
                        " · "{move || t("cust.lastOrder")}" "{s.last_order_on.clone().unwrap_or_else(|| "—".into())}
                        " · "{move || t("act.openComplaints")}" "{s.open_complaints}</p>
                </div>
            </div>
            <ul class="parts">
                {s.components.into_iter().map(|p| {
                    let key: &'static str = match p.part {
                        customer_detail::HealthPart::RECENCY => "cust.RECENCY",
                        customer_detail::HealthPart::FREQUENCY => "cust.FREQUENCY",
                        customer_detail::HealthPart::SATISFACTION => "cust.SATISFACTION",
                        customer_detail::HealthPart::COMPLAINTS => "cust.COMPLAINTS",
                        _ => "cust.DECISION_CHAIN",
                    };
                    let score = p.score;
                    view! { <li>
                        <span class="part-name">{move || t(key)}<small class="muted">" × "{p.weight}"%"</small></span>
                        <crate::charts::Meter share=score as f64 / 100.0 tone=health_tone(score)/>
                        <strong>{score}</strong>
                    </li> }
                }).collect_view()}
            </ul>
        </div>
    }
}
