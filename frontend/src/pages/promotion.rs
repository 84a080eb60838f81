//! Promotion eligibility (晋升资格): a rep's own path on each track (what they meet, what
//! is missing, the records that decided it), a supervisor's or director's list of
//! candidates against a rule (eligible first, "nearly eligible" one criterion short), and the director's rules with their version history.
//! Behind the shell's catch-all route (`/promotion…`), in the daily-work module; its texts
//! are its own table.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{
    ApiError, PromotionCandidates, PromotionPaths, PromotionRules, SavePromotionRule, call,
    promotion_candidates, promotion_paths, promotion_rules, save_promotion_rule,
};
use crate::components::{ErrorBox, Loading, submit, url_state};
use crate::i18n::{Lang, lang, pick, t_of};
use crate::{Role, viewer_role};

/// This module's texts: key, Chinese, English; sorted by key (a unit test checks).
static TEXTS: &[(&str, &str, &str)] = &[
    ("active", "启用", "Active"),
    ("add", "添加条件", "Add a criterion"),
    ("all", "全部", "All"),
    ("allRegions", "全部区域", "All regions"),
    ("asOf", "截至", "As of"),
    ("c.ALL", "综合", "Overall"),
    ("c.CAPABILITY", "能力", "Capability"),
    ("c.PROCESS", "过程", "Process"),
    ("c.RESULT", "结果", "Result"),
    ("candidates", "晋升候选人", "Promotion candidates"),
    ("category", "考评维度", "Category"),
    ("count", "最近考评次数", "Latest evaluations"),
    ("criteria", "条件", "Criteria"),
    (
        "criteriaHint",
        "每个条件一个对象：METRIC_STREAK（metric、min、periods、period_kind）、LATEST_GRADE（category、min_grade）、GRADE_IN_LAST（period_kind、count、min_grade、category）、MIN_TENURE（months）、MIN_COACHING（sessions）。",
        "One object per criterion: METRIC_STREAK (metric, min, periods, period_kind), LATEST_GRADE (category, min_grade), GRADE_IN_LAST (period_kind, count, min_grade, category), MIN_TENURE (months), MIN_COACHING (sessions).",
    ),
    ("criteriaJson", "条件（数据）", "Criteria (data)"),
    ("criterion", "条件", "Criterion"),
    ("edit", "编辑", "Edit"),
    ("eligible", "符合条件", "Eligible"),
    (
        "errCount",
        "一条规则须有 1–20 个条件",
        "A rule needs 1 to 20 criteria",
    ),
    (
        "errMonths",
        "司龄须为 0–600 的整数（月）",
        "Tenure is a whole number of months from 0 to 600",
    ),
    (
        "errPct",
        "达成门槛须为 0–1000 之间的百分数",
        "The threshold is a percentage from 0 to 1000",
    ),
    (
        "errPeriods",
        "期数和次数须为 1–12 的整数",
        "Periods and counts are whole numbers from 1 to 12",
    ),
    (
        "errSessions",
        "辅导次数须为 0–500 的整数",
        "Coaching sessions are a whole number from 0 to 500",
    ),
    ("failed", "未满足", "Short of"),
    ("history", "修改记录", "History"),
    ("inactive", "停用", "Inactive"),
    (
        "k.GRADE_IN_LAST",
        "最近几次考评等级",
        "Grade in the latest evaluations",
    ),
    (
        "k.LATEST_GRADE",
        "最近一次考评等级",
        "Latest evaluation grade",
    ),
    ("k.METRIC_STREAK", "连续达标", "Metric streak"),
    ("k.MIN_COACHING", "接受辅导次数", "Coaching received"),
    ("k.MIN_TENURE", "司龄", "Tenure"),
    ("kind", "条件类型", "Kind"),
    ("m.COLLECTION_RATE", "回款率", "Collection rate"),
    ("m.SALES_ATTAINMENT", "销售达成率", "Sales attainment"),
    ("metric", "指标", "Metric"),
    ("minGrade", "最低等级", "Minimum grade"),
    ("minPct", "门槛（%）", "Threshold (%)"),
    ("mine", "我的晋升路径", "My promotion paths"),
    ("missing", "还差", "Missing"),
    ("months", "司龄（月）", "Months employed"),
    ("nearly", "差一项", "One criterion short"),
    ("noRules", "还没有晋升规则", "No promotion rules yet"),
    ("none", "没有符合筛选的销售代表", "No reps match"),
    ("not", "未符合", "Not yet"),
    ("note", "修改原因", "Why it changed"),
    ("p.MONTH", "月度", "Month"),
    ("p.QUARTER", "季度", "Quarter"),
    ("p.YEAR", "年度", "Year"),
    ("paths", "晋升路径", "Promotion paths"),
    ("periodKind", "周期", "Period"),
    ("periods", "连续期数", "Periods in a row"),
    (
        "raw",
        "这些条件无法用表单编辑，请直接编辑数据。",
        "These criteria cannot be edited as a form: edit the data.",
    ),
    ("region", "区域", "Region"),
    ("remove", "删除", "Remove"),
    ("rep", "销售代表", "Rep"),
    ("rule", "规则", "Rule"),
    ("rules", "晋升规则", "Promotion rules"),
    ("save", "保存新版本", "Save a new version"),
    ("saved", "已保存为新版本", "Saved as a new version"),
    ("sessions", "近 12 个月辅导次数", "Sessions in 12 months"),
    ("status", "状态", "Status"),
    ("t.EXPERT", "专家序列", "Expert track"),
    ("t.MANAGEMENT", "管理序列", "Management track"),
    ("title", "晋升资格", "Promotion eligibility"),
    ("total", "人数", "Reps"),
    ("version", "版本", "Version"),
];

fn tx(key: &'static str) -> &'static str {
    t_of(TEXTS, key)
}

/// A generated enum's schema name (`MANAGEMENT`), through its serde form.
fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn track_key(t: &str) -> &'static str {
    if t == "EXPERT" {
        "t.EXPERT"
    } else {
        "t.MANAGEMENT"
    }
}

fn company() -> bool {
    viewer_role().company_wide()
}

/// The promotion pages: `[]` (a rep: their paths; others: candidates), `["rep", id]` a
/// rep's paths, `["rules"]` the rules (a director's).
#[component]
pub fn Pages() -> impl IntoView {
    super::style();
    let location = leptos_router::hooks::use_location();
    let rest = Memo::new(move |_| {
        location
            .pathname
            .get()
            .trim_start_matches('/')
            .split('/')
            .skip(1)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    });
    let rules = LocalResource::new(|| call::<PromotionRules>(promotion_rules::Variables {}));
    move || {
        let r = rest.get();
        match r.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["rep", id] => {
                let id = (*id).to_owned();
                view! { <PathsPage rep=id/> }.into_any()
            }
            ["rules"] if company() => view! { <RulesPage rules=rules/> }.into_any(),
            _ => match rules.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                Some(Ok(d)) => match (viewer_role(), d.me.rep.as_ref()) {
                    (Role::REP, Some(me)) => view! { <PathsPage rep=me.id.clone()/> }.into_any(),
                    _ => view! { <CandidatesPage rules=d.promotion_rules.clone()/> }.into_any(),
                },
            },
        }
    }
}

#[component]
fn Tabs() -> impl IntoView {
    view! {
        <nav class="tabs">
            {(viewer_role() != Role::REP).then(|| view! { <A href="/promotion" exact=true>{move || tx("candidates")}</A> })}
            {company().then(|| view! { <A href="/promotion/rules">{move || tx("rules")}</A> })}
        </nav>
    }
}

/// A rep's standing on every active rule.
#[component]
fn PathsPage(rep: String) -> impl IntoView {
    let id = rep;
    let data = LocalResource::new(move || {
        call::<PromotionPaths>(promotion_paths::Variables { rep: id.clone() })
    });
    view! {
        <section class="page promotion">
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) => {
                    use promotion_paths::PromotionPathsNode as N;
                    let (name, region) = match d.node {
                        N::Rep(r) => (r.name, r.region.name),
                        _ => (String::new(), String::new()),
                    };
                    let own = viewer_role() == Role::REP;
                    let as_of = d.promotion_paths.first().map(|p| p.as_of.clone()).unwrap_or_default();
                    view! {
                        <div class="page-head">
                            <h1>{move || if own { tx("mine").to_owned() } else { format!("{} · {}", tx("paths"), name) }}</h1>
                            <span class="spacer"></span>
                            <Tabs/>
                        </div>
                        <p class="muted">{region}" · "{move || tx("asOf")}" "{as_of}</p>
                        {if d.promotion_paths.is_empty() {
                            view! { <p class="muted">{move || tx("noRules")}</p> }.into_any()
                        } else {
                            view! { <div class="paths">{d.promotion_paths.into_iter().map(|p| {
                                let tk = track_key(&code(&p.track));
                                let passed = p.criteria.iter().filter(|c| c.passed).count();
                                let total = p.criteria.len();
                                let (badge, key) = if p.eligible { ("eligible", "eligible") } else if p.nearly_eligible { ("nearly", "nearly") } else { ("not", "not") };
                                view! {
                                    <article class="card path" data-testid="path">
                                        <header>
                                            <h2>{move || pick(&p.rule_name)}</h2>
                                            <span class="muted">{move || tx(tk)}" · "{p.level.clone()}</span>
                                            <span class=format!("badge {badge}")>{move || tx(key)}</span>
                                        </header>
                                        <div class="meter-line" title=format!("{passed}/{total}")>
                                            <span class="fill" style=format!("width:{:.0}%", 100.0 * passed as f64 / total.max(1) as f64)></span>
                                        </div>
                                        <ul class="criteria">{p.criteria.into_iter().map(|c| view! {
                                            <li class:ok=c.passed class:short=!c.passed>
                                                <span class="mark">{if c.passed { "✓" } else { "✗" }}</span>
                                                <div>
                                                    <strong>{let n = c.name.clone(); move || pick(&n)}</strong>
                                                    {c.missing.clone().map(|m| view! { <p class="missing">{move || pick(&m)}</p> })}
                                                    <ul class="evidence">{c.items.into_iter().map(|i| {
                                                        let text = i.text.clone();
                                                        let cls = match i.met { Some(true) => "ok", Some(false) => "short", None => "" };
                                                        match i.evaluation_id {
                                                            Some(e) => view! { <li class=cls><A href=format!("/evaluations/{e}")>{move || pick(&text)}</A></li> }.into_any(),
                                                            None => view! { <li class=cls>{move || pick(&text)}</li> }.into_any(),
                                                        }
                                                    }).collect_view()}</ul>
                                                </div>
                                            </li>
                                        }).collect_view()}</ul>
                                    </article>
                                }
                            }).collect_view()}</div> }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </section>
    }
}

/// The candidates' status filter: value (as in the URL) and text.
static STATUSES: &[(&str, &str)] = &[
    ("", "all"),
    ("ELIGIBLE", "eligible"),
    ("NEARLY_ELIGIBLE", "nearly"),
    ("NOT_ELIGIBLE", "not"),
];

/// A status from the URL, or none (all) when it is not one of [`STATUSES`].
fn status_of(s: String) -> String {
    if STATUSES.iter().any(|(v, _)| *v == s) {
        s
    } else {
        String::new()
    }
}

/// Reps against one rule, filtered by status (all three filters in the URL).
#[component]
fn CandidatesPage(rules: Vec<promotion_rules::PromotionRulesPromotionRules>) -> impl IntoView {
    let first_rule = rules
        .iter()
        .find(|r| r.active)
        .map(|r| r.id.clone())
        .unwrap_or_default();
    // Rule, status and region live in the URL (`url_state`): Back, reload and a shared link
    // keep them. The first active rule is the default and is left out of the address.
    let query = leptos_router::hooks::use_query_map();
    let from_url = |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let rule_of = move |r: String| if r.is_empty() { first_rule.clone() } else { r };
    let rule = RwSignal::new(rule_of(from_url("rule")));
    let status = RwSignal::new(status_of(from_url("status")));
    let region = RwSignal::new(from_url("region"));
    let default_rule = rule_of(String::new());
    url_state(
        move || {
            let r = rule.get();
            vec![
                ("rule", if r == default_rule { String::new() } else { r }),
                ("status", status.get()),
                ("region", region.get()),
            ]
        },
        // Sets only what differs: an unchanged signal does not wake the writer, and what it
        // writes back is this same address, so reading and writing settle after one round.
        move |q| {
            let (r, s, g) = (
                rule_of(q.get("rule").unwrap_or_default()),
                status_of(q.get("status").unwrap_or_default()),
                q.get("region").unwrap_or_default(),
            );
            for (signal, v) in [(rule, r), (status, s), (region, g)] {
                if signal.with_untracked(|x| *x != v) {
                    signal.set(v);
                }
            }
        },
    );
    let regions = LocalResource::new(|| {
        call::<crate::api::RegionOptions>(crate::api::region_options::Variables {})
    });
    let data = LocalResource::new(move || {
        let r = rule.get();
        let s = status.get();
        let g = region.get();
        async move {
            use promotion_candidates as q;
            let status = match s.as_str() {
                "ELIGIBLE" => Some(q::CandidateStatus::ELIGIBLE),
                "NEARLY_ELIGIBLE" => Some(q::CandidateStatus::NEARLY_ELIGIBLE),
                "NOT_ELIGIBLE" => Some(q::CandidateStatus::NOT_ELIGIBLE),
                _ => None,
            };
            call::<PromotionCandidates>(q::Variables {
                rule: r,
                region: (!g.is_empty()).then_some(g),
                status,
                first: Some(100),
                after: None,
            })
            .await
        }
    });
    let options = rules.clone();
    view! {
        <section class="page promotion">
            <div class="page-head"><h1>{move || tx("candidates")}</h1><span class="spacer"></span><Tabs/></div>
            {if rules.is_empty() {
                view! { <p class="muted">{move || tx("noRules")}</p> }.into_any()
            } else {
                view! {
                    <div class="filters">
                        <select name="rule" prop:value=move || rule.get() on:change=move |ev| rule.set(event_target_value(&ev))>
                            {options.into_iter().filter(|r| r.active).map(|r| {
                                let (zh, en) = (r.name_zh.clone(), r.name_en.clone());
                                let tk = track_key(&code(&r.track));
                                let on = r.id == rule.get_untracked();
                                view! { <option value=r.id selected=on>{move || format!("{} · {}", tx(tk), if lang().get() == Lang::En { en.clone() } else { zh.clone() })}</option> }
                            }).collect_view()}
                        </select>
                        <select name="status" prop:value=move || status.get() on:change=move |ev| status.set(event_target_value(&ev))>
                            {STATUSES.iter().map(|&(v, k)| view! {
                                <option value=v selected=move || status.get_untracked() == v>{move || tx(k)}</option>
                            }).collect_view()}
                        </select>
                        <select name="region" prop:value=move || region.get() on:change=move |ev| region.set(event_target_value(&ev))>
                            <option value="">{move || tx("allRegions")}</option>
                            {move || regions.get().and_then(Result::ok).map(|d| d.regions.edges.into_iter().map(|e| {
                                let on = e.node.id == region.get_untracked();
                                view! { <option value=e.node.id selected=on>{e.node.name}</option> }
                            }).collect_view())}
                        </select>
                        <crate::transfer::ExportButtons kind="promotion-candidates" query=Signal::derive(move || {
                            let mut q = format!("&rule={}", rule.get());
                            let (s, g) = (status.get(), region.get());
                            if !s.is_empty() {
                                q.push_str(&format!("&status={s}"));
                            }
                            if !g.is_empty() {
                                q.push_str(&format!("&region={g}"));
                            }
                            q
                        })/>
                    </div>
                    {move || match data.get() {
                        None => view! { <Loading/> }.into_any(),
                        Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                        Some(Ok(d)) => {
                            let c = d.promotion_candidates;
                            if c.edges.is_empty() {
                                return view! { <p class="muted state empty">{move || tx("none")}</p> }.into_any();
                            }
                            view! {
                                <p class="muted">{move || tx("total")}" "{c.total_count}</p>
                                <table class="list candidates">
                                    <thead><tr><th>{move || tx("rep")}</th><th>{move || tx("region")}</th><th>{move || tx("status")}</th>
                                        <th>{move || tx("criteria")}</th><th>{move || tx("missing")}</th></tr></thead>
                                    <tbody>{c.edges.into_iter().map(|e| {
                                        let n = e.node;
                                        let el = n.eligibility;
                                        let (badge, key) = if el.eligible { ("eligible", "eligible") } else if el.nearly_eligible { ("nearly", "nearly") } else { ("not", "not") };
                                        let marks: String = el.criteria.iter().map(|c| if c.passed { '✓' } else { '✗' }).collect();
                                        let missing: Vec<String> = el.criteria.iter().filter_map(|c| c.missing.clone()).collect();
                                        view! { <tr>
                                            <td data-label=move || tx("rep")><A href=format!("/promotion/rep/{}", n.rep.id)>{n.rep.name.clone()}</A></td>
                                            <td data-label=move || tx("region")>{n.rep.region.name}</td>
                                            <td data-label=move || tx("status")><span class=format!("badge {badge}")>{move || tx(key)}</span></td>
                                            <td data-label=move || tx("criteria") class="marks">{marks}</td>
                                            <td data-label=move || tx("missing")><small>{move || missing.iter().map(|m| pick(m)).collect::<Vec<_>>().join("；")}</small></td>
                                        </tr> }
                                    }).collect_view()}</tbody>
                                </table>
                            }.into_any()
                        }
                    }}
                }.into_any()
            }}
        </section>
    }
}

/// The rules with their criteria in words, each editable in a form (or as data, when the
/// form does not know them) with a reason, and the versions kept.
#[component]
fn RulesPage(
    rules: LocalResource<Result<promotion_rules::ResponseData, ApiError>>,
) -> impl IntoView {
    view! {
        <section class="page promotion">
            <div class="page-head"><h1>{move || tx("rules")}</h1><span class="spacer"></span><Tabs/></div>
            {move || match rules.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                Some(Ok(d)) => view! {
                    <div class="rules-list">{d.promotion_rules.into_iter().map(|r| view! { <RuleCard r=r reload=rules/> }).collect_view()}</div>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn RuleCard(
    r: promotion_rules::PromotionRulesPromotionRules,
    reload: LocalResource<Result<promotion_rules::ResponseData, ApiError>>,
) -> impl IntoView {
    // The criteria as rows of a form; as raw data when they hold something the form does
    // not know (nothing is lost by saving).
    let rows = parse(&r.criteria_json).map(|list| {
        RwSignal::new(
            (0..)
                .zip(&list)
                .map(|(uid, c)| Row::new(uid, c))
                .collect::<Vec<_>>(),
        )
    });
    let json = RwSignal::new(pretty(&r.criteria_json));
    let invalid: RwSignal<Option<(usize, &'static str)>> = RwSignal::new(None);
    let note = RwSignal::new(String::new());
    let active = RwSignal::new(r.active);
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let saved = RwSignal::new(false);
    let (id, version, level, zh, en) = (
        r.id.clone(),
        r.version,
        r.level.clone(),
        r.name_zh.clone(),
        r.name_en.clone(),
    );
    let track = code(&r.track);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        use save_promotion_rule as q;
        let criteria_json = match rows {
            None => json.get_untracked(),
            Some(rows) => match rows.with_untracked(|r| criteria_json(r)) {
                Ok(j) => j,
                Err(e) => {
                    saved.set(false);
                    invalid.set(Some(e));
                    return;
                }
            },
        };
        invalid.set(None);
        let input = q::SavePromotionRuleInput {
            id: Some(id.clone()),
            version: Some(version),
            track: if track == "EXPERT" {
                q::CareerTrack::EXPERT
            } else {
                q::CareerTrack::MANAGEMENT
            },
            level: level.clone(),
            name_zh: zh.clone(),
            name_en: en.clone(),
            criteria_json,
            active: active.get_untracked(),
            note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        submit(
            busy,
            error,
            async move { call::<SavePromotionRule>(q::Variables { input }).await },
            Callback::new(move |_| {
                saved.set(true);
                reload.refetch();
            }),
        );
    };
    let tk = track_key(&code(&r.track));
    let (name_zh, name_en) = (r.name_zh.clone(), r.name_en.clone());
    view! {
        <article class="card rule" data-testid="rule">
            <header>
                <h2>{move || if lang().get() == Lang::En { name_en.clone() } else { name_zh.clone() }}</h2>
                <span class="muted">{move || tx(tk)}" · "{r.level.clone()}" · "{move || tx("version")}" "{r.version}</span>
                {(!r.active).then(|| view! { <span class="badge not">{move || tx("inactive")}</span> })}
            </header>
            <ul class="criteria">{r.criteria.iter().map(|c| { let c = c.clone(); view! { <li>{move || pick(&c)}</li> } }).collect_view()}</ul>
            <details>
                <summary>{move || tx("edit")}</summary>
                <form class="form rule-edit" novalidate on:submit=save>
                    {match rows {
                        Some(rows) => view! { <CriteriaEditor rows=rows/> }.into_any(),
                        None => view! {
                            <p class="muted">{move || tx("raw")}" "{move || tx("criteriaHint")}</p>
                            <label>{move || tx("criteriaJson")}
                                <textarea name="criteria" rows="10" spellcheck="false" prop:value=move || json.get() on:input=move |ev| json.set(event_target_value(&ev))></textarea></label>
                        }.into_any(),
                    }}
                    <label>{move || tx("note")}<input type="text" name="note" maxlength="500" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/></label>
                    <label class="check"><input type="checkbox" name="active" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev))/>{move || tx("active")}</label>
                    {move || invalid.get().map(|(n, k)| view! {
                        <p class="form-error" role="alert" data-testid="criteria-invalid">{move || if n > 0 { format!("{} {n} · {}", tx("criterion"), tx(k)) } else { tx(k).to_owned() }}</p>
                    })}
                    {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
                    {move || saved.get().then(|| view! { <p class="good" role="status">{move || tx("saved")}</p> })}
                    <button class="btn primary" type="submit" disabled=move || busy.get()>{move || tx("save")}</button>
                </form>
                <h3>{move || tx("history")}</h3>
                <ol class="versions">{r.versions.into_iter().map(|v| view! {
                    <li>{move || tx("version")}" "{v.version}" · "{crate::components::local_time(&v.changed_at)}
                        {v.changed_by.map(|u| format!(" · {}", u.name))}
                        {v.note.map(|n| view! { " · "<em>{move || pick(&n)}</em> })}</li>
                }).collect_view()}</ol>
            </details>
        </article>
    }
}

/// The kinds of criterion (`dudao_domain::promotion::Criterion`): code and text.
static KINDS: &[(&str, &str)] = &[
    ("METRIC_STREAK", "k.METRIC_STREAK"),
    ("LATEST_GRADE", "k.LATEST_GRADE"),
    ("GRADE_IN_LAST", "k.GRADE_IN_LAST"),
    ("MIN_TENURE", "k.MIN_TENURE"),
    ("MIN_COACHING", "k.MIN_COACHING"),
];
/// The figures a streak reads (`Metric`).
static METRICS: &[(&str, &str)] = &[
    ("SALES_ATTAINMENT", "m.SALES_ATTAINMENT"),
    ("COLLECTION_RATE", "m.COLLECTION_RATE"),
];
/// Period kinds (`PeriodKind`).
static PERIODS: &[(&str, &str)] = &[
    ("MONTH", "p.MONTH"),
    ("QUARTER", "p.QUARTER"),
    ("YEAR", "p.YEAR"),
];
/// Indicator categories (`IndicatorCategory`); the empty code is the overall grade (null).
static CATEGORIES: &[(&str, &str)] = &[
    ("", "c.ALL"),
    ("RESULT", "c.RESULT"),
    ("PROCESS", "c.PROCESS"),
    ("CAPABILITY", "c.CAPABILITY"),
];
/// Grades, best first (`evaluation::grade_rank`); shown as they are.
static GRADES: &[(&str, &str)] = &[("A", ""), ("B", ""), ("C", ""), ("D", "")];

fn listed(list: &[(&str, &str)], code: &str) -> bool {
    list.iter().any(|(c, _)| *c == code)
}

/// One criterion as the server's JSON has it (`dudao_domain::promotion::Criterion`), codes
/// as text checked against the lists above.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE", deny_unknown_fields)]
enum Criterion {
    MetricStreak {
        metric: String,
        min: f64,
        periods: u32,
        period_kind: String,
    },
    LatestGrade {
        category: Option<String>,
        min_grade: String,
    },
    GradeInLast {
        period_kind: String,
        count: u32,
        min_grade: String,
        category: Option<String>,
    },
    MinTenure {
        months: u32,
    },
    MinCoaching {
        sessions: u32,
    },
}

/// The stored criteria, when every one is of a kind, with fields and codes, the form knows.
fn parse(json: &str) -> Option<Vec<Criterion>> {
    let category = |c: &Option<String>| {
        c.as_deref()
            .is_none_or(|c| !c.is_empty() && listed(CATEGORIES, c))
    };
    let list: Vec<Criterion> = serde_json::from_str(json).ok()?;
    list.iter()
        .all(|c| match c {
            Criterion::MetricStreak {
                metric,
                period_kind,
                ..
            } => listed(METRICS, metric) && listed(PERIODS, period_kind),
            Criterion::LatestGrade {
                category: c,
                min_grade,
            } => category(c) && listed(GRADES, min_grade),
            Criterion::GradeInLast {
                period_kind,
                min_grade,
                category: c,
                ..
            } => listed(PERIODS, period_kind) && listed(GRADES, min_grade) && category(c),
            Criterion::MinTenure { .. } | Criterion::MinCoaching { .. } => true,
        })
        .then_some(list)
}

/// A threshold (a fraction) as the percentage shown: 0.95 → "95".
fn percent(min: f64) -> String {
    format!("{}", (min * 1e6).round() / 1e4)
}

/// One criterion in the form: its kind and the fields of every kind as typed (switching
/// the kind keeps what was typed for another).
#[derive(Clone, Copy)]
struct Row {
    uid: u32,
    kind: RwSignal<String>,
    metric: RwSignal<String>,
    pct: RwSignal<String>,
    periods: RwSignal<String>,
    period: RwSignal<String>,
    category: RwSignal<String>,
    grade: RwSignal<String>,
    count: RwSignal<String>,
    months: RwSignal<String>,
    sessions: RwSignal<String>,
}

impl Row {
    fn new(uid: u32, c: &Criterion) -> Row {
        let s = |v: &str| RwSignal::new(v.to_owned());
        let r = Row {
            uid,
            kind: s(KINDS[0].0),
            metric: s(METRICS[0].0),
            pct: s("100"),
            periods: s("4"),
            period: s("QUARTER"),
            category: s(""),
            grade: s("A"),
            count: s("3"),
            months: s("12"),
            sessions: s("6"),
        };
        let kind = |k: usize| r.kind.set(KINDS[k].0.to_owned());
        let cat = |c: &Option<String>| r.category.set(c.clone().unwrap_or_default());
        match c {
            Criterion::MetricStreak {
                metric,
                min,
                periods,
                period_kind,
            } => {
                r.metric.set(metric.clone());
                r.pct.set(percent(*min));
                r.periods.set(periods.to_string());
                r.period.set(period_kind.clone());
            }
            Criterion::LatestGrade {
                category,
                min_grade,
            } => {
                kind(1);
                cat(category);
                r.grade.set(min_grade.clone());
            }
            Criterion::GradeInLast {
                period_kind,
                count,
                min_grade,
                category,
            } => {
                kind(2);
                r.period.set(period_kind.clone());
                r.count.set(count.to_string());
                r.grade.set(min_grade.clone());
                cat(category);
            }
            Criterion::MinTenure { months } => {
                kind(3);
                r.months.set(months.to_string());
            }
            Criterion::MinCoaching { sessions } => {
                kind(4);
                r.sessions.set(sessions.to_string());
            }
        }
        r
    }

    /// The criterion this row says, or the text key of what is wrong with it (the
    /// server's ranges, `validate_rule`).
    fn criterion(&self) -> Result<Criterion, &'static str> {
        let int = |v: RwSignal<String>, max: u32, min: u32, err: &'static str| {
            v.with_untracked(|v| v.trim().parse::<u32>().ok())
                .filter(|n| (min..=max).contains(n))
                .ok_or(err)
        };
        let get = |v: RwSignal<String>| v.get_untracked();
        let category = Some(get(self.category)).filter(|c| !c.is_empty());
        Ok(match self.kind.with_untracked(String::clone).as_str() {
            "METRIC_STREAK" => {
                let pct = self
                    .pct
                    .with_untracked(|v| v.trim().parse::<f64>().ok())
                    .filter(|p| p.is_finite() && (0.0..=1000.0).contains(p))
                    .ok_or("errPct")?;
                Criterion::MetricStreak {
                    metric: get(self.metric),
                    min: (pct * 1e4).round() / 1e6,
                    periods: int(self.periods, 12, 1, "errPeriods")?,
                    period_kind: get(self.period),
                }
            }
            "LATEST_GRADE" => Criterion::LatestGrade {
                category,
                min_grade: get(self.grade),
            },
            "GRADE_IN_LAST" => Criterion::GradeInLast {
                period_kind: get(self.period),
                count: int(self.count, 12, 1, "errPeriods")?,
                min_grade: get(self.grade),
                category,
            },
            "MIN_TENURE" => Criterion::MinTenure {
                months: int(self.months, 600, 0, "errMonths")?,
            },
            _ => Criterion::MinCoaching {
                sessions: int(self.sessions, 500, 0, "errSessions")?,
            },
        })
    }
}

/// The rows as the JSON the server takes, or the first problem: the row's number (0 for
/// the list as a whole) and the text key.
fn criteria_json(rows: &[Row]) -> Result<String, (usize, &'static str)> {
    if rows.is_empty() || rows.len() > 20 {
        return Err((0, "errCount"));
    }
    let list = (1..)
        .zip(rows)
        .map(|(n, r)| r.criterion().map_err(|e| (n, e)))
        .collect::<Result<Vec<_>, _>>()?;
    serde_json::to_string(&list).map_err(|_| (0, "errCount"))
}

/// A select over one of the code lists, bound to `v`.
fn choice(
    name: &'static str,
    list: &'static [(&'static str, &'static str)],
    v: RwSignal<String>,
) -> impl IntoView {
    view! {
        <select name=name prop:value=move || v.get() on:change=move |ev| v.set(event_target_value(&ev))>
            {list.iter().map(|&(c, k)| view! {
                <option value=c selected=move || v.get_untracked() == c>{move || if k.is_empty() { c } else { tx(k) }}</option>
            }).collect_view()}
        </select>
    }
}

/// A labelled number field bound to `v`.
fn number(
    label: &'static str,
    name: &'static str,
    step: &'static str,
    v: RwSignal<String>,
) -> impl IntoView {
    let mode = if step == "1" { "numeric" } else { "decimal" };
    view! {
        <label>{move || tx(label)}
            <input type="number" name=name min="0" step=step inputmode=mode
                prop:value=move || v.get() on:input=move |ev| v.set(event_target_value(&ev))/></label>
    }
}

/// The criteria as rows (a kind and its fields, "remove"), and "add a criterion".
#[component]
fn CriteriaEditor(rows: RwSignal<Vec<Row>>) -> impl IntoView {
    let field = |label: &'static str, name, list, v| {
        view! { <label>{move || tx(label)}{choice(name, list, v)}</label> }
    };
    view! {
        <div class="crit-edit" role="group" aria-label=move || tx("criteria")>
            <span class="crit-title">{move || tx("criteria")}</span>
            <ol class="crit-rows">
                <For each=move || rows.get() key=|r| r.uid let:r>
                    <li class="crit" data-testid="criterion">
                        {field("kind", "kind", KINDS, r.kind)}
                        {move || match r.kind.get().as_str() {
                            "METRIC_STREAK" => view! {
                                {field("metric", "metric", METRICS, r.metric)}
                                {number("minPct", "min", "any", r.pct)}
                                {number("periods", "periods", "1", r.periods)}
                                {field("periodKind", "periodKind", PERIODS, r.period)}
                            }.into_any(),
                            "LATEST_GRADE" => view! {
                                {field("category", "category", CATEGORIES, r.category)}
                                {field("minGrade", "minGrade", GRADES, r.grade)}
                            }.into_any(),
                            "GRADE_IN_LAST" => view! {
                                {field("periodKind", "periodKind", PERIODS, r.period)}
                                {number("count", "count", "1", r.count)}
                                {field("minGrade", "minGrade", GRADES, r.grade)}
                                {field("category", "category", CATEGORIES, r.category)}
                            }.into_any(),
                            "MIN_TENURE" => number("months", "months", "1", r.months).into_any(),
                            _ => number("sessions", "sessions", "1", r.sessions).into_any(),
                        }}
                        <button type="button" class="btn small-btn crit-remove"
                            on:click=move |_| rows.update(|v| v.retain(|x| x.uid != r.uid))>{move || tx("remove")}</button>
                    </li>
                </For>
            </ol>
            <button type="button" class="btn small-btn" data-testid="add-criterion" on:click=move |_| {
                let uid = rows.with_untracked(|v| v.iter().map(|r| r.uid + 1).max().unwrap_or(0));
                let r = Row::new(uid, &Criterion::MinTenure { months: 12 });
                rows.update(|v| v.push(r));
            }>"+ "{move || tx("add")}</button>
        </div>
    }
}

/// The criteria as indented JSON for editing (as stored when it does not parse).
fn pretty(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| json.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_sorted_by_unique_keys() {
        for pair in TEXTS.windows(2) {
            if let [a, b] = pair {
                assert!(a.0 < b.0, "{} must come before {}", a.0, b.0);
            }
        }
    }

    #[test]
    fn every_text_asked_for_exists() {
        let src = include_str!("promotion.rs");
        for part in src.split("tx(\"").skip(1) {
            if let Some(key) = part.split('"').next() {
                assert!(
                    TEXTS.binary_search_by(|(k, _, _)| k.cmp(&key)).is_ok(),
                    "no text {key}"
                );
            }
        }
        for t in ["t.EXPERT", "t.MANAGEMENT"] {
            assert!(TEXTS.iter().any(|(k, _, _)| *k == t));
        }
    }

    const STORED: &str = r#"[{"kind":"METRIC_STREAK","metric":"COLLECTION_RATE","min":0.95,"periods":4,"period_kind":"QUARTER"},{"kind":"LATEST_GRADE","category":"CAPABILITY","min_grade":"A"},{"kind":"GRADE_IN_LAST","period_kind":"YEAR","count":3,"min_grade":"B","category":null},{"kind":"MIN_TENURE","months":12},{"kind":"MIN_COACHING","sessions":6}]"#;

    fn rows_of(json: &str) -> Vec<Row> {
        (0..)
            .zip(&parse(json).unwrap_or_default())
            .map(|(uid, c)| Row::new(uid, c))
            .collect()
    }

    #[test]
    fn every_code_has_its_text() {
        for list in [KINDS, METRICS, PERIODS, CATEGORIES, STATUSES] {
            for (_, k) in list {
                assert!(
                    TEXTS.binary_search_by(|(t, _, _)| t.cmp(k)).is_ok(),
                    "no text {k}"
                );
            }
        }
    }

    #[test]
    fn stored_criteria_come_back_unchanged_through_the_form() {
        let rows = rows_of(STORED);
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[0].pct.get_untracked(), "95");
        assert_eq!(rows[1].category.get_untracked(), "CAPABILITY");
        assert_eq!(rows[2].category.get_untracked(), "");
        assert_eq!(criteria_json(&rows).as_deref(), Ok(STORED));
        // What the server seeds: a whole threshold.
        let one = r#"[{"kind":"METRIC_STREAK","metric":"SALES_ATTAINMENT","min":1.0,"periods":4,"period_kind":"QUARTER"}]"#;
        let rows = rows_of(one);
        assert_eq!(rows[0].pct.get_untracked(), "100");
        assert_eq!(criteria_json(&rows).as_deref(), Ok(one));
    }

    #[test]
    fn percentages_are_fractions_without_noise() {
        assert_eq!(percent(0.333), "33.3");
        assert_eq!(percent(1.25), "125");
        let rows = rows_of(
            r#"[{"kind":"METRIC_STREAK","metric":"SALES_ATTAINMENT","min":1,"periods":1,"period_kind":"MONTH"}]"#,
        );
        rows[0].pct.set(String::from("33.3"));
        assert!(criteria_json(&rows).is_ok_and(|j| j.contains(r#""min":0.333,"#)));
    }

    #[test]
    fn what_the_form_does_not_know_stays_raw() {
        for json in [
            "not json",
            "{}",
            r#"[{"kind":"MAX_AGE","years":40}]"#,
            r#"[{"kind":"MIN_TENURE","months":12,"unit":"weeks"}]"#,
            r#"[{"kind":"MIN_TENURE","months":12.5}]"#,
            r#"[{"kind":"LATEST_GRADE","category":"LUCK","min_grade":"A"}]"#,
            r#"[{"kind":"LATEST_GRADE","category":null,"min_grade":"S"}]"#,
            r#"[{"kind":"METRIC_STREAK","metric":"PROFIT","min":1,"periods":4,"period_kind":"QUARTER"}]"#,
            r#"[{"kind":"GRADE_IN_LAST","period_kind":"WEEK","count":3,"min_grade":"A","category":null}]"#,
        ] {
            assert!(parse(json).is_none(), "{json} parsed");
        }
        assert!(parse(r#"[{"kind":"LATEST_GRADE","min_grade":"A"}]"#).is_some());
    }

    #[test]
    fn numbers_are_checked_before_sending() {
        let rows = rows_of(STORED);
        let bad = |v: RwSignal<String>, text: &str, row: usize, key: &str| {
            let before = v.get_untracked();
            v.set(text.into());
            assert_eq!(criteria_json(&rows), Err((row, key)), "{text}");
            v.set(before);
        };
        for t in ["", "-1", "1.5", "601", "abc"] {
            bad(rows[3].months, t, 4, "errMonths");
        }
        for t in ["0", "13", ""] {
            bad(rows[0].periods, t, 1, "errPeriods");
            bad(rows[2].count, t, 3, "errPeriods");
        }
        for t in ["-1", "1000.5", "", "NaN", "inf"] {
            bad(rows[0].pct, t, 1, "errPct");
        }
        bad(rows[4].sessions, "501", 5, "errSessions");
        assert!(criteria_json(&rows).is_ok());
        rows[3].months.set(" 0 ".into());
        assert!(
            criteria_json(&rows).is_ok_and(|j| j.contains(r#"{"kind":"MIN_TENURE","months":0}"#))
        );
        // Switching a row's kind keeps its other fields for later.
        rows[3].kind.set("MIN_COACHING".into());
        assert!(criteria_json(&rows).is_ok_and(|j| j.matches("MIN_COACHING").count() == 2));
        assert_eq!(criteria_json(&[]), Err((0, "errCount")));
    }

    #[test]
    fn unknown_statuses_in_the_url_mean_all() {
        assert_eq!(status_of("ELIGIBLE".into()), "ELIGIBLE");
        assert_eq!(status_of("eligible".into()), "");
    }

    #[test]
    fn criteria_are_shown_indented() {
        assert_eq!(
            pretty("[{\"kind\":\"MIN_TENURE\",\"months\":12}]")
                .lines()
                .count(),
            6
        );
        assert_eq!(pretty("not json"), "not json");
    }
}
