//! The alert inbox (预警): what the rules raised, by status, with acknowledge / resolve /
//! reopen, a note, and a link to the records behind each alert.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::{
    AcknowledgeAlert, AlertDigest, Alerts, ApiError, ReopenAlert, ResolveAlert, acknowledge_alert,
    alert_digest, alerts, call, reopen_alert, resolve_alert,
};
use crate::components::{Empty, ErrorBox, Loading, Pager, Paging, RegionSelect};
use crate::format::money;
use crate::i18n::{Lang, lang, pick, t};
use crate::transfer::ExportButtons;
use crate::{Role, viewer_role};

use alerts::{AlertRule as R, AlertStatus as S};

type Node = alerts::AlertsAlertsEdgesNode;

fn rule_key(r: &R) -> &'static str {
    match r {
        R::TARGET_SHORTFALL => "alert.TARGET_SHORTFALL",
        R::CHURN_RISK => "alert.CHURN_RISK",
        R::LOW_SATISFACTION => "alert.LOW_SATISFACTION",
        R::OVERDUE_PAYMENT => "alert.OVERDUE_PAYMENT",
        R::OVERDUE_ACTIONS => "alert.OVERDUE_ACTIONS",
        R::EVALUATIONS_DUE => "alert.EVALUATIONS_DUE",
        R::EVALUATION_INPUT_DUE => "alert.EVALUATION_INPUT_DUE",
        R::Other(_) => "none",
    }
}

fn rule_class(r: &R) -> &'static str {
    match r {
        R::TARGET_SHORTFALL => "rule shortfall",
        R::CHURN_RISK => "rule churn",
        R::LOW_SATISFACTION => "rule satisfaction",
        R::OVERDUE_PAYMENT => "rule overdue",
        R::OVERDUE_ACTIONS | R::EVALUATIONS_DUE | R::EVALUATION_INPUT_DUE => "rule actions",
        R::Other(_) => "rule",
    }
}

fn status_key(s: &S) -> &'static str {
    match s {
        S::OPEN => "alert.OPEN",
        S::ACKNOWLEDGED => "alert.ACKNOWLEDGED",
        S::RESOLVED => "alert.RESOLVED",
        S::Other(_) => "none",
    }
}

/// What happened, in a sentence, from the alert's facts.
fn message(n: &Node, en: bool) -> String {
    let m = |v: &Option<String>| v.as_deref().map(money).unwrap_or_default();
    match (&n.rule, en) {
        (R::TARGET_SHORTFALL, false) => format!(
            "{} 周销售额 {}，低于周目标 {} 的预警线{}",
            n.week.clone().unwrap_or_default(),
            m(&n.observed),
            m(&n.expected),
            n.items
                .filter(|w| *w > 1)
                .map(|w| format!("（已累计 {w} 周）"))
                .unwrap_or_default()
        ),
        (R::TARGET_SHORTFALL, true) => format!(
            "Sales in {} were {}, short of the weekly target pace {}{}",
            n.week.clone().unwrap_or_default(),
            m(&n.observed),
            m(&n.expected),
            n.items
                .filter(|w| *w > 1)
                .map(|w| format!(" ({w} weeks short so far)"))
                .unwrap_or_default()
        ),
        (R::CHURN_RISK, false) => format!(
            "最近一次下单 {}，已超过 90 天未下单（近一年 {}）",
            n.subject_on,
            m(&n.observed)
        ),
        (R::CHURN_RISK, true) => format!(
            "Last order on {}; none for over 90 days ({} in the past year)",
            n.subject_on,
            m(&n.observed)
        ),
        (R::LOW_SATISFACTION, false) => format!(
            "{} 满意度评分 {} 分",
            n.subject_on,
            n.score.unwrap_or_default()
        ),
        (R::LOW_SATISFACTION, true) => format!(
            "Survey score {} on {}",
            n.score.unwrap_or_default(),
            n.subject_on
        ),
        // One alert per customer: how many receivables, since when, what is still owed.
        (R::OVERDUE_PAYMENT, false) => format!(
            "{} 笔应收逾期（最早 {} 到期，共 {}），尚欠 {}",
            n.items.unwrap_or(1),
            n.subject_on,
            m(&n.expected),
            m(&n.observed)
        ),
        (R::OVERDUE_PAYMENT, true) => format!(
            "{} receivable(s) overdue (the first due on {}, {} in all); {} still unpaid",
            n.items.unwrap_or(1),
            n.subject_on,
            m(&n.expected),
            m(&n.observed)
        ),
        // One alert per rep: how many coaching action items are past their day.
        (R::OVERDUE_ACTIONS, false) => format!(
            "{} 项辅导行动项逾期（最早 {} 到期）",
            n.items.unwrap_or(1),
            n.subject_on
        ),
        (R::OVERDUE_ACTIONS, true) => format!(
            "{} coaching action item(s) overdue (the first due on {})",
            n.items.unwrap_or(1),
            n.subject_on
        ),
        (R::EVALUATIONS_DUE, false) => format!(
            "{} 份评估待完成（最早 {} 到期）",
            n.items.unwrap_or(1),
            n.subject_on
        ),
        (R::EVALUATIONS_DUE, true) => format!(
            "{} evaluation(s) to finish (the first due on {})",
            n.items.unwrap_or(1),
            n.subject_on
        ),
        (R::EVALUATION_INPUT_DUE, false) => format!(
            "{} 份 360° 评价邀请超过 3 个工作日未答复（评估最早 {} 到期）",
            n.items.unwrap_or(1),
            n.subject_on
        ),
        (R::EVALUATION_INPUT_DUE, true) => format!(
            "{} 360° invitation(s) unanswered for 3 working days (the first evaluation due on {})",
            n.items.unwrap_or(1),
            n.subject_on
        ),
        (R::Other(_), _) => String::new(),
    }
}

/// `YYYY-MM-DD` plus `days`, through the browser's calendar.
fn plus_days(day: &str, days: u32) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&format!(
        "{day}T00:00:00Z"
    )));
    d.set_utc_date(d.get_utc_date() + days);
    String::from(d.to_iso_string()).chars().take(10).collect()
}

/// Where the alert's records are: the week's orders, or the customer.
fn drill(n: &Node) -> Option<String> {
    match n.rule {
        R::TARGET_SHORTFALL => {
            let to = plus_days(&n.subject_on, 6);
            let who = match (&n.rep, &n.region) {
                (Some(r), _) => format!("rep={}", r.id),
                (None, Some(g)) => format!("region={}", g.id),
                _ => return None,
            };
            Some(format!("/orders?{who}&from={}&to={to}", n.subject_on))
        }
        R::EVALUATIONS_DUE | R::EVALUATION_INPUT_DUE => Some("/evaluations".to_owned()),
        _ => n.customer.as_ref().map(|c| format!("/customers/{}", c.id)),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Move {
    Acknowledge,
    Resolve,
    Reopen,
}

async fn apply(m: Move, id: String, version: i64, note: Option<String>) -> Result<(), ApiError> {
    match m {
        Move::Acknowledge => call::<AcknowledgeAlert>(acknowledge_alert::Variables {
            input: acknowledge_alert::AlertStatusInput { id, version, note },
        })
        .await
        .map(|_| ()),
        Move::Resolve => call::<ResolveAlert>(resolve_alert::Variables {
            input: resolve_alert::AlertStatusInput { id, version, note },
        })
        .await
        .map(|_| ()),
        Move::Reopen => call::<ReopenAlert>(reopen_alert::Variables {
            input: reopen_alert::AlertStatusInput { id, version, note },
        })
        .await
        .map(|_| ()),
    }
}

#[component]
pub fn AlertsPage() -> impl IntoView {
    let query = use_query_map();
    let paging = Paging::new(25);
    let status = RwSignal::new(match query.read_untracked().get("status").as_deref() {
        Some("ACKNOWLEDGED") => Some(S::ACKNOWLEDGED),
        Some("RESOLVED") => Some(S::RESOLVED),
        Some("ALL") => None,
        _ => Some(S::OPEN),
    });
    let from_url = |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let rule = RwSignal::new(from_url("rule"));
    let region = RwSignal::new(from_url("region"));
    let mine = RwSignal::new(from_url("mine") == "1");
    // Newest first, or what puts the most at risk first.
    let by_risk = RwSignal::new(from_url("sort") == "risk");
    // Tab, filters and order live in the URL (Back from an alert's customer returns here).
    crate::components::url_state(
        move || {
            vec![
                (
                    "status",
                    status
                        .get()
                        .map_or("ALL", |s| status_key(&s).trim_start_matches("alert."))
                        .to_owned(),
                ),
                ("rule", rule.get()),
                ("region", region.get()),
                (
                    "mine",
                    if mine.get() {
                        "1".into()
                    } else {
                        String::new()
                    },
                ),
                (
                    "sort",
                    if by_risk.get() {
                        "risk".into()
                    } else {
                        String::new()
                    },
                ),
            ]
        },
        move |q| {
            let s = match q.get("status").as_deref() {
                Some("ACKNOWLEDGED") => Some(S::ACKNOWLEDGED),
                Some("RESOLVED") => Some(S::RESOLVED),
                Some("ALL") => None,
                _ => Some(S::OPEN),
            };
            let changed = s != status.get_untracked()
                || q.get("rule").unwrap_or_default() != rule.get_untracked()
                || q.get("region").unwrap_or_default() != region.get_untracked()
                || (q.get("mine").as_deref() == Some("1")) != mine.get_untracked()
                || (q.get("sort").as_deref() == Some("risk")) != by_risk.get_untracked();
            if changed {
                status.set(s);
                rule.set(q.get("rule").unwrap_or_default());
                region.set(q.get("region").unwrap_or_default());
                mine.set(q.get("mine").as_deref() == Some("1"));
                by_risk.set(q.get("sort").as_deref() == Some("risk"));
                paging.reset();
            }
        },
    );
    let role = viewer_role();
    let may_act = matches!(role, Role::ADMIN | Role::DIRECTOR | Role::SUPERVISOR);
    let (is_rep, is_supervisor) = (role == Role::REP, role == Role::SUPERVISOR);
    // The row whose note is being written before a resolve, and the note.
    let resolving = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());
    let action_error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);

    let data = LocalResource::new(move || {
        let rules = match rule.get().as_str() {
            "TARGET_SHORTFALL" => Some(vec![R::TARGET_SHORTFALL]),
            "CHURN_RISK" => Some(vec![R::CHURN_RISK]),
            "LOW_SATISFACTION" => Some(vec![R::LOW_SATISFACTION]),
            "OVERDUE_PAYMENT" => Some(vec![R::OVERDUE_PAYMENT]),
            "OVERDUE_ACTIONS" => Some(vec![R::OVERDUE_ACTIONS]),
            "EVALUATIONS_DUE" => Some(vec![R::EVALUATIONS_DUE, R::EVALUATION_INPUT_DUE]),
            _ => None,
        };
        let region_id = Some(region.get()).filter(|s| !s.is_empty());
        let base = alerts::AlertFilter {
            status: None,
            rule: rules,
            region_id,
            rep_id: None,
            customer_id: None,
            assigned_to_me: mine.get().then_some(true),
            min_amount_at_risk: None,
        };
        let mut filter = base.clone();
        filter.status = status.get().map(|s| vec![s]);
        call::<Alerts>(alerts::Variables {
            first: Some(paging.size),
            after: paging.after.get(),
            filter: Some(filter),
            counts: Some(base),
            order_by: by_risk.get().then_some(alerts::AlertOrderBy {
                field: alerts::AlertOrderField::AMOUNT_AT_RISK,
                direction: alerts::OrderDirection::DESC,
            }),
        })
    });

    // Today's digest for the same region and routing (one small request of its own, so
    // the list stays three statements): what is new, what was resolved, what is open.
    let digest = LocalResource::new(move || {
        let filter = alert_digest::AlertFilter {
            status: None,
            rule: None,
            region_id: Some(region.get()).filter(|s| !s.is_empty()),
            rep_id: None,
            customer_id: None,
            assigned_to_me: mine.get().then_some(true),
            min_amount_at_risk: None,
        };
        call::<AlertDigest>(alert_digest::Variables {
            filter: Some(filter),
        })
    });

    let act = move |m: Move, id: String, version: i64, with_note: bool| {
        busy.set(true);
        action_error.set(None);
        let text = note.get_untracked().trim().to_owned();
        let text = (with_note && !text.is_empty()).then_some(text);
        leptos::task::spawn_local(async move {
            match apply(m, id, version, text).await {
                Ok(()) => {
                    resolving.set(None);
                    note.set(String::new());
                }
                Err(e) => action_error.set(Some(e)),
            }
            busy.set(false);
            data.refetch();
            digest.refetch();
        });
    };

    let tab = move |s: Option<S>, key: &'static str| {
        let active = {
            let s = s.clone();
            move || status.get() == s
        };
        let count = {
            let s = s.clone();
            move || {
                data.get().and_then(Result::ok).map(|d| {
                    d.alert_counts
                        .iter()
                        .filter(|c| s.as_ref().is_none_or(|s| c.status == *s))
                        .map(|c| c.count)
                        .sum::<i64>()
                })
            }
        };
        view! {
            <button class="tab" class:active=active role="tab" on:click=move |_| { status.set(s.clone()); paging.reset(); }>
                {move || t(key)}
                {move || count().map(|n| view! { <span class="count">{n}</span> })}
            </button>
        }
    };

    view! {
        <section class="page">
            <h1>{move || t("nav.alerts")}</h1>
            {move || digest.get().and_then(Result::ok).map(|d| {
                let d = d.alert_digest;
                view! {
                    <p class="digest" aria-live="polite">
                        <span>{move || t("alert.digestRaised")}" "<b>{d.raised}</b></span>
                        <span>{move || t("alert.digestResolved")}" "<b>{d.resolved}</b></span>
                        <span>{move || t("alert.digestOpen")}" "<b>{d.open}</b></span>
                        <span>{move || t("alert.atRisk")}" "<b>{money(&d.amount_at_risk)}</b></span>
                    </p>
                }
            })}
            <div class="tabs" role="tablist">
                {tab(Some(S::OPEN), "alert.OPEN")}
                {tab(Some(S::ACKNOWLEDGED), "alert.ACKNOWLEDGED")}
                {tab(Some(S::RESOLVED), "alert.RESOLVED")}
                {tab(None, "alert.all")}
            </div>
            <div class="toolbar">
                <select class="filter" name="rule" aria-label=move || t("alert.rule") prop:value=move || rule.get() on:change=move |ev| { rule.set(event_target_value(&ev)); paging.reset(); }>
                    <option value="">{move || t("alert.allRules")}</option>
                    <option value="TARGET_SHORTFALL">{move || t("alert.TARGET_SHORTFALL")}</option>
                    <option value="CHURN_RISK">{move || t("alert.CHURN_RISK")}</option>
                    <option value="LOW_SATISFACTION">{move || t("alert.LOW_SATISFACTION")}</option>
                    <option value="OVERDUE_PAYMENT">{move || t("alert.OVERDUE_PAYMENT")}</option>
                    <option value="OVERDUE_ACTIONS">{move || t("alert.OVERDUE_ACTIONS")}</option>
                    <option value="EVALUATIONS_DUE">{move || t("alert.EVALUATIONS_DUE")}</option>
                </select>
                {(!is_rep).then(|| view! { <RegionSelect value=region paging=paging/> })}
                <select class="filter" name="sort" aria-label=move || t("alert.atRisk") on:change=move |ev| { by_risk.set(event_target_value(&ev) == "risk"); paging.reset(); }>
                    <option value="raised" selected=move || !by_risk.get()>{move || t("alert.sortRaised")}</option>
                    <option value="risk" selected=move || by_risk.get()>{move || t("alert.sortRisk")}</option>
                </select>
                {is_supervisor.then(|| view! {
                    <label class="check"><input type="checkbox" name="mine" prop:checked=move || mine.get() on:change=move |ev| { mine.set(event_target_checked(&ev)); paging.reset(); }/>{move || t("alert.mine")}</label>
                })}
                <span class="spacer"></span>
                // Every page of what the inbox shows, with the same filters.
                <ExportButtons kind="alerts" query=Signal::derive(move || {
                    let status = status.get().map(|s| status_key(&s).trim_start_matches("alert.").to_owned());
                    let mut q = String::new();
                    for (k, v) in [("status", status.unwrap_or_default()), ("rule", rule.get()), ("region", region.get())] {
                        if !v.is_empty() { q.push_str(&format!("&{k}={v}")); }
                    }
                    if mine.get() { q.push_str("&mine=true"); }
                    q
                })/>
            </div>
            {move || action_error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) if d.alerts.edges.is_empty() => view! { <Empty/> }.into_any(),
                Some(Ok(d)) => {
                    let c = d.alerts;
                    let rows = c.edges.len();
                    let en = lang().get() == Lang::En;
                    view! {
                        <ul class="alerts">
                            {c.edges.into_iter().map(|e| {
                                let n = e.node;
                                let text = message(&n, en);
                                let href = drill(&n);
                                let id = n.id.clone();
                                let version = n.version;
                                let who = match (&n.customer, &n.rep) {
                                    (Some(c), _) => { let (href, name) = (format!("/customers/{}", c.id), c.name.clone()); Some(view! { <A href=href>{name}</A> }.into_any()) }
                                    (None, Some(r)) => { let (href, name) = (format!("/reps/{}", r.id), r.name.clone()); Some(view! { <A href=href>{name}</A> }.into_any()) }
                                    // Reminders are about a person's own work: name them.
                                    _ => n.assignee.as_ref().map(|u| view! { <strong>{u.name.clone()}</strong> }.into_any()),
                                };
                                let rep = n.customer.as_ref().and(n.rep.as_ref()).map(|r| r.name.clone());
                                let handled = match (&n.resolved_by, &n.acknowledged_by) {
                                    (Some(u), _) => Some((t("alert.resolvedBy"), u.name.clone())),
                                    (None, Some(u)) => Some((t("alert.acknowledgedBy"), u.name.clone())),
                                    _ => None,
                                };
                                let st = n.status.clone();
                                let rule_label = rule_key(&n.rule);
                                let status_label = status_key(&st);
                                let is_open = st == S::OPEN;
                                let is_resolved = st == S::RESOLVED;
                                let row_id = id.clone();
                                let writing = move || resolving.get().as_deref() == Some(row_id.as_str());
                                let (id_a, id_r, id_o, id_w) = (id.clone(), id.clone(), id.clone(), id);
                                view! {
                                    <li class="alert" class:resolved=is_resolved>
                                        <div class="alert-head">
                                            <span class=rule_class(&n.rule)>{move || t(rule_label)}</span>
                                            <span class="badge">{move || t(status_label)}</span>
                                            <span class="muted">{n.region.map(|g| g.name).unwrap_or_default()}</span>
                                            <span class="spacer"></span>
                                            <span class="muted">{n.raised_on}</span>
                                        </div>
                                        <p class="alert-text">{who}{rep.map(|r| format!(" · {r}"))}" — "{text}</p>
                                        {n.note.map(|x| view! { <p class="muted note">"“"{x}"”"</p> })}
                                        <div class="alert-foot">
                                            {handled.map(|(label, name)| view! { <span class="muted">{label}" "{name}</span> })}
                                            <span class="spacer"></span>
                                            {href.map(|h| view! { <A href=h attr:class="btn ghost">{move || t("alert.records")}</A> })}
                                            {(may_act && is_open).then(|| view! {
                                                <button class="btn" disabled=move || busy.get() on:click=move |_| act(Move::Acknowledge, id_a.clone(), version, false)>{move || t("alert.acknowledge")}</button>
                                            })}
                                            {(may_act && !is_resolved).then(|| view! {
                                                <button class="btn primary" disabled=move || busy.get() on:click=move |_| { note.set(String::new()); resolving.set(Some(id_w.clone())); }>{move || t("alert.resolve")}</button>
                                            })}
                                            {(may_act && is_resolved).then(|| view! {
                                                <button class="btn" disabled=move || busy.get() on:click=move |_| act(Move::Reopen, id_o.clone(), version, false)>{move || t("alert.reopen")}</button>
                                            })}
                                        </div>
                                        {move || writing().then(|| {
                                            let id_r = id_r.clone();
                                            view! {
                                                <form class="alert-note" on:submit=move |ev| { ev.prevent_default(); act(Move::Resolve, id_r.clone(), version, true); }>
                                                    <input type="text" maxlength="2000" placeholder=move || t("alert.notePlaceholder")
                                                        prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                                                    <button class="btn primary" type="submit" disabled=move || busy.get()>{move || t("alert.confirmResolve")}</button>
                                                    <button class="btn" type="button" on:click=move |_| resolving.set(None)>{move || t("cancel")}</button>
                                                </form>
                                            }
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <Pager paging=paging total=c.total_count rows=rows has_next=c.page_info.has_next_page end_cursor=c.page_info.end_cursor/>
                    }.into_any()
                }
            }}
        </section>
    }
}
