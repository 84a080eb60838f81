//! Coaching (辅导 / 陪访): the log, quick entry on a phone (kept on the device while
//! offline and sent once when the network returns), one session with the rep's answer and
//! its action items, a supervisor's coaching load and a rep's growth record.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use crate::api::{
    ApiError, CoachingForm, CoachingLoad, CoachingSession, CoachingSessions, GrowthRecord,
    LogCoachingSession, RespondToCoaching, UpdateActionItem, UpdateCoachingSession, body_of, call,
    coaching_form, coaching_load, coaching_session, coaching_sessions, growth_record,
    log_coaching_session, respond_to_coaching, update_action_item, update_coaching_session,
};
use crate::components::{ErrorBox, ListView, Loading, Paging, RegionSelect, connection};
use crate::i18n::{Lang, lang, pick, t};
use crate::outbox::{Pending, Sent, flush, outbox, send, update_outbox};
use crate::{PageTitle, Role, viewer_role};

/// The coaching pages behind one route (`/coaching/*`): the log, quick entry, the load,
/// a growth record and a session.
#[component]
pub fn Pages() -> impl IntoView {
    let location = use_location();
    let page = Memo::new(move |_| {
        let path = location.pathname.get();
        let rest: Vec<String> = path
            .trim_start_matches('/')
            .split('/')
            .skip(1)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        rest
    });
    move || {
        let rest = page.get();
        match rest
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [] => view! { <CoachingPage/> }.into_any(),
            ["new"] => view! { <NewSessionPage/> }.into_any(),
            ["load"] => view! { <LoadPage/> }.into_any(),
            ["growth", rep] => {
                let rep = (*rep).to_owned();
                view! { <GrowthPage rep=rep/> }.into_any()
            }
            [id] => {
                let id = (*id).to_owned();
                view! { <SessionPage id=id/> }.into_any()
            }
            _ => view! { <p class="muted">{move || t("notfound")}</p> }.into_any(),
        }
    }
}

/// A fresh idempotency key: time and randomness, 20 characters of `[0-9a-z-]`.
fn client_key() -> String {
    let now = js_sys::Date::now() as u64;
    let r = (js_sys::Math::random() * 1e12) as u64;
    format!("c{now:x}-{r:x}")
}

pub fn type_key(t: &coaching_sessions::CoachingType) -> &'static str {
    use coaching_sessions::CoachingType as T;
    match t {
        T::RIDE_ALONG => "co.RIDE_ALONG",
        T::ONE_ON_ONE => "co.ONE_ON_ONE",
        T::CALL_REVIEW => "co.CALL_REVIEW",
        T::ROLE_PLAY => "co.ROLE_PLAY",
        T::Other(_) => "co.other",
    }
}

fn may_log() -> bool {
    matches!(
        viewer_role(),
        Role::ADMIN | Role::DIRECTOR | Role::SUPERVISOR
    )
}

fn score_text(m: Option<f64>) -> String {
    m.map_or_else(|| "—".to_owned(), |m| format!("{m:.1}"))
}

/// The waiting entries, with what became of each: waiting for the network, or refused
/// (with the reason and a discard button).
#[component]
fn OutboxList() -> impl IntoView {
    let tick = crate::outbox_tick();
    // While entries wait and this page is open, try again every few seconds: the browser
    // says "online" a moment before requests get through.
    if let Ok(h) = set_interval_with_handle(
        || {
            let online = web_sys::window().is_some_and(|w| w.navigator().on_line());
            if online && outbox().iter().any(|p| p.error.is_none()) {
                leptos::task::spawn_local(flush());
            }
        },
        std::time::Duration::from_secs(4),
    ) {
        on_cleanup(move || h.clear());
    }
    view! {
        {move || {
            tick.track();
            let items = outbox();
            (!items.is_empty()).then(|| view! {
                <div class="card outbox" role="status">
                    <strong>{move || t("co.waiting")}</strong>
                    <ul>
                        {items.into_iter().map(|p| {
                            let key = p.key.clone();
                            let refused = p.error.clone();
                            let is_refused = refused.is_some();
                            view! {
                                <li class:refused=is_refused>
                                    <span>{p.rep.clone()}" · "{p.date}" · "</span>
                                    {match refused {
                                        None => view! { <span class="badge pending">{move || t("co.waitingOne")}</span> }.into_any(),
                                        Some(e) => view! {
                                            <span class="warn-text">{move || pick(&e)}</span>
                                            <button class="btn small-btn" on:click=move |_| {
                                                let k = key.clone();
                                                update_outbox(|items| items.retain(|i| i.key != k));
                                            }>{move || t("co.discard")}</button>
                                        }.into_any(),
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <button class="btn" on:click=move |_| leptos::task::spawn_local(flush())>{move || t("co.sendNow")}</button>
                </div>
            })
        }}
    }
}

#[component]
pub fn CoachingPage() -> impl IntoView {
    let query = use_query_map();
    let get = |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let paging = Paging::new(30);
    let rep = RwSignal::new(get("rep"));
    let region = RwSignal::new(get("region"));
    let kind = RwSignal::new(get("type"));
    let awaiting = RwSignal::new(get("awaiting"));
    let from = RwSignal::new(get("from"));
    let to = RwSignal::new(get("to"));
    crate::components::list_url_state(
        paging,
        vec![
            ("rep", rep),
            ("region", region),
            ("type", kind),
            ("awaiting", awaiting),
            ("from", from),
            ("to", to),
        ],
        String::new,
        |_| {},
    );
    let tick = crate::outbox_tick();
    let data = LocalResource::new(move || {
        tick.track();
        let some = |s: String| (!s.is_empty()).then_some(s);
        use coaching_sessions::CoachingType as T;
        let kind = match kind.get().as_str() {
            "RIDE_ALONG" => Some(T::RIDE_ALONG),
            "ONE_ON_ONE" => Some(T::ONE_ON_ONE),
            "CALL_REVIEW" => Some(T::CALL_REVIEW),
            "ROLE_PLAY" => Some(T::ROLE_PLAY),
            _ => None,
        };
        call::<CoachingSessions>(coaching_sessions::Variables {
            first: Some(paging.size),
            after: paging.after.get(),
            filter: Some(coaching_sessions::CoachingSessionFilter {
                rep_id: some(rep.get()),
                region_id: some(region.get()),
                supervisor_id: None,
                type_: kind,
                from: some(from.get()),
                to: some(to.get()),
                awaiting_rep: (awaiting.get() == "1").then_some(true),
            }),
        })
    });
    let is_rep = viewer_role() == Role::REP;
    let date_input = move |label: &'static str, value: RwSignal<String>| {
        view! {
            <label class="inline">{move || t(label)}
                <input type="date" prop:value=move || value.get() on:change=move |ev| { value.set(event_target_value(&ev)); paging.reset(); }/>
            </label>
        }
    };
    view! {
        <section class="page coaching">
            <div class="page-head">
                <h1>{move || t("nav.coaching")}</h1>
                <span class="spacer"></span>
                {(!is_rep).then(|| view! { <A href="/coaching/load" attr:class="btn">{move || t("co.load")}</A> })}
                {may_log().then(|| view! { <A href="/coaching/new" attr:class="btn primary new-session">{move || t("co.new")}</A> })}
            </div>
            <OutboxList/>
            <div class="toolbar">
                {(!is_rep).then(|| view! { <RegionSelect value=region paging=paging/> })}
                <select class="filter" name="type" aria-label=move || t("co.type")
                    prop:value=move || kind.get()
                    on:change=move |ev| { kind.set(event_target_value(&ev)); paging.reset(); }>
                    <option value="">{move || t("co.allTypes")}</option>
                    {["RIDE_ALONG", "ONE_ON_ONE", "CALL_REVIEW", "ROLE_PLAY"].into_iter().map(|k| {
                        let label = match k { "RIDE_ALONG" => "co.RIDE_ALONG", "ONE_ON_ONE" => "co.ONE_ON_ONE", "CALL_REVIEW" => "co.CALL_REVIEW", _ => "co.ROLE_PLAY" };
                        view! { <option value=k selected=move || kind.get() == k>{move || t(label)}</option> }
                    }).collect_view()}
                </select>
                {date_input("orders.from", from)}
                {date_input("orders.to", to)}
                <label class="check"><input type="checkbox" name="awaiting" prop:checked=move || awaiting.get() == "1" on:change=move |ev| { awaiting.set(if event_target_checked(&ev) { "1".into() } else { String::new() }); paging.reset(); }/>{move || t("co.awaiting")}</label>
            </div>
            <crate::components::DrillChips rep=rep from=from to=to paging=paging/>
            <ListView data=data paging=paging page=|d: coaching_sessions::ResponseData| connection!(d.coaching_sessions)
                class="sessions"
                head=move || view! {
                    <th>{move || t("col.date")}</th>
                    <th>{move || t("co.type")}</th>
                    <th>{move || t("col.rep")}</th>
                    <th>{move || t("co.coach")}</th>
                    <th class="num">{move || t("co.mean")}</th>
                    <th>{move || t("co.nextStep")}</th>
                    <th>{move || t("co.actions")}</th>
                }
                row=Callback::new(|n: coaching_sessions::CoachingSessionsCoachingSessionsEdgesNode| {
                    let href = format!("/coaching/{}", n.id);
                    let growth = format!("/coaching/growth/{}", n.rep.id);
                    let open = n.action_items.iter().filter(|a| matches!(a.status, coaching_sessions::ActionItemStatus::OPEN)).count();
                    let overdue = n.action_items.iter().filter(|a| a.overdue).count();
                    let confirmed = n.rep_confirmed_at.is_some();
                    let has_next = n.next_step.is_some();
                    let kind = type_key(&n.type_);
                    view! { <tr>
                        <td data-label=move || t("col.date")><A href=href>{n.date.clone()}</A></td>
                        <td data-label=move || t("co.type")>{move || t(kind)}</td>
                        <td data-label=move || t("col.rep")><A href=growth>{n.rep.name.clone()}</A><small class="muted">" · "{n.rep.region.name.clone()}</small></td>
                        <td data-label=move || t("co.coach")>{n.supervisor.name.clone()}</td>
                        <td class="num" data-label=move || t("co.mean")>{score_text(n.mean_score)}</td>
                        <td data-label=move || t("co.nextStep")>
                            {n.next_step.clone().unwrap_or_default()}
                            {has_next.then(|| if confirmed {
                                view! { <span class="badge active">{move || t("co.confirmed")}</span> }.into_any()
                            } else {
                                view! { <span class="badge pending">{move || t("co.unconfirmed")}</span> }.into_any()
                            })}
                        </td>
                        <td data-label=move || t("co.actions")>
                            {(open > 0).then(|| view! { <span>{open}" "{move || t("co.open")}</span> })}
                            {(overdue > 0).then(|| view! { <span class="badge left">{overdue}" "{move || t("co.overdue")}</span> })}
                        </td>
                    </tr> }.into_any()
                })
                empty=move || view! {
                    <div class="state empty"><div class="empty-icon">"∅"</div><strong>{move || t("co.none")}</strong>
                    <p>{move || t("co.noneHint")}</p></div>
                }.into_any()/>
        </section>
    }
}

/// Quick entry: one screen, at most five inputs a supervisor must touch (rep, type, day
/// pre-filled, scores, next step); the rest folds away under "more".
#[component]
pub fn NewSessionPage() -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let form = LocalResource::new(|| call::<CoachingForm>(coaching_form::Variables {}));
    let rep = RwSignal::new(query.read_untracked().get("rep").unwrap_or_default());
    let kind = RwSignal::new("RIDE_ALONG".to_owned());
    let date = RwSignal::new(crate::format::today());
    let scores: RwSignal<Vec<(String, i64)>> = RwSignal::new(Vec::new());
    let next_step = RwSignal::new(String::new());
    let observation = RwSignal::new(String::new());
    let feedback = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let action_due = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let kept = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if rep.get_untracked().is_empty() {
            error.set(Some(ApiError {
                code: "BAD_USER_INPUT".into(),
                message: t("co.pickRep").to_owned(),
            }));
            return;
        }
        let rep_name = form
            .get_untracked()
            .and_then(Result::ok)
            .and_then(|d| {
                d.reps
                    .edges
                    .into_iter()
                    .find(|e| e.node.id == rep.get_untracked())
                    .map(|e| e.node.name)
            })
            .unwrap_or_default();
        let some = |s: String| {
            let s = s.trim().to_owned();
            (!s.is_empty()).then_some(s)
        };
        use log_coaching_session::CoachingType as T;
        let kind = match kind.get_untracked().as_str() {
            "ONE_ON_ONE" => T::ONE_ON_ONE,
            "CALL_REVIEW" => T::CALL_REVIEW,
            "ROLE_PLAY" => T::ROLE_PLAY,
            _ => T::RIDE_ALONG,
        };
        let key = client_key();
        let action_items = some(action.get_untracked())
            .map(|title| log_coaching_session::ActionItemInput {
                title,
                owner_id: None,
                due_on: some(action_due.get_untracked()),
            })
            .into_iter()
            .collect();
        let body = body_of::<LogCoachingSession>(log_coaching_session::Variables {
            input: log_coaching_session::LogCoachingSessionInput {
                rep_id: rep.get_untracked(),
                type_: kind,
                date: date.get_untracked(),
                customer_id: None,
                activity_id: None,
                observation: some(observation.get_untracked()),
                feedback: some(feedback.get_untracked()),
                next_step: some(next_step.get_untracked()),
                links: Vec::new(),
                scores: scores
                    .get_untracked()
                    .into_iter()
                    .map(|(key, score)| log_coaching_session::DimensionScoreInput { key, score })
                    .collect(),
                action_items,
                client_key: Some(key.clone()),
            },
        });
        let pending = Pending {
            key,
            body,
            rep: rep_name,
            date: date.get_untracked(),
            error: None,
        };
        // Kept on the device first: a lost connection loses nothing.
        update_outbox(|items| items.push(pending.clone()));
        busy.set(true);
        error.set(None);
        kept.set(false);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match send(&pending).await {
                Sent::Stored(id) => navigate(&format!("/coaching/{id}"), Default::default()),
                Sent::Offline => {
                    kept.set(true);
                    scores.set(Vec::new());
                    next_step.set(String::new());
                    observation.set(String::new());
                    feedback.set(String::new());
                    action.set(String::new());
                }
                Sent::Refused(e) => {
                    // The form still holds the entry: fix it and save again.
                    update_outbox(|items| items.retain(|i| i.key != pending.key));
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page coaching-new">
            <h1>{move || t("co.new")}</h1>
            <OutboxList/>
            {move || kept.get().then(|| view! { <p class="notice" role="status">{move || t("co.kept")}</p> })}
            {move || match form.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| form.refetch())/> }.into_any(),
                Some(Ok(d)) => {
                    let dims = d.coaching_dimensions.clone();
                    let reps = d.reps.edges;
                    view! {
                        <form class="form quick" on:submit=submit.clone()>
                            <label>{move || t("col.rep")}
                                <select name="rep" required=true prop:value=move || rep.get() on:change=move |ev| rep.set(event_target_value(&ev))>
                                    <option value="">{move || t("co.pickRep")}</option>
                                    {reps.into_iter().map(|e| {
                                        let id = e.node.id.clone();
                                        let selected = rep.get_untracked() == id;
                                        view! { <option value=id selected=selected>{e.node.name}" · "{e.node.region.name}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                            <div class="seg" role="radiogroup" aria-label=move || t("co.type")>
                                {["RIDE_ALONG", "ONE_ON_ONE", "CALL_REVIEW", "ROLE_PLAY"].into_iter().map(|k| {
                                    let label = match k { "RIDE_ALONG" => "co.RIDE_ALONG", "ONE_ON_ONE" => "co.ONE_ON_ONE", "CALL_REVIEW" => "co.CALL_REVIEW", _ => "co.ROLE_PLAY" };
                                    view! { <button type="button" class="btn" data-type=k class:on=move || kind.get() == k
                                        aria-pressed=move || (kind.get() == k).to_string()
                                        on:click=move |_| kind.set(k.to_owned())>{move || t(label)}</button> }
                                }).collect_view()}
                            </div>
                            <label>{move || t("col.date")}
                                <input type="date" name="date" required=true prop:value=move || date.get() on:change=move |ev| date.set(event_target_value(&ev))/>
                            </label>
                            <fieldset class="scores">
                                <legend>{move || t("co.scores")}</legend>
                                {dims.into_iter().map(|d| {
                                    let key = d.key.clone();
                                    let name = (d.name_zh.clone(), d.name_en);
                                    view! {
                                        <div class="score-row" data-key=key.clone()>
                                            <span>{move || if lang().get() == Lang::En { name.1.clone() } else { name.0.clone() }}</span>
                                            <span class="dots">
                                                {(1..=5).map(|n| {
                                                    let k1 = key.clone();
                                                    let k2 = key.clone();
                                                    view! { <button type="button" class="dot" aria-label=n.to_string()
                                                        class:on=move || scores.with(|s| s.iter().any(|(k, v)| *k == k1 && *v >= n))
                                                        on:click=move |_| scores.update(|s| {
                                                            s.retain(|(k, _)| *k != k2);
                                                            s.push((k2.clone(), n));
                                                        })>{n}</button> }
                                                }).collect_view()}
                                            </span>
                                        </div>
                                    }
                                }).collect_view()}
                            </fieldset>
                            <label>{move || t("co.nextStep")}
                                <textarea name="nextStep" rows="2" prop:value=move || next_step.get() on:input=move |ev| next_step.set(event_target_value(&ev))></textarea>
                            </label>
                            <details>
                                <summary>{move || t("co.more")}</summary>
                                <label>{move || t("co.observation")}
                                    <textarea name="observation" rows="2" prop:value=move || observation.get() on:input=move |ev| observation.set(event_target_value(&ev))></textarea>
                                </label>
                                <label>{move || t("co.feedback")}
                                    <textarea name="feedback" rows="2" prop:value=move || feedback.get() on:input=move |ev| feedback.set(event_target_value(&ev))></textarea>
                                </label>
                                <label>{move || t("co.actionItem")}
                                    <input name="action" prop:value=move || action.get() on:input=move |ev| action.set(event_target_value(&ev))/>
                                </label>
                                <label>{move || t("co.due")}
                                    <input type="date" name="actionDue" prop:value=move || action_due.get() on:change=move |ev| action_due.set(event_target_value(&ev))/>
                                </label>
                            </details>
                            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
                            <div class="actions">
                                <button class="btn primary" type="submit" disabled=move || busy.get()>
                                    {move || if busy.get() { t("saving") } else { t("save") }}
                                </button>
                                <A href="/coaching" attr:class="btn">{move || t("cancel")}</A>
                            </div>
                        </form>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
pub fn SessionPage(id: String) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        reload.track();
        call::<CoachingSession>(coaching_session::Variables { id: id.clone() })
    });
    let title = expect_context::<PageTitle>().0;
    on_cleanup(move || title.set(None));
    let comment = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let editing = RwSignal::new(false);
    let observation = RwSignal::new(String::new());
    let feedback = RwSignal::new(String::new());
    let next_step = RwSignal::new(String::new());
    view! {
        <section class="page session">
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) => {
                    use coaching_session::CoachingSessionNode as N;
                    let me = d.me.id.clone();
                    let N::CoachingSession(s) = d.node else {
                        return view! { <p class="muted">{move || t("notfound")}</p> }.into_any();
                    };
                    let kind = match s.type_ {
                        coaching_session::CoachingType::RIDE_ALONG => "co.RIDE_ALONG",
                        coaching_session::CoachingType::ONE_ON_ONE => "co.ONE_ON_ONE",
                        coaching_session::CoachingType::CALL_REVIEW => "co.CALL_REVIEW",
                        coaching_session::CoachingType::ROLE_PLAY => "co.ROLE_PLAY",
                        coaching_session::CoachingType::Other(_) => "co.other",
                    };
                    title.set(Some(format!("{} · {}", s.rep.name, s.date)));
                    let is_rep = s.rep.user.as_ref().is_some_and(|u| u.id == me);
                    let awaiting = is_rep && s.next_step.is_some() && s.rep_confirmed_at.is_none();
                    let sid = s.id.clone();
                    let confirm = move |with_confirm: bool| {
                        let sid = sid.clone();
                        let c = comment.get_untracked();
                        crate::components::submit(busy, error, async move {
                            call::<RespondToCoaching>(respond_to_coaching::Variables {
                                input: respond_to_coaching::RespondToCoachingInput {
                                    id: sid,
                                    confirm: with_confirm,
                                    comment: (!c.trim().is_empty()).then_some(c),
                                },
                            }).await
                        }, Callback::new(move |_| { comment.set(String::new()); reload.update(|n| *n += 1); }));
                    };
                    let confirm2 = confirm.clone();
                    let growth = format!("/coaching/growth/{}", s.rep.id);
                    // The author (or a director) fills in later what quick entry left out.
                    let may_edit = s.supervisor.id == me || viewer_role().company_wide();
                    let (eid, version) = (s.id.clone(), s.version);
                    let texts = (
                        s.observation.clone().unwrap_or_default(),
                        s.feedback.clone().unwrap_or_default(),
                        s.next_step.clone().unwrap_or_default(),
                    );
                    let open_edit = move |_| {
                        observation.set(texts.0.clone());
                        feedback.set(texts.1.clone());
                        next_step.set(texts.2.clone());
                        error.set(None);
                        editing.set(true);
                    };
                    let save = move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        let input = update_coaching_session::UpdateCoachingSessionInput {
                            id: eid.clone(),
                            version,
                            type_: None,
                            date: None,
                            customer_id: None,
                            observation: Some(observation.get_untracked()),
                            feedback: Some(feedback.get_untracked()),
                            next_step: Some(next_step.get_untracked()),
                            links: None,
                            scores: None,
                        };
                        crate::components::submit(busy, error, async move {
                            call::<UpdateCoachingSession>(update_coaching_session::Variables { input }).await
                        }, Callback::new(move |_| { editing.set(false); reload.update(|n| *n += 1); }));
                    };
                    view! {
                        <div class="page-head">
                            <h1>{s.rep.name.clone()}<small class="muted">" · "{s.date.clone()}" · "{move || t(kind)}</small></h1>
                            <span class="spacer"></span>
                            {may_edit.then(|| view! { <button class="btn edit" on:click=open_edit>{move || t("co.edit")}</button> })}
                            <A href=growth attr:class="btn">{move || t("co.growth")}</A>
                        </div>
                        {move || editing.get().then(|| view! {
                            <form class="form card edit-session" on:submit=save.clone()>
                                <label>{move || t("co.observation")}
                                    <textarea name="observation" rows="3" prop:value=move || observation.get() on:input=move |ev| observation.set(event_target_value(&ev))></textarea>
                                </label>
                                <label>{move || t("co.feedback")}
                                    <textarea name="feedback" rows="3" prop:value=move || feedback.get() on:input=move |ev| feedback.set(event_target_value(&ev))></textarea>
                                </label>
                                <label>{move || t("co.nextStep")}
                                    <textarea name="nextStep" rows="2" prop:value=move || next_step.get() on:input=move |ev| next_step.set(event_target_value(&ev))></textarea>
                                </label>
                                <crate::components::FormActions busy=busy error=error cancel=Callback::new(move |_| editing.set(false))/>
                            </form>
                        })}
                        <p class="muted">{move || t("co.coach")}": "{s.supervisor.name.clone()}
                            {s.customer.clone().map(|c| view! { " · "{move || t("col.customer")}": "<A href=format!("/customers/{}", c.id)>{c.name}</A> })}
                        </p>
                        <div class="grid2 ofc">
                            <div class="card"><h2>{move || t("co.observation")}</h2><p>{s.observation.clone().unwrap_or_else(|| "—".into())}</p></div>
                            <div class="card"><h2>{move || t("co.feedback")}</h2><p>{s.feedback.clone().unwrap_or_else(|| "—".into())}</p></div>
                            <div class="card next-step"><h2>{move || t("co.nextStep")}</h2>
                                <p>{s.next_step.clone().unwrap_or_else(|| "—".into())}</p>
                                {s.rep_confirmed_at.clone().map(|at| view! { <p class="good confirmed">"✓ "{move || t("co.confirmedAt")}" "{crate::components::local_time(&at)}</p> })}
                                {s.rep_comment.clone().map(|c| view! { <p class="muted">{move || t("co.repComment")}": "{c}</p> })}
                            </div>
                        </div>
                        {is_rep.then(|| view! {
                            <div class="card respond">
                                <label>{move || t("co.comment")}
                                    <textarea name="comment" rows="2" prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                                </label>
                                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}</p> })}
                                <div class="actions">
                                    {awaiting.then(|| { let c = confirm.clone(); view! { <button class="btn primary confirm" disabled=move || busy.get() on:click=move |_| c(true)>{move || t("co.confirm")}</button> } })}
                                    <button class="btn" disabled=move || busy.get() on:click=move |_| confirm2(false)>{move || t("co.sendComment")}</button>
                                </div>
                            </div>
                        })}
                        <h2>{move || t("co.scores")}<small class="muted">" · "{move || t("co.mean")}" "{score_text(s.mean_score)}</small></h2>
                        {if s.scores.is_empty() {
                            view! { <p class="muted">{move || t("co.noScores")}</p> }.into_any()
                        } else {
                            view! { <ul class="score-bars">{s.scores.into_iter().map(|sc| {
                                let name = (sc.name_zh, sc.name_en);
                                let width = format!("width:{}%", sc.score * 20);
                                view! { <li><span>{move || if lang().get() == Lang::En { name.1.clone() } else { name.0.clone() }}</span>
                                    <span class="bar-track"><span class=format!("fill s{}", sc.score) style=width></span></span>
                                    <b>{sc.score}" / 5"</b></li> }
                            }).collect_view()}</ul> }.into_any()
                        }}
                        {(!s.links.is_empty()).then(|| view! {
                            <h2>{move || t("co.links")}</h2>
                            <ul>{s.links.into_iter().map(|l| view! { <li><a href=l target="_blank" rel="noopener noreferrer">{l.clone()}</a></li> }).collect_view()}</ul>
                        })}
                        <h2>{move || t("co.actions")}</h2>
                        <ActionList items=s.action_items.into_iter().map(|a| ActionRow {
                            id: a.id, title: a.title, status_open: matches!(a.status, coaching_session::ActionItemStatus::OPEN),
                            done: matches!(a.status, coaching_session::ActionItemStatus::DONE),
                            overdue: a.overdue, due_on: a.due_on, version: a.version, owner: a.owner.map(|o| o.name),
                        }).collect() reload=reload/>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[derive(Clone)]
pub struct ActionRow {
    id: String,
    title: String,
    status_open: bool,
    done: bool,
    overdue: bool,
    due_on: Option<String>,
    version: i64,
    owner: Option<String>,
}

/// Action items with a tick to mark one done (or open again); the server decides who may.
#[component]
fn ActionList(items: Vec<ActionRow>, reload: RwSignal<u32>) -> impl IntoView {
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    if items.is_empty() {
        return view! { <p class="muted">{move || t("co.noActions")}</p> }.into_any();
    }
    view! {
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}</p> })}
        <ul class="action-items">
            {items.into_iter().map(|a| {
                let id = a.id.clone();
                let version = a.version;
                let open = a.status_open;
                view! {
                    <li class:overdue=a.overdue class:done=a.done>
                        <label class="check">
                            <input type="checkbox" prop:checked=a.done disabled=!(open || a.done) on:change=move |ev| {
                                use update_action_item::ActionItemStatus as S;
                                let status = if event_target_checked(&ev) { S::DONE } else { S::OPEN };
                                let id = id.clone();
                                leptos::task::spawn_local(async move {
                                    match call::<UpdateActionItem>(update_action_item::Variables {
                                        input: update_action_item::UpdateActionItemInput { id, version, status: Some(status), title: None, due_on: None },
                                    }).await {
                                        Ok(_) => { error.set(None); reload.update(|n| *n += 1); }
                                        Err(e) => { error.set(Some(e)); reload.update(|n| *n += 1); }
                                    }
                                });
                            }/>
                            <span>{a.title.clone()}</span>
                        </label>
                        <small class="muted">
                            {a.owner.clone().unwrap_or_default()}
                            {a.due_on.clone().map(|d| view! { " · "{move || t("co.due")}" "{d}})}
                        </small>
                        {a.overdue.then(|| view! { <span class="badge left">{move || t("co.overdue")}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }.into_any()
}

/// Coaching load: per rep, sessions this month and last, the last one, open and overdue
/// action items; who has not been coached for 30 days comes first.
#[component]
pub fn LoadPage() -> impl IntoView {
    let query = use_query_map();
    let paging = Paging::new(100);
    let region = RwSignal::new(query.read_untracked().get("region").unwrap_or_default());
    crate::components::list_url_state(paging, vec![("region", region)], String::new, |_| {});
    let data = LocalResource::new(move || {
        let r = region.get();
        call::<CoachingLoad>(coaching_load::Variables {
            region_id: (!r.is_empty()).then_some(r),
        })
    });
    view! {
        <section class="page coaching-load">
            <div class="page-head">
                <h1>{move || t("co.load")}</h1>
                <span class="spacer"></span>
                <A href="/coaching" attr:class="btn">{move || t("nav.coaching")}</A>
            </div>
            <div class="toolbar"><RegionSelect value=region paging=paging/></div>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) if d.coaching_load.is_empty() => view! { <crate::components::Empty/> }.into_any(),
                Some(Ok(d)) => {
                    let flagged = d.coaching_load.iter().filter(|r| r.not_coached).count();
                    let rows = d.coaching_load.len();
                    view! {
                        <p class="muted load-summary">{flagged}" / "{rows}" "{move || t("co.notCoachedSummary")}</p>
                        <table class="list load">
                            <thead><tr>
                                <th>{move || t("col.rep")}</th>
                                <th class="num">{move || t("co.thisMonth")}</th>
                                <th class="num">{move || t("co.lastMonth")}</th>
                                <th>{move || t("co.lastSession")}</th>
                                <th class="num">{move || t("co.openItems")}</th>
                                <th></th>
                            </tr></thead>
                            <tbody>{d.coaching_load.into_iter().map(|r| {
                                let (rep_id, name, region) = r.rep.map(|p| (p.id, p.name, p.region.name)).unwrap_or_default();
                                let log = format!("/coaching/new?rep={rep_id}");
                                let growth = format!("/coaching/growth/{rep_id}");
                                let last = r.last_session_on.clone();
                                let days = r.days_since_last_session;
                                view! { <tr class:flagged=r.not_coached>
                                    <td data-label=move || t("col.rep")><A href=growth>{name}</A><small class="muted">" · "{region}</small>
                                        {r.not_coached.then(|| view! { <span class="badge left">{move || t("co.notCoached")}</span> })}</td>
                                    <td class="num" data-label=move || t("co.thisMonth")>{r.sessions_this_month}</td>
                                    <td class="num" data-label=move || t("co.lastMonth")>{r.sessions_last_month}</td>
                                    <td data-label=move || t("co.lastSession")>{match (last, days) {
                                        (Some(d), Some(0)) => view! { {d}<small class="muted">" ("{move || t("co.today")}")"</small> }.into_any(),
                                        (Some(d), Some(n)) => view! { {d}<small class="muted">" ("{n}" "{move || t("co.daysAgo")}")"</small> }.into_any(),
                                        _ => view! { <span class="muted">{move || t("co.never")}</span> }.into_any(),
                                    }}</td>
                                    <td class="num" data-label=move || t("co.openItems")>{r.open_action_items}
                                        {(r.overdue_action_items > 0).then(|| view! { <small class="warn-text">" ("{r.overdue_action_items}" "{move || t("co.overdue")}")"</small> })}</td>
                                    <td>{may_log().then(|| view! { <A href=log attr:class="btn small-btn">{move || t("co.log")}</A> })}</td>
                                </tr> }
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// One dimension's scores over time as a line (1–5 on the left), each point labelled with
/// its score so it reads without hovering, and the latest called out.
#[component]
fn ScoreLine(points: Vec<(String, i64)>) -> impl IntoView {
    let (w, h, left, top, bottom) = (320.0_f64, 128.0_f64, 22.0_f64, 22.0_f64, 20.0_f64);
    let n = points.len().max(1);
    let x = move |i: usize| {
        if n == 1 {
            left + (w - left - 10.0) / 2.0
        } else {
            left + (w - left - 10.0) * i as f64 / (n - 1) as f64
        }
    };
    let y = move |s: i64| top + (h - top - bottom) * (5.0 - s as f64) / 4.0;
    let line: String = points
        .iter()
        .enumerate()
        .map(|(i, (_, s))| format!("{:.1},{:.1}", x(i), y(*s)))
        .collect::<Vec<_>>()
        .join(" ");
    let first = points.first().map(|p| p.0.clone()).unwrap_or_default();
    let last = points.last().map(|p| p.0.clone()).unwrap_or_default();
    view! {
        <svg class="chart score-line" viewBox=format!("0 0 {w} {h}") role="img">
            {[1, 3, 5].into_iter().map(|s| view! {
                <line class="grid" x1=left y1=y(s) x2=w - 6.0 y2=y(s)></line>
                <text class="axis" x="2" y=y(s) + 4.0>{s}</text>
            }).collect_view()}
            <polyline class="line" points=line fill="none"></polyline>
            {points.iter().enumerate().map(|(i, (d, s))| view! {
                <circle class="pt" cx=x(i) cy=y(*s) r="4"><title>{format!("{d}: {s}")}</title></circle>
                <text class="value" x=x(i) y=y(*s) - 7.0 text-anchor="middle">{*s}</text>
            }).collect_view()}
            <text class="axis" x=left y=h - 4.0>{first}</text>
            <text class="axis" x=w - 6.0 y=h - 4.0 text-anchor="end">{last}</text>
        </svg>
    }
}

/// A rep's growth record (成长档案): each dimension's scores over time, milestones, what is
/// still open.
#[component]
pub fn GrowthPage(rep: String) -> impl IntoView {
    let data = LocalResource::new(move || {
        call::<GrowthRecord>(growth_record::Variables {
            rep_id: rep.clone(),
        })
    });
    let title = expect_context::<PageTitle>().0;
    on_cleanup(move || title.set(None));
    view! {
        <section class="page growth">
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) => {
                    let g = d.growth_record;
                    let (rep_id, name, region) = g.rep.map(|r| (r.id, r.name, r.region.name)).unwrap_or_default();
                    title.set(Some(name.clone()));
                    let list = format!("/coaching?rep={rep_id}");
                    let log = format!("/coaching/new?rep={rep_id}");
                    view! {
                        <div class="page-head">
                            <h1>{name}<small class="muted">" · "{region}" · "{move || t("co.growth")}</small></h1>
                            <span class="spacer"></span>
                            <A href=list attr:class="btn">{move || t("co.sessions")}" ("{g.sessions}")"</A>
                            {may_log().then(|| view! { <A href=log attr:class="btn primary">{move || t("co.log")}</A> })}
                        </div>
                        {if g.dimensions.is_empty() {
                            view! { <div class="state empty"><strong>{move || t("co.noScores")}</strong></div> }.into_any()
                        } else {
                            view! { <div class="dim-grid">{g.dimensions.into_iter().map(|dim| {
                                let name = (dim.name_zh, dim.name_en);
                                let pts: Vec<(String, i64)> = dim.points.into_iter().map(|p| (p.date.chars().skip(2).collect(), p.score)).collect();
                                let trend = dim.trend;
                                let arrow = match trend { Some(t) if t > 0.25 => ("up", "↑"), Some(t) if t < -0.25 => ("down", "↓"), Some(_) => ("flat", "→"), None => ("flat", "") };
                                view! {
                                    <div class="card dim" data-key=dim.key>
                                        <div class="dim-head">
                                            <strong>{move || if lang().get() == Lang::En { name.1.clone() } else { name.0.clone() }}</strong>
                                            <span class=format!("trend {}", arrow.0)>{arrow.1}" "{trend.map(|t| format!("{t:+.1}")).unwrap_or_default()}</span>
                                            <span class="muted">{move || t("co.mean")}" "{score_text(dim.mean)}</span>
                                        </div>
                                        <ScoreLine points=pts/>
                                    </div>
                                }
                            }).collect_view()}</div> }.into_any()
                        }}
                        <div class="grid2">
                            <div class="card">
                                <h2>{move || t("co.milestones")}</h2>
                                {if g.milestones.is_empty() {
                                    view! { <p class="muted">{move || t("co.noMilestones")}</p> }.into_any()
                                } else {
                                    view! { <ul class="timeline">{g.milestones.into_iter().map(|m| {
                                        use growth_record::MilestoneKind as K;
                                        let key = match m.kind { K::FIRST_ORDER => "co.ms.FIRST_ORDER", K::BIG_ORDER => "co.ms.BIG_ORDER", K::FIRST_SESSION => "co.ms.FIRST_SESSION", K::FIRST_RIDE_ALONG => "co.ms.FIRST_RIDE_ALONG", K::Other(_) => "co.other" };
                                        view! { <li><b>{m.date}</b>" "{move || t(key)}</li> }
                                    }).collect_view()}</ul> }.into_any()
                                }}
                            </div>
                            <div class="card">
                                <h2>{move || t("co.openItems")}</h2>
                                {if g.open_action_items.is_empty() {
                                    view! { <p class="muted">{move || t("co.noActions")}</p> }.into_any()
                                } else {
                                    view! { <ul class="action-items">{g.open_action_items.into_iter().map(|a| view! {
                                        <li class:overdue=a.overdue><span>{a.title}</span>
                                            <small class="muted">{a.owner.map(|o| o.name).unwrap_or_default()}{a.due_on.map(|d| format!(" · {d}"))}</small>
                                            {a.overdue.then(|| view! { <span class="badge left">{move || t("co.overdue")}</span> })}</li>
                                    }).collect_view()}</ul> }.into_any()
                                }}
                            </div>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
