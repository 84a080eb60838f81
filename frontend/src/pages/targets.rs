//! Targets (目标): a target and its split one level down (company year → regions ×
//! quarters, region quarter → reps), with last year's figures, the helper's proposal,
//! whether the children add up, and the negotiation of a figure with its history.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{
    Answer, ApiError, PendingTargetProposals, ProposeTarget, RegionOptions, SetTargets,
    TargetSplit, answer_proposal, call, pending_target_proposals, propose_target, region_options,
    set_targets, target_split,
};
use crate::components::{Empty, ErrorBox, Loading};
use crate::format::{cents, money, this_month};
use crate::i18n::{pick, t};
use crate::{MeResource, Role};

use target_split::{PeriodKind as PK, ScopeKind as SK, TargetMetric as M};

type Split = target_split::TargetSplitTargetSplit;

/// A target value as shown: money, or a whole number of customers.
fn shown(metric: &M, v: &str) -> String {
    match metric {
        M::NEW_CUSTOMERS => v.split('.').next().unwrap_or(v).to_owned(),
        _ => money(v),
    }
}

/// What a person typed ("1,200,000", "¥ 35万" is not accepted) as a Decimal string.
fn typed(s: &str) -> Option<String> {
    let clean: String = s
        .chars()
        .filter(|c| !matches!(c, ',' | '¥' | ' ' | '，'))
        .collect();
    if clean.is_empty() {
        return None;
    }
    let ok = clean.chars().all(|c| c.is_ascii_digit() || c == '.')
        && clean.matches('.').count() <= 1
        && clean.split('.').nth(1).is_none_or(|f| f.len() <= 2);
    ok.then_some(clean)
}

/// A Decimal string as an input's text: yuan without separators, or a count.
fn editable(metric: &M, v: &str) -> String {
    match metric {
        M::NEW_CUSTOMERS => v.split('.').next().unwrap_or(v).to_owned(),
        _ => v.strip_suffix(".00").unwrap_or(v).to_owned(),
    }
}

fn period_label(kind: &PK, year: i64, index: i64) -> String {
    match kind {
        PK::MONTH => format!("{year}-{index:02}"),
        PK::QUARTER => format!("{year} Q{index}"),
        _ => year.to_string(),
    }
}

fn metric_key(m: &M) -> &'static str {
    match m {
        M::COLLECTION => "tg.COLLECTION",
        M::NEW_CUSTOMERS => "tg.NEW_CUSTOMERS",
        _ => "tg.SALES",
    }
}

#[derive(Clone, PartialEq)]
struct View {
    metric: String,
    scope: String,
    kind: String,
    year: i32,
    index: i64,
}

impl View {
    fn metric(&self) -> M {
        match self.metric.as_str() {
            "COLLECTION" => M::COLLECTION,
            "NEW_CUSTOMERS" => M::NEW_CUSTOMERS,
            _ => M::SALES,
        }
    }
    fn scope_input(&self) -> (SK, Option<String>) {
        match self.scope.split_once(':') {
            Some(("REP", id)) => (SK::REP, Some(id.to_owned())),
            Some(("REGION", id)) => (SK::REGION, Some(id.to_owned())),
            _ => (SK::COMPANY, None),
        }
    }
    fn period_kind(&self) -> PK {
        match self.kind.as_str() {
            "MONTH" => PK::MONTH,
            "YEAR" => PK::YEAR,
            _ => PK::QUARTER,
        }
    }
}

#[component]
pub fn TargetsPage() -> impl IntoView {
    let me = use_context::<MeResource>()
        .and_then(|m| m.get_untracked())
        .and_then(Result::ok)
        .flatten();
    let is_rep = me.as_ref().is_some_and(|d| d.me.role == Role::REP);
    let is_supervisor = me.as_ref().is_some_and(|d| d.me.role == Role::SUPERVISOR);
    let company_wide = me.as_ref().is_some_and(|d| d.me.role.company_wide());
    let own_rep = me
        .as_ref()
        .and_then(|d| d.me.rep.as_ref().map(|r| r.id.clone()));
    let first_region = me
        .as_ref()
        .and_then(|d| d.me.regions.first().map(|r| r.id.clone()));
    let query = use_query_map();
    let (year, month) = this_month();
    let quarter = ((month - 1) / 3 + 1) as i64;
    let q = query.read_untracked();
    let scope0 = q
        .get("region")
        .map(|r| format!("REGION:{r}"))
        .or_else(|| q.get("rep").map(|r| format!("REP:{r}")))
        .or_else(|| {
            is_rep
                .then(|| own_rep.clone().map(|r| format!("REP:{r}")))
                .flatten()
        })
        .or_else(|| {
            is_supervisor
                .then(|| first_region.clone().map(|r| format!("REGION:{r}")))
                .flatten()
        })
        .unwrap_or_else(|| "COMPANY".into());
    let company = scope0 == "COMPANY";
    let view_sig = RwSignal::new(View {
        metric: q.get("metric").unwrap_or_else(|| "SALES".into()),
        kind: if company {
            "YEAR".into()
        } else {
            "QUARTER".into()
        },
        scope: scope0,
        year,
        index: quarter,
    });
    drop(q);
    let edits = RwSignal::new(HashMap::<String, String>::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<&'static str>);
    let reason = RwSignal::new(String::new());

    let regions = LocalResource::new(move || async move {
        if is_rep {
            Ok(None)
        } else {
            call::<RegionOptions>(region_options::Variables {})
                .await
                .map(Some)
        }
    });
    let data = LocalResource::new(move || {
        let v = view_sig.get();
        let (kind, id) = v.scope_input();
        let pk = v.period_kind();
        let index = (pk != PK::YEAR).then_some(v.index);
        call::<TargetSplit>(target_split::Variables {
            metric: Some(v.metric()),
            scope: target_split::ScopeInput { kind, id },
            period: target_split::PeriodInput {
                kind: pk,
                year: i64::from(v.year),
                index,
            },
        })
    });
    let pending = LocalResource::new(move || {
        view_sig.track();
        async move {
            if is_rep {
                return Ok(None);
            }
            call::<PendingTargetProposals>(pending_target_proposals::Variables {})
                .await
                .map(Some)
        }
    });
    let reload = move || {
        edits.set(HashMap::new());
        data.refetch();
        pending.refetch();
    };

    let save = move |s: Split| {
        let v = view_sig.get_untracked();
        let m = v.metric();
        let e = edits.get_untracked();
        let mut targets = Vec::new();
        let mut bad = false;
        let input = |kind: SK,
                     id: Option<String>,
                     p: (PK, i64, i64),
                     value: String,
                     version: Option<i64>| {
            let kind = match kind {
                SK::REP => set_targets::ScopeKind::REP,
                SK::REGION => set_targets::ScopeKind::REGION,
                _ => set_targets::ScopeKind::COMPANY,
            };
            let pk = match p.0 {
                PK::MONTH => set_targets::PeriodKind::MONTH,
                PK::YEAR => set_targets::PeriodKind::YEAR,
                _ => set_targets::PeriodKind::QUARTER,
            };
            set_targets::TargetValueInput {
                metric: Some(match m {
                    M::COLLECTION => set_targets::TargetMetric::COLLECTION,
                    M::NEW_CUSTOMERS => set_targets::TargetMetric::NEW_CUSTOMERS,
                    _ => set_targets::TargetMetric::SALES,
                }),
                scope: set_targets::ScopeInput { kind, id },
                period: set_targets::PeriodInput {
                    year: p.1,
                    index: (pk != set_targets::PeriodKind::YEAR).then_some(p.2),
                    kind: pk,
                },
                value,
                version,
            }
        };
        if let Some(text) = e.get("parent") {
            match typed(text) {
                Some(value)
                    if s.parent
                        .as_ref()
                        .is_none_or(|p| cents(&p.value) != cents(&value)) =>
                {
                    let (kind, id) = v.scope_input();
                    targets.push(input(
                        kind,
                        id,
                        (v.period_kind(), i64::from(v.year), v.index),
                        value,
                        s.parent.as_ref().map(|p| p.version),
                    ));
                }
                Some(_) => {}
                None => bad = true,
            }
        }
        for (ri, row) in s.rows.iter().enumerate() {
            for (ci, cell) in row.cells.iter().enumerate() {
                let Some(text) = e.get(&format!("{ri}:{ci}")) else {
                    continue;
                };
                let Some(value) = typed(text) else {
                    bad = true;
                    continue;
                };
                if cell
                    .target
                    .as_ref()
                    .is_some_and(|t| cents(&t.value) == cents(&value))
                {
                    continue;
                }
                let Some(p) = s.periods.get(ci) else { continue };
                targets.push(input(
                    row.scope.kind.clone(),
                    row.scope.id.clone(),
                    (p.kind.clone(), p.year, p.index),
                    value,
                    cell.target.as_ref().map(|t| t.version),
                ));
            }
        }
        if bad {
            notice.set(Some("tg.badNumber"));
            return;
        }
        if targets.is_empty() {
            notice.set(Some("tg.nothing"));
            return;
        }
        notice.set(None);
        busy.set(true);
        error.set(None);
        let why = Some(reason.get_untracked().trim().to_owned()).filter(|r| !r.is_empty());
        leptos::task::spawn_local(async move {
            match call::<SetTargets>(set_targets::Variables {
                input: set_targets::SetTargetsInput {
                    targets,
                    reason: why,
                },
            })
            .await
            {
                Ok(_) => {
                    notice.set(Some("saved"));
                    reason.set(String::new());
                    reload();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    let period_picker = move || {
        let v = view_sig.get();
        let company = v.scope == "COMPANY";
        view! {
            <label class="inline">{move || t("sc.period")}
                <select name="kind" on:change=move |ev| {
                    let k = event_target_value(&ev);
                    view_sig.update(|v| { v.index = if k == "MONTH" { i64::from(month) } else { quarter }; v.kind = k; });
                    edits.set(HashMap::new());
                }>
                    {(!company).then(|| view! { <option value="MONTH" selected=v.kind == "MONTH">{move || t("sc.month")}</option> })}
                    <option value="QUARTER" selected=v.kind == "QUARTER">{move || t("sc.quarter")}</option>
                    <option value="YEAR" selected=v.kind == "YEAR">{move || t("sc.year")}</option>
                </select>
            </label>
            <select name="year" aria-label="year" on:change=move |ev| { view_sig.update(|v| v.year = event_target_value(&ev).parse().unwrap_or(year)); edits.set(HashMap::new()); }>
                {(-1..=1).map(|k| { let y = year + k; view! { <option value=y selected=v.year == y>{y}</option> } }).collect_view()}
            </select>
            {(v.kind != "YEAR").then(|| {
                let n = if v.kind == "MONTH" { 12 } else { 4 };
                let prefix = if v.kind == "MONTH" { "" } else { "Q" };
                view! {
                    <select name="index" aria-label="index" on:change=move |ev| { view_sig.update(|v| v.index = event_target_value(&ev).parse().unwrap_or(1)); edits.set(HashMap::new()); }>
                        {(1..=n).map(|i| view! { <option value=i selected=v.index == i>{format!("{prefix}{i}")}</option> }).collect_view()}
                    </select>
                }
            })}
        }
    };

    let scope_picker = move || {
        if is_rep {
            return view! { <span class="chip">{move || t("tg.mine")}</span> }.into_any();
        }
        view! {
            <label class="inline">{move || t("sc.scope")}
                <select name="scope" prop:value=move || view_sig.get().scope on:change=move |ev| {
                    let s = event_target_value(&ev);
                    view_sig.update(|v| {
                        if s == "COMPANY" { v.kind = "YEAR".into(); } else if v.kind == "YEAR" { v.kind = "QUARTER".into(); v.index = quarter; }
                        v.scope = s;
                    });
                    edits.set(HashMap::new());
                }>
                    {company_wide.then(|| view! { <option value="COMPANY">{move || t("sc.company")}</option> })}
                    {move || regions.get().and_then(Result::ok).flatten().map(|d| d.regions.edges.into_iter().map(|e| {
                        let v = format!("REGION:{}", e.node.id);
                        let selected = v.clone();
                        view! { <option value=v selected=move || view_sig.get().scope == selected>{e.node.name}</option> }
                    }).collect_view())}
                    {move || {
                        let c = view_sig.get().scope;
                        c.starts_with("REP:").then(|| view! { <option value=c.clone() selected=true>{move || t("col.rep")}</option> })
                    }}
                </select>
            </label>
        }
        .into_any()
    };

    view! {
        <section class="page targets">
            <h1>{move || t("nav.targets")}</h1>
            <div class="toolbar">
                <div class="tabs" role="tablist">
                    {["SALES", "COLLECTION", "NEW_CUSTOMERS"].into_iter().map(|m| {
                        let key = match m { "COLLECTION" => "tg.COLLECTION", "NEW_CUSTOMERS" => "tg.NEW_CUSTOMERS", _ => "tg.SALES" };
                        view! {
                            <button class="tab" role="tab" class:active=move || view_sig.get().metric == m
                                on:click=move |_| { view_sig.update(|v| v.metric = m.into()); edits.set(HashMap::new()); }>{move || t(key)}</button>
                        }
                    }).collect_view()}
                </div>
                {scope_picker}
                {period_picker}
            </div>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
            {move || notice.get().map(|k| view! { <p class="notice" role="status">{move || t(k)}</p> })}
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) => {
                    let s = d.target_split;
                    let v = view_sig.get_untracked();
                    let m = v.metric();
                    view! {
                        <ParentCard split=s.clone() metric=m.clone() label=period_label(&v.period_kind(), i64::from(v.year), v.index) edits=edits busy=busy error=error reload=Callback::new(move |_| reload())/>
                        {s.child_kind.is_some().then(|| {
                            let s2 = s.clone();
                            view! {
                                <SplitGrid split=s.clone() metric=m.clone() edits=edits open=Callback::new(move |scope: String| {
                                    view_sig.update(|v| {
                                        if v.kind == "YEAR" { v.kind = "QUARTER".into(); v.index = quarter; }
                                        v.scope = scope;
                                    });
                                    edits.set(HashMap::new());
                                })/>
                                {(s.can_set_children || s.can_set).then(|| view! {
                                    <div class="actions split-actions">
                                        <input type="text" class="reason" maxlength="2000" placeholder=move || t("tg.reason") prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                                        {s.parent.is_some().then(|| {
                                            let s3 = s.clone();
                                            view! { <button class="btn" type="button" on:click=move |_| {
                                                let mut e = edits.get_untracked();
                                                for (ri, row) in s3.rows.iter().enumerate() {
                                                    for (ci, cell) in row.cells.iter().enumerate() {
                                                        if let Some(sg) = &cell.suggested { e.insert(format!("{ri}:{ci}"), editable(&s3.metric, sg)); }
                                                    }
                                                }
                                                edits.set(e);
                                                notice.set(Some("tg.suggested"));
                                            }>{move || t("tg.suggest")}</button> }
                                        })}
                                        <button class="btn" type="button" disabled=move || edits.get().is_empty() on:click=move |_| { edits.set(HashMap::new()); notice.set(None); }>{move || t("tg.reset")}</button>
                                        <button class="btn primary" type="button" disabled=move || busy.get() || edits.get().is_empty() on:click=move |_| save(s2.clone())>
                                            {move || if busy.get() { t("saving").to_owned() } else { format!("{} ({})", t("save"), edits.get().len()) }}
                                        </button>
                                    </div>
                                })}
                            }
                        })}
                        <History split=s/>
                    }.into_any()
                }
            }}
            {move || pending.get().and_then(Result::ok).flatten().map(|d| view! { <PendingList rows=d.pending_target_proposals reload=Callback::new(move |_| reload())/> })}
        </section>
    }
}

/// The target itself: its value (editable by its owner), the pending proposal, and the
/// form to propose another figure for the one it was handed to.
#[component]
fn ParentCard(
    split: Split,
    metric: M,
    label: String,
    edits: RwSignal<HashMap<String, String>>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    reload: Callback<()>,
) -> impl IntoView {
    let s = split;
    let proposing = RwSignal::new(false);
    let value = RwSignal::new(String::new());
    let why = RwSignal::new(String::new());
    let current = s.parent.as_ref().map(|p| shown(&metric, &p.value));
    let m2 = metric.clone();
    let parent_value = s
        .parent
        .as_ref()
        .map(|p| editable(&metric, &p.value))
        .unwrap_or_default();
    let target_id = s.parent.as_ref().map(|p| p.id.clone());
    let can_prop = s.can_propose && s.parent.is_some() && s.parent_pending_proposal.is_none();
    let propose = Callback::new(move |_: ()| {
        let Some(id) = target_id.clone() else { return };
        let Some(v) = typed(&value.get_untracked()) else {
            error.set(Some(ApiError {
                code: "BAD_USER_INPUT".into(),
                message: "请输入数字 / enter a number".into(),
            }));
            return;
        };
        busy.set(true);
        error.set(None);
        let reason = why.get_untracked();
        leptos::task::spawn_local(async move {
            match call::<ProposeTarget>(propose_target::Variables {
                input: propose_target::ProposeTargetInput {
                    target_id: id,
                    value: v,
                    reason,
                },
            })
            .await
            {
                Ok(_) => {
                    proposing.set(false);
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    });
    let withdraw = move |id: String, version: i64| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = answer_proposal(id, version, Answer::Withdraw, None).await;
            match r {
                Ok(_) => reload.run(()),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card parent-target">
            <div class="parent-head">
                <span class="kpi-label">{pick(&s.scope.name)}" · "{label}" · "{move || t(metric_key(&m2))}</span>
                {if s.can_set {
                    view! {
                        <label class="inline">{move || t("tg.target")}
                            <input type="text" inputmode="decimal" class="num" aria-label=move || t("tg.target")
                                prop:value=move || edits.get().get("parent").cloned().unwrap_or_else(|| parent_value.clone())
                                on:input=move |ev| { let v = event_target_value(&ev); edits.update(|e| { e.insert("parent".into(), v); }); }/>
                        </label>
                    }.into_any()
                } else {
                    view! { <span class="kpi-value">{current.unwrap_or_else(|| t("sc.noTarget").to_owned())}</span> }.into_any()
                }}
            </div>
            {s.parent_pending_proposal.clone().map(|p| {
                let (id, version) = (p.id.clone(), p.version);
                view! {
                    <p class="pending">
                        <span class="badge warn">{move || t("tg.pending")}</span>" "
                        {p.proposed_by.map(|u| u.name).unwrap_or_default()}": "<strong>{shown(&metric, &p.value)}</strong>" — "{p.reason}
                        {s.can_propose.then(|| view! { " "<button class="btn ghost" disabled=move || busy.get() on:click=move |_| withdraw(id.clone(), version)>{move || t("tg.withdraw")}</button> })}
                    </p>
                }
            })}
            {move || can_prop.then(|| {
                if proposing.get() {
                    view! {
                        <form class="propose" on:submit=move |ev| { ev.prevent_default(); propose.run(()); }>
                            <input type="text" inputmode="decimal" required=true placeholder=move || t("tg.proposedValue") prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                            <input type="text" required=true maxlength="2000" placeholder=move || t("tg.reasonRequired") prop:value=move || why.get() on:input=move |ev| why.set(event_target_value(&ev))/>
                            <button class="btn primary" type="submit" disabled=move || busy.get()>{move || t("tg.send")}</button>
                            <button class="btn" type="button" on:click=move |_| proposing.set(false)>{move || t("cancel")}</button>
                        </form>
                    }.into_any()
                } else {
                    view! { <button class="btn" on:click=move |_| proposing.set(true)>{move || t("tg.propose")}</button> }.into_any()
                }
            })}
        </div>
    }
}

/// Children × child periods: inputs (or values), last year's figure under each, pending
/// proposals, column totals and whether the split adds up to the parent.
#[component]
fn SplitGrid(
    split: Split,
    metric: M,
    edits: RwSignal<HashMap<String, String>>,
    open: Callback<String>,
) -> impl IntoView {
    let s = split;
    let m = metric;
    if s.rows.is_empty() {
        return view! { <Empty/> }.into_any();
    }
    let header: Vec<String> = s
        .periods
        .iter()
        .map(|p| period_label(&p.kind, p.year, p.index))
        .collect();
    let editable_cells = s.can_set_children;
    let labels = header.clone();
    let parent_cents = s.parent.as_ref().map(|p| cents(&p.value));
    // Live totals: what is typed where it was changed, the stored value elsewhere.
    let rows_for_totals = s.rows.clone();
    let totals = move || {
        let e = edits.get();
        let mut cols = vec![0i64; rows_for_totals.first().map_or(0, |r| r.cells.len())];
        let mut missing = 0;
        for (ri, row) in rows_for_totals.iter().enumerate() {
            for (ci, cell) in row.cells.iter().enumerate() {
                let v = match e.get(&format!("{ri}:{ci}")) {
                    Some(text) => typed(text).map(|x| cents(&x)),
                    None => cell.target.as_ref().map(|t| cents(&t.value)),
                };
                match v {
                    Some(c) => {
                        if let Some(col) = cols.get_mut(ci) {
                            *col += c;
                        }
                    }
                    None => missing += 1,
                }
            }
        }
        (cols, missing)
    };
    let totals2 = totals.clone();
    let m_tot = m.clone();
    let m_status = m.clone();
    let fmt_cents = move |m: &M, c: i64| shown(m, &format!("{}.{:02}", c / 100, (c % 100).abs()));
    view! {
        <div class="card split">
            <table class="list split-grid">
                <thead><tr>
                    <th>{move || if matches!(s.child_kind, Some(SK::REGION)) { t("col.region") } else { t("col.rep") }}</th>
                    {header.into_iter().map(|h| view! { <th class="num">{h}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {s.rows.iter().enumerate().map(|(ri, row)| {
                        let scope = match (&row.scope.kind, &row.scope.id) {
                            (SK::REGION, Some(id)) => format!("REGION:{id}"),
                            (SK::REP, Some(id)) => format!("REP:{id}"),
                            _ => "COMPANY".into(),
                        };
                        let name = row.scope.name.clone();
                        view! { <tr>
                            <th><a href="#" on:click=move |ev| { ev.prevent_default(); open.run(scope.clone()); }>{name}</a></th>
                            {row.cells.iter().enumerate().map(|(ci, cell)| {
                                let key = format!("{ri}:{ci}");
                                let key2 = key.clone();
                                let stored = cell.target.as_ref().map(|t| editable(&m, &t.value)).unwrap_or_default();
                                let shown_value = cell.target.as_ref().map_or_else(|| "—".to_owned(), |t| shown(&m, &t.value));
                                let history = shown(&m, &cell.history);
                                let changed = { let key = key.clone(); move || edits.get().contains_key(&key) };
                                let pending = cell.pending_proposal.clone();
                                let m2 = m.clone();
                                let label = labels.get(ci).cloned().unwrap_or_default();
                                view! { <td class="num" data-label=label class:changed=changed class:missing=cell.target.is_none()>
                                    {if editable_cells {
                                        view! { <input type="text" inputmode="decimal" class="num" aria-label=format!("{ri}-{ci}")
                                            placeholder="—"
                                            prop:value=move || edits.get().get(&key).cloned().unwrap_or_else(|| stored.clone())
                                            on:input=move |ev| { let v = event_target_value(&ev); edits.update(|e| { e.insert(key2.clone(), v); }); }/> }.into_any()
                                    } else {
                                        view! { <span>{shown_value}</span> }.into_any()
                                    }}
                                    <small class="muted history" title=move || t("tg.lastYear")>{move || t("tg.lastYearShort")}" "{history}</small>
                                    {pending.map(|p| view! { <small class="badge warn" title=p.reason>{move || t("tg.proposed")}" "{shown(&m2, &p.value)}</small> })}
                                </td> }
                            }).collect_view()}
                        </tr> }
                    }).collect_view()}
                </tbody>
                <tfoot><tr>
                    <th>{move || t("tg.total")}</th>
                    {move || totals().0.into_iter().map(|c| view! { <td class="num"><strong>{fmt_cents(&m_tot, c)}</strong></td> }).collect_view()}
                </tr></tfoot>
            </table>
            {move || {
                let (cols, missing) = totals2();
                let sum: i64 = cols.iter().sum();
                let diff = parent_cents.map(|p| sum - p);
                let ok = missing == 0 && diff == Some(0);
                let text = match diff {
                    None => format!("{} {}", t("tg.childrenTotal"), fmt_cents(&m_status, sum)),
                    Some(0) => format!("{} {} = {}", t("tg.childrenTotal"), fmt_cents(&m_status, sum), t("tg.parentTarget")),
                    Some(d) => format!("{} {} · {} {} · {} {}", t("tg.childrenTotal"), fmt_cents(&m_status, sum), t("tg.parentTarget"), fmt_cents(&m_status, sum - d),
                        if d > 0 { t("tg.over") } else { t("tg.under") }, fmt_cents(&m_status, d.abs())),
                };
                view! {
                    <p class=if ok { "split-status good" } else { "split-status bad" } role="status">
                        {if ok { "✓ " } else { "⚠ " }}{text}
                        {(missing > 0).then(|| format!(" · {} {missing}", t("tg.missing")))}
                    </p>
                }
            }}
        </div>
    }
    .into_any()
}

/// Every change of the target and every proposal made for it.
#[component]
fn History(split: Split) -> impl IntoView {
    let Some(p) = split.parent else {
        return view! { <p class="muted">{move || t("tg.noParent")}</p> }.into_any();
    };
    let m = split.metric;
    if p.changes.is_empty() && p.proposals.is_empty() {
        return view! { <p class="muted">{move || t("tg.noHistory")}</p> }.into_any();
    }
    let m2 = m.clone();
    view! {
        <h2>{move || t("tg.history")}</h2>
        <ul class="timeline card">
            {p.changes.into_iter().map(|c| {
                let when = crate::components::local_time(&c.changed_at);
                view! { <li>
                    <span class="muted">{when}</span>" "
                    <strong>{c.changed_by.map(|u| u.name).unwrap_or_default()}</strong>" "
                    {c.before.map(|b| format!("{} → ", shown(&m, &b)))}<strong>{shown(&m, &c.after)}</strong>
                    {c.from_proposal.then(|| view! { " "<span class="badge">{move || t("tg.viaProposal")}</span> })}
                    {c.reason.map(|r| view! { <span class="muted">" — "{r}</span> })}
                </li> }
            }).collect_view()}
            {p.proposals.into_iter().map(|x| {
                let status: &'static str = match x.status {
                    target_split::ProposalStatus::ACCEPTED => "tg.ACCEPTED",
                    target_split::ProposalStatus::DECIDED => "tg.DECIDED",
                    target_split::ProposalStatus::WITHDRAWN => "tg.WITHDRAWN",
                    _ => "tg.pending",
                };
                let when = crate::components::local_time(&x.created_at);
                view! { <li class="proposal">
                    <span class="muted">{when}</span>" "
                    <strong>{x.proposed_by.map(|u| u.name).unwrap_or_default()}</strong>" "{move || t("tg.proposedTo")}" "<strong>{shown(&m2, &x.value)}</strong>
                    <span class="muted">" — "{x.reason}</span>" "
                    <span class="badge">{move || t(status)}</span>
                    {x.decided_value.map(|d| view! { " "{shown(&m2, &d)} })}
                    {x.decided_by.map(|u| view! { <span class="muted">" · "{u.name}</span> })}
                    {x.note.map(|n| view! { <span class="muted">" “"{n}"”"</span> })}
                </li> }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Proposals waiting for the viewer: accept, or decide another figure.
#[component]
fn PendingList(
    rows: Vec<pending_target_proposals::PendingTargetProposalsPendingTargetProposals>,
    reload: Callback<()>,
) -> impl IntoView {
    if rows.is_empty() {
        return ().into_any();
    }
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let deciding = RwSignal::new(None::<String>);
    let value = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let answer = move |id: String, version: i64, accept: bool| {
        let v = if accept {
            None
        } else {
            match typed(&value.get_untracked()) {
                Some(v) => Some(v),
                None => {
                    error.set(Some(ApiError {
                        code: "BAD_USER_INPUT".into(),
                        message: "请输入数字 / enter a number".into(),
                    }));
                    return;
                }
            }
        };
        let n = Some(note.get_untracked().trim().to_owned()).filter(|n| !n.is_empty());
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let how = match v {
                Some(v) => Answer::Decide(v),
                None => Answer::Accept,
            };
            let r = answer_proposal(id, version, how, n).await;
            match r {
                Ok(_) => {
                    deciding.set(None);
                    value.set(String::new());
                    note.set(String::new());
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <h2>{move || t("tg.waiting")}</h2>
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
        <ul class="alerts proposals">
            {rows.into_iter().map(|p| {
                let m = match p.target.metric {
                    pending_target_proposals::TargetMetric::COLLECTION => M::COLLECTION,
                    pending_target_proposals::TargetMetric::NEW_CUSTOMERS => M::NEW_CUSTOMERS,
                    _ => M::SALES,
                };
                let pk = match p.target.period.kind {
                    pending_target_proposals::PeriodKind::MONTH => PK::MONTH,
                    pending_target_proposals::PeriodKind::YEAR => PK::YEAR,
                    _ => PK::QUARTER,
                };
                let label = period_label(&pk, p.target.period.year, p.target.period.index);
                let key = metric_key(&m);
                let (id_a, id_d, id_w, id_f) = (p.id.clone(), p.id.clone(), p.id.clone(), p.id.clone());
                let version = p.version;
                let writing = move || deciding.get().as_deref() == Some(id_w.as_str());
                view! {
                    <li class="alert">
                        <div class="alert-head">
                            <span class="rule shortfall">{move || t(key)}</span>
                            <strong>{p.target.scope.name.clone()}</strong>
                            <span class="muted">{label}</span>
                            <span class="spacer"></span>
                            <span class="muted">{p.proposed_by.map(|u| u.name).unwrap_or_default()}</span>
                        </div>
                        <p class="alert-text">{shown(&m, &p.target.value)}" → "<strong>{shown(&m, &p.value)}</strong>" — "{p.reason}</p>
                        <div class="alert-foot">
                            <span class="spacer"></span>
                            <button class="btn primary" disabled=move || busy.get() on:click=move |_| answer(id_a.clone(), version, true)>{move || t("tg.accept")}</button>
                            <button class="btn" disabled=move || busy.get() on:click=move |_| { value.set(String::new()); deciding.set(Some(id_d.clone())); }>{move || t("tg.decide")}</button>
                        </div>
                        {move || writing().then(|| {
                            let id_f = id_f.clone();
                            view! {
                                <form class="alert-note" on:submit=move |ev| { ev.prevent_default(); answer(id_f.clone(), version, false); }>
                                    <input type="text" inputmode="decimal" required=true placeholder=move || t("tg.finalValue") prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                                    <input type="text" maxlength="2000" placeholder=move || t("alert.notePlaceholder") prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                                    <button class="btn primary" type="submit" disabled=move || busy.get()>{move || t("tg.confirmDecide")}</button>
                                    <button class="btn" type="button" on:click=move |_| deciding.set(None)>{move || t("cancel")}</button>
                                </form>
                            }
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
