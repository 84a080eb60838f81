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
use crate::components::{ErrorBox, Loading, submit};
use crate::i18n::{Lang, lang, pick, t_of};
use crate::{Role, viewer_role};

/// This module's texts: key, Chinese, English; sorted by key (a unit test checks).
static TEXTS: &[(&str, &str, &str)] = &[
    ("active", "启用", "Active"),
    ("all", "全部", "All"),
    ("allRegions", "全部区域", "All regions"),
    ("asOf", "截至", "As of"),
    ("candidates", "晋升候选人", "Promotion candidates"),
    ("criteria", "条件", "Criteria"),
    (
        "criteriaHint",
        "每个条件一个对象：METRIC_STREAK（metric、min、periods、period_kind）、LATEST_GRADE（category、min_grade）、GRADE_IN_LAST（period_kind、count、min_grade、category）、MIN_TENURE（months）、MIN_COACHING（sessions）。",
        "One object per criterion: METRIC_STREAK (metric, min, periods, period_kind), LATEST_GRADE (category, min_grade), GRADE_IN_LAST (period_kind, count, min_grade, category), MIN_TENURE (months), MIN_COACHING (sessions).",
    ),
    ("criteriaJson", "条件（数据）", "Criteria (data)"),
    ("edit", "编辑", "Edit"),
    ("eligible", "符合条件", "Eligible"),
    ("failed", "未满足", "Short of"),
    ("history", "修改记录", "History"),
    ("inactive", "停用", "Inactive"),
    ("mine", "我的晋升路径", "My promotion paths"),
    ("missing", "还差", "Missing"),
    ("nearly", "差一项", "One criterion short"),
    ("noRules", "还没有晋升规则", "No promotion rules yet"),
    ("none", "没有符合筛选的销售代表", "No reps match"),
    ("not", "未符合", "Not yet"),
    ("note", "修改原因", "Why it changed"),
    ("paths", "晋升路径", "Promotion paths"),
    ("region", "区域", "Region"),
    ("rep", "销售代表", "Rep"),
    ("rule", "规则", "Rule"),
    ("rules", "晋升规则", "Promotion rules"),
    ("save", "保存新版本", "Save a new version"),
    ("saved", "已保存为新版本", "Saved as a new version"),
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

/// Reps against one rule, filtered by status.
#[component]
fn CandidatesPage(rules: Vec<promotion_rules::PromotionRulesPromotionRules>) -> impl IntoView {
    let first_rule = rules
        .iter()
        .find(|r| r.active)
        .map(|r| r.id.clone())
        .unwrap_or_default();
    let rule = RwSignal::new(first_rule);
    let status = RwSignal::new(String::new());
    let region = RwSignal::new(String::new());
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
                                view! { <option value=r.id>{move || format!("{} · {}", tx(tk), if lang().get() == Lang::En { en.clone() } else { zh.clone() })}</option> }
                            }).collect_view()}
                        </select>
                        <select name="status" prop:value=move || status.get() on:change=move |ev| status.set(event_target_value(&ev))>
                            <option value="">{move || tx("all")}</option>
                            <option value="ELIGIBLE">{move || tx("eligible")}</option>
                            <option value="NEARLY_ELIGIBLE">{move || tx("nearly")}</option>
                            <option value="NOT_ELIGIBLE">{move || tx("not")}</option>
                        </select>
                        <select name="region" prop:value=move || region.get() on:change=move |ev| region.set(event_target_value(&ev))>
                            <option value="">{move || tx("allRegions")}</option>
                            {move || regions.get().and_then(Result::ok).map(|d| d.regions.edges.into_iter().map(|e| {
                                view! { <option value=e.node.id>{e.node.name}</option> }
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

/// The rules with their criteria in words, each editable as data with a reason, and the
/// versions kept.
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
                    <p class="muted">{move || tx("criteriaHint")}</p>
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
    let json = RwSignal::new(pretty(&r.criteria_json));
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
            criteria_json: json.get_untracked(),
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
                <form class="form rule-edit" on:submit=save>
                    <label>{move || tx("criteriaJson")}
                        <textarea name="criteria" rows="10" spellcheck="false" prop:value=move || json.get() on:input=move |ev| json.set(event_target_value(&ev))></textarea></label>
                    <label>{move || tx("note")}<input type="text" name="note" maxlength="500" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/></label>
                    <label class="check"><input type="checkbox" name="active" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev))/>{move || tx("active")}</label>
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
