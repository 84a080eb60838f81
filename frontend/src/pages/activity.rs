//! Activity (过程): visits and calls with their outcome and next step, and complaints with
//! their resolution — the records behind visit compliance, record completeness and
//! complaint response time (`/activity?rep=…&from=…&to=…&tab=complaints`).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::{
    Activities, ApiError, Complaints, CustomerOptions, LogActivity, OpenComplaint,
    ResolveComplaint, activities, call, complaints, customer_options, log_activity, open_complaint,
    resolve_complaint,
};
use crate::components::{
    Empty, ErrorBox, ListPage, ListView, Loading, Pager, Paging, RegionSelect, connection,
};
use crate::format::today;
use crate::i18n::{pick, t};
use crate::{Role, viewer_role};

fn some(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

#[component]
pub fn ActivityPage() -> impl IntoView {
    let query = use_query_map();
    let get = |k: &str| query.read_untracked().get(k).unwrap_or_default();
    // "" is the visits tab, "complaints" the other.
    let tab = RwSignal::new(if get("tab") == "complaints" {
        "complaints".to_owned()
    } else {
        String::new()
    });
    let rep = RwSignal::new(get("rep"));
    let region = RwSignal::new(get("region"));
    let from = RwSignal::new(get("from"));
    let to = RwSignal::new(get("to"));
    let kind = RwSignal::new(get("kind"));
    let incomplete = RwSignal::new(get("incomplete"));
    let open = RwSignal::new(get("open"));
    let is_rep = viewer_role() == Role::REP;
    let paging = Paging::new(30);
    // Tab, filters and page live in the URL (Back from a customer returns to this view).
    crate::components::list_url_state(
        paging,
        vec![
            ("tab", tab),
            ("rep", rep),
            ("region", region),
            ("from", from),
            ("to", to),
            ("kind", kind),
            ("incomplete", incomplete),
            ("open", open),
        ],
        String::new,
        |_| {},
    );
    let visits_tab = move || tab.get() != "complaints";
    let date_input = move |label: &'static str, value: RwSignal<String>| {
        view! {
            <label class="inline">{move || t(label)}
                <input type="date" prop:value=move || value.get() on:change=move |ev| { value.set(event_target_value(&ev)); paging.reset(); }/>
            </label>
        }
    };
    let visits = LocalResource::new(move || {
        let f = activities::ActivityFilter {
            rep_id: some(rep.get()),
            region_id: some(region.get()),
            customer_id: None,
            kind: match kind.get().as_str() {
                "VISIT" => Some(activities::ActivityKind::VISIT),
                "CALL" => Some(activities::ActivityKind::CALL),
                _ => None,
            },
            from: some(from.get()),
            to: some(to.get()),
            incomplete: (incomplete.get() == "1").then_some(true),
        };
        let after = paging.after.get();
        let on = visits_tab();
        async move {
            if !on {
                return Ok(None);
            }
            call::<Activities>(activities::Variables {
                first: Some(paging.size),
                after,
                filter: Some(f),
            })
            .await
            .map(Some)
        }
    });
    let complaint_list = LocalResource::new(move || {
        let f = complaints::ComplaintFilter {
            rep_id: some(rep.get()),
            region_id: some(region.get()),
            customer_id: None,
            open: match open.get().as_str() {
                "open" => Some(true),
                "resolved" => Some(false),
                _ => None,
            },
            from: some(from.get()),
            to: some(to.get()),
        };
        let after = paging.after.get();
        let on = tab.get() == "complaints";
        async move {
            if !on {
                return Ok(None);
            }
            call::<Complaints>(complaints::Variables {
                first: Some(paging.size),
                after,
                filter: Some(f),
            })
            .await
            .map(Some)
        }
    });
    // `?new=visit` (the home page's one tap) opens the form at once.
    let adding = RwSignal::new(get("new") == "visit");
    let reload = Callback::new(move |_: ()| {
        adding.set(false);
        visits.refetch();
        complaint_list.refetch();
    });
    let switch = move |to_tab: &'static str| {
        tab.set(if to_tab == "complaints" {
            to_tab.to_owned()
        } else {
            String::new()
        });
        adding.set(false);
        paging.reset();
    };
    view! {
        <section class="page">
            <h1>{move || t("nav.activity")}</h1>
            <div class="tabs" role="tablist">
                <button class="tab" role="tab" class:active=visits_tab on:click=move |_| switch("visits")>{move || t("act.visits")}</button>
                <button class="tab" role="tab" class:active=move || tab.get() == "complaints" on:click=move |_| switch("complaints")>{move || t("act.complaints")}</button>
            </div>
            <div class="toolbar">
                {move || visits_tab().then(|| view! {
                    <select class="filter" aria-label=move || t("act.kind") prop:value=move || kind.get() on:change=move |ev| { kind.set(event_target_value(&ev)); paging.reset(); }>
                        <option value="">{move || t("act.allKinds")}</option>
                        <option value="VISIT">{move || t("act.VISIT")}</option>
                        <option value="CALL">{move || t("act.CALL")}</option>
                    </select>
                    <label class="check"><input type="checkbox" prop:checked=move || incomplete.get() == "1" on:change=move |ev| { incomplete.set(if event_target_checked(&ev) { "1".into() } else { String::new() }); paging.reset(); }/>{move || t("act.incompleteOnly")}</label>
                })}
                {move || (tab.get() == "complaints").then(|| view! {
                    <select class="filter" aria-label=move || t("act.status") prop:value=move || open.get() on:change=move |ev| { open.set(event_target_value(&ev)); paging.reset(); }>
                        <option value="">{move || t("act.allComplaints")}</option>
                        <option value="open">{move || t("act.open")}</option>
                        <option value="resolved">{move || t("act.resolved")}</option>
                    </select>
                })}
                {(!is_rep).then(|| view! { <RegionSelect value=region paging=paging/> })}
                {date_input("orders.from", from)}
                {date_input("orders.to", to)}
                <span class="spacer"></span>
                <button class="btn primary" on:click=move |_| adding.update(|a| *a = !*a)>
                    {move || if visits_tab() { t("act.log") } else { t("act.newComplaint") }}
                </button>
            </div>
            <crate::components::DrillChips rep=rep from=from to=to paging=paging/>
            {move || adding.get().then(|| view! { <NewRecord complaint=tab.get_untracked() == "complaints" done=reload/> })}
            {move || match if visits_tab() { "visits" } else { "complaints" } {
                "visits" => view! {
                    <ListView data=visits paging=paging
                        page=visits_page
                        head=move || view! {
                            <th>{move || t("act.date")}</th>
                            <th>{move || t("act.kind")}</th>
                            <th>{move || t("col.customer")}</th>
                            <th>{move || t("col.rep")}</th>
                            <th>{move || t("act.outcome")}</th>
                            <th>{move || t("act.nextStep")}</th>
                        }
                        row=Callback::new(|n: activities::ActivitiesActivitiesEdgesNode| {
                            let k: &'static str = if n.kind == activities::ActivityKind::VISIT { "act.VISIT" } else { "act.CALL" };
                            view! { <tr class:incomplete=!n.complete>
                                <td data-label=move || t("act.date")>{n.occurred_on}</td>
                                <td data-label=move || t("act.kind")><span class="badge">{move || t(k)}</span></td>
                                <td data-label=move || t("col.customer")>{n.customer.map(|c| { let href = format!("/customers/{}", c.id); view! { <A href=href>{c.name}</A> } })}</td>
                                <td data-label=move || t("col.rep")>{n.rep.map(|r| r.name).unwrap_or_default()}</td>
                                <td data-label=move || t("act.outcome")>{n.outcome.unwrap_or_else(|| "—".into())}</td>
                                <td data-label=move || t("act.nextStep")>{match n.next_step {
                                    Some(s) => view! { <span>{s}</span> }.into_any(),
                                    None => view! { <span class="warn-text">{move || t("act.missing")}</span> }.into_any(),
                                }}</td>
                            </tr> }.into_any()
                        })/>
                }.into_any(),
                _ => match complaint_list.get() {
                    None | Some(Ok(None)) => view! { <Loading/> }.into_any(),
                    Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| complaint_list.refetch())/> }.into_any(),
                    Some(Ok(Some(d))) if d.complaints.edges.is_empty() => view! { <Empty/> }.into_any(),
                    Some(Ok(Some(d))) => {
                        let c = d.complaints;
                        let rows = c.edges.len();
                        view! {
                            <ul class="alerts">
                                {c.edges.into_iter().map(|e| view! { <ComplaintRow n=e.node done=reload/> }).collect_view()}
                            </ul>
                            <Pager paging=paging total=c.total_count rows=rows has_next=c.page_info.has_next_page end_cursor=c.page_info.end_cursor/>
                        }.into_any()
                    }
                },
            }}
        </section>
    }
}

/// The visits tab's page of rows (nothing while the complaints tab is shown).
fn visits_page(
    d: Option<activities::ResponseData>,
) -> ListPage<activities::ActivitiesActivitiesEdgesNode> {
    match d {
        Some(d) => connection!(d.activities),
        None => ListPage {
            rows: Vec::new(),
            total: 0,
            has_next: false,
            end_cursor: None,
        },
    }
}

#[component]
fn ComplaintRow(n: complaints::ComplaintsComplaintsEdgesNode, done: Callback<()>) -> impl IntoView {
    let writing = RwSignal::new(false);
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let (id, version) = (n.id.clone(), n.version);
    let resolve = move || {
        let input = resolve_complaint::ResolveComplaintInput {
            id: id.clone(),
            version,
            resolution: text.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match call::<ResolveComplaint>(resolve_complaint::Variables { input }).await {
                Ok(_) => done.run(()),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let opened = crate::components::local_time(&n.opened_at);
    let hours = n.response_hours;
    view! {
        <li class="alert" class:resolved=!n.open>
            <div class="alert-head">
                <span class=if n.open { "rule overdue" } else { "rule" }>{move || if n.open { t("act.open") } else { t("act.resolved") }}</span>
                {n.customer.map(|c| { let href = format!("/customers/{}", c.id); view! { <A href=href>{c.name}</A> } })}
                <span class="muted">{n.rep.map(|r| r.name).unwrap_or_default()}</span>
                <span class="spacer"></span>
                <span class="muted">{opened}</span>
            </div>
            <p class="alert-text">{n.subject}</p>
            {n.resolution.map(|r| view! { <p class="muted note">"“"{r}"”"{hours.map(|h| format!(" · {h:.1} h"))}</p> })}
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
            {n.open.then(|| view! {
                <div class="alert-foot">
                    <span class="spacer"></span>
                    <button class="btn primary" on:click=move |_| writing.set(true)>{move || t("act.resolve")}</button>
                </div>
            })}
            {move || writing.get().then(|| {
                let resolve = resolve.clone();
                view! {
                    <form class="alert-note" on:submit=move |ev| { ev.prevent_default(); resolve(); }>
                        <input type="text" required=true maxlength="2000" placeholder=move || t("act.resolution") prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
                        <button class="btn primary" type="submit" disabled=move || busy.get()>{move || t("act.confirmResolve")}</button>
                        <button class="btn" type="button" on:click=move |_| writing.set(false)>{move || t("cancel")}</button>
                    </form>
                }
            })}
        </li>
    }
}

/// Logs a visit or call, or records a complaint, for a customer found by name.
#[component]
fn NewRecord(complaint: bool, done: Callback<()>) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let customer = RwSignal::new(String::new());
    let kind = RwSignal::new("VISIT".to_owned());
    let date = RwSignal::new(today());
    let outcome = RwSignal::new(String::new());
    let next = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let options = LocalResource::new(move || {
        let s = search.get();
        call::<CustomerOptions>(customer_options::Variables { search: some(s) })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = customer.get_untracked();
        if c.is_empty() {
            error.set(Some(ApiError {
                code: "BAD_USER_INPUT".into(),
                message: "请选择客户 / choose a customer".into(),
            }));
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let r = if complaint {
                call::<OpenComplaint>(open_complaint::Variables {
                    input: open_complaint::OpenComplaintInput {
                        customer_id: c,
                        subject: subject.get_untracked(),
                    },
                })
                .await
                .map(|_| ())
            } else {
                call::<LogActivity>(log_activity::Variables {
                    input: log_activity::LogActivityInput {
                        customer_id: c,
                        kind: if kind.get_untracked() == "CALL" {
                            log_activity::ActivityKind::CALL
                        } else {
                            log_activity::ActivityKind::VISIT
                        },
                        occurred_on: date.get_untracked(),
                        outcome: some(outcome.get_untracked()),
                        next_step: some(next.get_untracked()),
                    },
                })
                .await
                .map(|_| ())
            };
            match r {
                Ok(()) => done.run(()),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card form new-record" on:submit=submit>
            <div class="grid2">
                <label>{move || t("act.findCustomer")}
                    <input type="search" prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
                </label>
                <label>{move || t("col.customer")}
                    <select required=true on:change=move |ev| customer.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {move || options.get().and_then(Result::ok).map(|d| d.customers.edges.into_iter().map(|e| {
                            let id = e.node.id.clone();
                            let selected = customer.get_untracked() == id;
                            view! { <option value=id selected=selected>{e.node.name}</option> }
                        }).collect_view())}
                    </select>
                </label>
                {if complaint {
                    view! {
                        <label class="wide">{move || t("act.subject")}
                            <input type="text" required=true maxlength="500" prop:value=move || subject.get() on:input=move |ev| subject.set(event_target_value(&ev))/>
                        </label>
                    }.into_any()
                } else {
                    view! {
                        <label>{move || t("act.kind")}
                            <select on:change=move |ev| kind.set(event_target_value(&ev))>
                                <option value="VISIT">{move || t("act.VISIT")}</option>
                                <option value="CALL">{move || t("act.CALL")}</option>
                            </select>
                        </label>
                        <label>{move || t("act.date")}
                            <input type="date" required=true max=today() prop:value=move || date.get() on:change=move |ev| date.set(event_target_value(&ev))/>
                        </label>
                        <label>{move || t("act.outcome")}
                            <input type="text" maxlength="2000" prop:value=move || outcome.get() on:input=move |ev| outcome.set(event_target_value(&ev))/>
                        </label>
                        <label>{move || t("act.nextStep")}
                            <input type="text" maxlength="2000" prop:value=move || next.get() on:input=move |ev| next.set(event_target_value(&ev))/>
                        </label>
                    }.into_any()
                }}
            </div>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
            <div class="actions">
                <button class="btn primary" type="submit" disabled=move || busy.get()>{move || if busy.get() { t("saving") } else { t("save") }}</button>
            </div>
        </form>
    }
}
