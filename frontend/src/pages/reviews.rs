//! Review meetings (复盘会) and the handover of a departing rep's customers (客户交接):
//! the meetings of a region, one meeting with the region's figures, its 5-Why chains and
//! SMART actions (and those carried over from earlier meetings), and the handover flow
//! (the list per customer, the new owner, a ride-along, the history). Its texts are its own.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use crate::api::{
    AddReviewAction, AddRootCause, ApiError, CreateReviewMeeting, HandOverCustomers, HandoverList,
    HandoverReps, ReviewMeetingDetail, ReviewMeetings, ReviewOwners, TickAction, add_review_action,
    add_root_cause, call, create_review_meeting, hand_over_customers, handover_list, handover_reps,
    review_meeting_detail, review_meetings, review_owners, tick_action,
};
use crate::components::{ErrorBox, Loading, submit};
use crate::i18n::{pick, t_of};
use crate::{PageTitle, Role, viewer_role};

static TEXTS: &[(&str, &str, &str)] = &[
    ("actions", "SMART 行动项", "SMART actions"),
    ("add", "添加", "Add"),
    ("all", "全部区域", "All regions"),
    ("attainment", "达成率", "Attainment"),
    (
        "carried",
        "上次会议未完成的行动项",
        "Still open from earlier meetings",
    ),
    ("cause", "根本原因", "Root cause"),
    ("causes", "根因分析（5 个为什么）", "Root causes (5 Whys)"),
    ("collection", "回款率", "Collection rate"),
    ("contacts", "联系人", "Contacts"),
    ("create", "开会", "Hold the meeting"),
    ("customer", "客户", "Customer"),
    ("done", "完成", "Done"),
    ("due", "截止", "Due"),
    ("from", "离职 / 交出的代表", "Departing rep"),
    ("handedOn", "交接日期", "Handed over on"),
    ("handover", "客户交接", "Customer handover"),
    (
        "handoverDo",
        "交接所选客户",
        "Hand over the selected customers",
    ),
    (
        "handoverDone",
        "已交接 {n} 个客户",
        "Handed over {n} customers",
    ),
    ("heldOn", "开会日期", "Held on"),
    ("history", "交接记录", "Handover history"),
    ("lastVisit", "最近拜访", "Last visit"),
    ("measure", "可衡量的目标", "Measurable target"),
    ("month", "月度", "Monthly"),
    ("new", "新的复盘会", "New review meeting"),
    ("newCustomers", "新客户", "New customers"),
    ("none", "暂无复盘会", "No review meetings yet"),
    ("notes", "交接说明", "Handover notes"),
    ("open", "进行中的商机", "Open opportunities"),
    ("outstanding", "未回款", "Outstanding"),
    ("owner", "负责人", "Owner"),
    ("period", "周期", "Period"),
    ("pipeline", "商机金额", "Pipeline"),
    ("problem", "问题", "Problem"),
    ("quarter", "季度", "Quarterly"),
    ("region", "区域", "Region"),
    (
        "rideAlong",
        "安排交接陪访（两周内与新负责人一起拜访）",
        "Plan a handover ride-along (with the new owner, within two weeks)",
    ),
    ("sales", "销售额", "Sales"),
    ("satisfaction", "满意度", "Satisfaction"),
    ("summary", "会议纪要", "Summary"),
    ("target", "目标", "Target"),
    ("title", "复盘会", "Review meetings"),
    ("to", "新负责人", "New owner"),
    ("what", "行动", "Action"),
    ("why", "为什么", "Why"),
    ("year", "年份", "Year"),
];

fn tx(key: &'static str) -> &'static str {
    t_of(TEXTS, key)
}

fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn period_label(kind: &str, year: i64, index: i64) -> String {
    match kind {
        "MONTH" => format!("{year}-{index:02}"),
        "QUARTER" => format!("{year} Q{index}"),
        _ => year.to_string(),
    }
}

fn writes() -> bool {
    matches!(
        viewer_role(),
        Role::ADMIN | Role::DIRECTOR | Role::SUPERVISOR
    )
}

/// `/reviews`, `/reviews/<id>` and `/reviews/handover`.
#[component]
pub fn Pages() -> impl IntoView {
    super::style();
    let location = use_location();
    let rest = Memo::new(move |_| {
        location
            .pathname
            .get()
            .trim_start_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    });
    move || {
        let r = rest.get();
        match r.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["reviews", "handover"] => view! { <HandoverPage/> }.into_any(),
            ["reviews"] => view! { <ListPage/> }.into_any(),
            ["reviews", id] => {
                let id = (*id).to_owned();
                view! { <MeetingPage id=id/> }.into_any()
            }
            _ => view! { <p class="muted">{move || crate::i18n::t("notfound")}</p> }.into_any(),
        }
    }
}

#[component]
fn ListPage() -> impl IntoView {
    let q = use_query_map();
    let navigate = use_navigate();
    let region = Memo::new(move |_| q.read().get("region").unwrap_or_default());
    let data = LocalResource::new(move || {
        let r = region.get();
        call::<ReviewMeetings>(review_meetings::Variables {
            region_id: (!r.is_empty()).then_some(r),
        })
    });
    let kind = RwSignal::new("MONTH".to_owned());
    let (y, m) = crate::format::this_month();
    let (py, pm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    let year = RwSignal::new(py.to_string());
    let index = RwSignal::new(pm.to_string());
    let held = RwSignal::new(crate::format::today());
    let new_region = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let nav2 = navigate.clone();
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        use create_review_meeting as c;
        let k = if kind.get_untracked() == "QUARTER" {
            c::PeriodKind::QUARTER
        } else {
            c::PeriodKind::MONTH
        };
        let input = c::CreateReviewMeetingInput {
            region_id: new_region.get_untracked(),
            period: c::PeriodInput {
                kind: k,
                year: year.get_untracked().trim().parse().unwrap_or(py.into()),
                index: Some(index.get_untracked().trim().parse().unwrap_or(1)),
            },
            held_on: held.get_untracked(),
            summary: None,
        };
        let navigate = nav2.clone();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match call::<CreateReviewMeeting>(c::Variables { input }).await {
                Ok(d) => navigate(
                    &format!("/reviews/{}", d.create_review_meeting.id),
                    Default::default(),
                ),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page reviews">
            <div class="page-head"><h1>{move || tx("title")}</h1><span class="spacer"></span>
                {writes().then(|| view! { <A href="/reviews/handover" attr:class="btn">{move || tx("handover")}</A> })}
            </div>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) => {
                    let regions = d.regions.edges.clone();
                    if new_region.get_untracked().is_empty()
                        && let Some(r) = regions.first() { new_region.set(r.node.id.clone()); }
                    let navigate = navigate.clone();
                    let regions2 = regions.clone();
                    view! {
                        <div class="filters">
                            <select name="region" prop:value=move || region.get() on:change=move |ev| {
                                let v = event_target_value(&ev);
                                navigate(&if v.is_empty() { "/reviews".to_owned() } else { format!("/reviews?region={v}") }, Default::default());
                            }>
                                <option value="">{move || tx("all")}</option>
                                {regions.into_iter().map(|r| view! { <option value=r.node.id>{r.node.name.clone()}</option> }).collect_view()}
                            </select>
                        </div>
                        {writes().then(|| view! {
                            <form class="card inline-form" on:submit=create.clone()>
                                <strong>{move || tx("new")}</strong>
                                <select name="new-region" prop:value=move || new_region.get() on:change=move |ev| new_region.set(event_target_value(&ev))>
                                    {regions2.into_iter().map(|r| view! { <option value=r.node.id>{r.node.name.clone()}</option> }).collect_view()}
                                </select>
                                <select name="kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                                    <option value="MONTH">{move || tx("month")}</option>
                                    <option value="QUARTER">{move || tx("quarter")}</option>
                                </select>
                                <input type="number" name="year" min="2000" max="2100" prop:value=move || year.get() on:input=move |ev| year.set(event_target_value(&ev))/>
                                <input type="number" name="index" min="1" max="12" prop:value=move || index.get() on:input=move |ev| index.set(event_target_value(&ev))/>
                                <label>{move || tx("heldOn")}<input type="date" name="held" prop:value=move || held.get() on:input=move |ev| held.set(event_target_value(&ev))/></label>
                                <button class="btn primary" type="submit" disabled=move || busy.get()>{move || tx("create")}</button>
                                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}</p> })}
                            </form>
                        })}
                        {if d.review_meetings.edges.is_empty() {
                            view! { <p class="empty">{move || tx("none")}</p> }.into_any()
                        } else {
                            view! {
                                <table class="list meetings">
                                    <thead><tr><th>{move || tx("period")}</th><th>{move || tx("region")}</th><th>{move || tx("heldOn")}</th><th>{move || tx("summary")}</th></tr></thead>
                                    <tbody>{d.review_meetings.edges.into_iter().map(|e| {
                                        let m = e.node;
                                        let label = period_label(&code(&m.period.kind), m.period.year, m.period.index);
                                        view! { <tr>
                                            <td data-label=move || tx("period")><A href=format!("/reviews/{}", m.id)>{label}</A></td>
                                            <td data-label=move || tx("region")>{m.region.map(|r| r.name).unwrap_or_default()}</td>
                                            <td data-label=move || tx("heldOn")>{m.held_on.clone()}</td>
                                            <td data-label=move || tx("summary")>{m.summary.unwrap_or_default()}</td>
                                        </tr> }
                                    }).collect_view()}</tbody>
                                </table>
                            }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </section>
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{:.1}%", v * 100.0))
}

#[component]
fn MeetingPage(id: String) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let mid = id;
    let data = LocalResource::new(move || {
        reload.track();
        call::<ReviewMeetingDetail>(review_meeting_detail::Variables { id: mid.clone() })
    });
    let title = expect_context::<PageTitle>().0;
    on_cleanup(move || title.set(None));
    view! {
        <section class="page review">
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) => {
                    use review_meeting_detail::ReviewMeetingDetailNode as N;
                    let N::ReviewMeeting(m) = d.node else {
                        return view! { <p class="muted">{move || crate::i18n::t("notfound")}</p> }.into_any();
                    };
                    let label = period_label(&code(&m.period.kind), m.period.year, m.period.index);
                    let region = m.region.clone();
                    title.set(Some(format!("{} · {label}", region.as_ref().map(|r| r.name.clone()).unwrap_or_default())));
                    let card = m.scorecard.clone();
                    let edit = writes();
                    view! {
                        <p class="crumbs"><A href="/reviews">{move || tx("title")}</A>" / "{label.clone()}</p>
                        <div class="page-head"><h1>{region.as_ref().map(|r| r.name.clone())}<small class="muted">" · "{label}" · "{m.held_on.clone()}</small></h1></div>
                        {m.summary.clone().map(|s| view! { <p>{s}</p> })}
                        {card.map(|c| view! {
                            <div class="grid3 totals">
                                <div class="card"><span class="label">{move || tx("sales")}</span><span class="big">{crate::format::money_short(&c.sales_amount)}</span>
                                    <small class="muted">{move || tx("target")}" "{c.sales_target.as_deref().map(crate::format::money_short).unwrap_or_else(|| "—".into())}</small></div>
                                <div class="card"><span class="label">{move || tx("attainment")}</span><span class="big">{pct(c.attainment)}</span></div>
                                <div class="card"><span class="label">{move || tx("collection")}</span><span class="big">{pct(c.collection_rate)}</span></div>
                                <div class="card"><span class="label">{move || tx("newCustomers")}</span><span class="big">{c.new_customers}</span></div>
                                <div class="card"><span class="label">{move || tx("satisfaction")}</span><span class="big">{c.satisfaction.map(|s| format!("{s:.2}")).unwrap_or_else(|| "—".into())}</span></div>
                            </div>
                        })}
                        <div class="card causes">
                            <h2>{move || tx("causes")}</h2>
                            {m.root_causes.into_iter().map(|c| view! {
                                <div class="chain">
                                    <strong>{c.problem.clone()}</strong>
                                    <ol class="whys">{c.whys.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ol>
                                    {c.root_cause.map(|r| view! { <p class="root"><b>{move || tx("cause")}": "</b>{r}</p> })}
                                </div>
                            }).collect_view()}
                            {edit.then(|| view! { <CauseForm meeting=m.id.clone() reload=reload/> })}
                        </div>
                        <div class="card">
                            <h2>{move || tx("actions")}</h2>
                            <ActionList items=m.action_items.into_iter().map(Item::from_main).collect() reload=reload/>
                            {edit.then(|| view! { <ActionForm meeting=m.id.clone() region=region.map(|r| r.id) reload=reload/> })}
                        </div>
                        {(!m.carried_over.is_empty()).then(|| view! {
                            <div class="card carried">
                                <h2>{move || tx("carried")}</h2>
                                <ActionList items=m.carried_over.into_iter().map(Item::from_carried).collect() reload=reload/>
                            </div>
                        })}
                    }.into_any()
                }
            }}
        </section>
    }
}

/// An action item as the lists show it (the two lists' generated types differ).
#[derive(Clone)]
struct Item {
    id: String,
    title: String,
    measure: Option<String>,
    done: bool,
    overdue: bool,
    due: Option<String>,
    owner: String,
    version: i64,
}

impl Item {
    fn from_main(
        a: review_meeting_detail::ReviewMeetingDetailNodeOnReviewMeetingActionItems,
    ) -> Self {
        Item {
            done: code(&a.status) == "DONE",
            id: a.id,
            title: a.title,
            measure: a.measure,
            overdue: a.overdue,
            due: a.due_on,
            owner: a.owner.map(|o| o.name).unwrap_or_default(),
            version: a.version,
        }
    }
    fn from_carried(
        a: review_meeting_detail::ReviewMeetingDetailNodeOnReviewMeetingCarriedOver,
    ) -> Self {
        Item {
            done: code(&a.status) == "DONE",
            id: a.id,
            title: a.title,
            measure: a.measure,
            overdue: a.overdue,
            due: a.due_on,
            owner: a.owner.map(|o| o.name).unwrap_or_default(),
            version: a.version,
        }
    }
}

#[component]
fn ActionList(items: Vec<Item>, reload: RwSignal<u32>) -> impl IntoView {
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    view! {
        <ul class="smart">
            {items.into_iter().map(|a| {
                let (id, version) = (a.id.clone(), a.version);
                let tick = move |_| {
                    let input = tick_action::UpdateActionItemInput {
                        id: id.clone(), version, status: Some(tick_action::ActionItemStatus::DONE), title: None, due_on: None,
                    };
                    submit(busy, error, async move { call::<TickAction>(tick_action::Variables { input }).await },
                        Callback::new(move |_| reload.update(|n| *n += 1)));
                };
                view! {
                    <li class:done=a.done class:warn-text=a.overdue && !a.done>
                        <strong>{a.title.clone()}</strong>
                        {a.measure.clone().map(|m| view! { <span class="measure">" · "{m}</span> })}
                        <small class="muted">" · "{a.owner.clone()}{a.due.clone().map(|d| format!(" · {} {d}", tx("due")))}</small>
                        {(!a.done).then(|| view! { <button class="btn small-btn" disabled=move || busy.get() on:click=tick>{move || tx("done")}</button> })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}</p> })}
    }
}

#[component]
fn CauseForm(meeting: String, reload: RwSignal<u32>) -> impl IntoView {
    let problem = RwSignal::new(String::new());
    let whys: Vec<RwSignal<String>> = (0..5).map(|_| RwSignal::new(String::new())).collect();
    let cause = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let ws = whys.clone();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chain: Vec<String> = ws
            .iter()
            .map(|w| w.get_untracked())
            .filter(|w| !w.trim().is_empty())
            .collect();
        let c = cause.get_untracked();
        let input = add_root_cause::AddRootCauseInput {
            meeting_id: meeting.clone(),
            problem: problem.get_untracked(),
            whys: chain,
            root_cause: (!c.trim().is_empty()).then_some(c),
        };
        let ws = ws.clone();
        submit(
            busy,
            error,
            async move { call::<AddRootCause>(add_root_cause::Variables { input }).await },
            Callback::new(move |_| {
                problem.set(String::new());
                cause.set(String::new());
                for w in &ws {
                    w.set(String::new());
                }
                reload.update(|n| *n += 1);
            }),
        );
    };
    view! {
        <form class="form cause-form" on:submit=add>
            <label>{move || tx("problem")}<input type="text" name="problem" required prop:value=move || problem.get() on:input=move |ev| problem.set(event_target_value(&ev))/></label>
            {whys.into_iter().enumerate().map(|(i, w)| view! {
                <label>{move || tx("why")}" "{i + 1}<input type="text" name=format!("why{}", i + 1) prop:value=move || w.get() on:input=move |ev| w.set(event_target_value(&ev))/></label>
            }).collect_view()}
            <label>{move || tx("cause")}<input type="text" name="cause" prop:value=move || cause.get() on:input=move |ev| cause.set(event_target_value(&ev))/></label>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}</p> })}
            <div class="actions"><button class="btn" type="submit" disabled=move || busy.get()>{move || tx("add")}</button></div>
        </form>
    }
}

#[component]
fn ActionForm(meeting: String, region: Option<String>, reload: RwSignal<u32>) -> impl IntoView {
    let owners = LocalResource::new(move || {
        let r = region.clone();
        call::<ReviewOwners>(review_owners::Variables { region_id: r })
    });
    let what = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let measure = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (o, m, d) = (
            owner.get_untracked(),
            measure.get_untracked(),
            due.get_untracked(),
        );
        let input = add_review_action::AddReviewActionInput {
            meeting_id: meeting.clone(),
            title: what.get_untracked(),
            owner_id: (!o.is_empty()).then_some(o),
            measure: (!m.trim().is_empty()).then_some(m),
            due_on: (!d.is_empty()).then_some(d),
        };
        submit(
            busy,
            error,
            async move { call::<AddReviewAction>(add_review_action::Variables { input }).await },
            Callback::new(move |_| {
                what.set(String::new());
                measure.set(String::new());
                reload.update(|n| *n += 1);
            }),
        );
    };
    view! {
        <form class="inline-form" on:submit=add>
            <input type="text" name="what" required placeholder=move || tx("what") prop:value=move || what.get() on:input=move |ev| what.set(event_target_value(&ev))/>
            <select name="owner" required prop:value=move || owner.get() on:change=move |ev| owner.set(event_target_value(&ev))>
                <option value="">{move || tx("owner")}</option>
                {move || owners.get().and_then(Result::ok).map(|d| {
                    let mut opts = vec![(d.me.id.clone(), d.me.name.clone())];
                    opts.extend(d.reps.edges.into_iter().filter_map(|e| e.node.user.map(|u| (u.id, e.node.name))));
                    opts.into_iter().map(|(v, n)| view! { <option value=v>{n}</option> }).collect_view()
                })}
            </select>
            <input type="text" name="measure" required placeholder=move || tx("measure") prop:value=move || measure.get() on:input=move |ev| measure.set(event_target_value(&ev))/>
            <input type="date" name="due" required prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev))/>
            <button class="btn" type="submit" disabled=move || busy.get()>{move || tx("add")}</button>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}</p> })}
        </form>
    }
}

/// The handover flow: pick the departing rep, see their list, pick the new owner and the
/// customers (all by default), hand over; the history below.
#[component]
fn HandoverPage() -> impl IntoView {
    let q = use_query_map();
    let navigate = use_navigate();
    let from = Memo::new(move |_| q.read().get("rep").unwrap_or_default());
    let reps = LocalResource::new(|| call::<HandoverReps>(handover_reps::Variables {}));
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        let r = from.get();
        async move {
            if r.is_empty() {
                return Ok(None);
            }
            call::<HandoverList>(handover_list::Variables { rep: r })
                .await
                .map(Some)
        }
    });
    let to = RwSignal::new(String::new());
    let chosen = RwSignal::new(std::collections::BTreeSet::<String>::new());
    let day = RwSignal::new(crate::format::today());
    let notes = RwSignal::new(String::new());
    let ride = RwSignal::new(true);
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let made = RwSignal::new(None::<usize>);
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = notes.get_untracked();
        let input = hand_over_customers::HandOverCustomersInput {
            from_rep_id: from.get_untracked(),
            to_rep_id: to.get_untracked(),
            customer_ids: chosen.get_untracked().into_iter().collect(),
            handed_on: day.get_untracked(),
            notes: (!n.trim().is_empty()).then_some(n),
            ride_along: ride.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match call::<HandOverCustomers>(hand_over_customers::Variables { input }).await {
                Ok(d) => {
                    made.set(Some(d.hand_over_customers.len()));
                    chosen.set(Default::default());
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page handover">
            <p class="crumbs"><A href="/reviews">{move || tx("title")}</A>" / "{move || tx("handover")}</p>
            <h1>{move || tx("handover")}</h1>
            {move || reps.get().and_then(Result::ok).map(|d| {
                let all = d.reps.edges;
                let navigate = navigate.clone();
                view! {
                    <div class="filters">
                        <label>{move || tx("from")}
                            <select name="from" prop:value=move || from.get() on:change=move |ev| {
                                let v = event_target_value(&ev);
                                made.set(None);
                                navigate(&format!("/reviews/handover?rep={v}"), Default::default());
                            }>
                                <option value="">"—"</option>
                                {all.iter().map(|e| view! { <option value=e.node.id.clone()>{e.node.name.clone()}" · "{e.node.region.name.clone()}{(code(&e.node.status) != "ACTIVE").then(|| format!(" · {}", code(&e.node.status)))}</option> }).collect_view()}
                            </select>
                        </label>
                    </div>
                }
            })}
            {move || made.get().map(|n| view! { <p class="good" role="status">{move || tx("handoverDone").replace("{n}", &n.to_string())}</p> })}
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                Some(Ok(None)) => ().into_any(),
                Some(Ok(Some(d))) => {
                    let others: Vec<_> = reps.get().and_then(Result::ok).map(|r| r.reps.edges.into_iter()
                        .filter(|e| e.node.id != from.get_untracked() && code(&e.node.status) == "ACTIVE")
                        .map(|e| (e.node.id, format!("{} · {}", e.node.name, e.node.region.name))).collect()).unwrap_or_default();
                    view! {
                        {(!d.handover_list.is_empty()).then(|| view! {
                            <form class="card" on:submit=go>
                                <table class="list handover-list">
                                    <thead><tr><th>"✓"</th><th>{move || tx("customer")}</th><th class="num">{move || tx("contacts")}</th><th class="num">{move || tx("open")}</th>
                                        <th class="num">{move || tx("pipeline")}</th><th class="num">{move || tx("outstanding")}</th><th>{move || tx("lastVisit")}</th></tr></thead>
                                    <tbody>{d.handover_list.clone().into_iter().map(|c| {
                                        let id = c.customer_id.clone();
                                        let id2 = id.clone();
                                        view! { <tr>
                                            <td><input type="checkbox" name="customer" prop:checked=move || chosen.with(|s| s.contains(&id))
                                                on:change=move |ev| { let on = event_target_checked(&ev); let k = id2.clone(); chosen.update(|s| { if on { s.insert(k); } else { s.remove(&k); } }); }/></td>
                                            <td data-label=move || tx("customer")><A href=format!("/customers/{}", c.customer_id)>{c.name.clone()}</A>
                                                {c.last_note.clone().map(|n| view! { <small class="muted note">{n}</small> })}</td>
                                            <td class="num" data-label=move || tx("contacts")>{c.contacts}</td>
                                            <td class="num" data-label=move || tx("open")>{c.open_opportunities}</td>
                                            <td class="num" data-label=move || tx("pipeline")>{crate::format::money(&c.open_pipeline)}</td>
                                            <td class="num" data-label=move || tx("outstanding")>{crate::format::money(&c.outstanding)}</td>
                                            <td data-label=move || tx("lastVisit")>{c.last_visit_on.unwrap_or_else(|| "—".into())}</td>
                                        </tr> }
                                    }).collect_view()}</tbody>
                                </table>
                                <div class="inline-form">
                                    <label>{move || tx("to")}
                                        <select name="to" required prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev))>
                                            <option value="">"—"</option>
                                            {others.into_iter().map(|(v, n)| view! { <option value=v>{n}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <label>{move || tx("handedOn")}<input type="date" name="day" prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev))/></label>
                                    <input type="text" name="notes" placeholder=move || tx("notes") prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))/>
                                    <label class="check"><input type="checkbox" name="ride" prop:checked=move || ride.get() on:change=move |ev| ride.set(event_target_checked(&ev))/>{move || tx("rideAlong")}</label>
                                    <button class="btn primary" type="submit" disabled=move || busy.get()>{move || tx("handoverDo")}
                                        {move || { let n = chosen.with(|s| s.len()); if n == 0 { String::new() } else { format!(" ({n})") } }}</button>
                                </div>
                                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
                            </form>
                        })}
                        {(!d.handovers.is_empty()).then(|| view! {
                            <div class="card">
                                <h2>{move || tx("history")}</h2>
                                <table class="list">
                                    <thead><tr><th>{move || tx("handedOn")}</th><th>{move || tx("customer")}</th><th>{move || tx("from")}</th><th>{move || tx("to")}</th><th class="num">{move || tx("outstanding")}</th></tr></thead>
                                    <tbody>{d.handovers.into_iter().map(|h| view! { <tr>
                                        <td data-label=move || tx("handedOn")>{h.handed_on.clone()}</td>
                                        <td data-label=move || tx("customer")>{h.customer.map(|c| c.name).unwrap_or_default()}</td>
                                        <td data-label=move || tx("from")>{h.from_rep.map(|r| r.name).unwrap_or_default()}</td>
                                        <td data-label=move || tx("to")>{h.to_rep.map(|r| r.name).unwrap_or_default()}</td>
                                        <td class="num" data-label=move || tx("outstanding")>{crate::format::money(&h.outstanding)}</td>
                                    </tr> }).collect_view()}</tbody>
                                </table>
                            </div>
                        })}
                    }.into_any()
                }
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::TEXTS;

    #[test]
    fn texts_are_sorted_and_every_one_asked_for_exists() {
        for pair in TEXTS.windows(2) {
            if let [a, b] = pair {
                assert!(a.0 < b.0, "{} must come before {}", a.0, b.0);
            }
        }
        let src = include_str!("reviews.rs");
        let missing: Vec<&str> = src
            .split("tx(\"")
            .skip(1)
            .filter_map(|p| p.split_once('"').map(|(k, _)| k))
            .filter(|k| TEXTS.binary_search_by(|(t, _, _)| t.cmp(k)).is_err())
            .collect();
        assert!(missing.is_empty(), "texts missing: {missing:?}");
    }
}
