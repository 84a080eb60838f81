use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{
    Customers, RegionOptions, RepDetail, Reps, SupervisorOptions, UpdateRep, call, customers,
    region_options, rep_detail, reps, supervisor_options, update_rep,
};
use crate::components::{
    Empty, ErrorBox, Field, FormActions, ListView, Loading, Pager, Paging, RegionSelect, SearchBox,
    SortHeader, connection, status_label, submit,
};
use crate::i18n::t;
use crate::viewer_role;

use reps::RepOrderField as F;

fn status_name(s: &reps::RepStatus) -> &'static str {
    match s {
        reps::RepStatus::ACTIVE => "ACTIVE",
        reps::RepStatus::ON_LEAVE => "ON_LEAVE",
        reps::RepStatus::LEFT => "LEFT",
        reps::RepStatus::Other(_) => "",
    }
}

/// The orders the list offers, by their name in the URL (`sort=-created`); the first is
/// the default.
const SORTS: &[(&str, F)] = &[
    ("name", F::NAME),
    ("hired", F::HIRE_DATE),
    ("level", F::LEVEL),
    ("created", F::CREATED_AT),
];

fn sort_key(order: &(F, bool)) -> String {
    crate::components::sort_param(SORTS, order)
}

fn sort_of(key: &str) -> (F, bool) {
    crate::components::parse_sort_param(SORTS, key).unwrap_or((F::NAME, false))
}

#[component]
pub fn RepsPage() -> impl IntoView {
    let query = use_query_map();
    let from_url = |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let paging = Paging::new(25);
    let search = RwSignal::new(from_url("q"));
    let region = RwSignal::new(from_url("region"));
    let status = RwSignal::new(from_url("status"));
    let sort = RwSignal::new(sort_of(&from_url("sort")));
    // Search, filters, order and page live in the URL (Back from a profile returns here).
    crate::components::list_url_state(
        paging,
        vec![("q", search), ("region", region), ("status", status)],
        move || sort_key(&sort.get()),
        move |s| sort.set(sort_of(s)),
    );
    let data = LocalResource::new(move || {
        let (field, desc) = sort.get();
        call::<Reps>(reps::Variables {
            first: Some(paging.size),
            after: paging.after.get(),
            filter: Some(reps::RepFilter {
                search: Some(search.get()).filter(|s| !s.trim().is_empty()),
                region_id: Some(region.get()).filter(|s| !s.is_empty()),
                supervisor_id: None,
                status: match status.get().as_str() {
                    "ACTIVE" => Some(reps::RepStatus::ACTIVE),
                    "ON_LEAVE" => Some(reps::RepStatus::ON_LEAVE),
                    "LEFT" => Some(reps::RepStatus::LEFT),
                    _ => None,
                },
                level: None,
            }),
            order_by: Some(reps::RepOrderBy {
                field,
                direction: if desc {
                    reps::OrderDirection::DESC
                } else {
                    reps::OrderDirection::ASC
                },
            }),
        })
    });
    view! {
        <section class="page">
            <h1>{move || t("nav.reps")}</h1>
            <div class="toolbar">
                <SearchBox value=search paging=paging/>
                <RegionSelect value=region paging=paging/>
                <select class="filter" aria-label=move || t("col.status") prop:value=move || status.get()
                    on:change=move |ev| { status.set(event_target_value(&ev)); paging.reset(); }>
                    <option value="">{move || t("filter.allStatus")}</option>
                    <option value="ACTIVE">{move || t("status.ACTIVE")}</option>
                    <option value="ON_LEAVE">{move || t("status.ON_LEAVE")}</option>
                    <option value="LEFT">{move || t("status.LEFT")}</option>
                </select>
            </div>
            <ListView data=data paging=paging page=|d: reps::ResponseData| connection!(d.reps)
                head=move || view! {
                                <SortHeader label="col.person" field=F::NAME sort=sort paging=paging/>
                                <th>{move || t("col.region")}</th>
                                <th>{move || t("col.supervisor")}</th>
                                <SortHeader label="col.level" field=F::LEVEL sort=sort paging=paging/>
                                <SortHeader label="col.hired" field=F::HIRE_DATE sort=sort paging=paging/>
                                <th>{move || t("col.status")}</th>
                                <th class="num">{move || t("col.customers")}</th>
                }
                row=Callback::new(move |n: reps::RepsRepsEdgesNode| {
                                    let href = format!("/reps/{}", n.id);
                                    let st = status_name(&n.status);
                                    view! { <tr>
                                        <td data-label=move || t("col.person")><A href=href><strong>{n.name}</strong></A></td>
                                        <td data-label=move || t("col.region")>{n.region.name}</td>
                                        <td data-label=move || t("col.supervisor")>{n.supervisor.map(|s| s.name).unwrap_or_else(|| "—".into())}</td>
                                        <td data-label=move || t("col.level")>{format!("L{}", n.level)}</td>
                                        <td data-label=move || t("col.hired")>{n.hire_date}</td>
                                        <td data-label=move || t("col.status")><span class=format!("badge {}", st.to_lowercase())>{move || status_label(st)}</span></td>
                                        <td class="num" data-label=move || t("col.customers")>{n.customer_count}</td>
                                    </tr> }.into_any()
                })/>
        </section>
    }
}

#[component]
pub fn RepPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let data = LocalResource::new(move || call::<RepDetail>(rep_detail::Variables { id: id() }));
    let editing = RwSignal::new(false);
    let may_edit = viewer_role().company_wide();
    view! {
        <section class="page">
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                Some(Ok(d)) => {
                    let r = d.rep;
                    let st = match r.status {
                        rep_detail::RepStatus::ACTIVE => "ACTIVE",
                        rep_detail::RepStatus::ON_LEAVE => "ON_LEAVE",
                        rep_detail::RepStatus::LEFT => "LEFT",
                        rep_detail::RepStatus::Other(_) => "",
                    };
                    let edit = r.clone();
                    view! {
                        <p class="crumbs"><A href="/reps">{move || t("nav.reps")}</A>" / "{r.name.clone()}</p>
                        <div class="profile card">
                            <div class="avatar">{r.name.chars().next().map(String::from).unwrap_or_default()}</div>
                            <div>
                                <h1>{r.name.clone()}</h1>
                                <p class="muted">{move || t("rep.profile")}" · "<span class=format!("badge {}", st.to_lowercase())>{move || status_label(st)}</span></p>
                            </div>
                            <span class="spacer"></span>
                            <A href=format!("/scorecard?rep={}", r.id) attr:class="btn">{move || t("nav.scorecard")}</A>
                            {may_edit.then(|| view! { <button class="btn" on:click=move |_| editing.update(|e| *e = !*e)>{move || t("rep.edit")}</button> })}
                        </div>
                        <Show when=move || editing.get()>
                            <RepForm rep=edit.clone() done=Callback::new(move |_| { editing.set(false); data.refetch(); })/>
                        </Show>
                        <dl class="facts">
                            <div><dt>{move || t("col.region")}</dt><dd>{r.region.name.clone()}</dd></div>
                            <div><dt>{move || t("col.supervisor")}</dt><dd>{r.supervisor.as_ref().map(|s| s.name.clone()).unwrap_or_else(|| "—".into())}</dd></div>
                            <div><dt>{move || t("col.level")}</dt><dd>{format!("L{}", r.level)}</dd></div>
                            <div><dt>{move || t("col.hired")}</dt><dd>{r.hire_date.clone()}</dd></div>
                            <div><dt>{move || t("col.phone")}</dt><dd>{r.phone.clone().unwrap_or_else(|| "—".into())}</dd></div>
                            <div><dt>{move || t("col.employeeNo")}</dt><dd>{r.employee_no.clone().unwrap_or_else(|| "—".into())}</dd></div>
                            <div><dt>{move || t("col.email")}</dt><dd>{r.user.as_ref().map(|u| u.email.clone()).unwrap_or_else(|| "—".into())}</dd></div>
                            <div><dt>{move || t("col.customers")}</dt><dd>{r.customer_count}</dd></div>
                        </dl>
                        <h2>{move || t("rep.customers")}</h2>
                        <RepCustomers rep_id=r.id/>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn RepCustomers(rep_id: String) -> impl IntoView {
    let paging = Paging::new(10);
    let data = LocalResource::new(move || {
        call::<Customers>(customers::Variables {
            first: Some(paging.size),
            after: paging.after.get(),
            filter: Some(customers::CustomerFilter {
                search: None,
                owner_id: Some(rep_id.clone()),
                region_id: None,
                industry: None,
                city: None,
                tier: None,
                churn_risk: None,
                health_below: None,
            }),
            order_by: None,
        })
    });
    move || match data.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
        Some(Ok(d)) if d.customers.edges.is_empty() => view! { <Empty/> }.into_any(),
        Some(Ok(d)) => {
            let c = d.customers;
            let rows = c.edges.len();
            view! {
                <table class="list">
                    <thead><tr>
                        <th>{move || t("col.name")}</th>
                        <th>{move || t("col.industry")}</th>
                        <th>{move || t("col.city")}</th>
                    </tr></thead>
                    <tbody>
                        {c.edges.into_iter().map(|e| {
                            let n = e.node;
                            let href = format!("/customers/{}", n.id);
                            view! { <tr>
                                <td data-label=move || t("col.name")><A href=href>{n.name}</A></td>
                                <td data-label=move || t("col.industry")>{n.industry}</td>
                                <td data-label=move || t("col.city")>{n.city.unwrap_or_default()}</td>
                            </tr> }
                        }).collect_view()}
                    </tbody>
                </table>
                <Pager paging=paging total=c.total_count rows=rows has_next=c.page_info.has_next_page end_cursor=c.page_info.end_cursor/>
            }.into_any()
        }
    }
}

/// Edits a rep's HR facts (ADMIN and DIRECTOR): phone, level, status, region, supervisor.
#[component]
fn RepForm(rep: rep_detail::RepDetailRep, done: Callback<()>) -> impl IntoView {
    let phone = RwSignal::new(rep.phone.clone().unwrap_or_default());
    let employee_no = RwSignal::new(rep.employee_no.clone().unwrap_or_default());
    let level = RwSignal::new(rep.level.to_string());
    let status = RwSignal::new(
        match rep.status {
            rep_detail::RepStatus::ON_LEAVE => "ON_LEAVE",
            rep_detail::RepStatus::LEFT => "LEFT",
            _ => "ACTIVE",
        }
        .to_owned(),
    );
    let region = RwSignal::new(rep.region.id.clone());
    let supervisor = RwSignal::new(
        rep.supervisor
            .as_ref()
            .map(|s| s.id.clone())
            .unwrap_or_default(),
    );
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None);
    let regions = LocalResource::new(|| call::<RegionOptions>(region_options::Variables {}));
    let supervisors =
        LocalResource::new(|| call::<SupervisorOptions>(supervisor_options::Variables {}));
    let id = rep.id.clone();
    let version = rep.version;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let sup = supervisor.get_untracked();
        let input = update_rep::UpdateRepInput {
            id: id.clone(),
            version,
            name: None,
            phone: Some(phone.get_untracked()),
            employee_no: Some(employee_no.get_untracked().trim().to_owned())
                .filter(|s| !s.is_empty()),
            level: level.get_untracked().trim().parse().ok(),
            hire_date: None,
            region_id: Some(region.get_untracked()),
            supervisor_id: (!sup.is_empty()).then_some(sup),
            status: Some(match status.get_untracked().as_str() {
                "ON_LEAVE" => update_rep::RepStatus::ON_LEAVE,
                "LEFT" => update_rep::RepStatus::LEFT,
                _ => update_rep::RepStatus::ACTIVE,
            }),
        };
        submit(
            busy,
            error,
            call::<UpdateRep>(update_rep::Variables { input }),
            done,
        );
    };
    view! {
        <form class="card form" on:submit=on_submit>
            <Field label="col.phone" value=phone name="phone"/>
            <Field label="col.employeeNo" value=employee_no name="employeeNo"/>
            <Field label="col.level" value=level name="level" kind="number" required=true/>
            <label>{move || t("col.status")}
                <select name="status" on:change=move |ev| status.set(event_target_value(&ev))>
                    {["ACTIVE", "ON_LEAVE", "LEFT"].map(|s| view! {
                        <option value=s selected=status.get_untracked() == s>{move || status_label(s)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{move || t("col.region")}
                <select name="region" on:change=move |ev| region.set(event_target_value(&ev))>
                    {move || regions.get().and_then(Result::ok).map(|d| d.regions.edges.into_iter().map(|e| {
                        let selected = region.get_untracked() == e.node.id;
                        view! { <option value=e.node.id selected=selected>{e.node.name}</option> }
                    }).collect_view())}
                </select>
            </label>
            <label>{move || t("col.supervisor")}
                <select name="supervisor" on:change=move |ev| supervisor.set(event_target_value(&ev))>
                    <option value="">{move || t("none")}</option>
                    {move || supervisors.get().and_then(Result::ok).map(|d| d.users.edges.into_iter().map(|e| {
                        let selected = supervisor.get_untracked() == e.node.id;
                        view! { <option value=e.node.id selected=selected>{e.node.name}</option> }
                    }).collect_view())}
                </select>
            </label>
            <FormActions busy=busy error=error cancel=done/>
        </form>
    }
}
