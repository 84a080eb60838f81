//! A director's settings of evaluations: the templates (indicators in RESULT / PROCESS /
//! CAPABILITY with weights that sum to 100, each filled by hand, from the figures or from
//! 360° input) and the grade scale with the anonymity threshold. Routed from
//! `evaluations::Pages` (`/evaluations/templates`, `/evaluations/templates/<id|new>`), so
//! it lives in the same lazily loaded module; its texts are its own table.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api::{
    ApiError, EvaluationTemplates, SaveEvaluationTemplate, SetGradeScale, call,
    evaluation_templates, save_evaluation_template, set_grade_scale,
};
use crate::components::{ErrorBox, Loading, submit};
use crate::i18n::{Lang, lang, pick, t_of};

/// This module's texts: key, Chinese, English; sorted by key (a unit test checks).
static TEXTS: &[(&str, &str, &str)] = &[
    ("active", "启用", "Active"),
    ("add", "添加指标", "Add indicator"),
    ("all", "全部模板", "All templates"),
    ("c.CAPABILITY", "能力", "Capability"),
    ("c.PROCESS", "过程", "Process"),
    ("c.RESULT", "结果", "Result"),
    ("category", "类别", "Category"),
    ("copy", "另存为新模板", "Save as a new template"),
    ("count", "指标数", "Indicators"),
    (
        "frozen",
        "修改模板不影响已开始的评估：每份评估保留开始时的指标副本。",
        "Editing a template does not change evaluations already under way: each keeps the indicators it started with.",
    ),
    ("gs.a", "A 不低于", "A from"),
    (
        "gs.anon",
        "匿名门槛（人数）",
        "Anonymity threshold (raters)",
    ),
    ("gs.b", "B 不低于", "B from"),
    ("gs.c", "C 不低于", "C from"),
    (
        "gs.hint",
        "按未四舍五入的总分定级；同事或客户评价人数低于门槛时，被评估人只在总分里看到它。",
        "Grades are decided on the unrounded total; a PEER or CUSTOMER group with fewer raters than the threshold shows to the person evaluated only inside the total.",
    ),
    ("gs.saved", "已保存", "Saved"),
    ("gs.title", "等级与匿名", "Grades and anonymity"),
    ("inactive", "停用", "Inactive"),
    ("indicators", "指标与权重", "Indicators and weights"),
    ("k.MONTH", "月度", "Monthly"),
    ("k.QUARTER", "季度", "Quarterly"),
    ("k.YEAR", "年度", "Annual"),
    ("key", "代码", "Key"),
    ("nameEn", "英文名称", "English name"),
    ("nameZh", "中文名称", "Chinese name"),
    ("new", "新建模板", "New template"),
    ("none", "暂无模板", "No templates yet"),
    ("period", "周期", "Period"),
    ("reload", "重新载入", "Reload"),
    ("remove", "删除", "Remove"),
    ("save", "保存", "Save"),
    ("saved", "模板已保存", "Template saved"),
    ("sk.REP", "销售代表", "Reps"),
    ("sk.SUPERVISOR", "督导", "Supervisors"),
    ("source", "数据来源", "Filled from"),
    (
        "src.COLLECTION_RATE",
        "回款率（对目标）",
        "Collection rate (vs target)",
    ),
    (
        "src.COMPLAINT_RESPONSE",
        "投诉响应（对 24 小时）",
        "Complaint response (vs 24 h)",
    ),
    ("src.MANUAL", "人工评分", "Scored by hand"),
    (
        "src.NEW_CUSTOMERS",
        "新客户（对目标）",
        "New customers (vs target)",
    ),
    (
        "src.RECORD_COMPLETENESS",
        "记录完整率",
        "Record completeness",
    ),
    ("src.SALES_ATTAINMENT", "销售达成率", "Sales attainment"),
    (
        "src.SATISFACTION",
        "客户满意度（对 8.5）",
        "Satisfaction (vs 8.5)",
    ),
    ("src.THREE_SIXTY", "360° 评价", "360° input"),
    ("src.TRAINING_ATTENDANCE", "培训出勤", "Training attendance"),
    ("src.TRAINING_RESULTS", "培训成绩", "Training results"),
    ("src.VISIT_COMPLIANCE", "拜访达标率", "Visit compliance"),
    ("sum", "权重合计", "Weights total"),
    ("sum.bad", "须为 100", "must be 100"),
    ("title", "评估模板", "Evaluation templates"),
    ("weight", "权重", "Weight"),
    ("who", "对象", "Who"),
];

fn tx(key: &'static str) -> &'static str {
    t_of(TEXTS, key)
}

const CATEGORIES: [&str; 3] = ["RESULT", "PROCESS", "CAPABILITY"];
const SOURCES: [&str; 11] = [
    "MANUAL",
    "SALES_ATTAINMENT",
    "COLLECTION_RATE",
    "NEW_CUSTOMERS",
    "SATISFACTION",
    "THREE_SIXTY",
    "VISIT_COMPLIANCE",
    "RECORD_COMPLETENESS",
    "COMPLAINT_RESPONSE",
    "TRAINING_ATTENDANCE",
    "TRAINING_RESULTS",
];

fn category_key(c: &str) -> &'static str {
    match c {
        "RESULT" => "c.RESULT",
        "PROCESS" => "c.PROCESS",
        _ => "c.CAPABILITY",
    }
}

fn source_key(s: &str) -> &'static str {
    match s {
        "SALES_ATTAINMENT" => "src.SALES_ATTAINMENT",
        "COLLECTION_RATE" => "src.COLLECTION_RATE",
        "NEW_CUSTOMERS" => "src.NEW_CUSTOMERS",
        "SATISFACTION" => "src.SATISFACTION",
        "THREE_SIXTY" => "src.THREE_SIXTY",
        "VISIT_COMPLIANCE" => "src.VISIT_COMPLIANCE",
        "RECORD_COMPLETENESS" => "src.RECORD_COMPLETENESS",
        "COMPLAINT_RESPONSE" => "src.COMPLAINT_RESPONSE",
        "TRAINING_ATTENDANCE" => "src.TRAINING_ATTENDANCE",
        "TRAINING_RESULTS" => "src.TRAINING_RESULTS",
        _ => "src.MANUAL",
    }
}

fn period_key(k: &str) -> &'static str {
    match k {
        "MONTH" => "k.MONTH",
        "QUARTER" => "k.QUARTER",
        _ => "k.YEAR",
    }
}

/// A generated enum's schema name (`RESULT`), through its serde form.
fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A generated enum from its schema name (the inverse of [`code`]).
fn from_code<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}

/// Weights as people type them: `12.5`, `12,5`, blank for 0.
fn weight_of(s: &str) -> f64 {
    s.trim().replace(',', ".").parse::<f64>().unwrap_or(0.0)
}

/// A weight without trailing zeros: `40`, `12.5`.
fn weight_text(w: f64) -> String {
    if w == 0.0 {
        // Also -0.0, which an empty sum of floats is.
        return "0".to_owned();
    }
    let s = format!("{w:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The sum the server checks (within a millionth of 100).
fn sums_to_100(total: f64) -> bool {
    (total - 100.0).abs() < 1e-6
}

/// The template pages: the list and the grade scale, or (`which`: an id or `new`) the editor.
#[component]
pub fn Pages(which: Option<String>) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        reload.track();
        call::<EvaluationTemplates>(evaluation_templates::Variables {})
    });
    view! {
        <section class="page evaluations templates">
            <div class="page-head">
                <h1>{move || tx("title")}</h1>
                <span class="spacer"></span>
                <super::evaluations::Tabs/>
            </div>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) => match which.clone() {
                    None => view! {
                        <GradeScaleCard scale=d.grade_scale.clone()/>
                        <TemplateList rows=d.evaluation_templates/>
                    }.into_any(),
                    Some(id) => {
                        let t = d.evaluation_templates.iter().find(|t| t.id == id).cloned();
                        if id != "new" && t.is_none() {
                            view! { <p class="muted">{move || crate::i18n::t("notfound")}</p> }.into_any()
                        } else {
                            view! { <Editor template=t reload=reload/> }.into_any()
                        }
                    }
                },
            }}
        </section>
    }
}

#[component]
fn TemplateList(
    rows: Vec<evaluation_templates::EvaluationTemplatesEvaluationTemplates>,
) -> impl IntoView {
    view! {
        <div class="card">
            <div class="page-head">
                <h2>{move || tx("title")}</h2>
                <span class="spacer"></span>
                <A href="/evaluations/templates/new" attr:class="btn primary">{move || tx("new")}</A>
            </div>
            <p class="muted">{move || tx("frozen")}</p>
            {if rows.is_empty() {
                view! { <p class="muted">{move || tx("none")}</p> }.into_any()
            } else {
                view! {
                    <table class="list templates">
                        <thead><tr>
                            <th>{move || tx("nameZh")}</th><th>{move || tx("who")}</th><th>{move || tx("period")}</th>
                            <th class="num">{move || tx("count")}</th><th>{move || tx("indicators")}</th><th>{move || tx("active")}</th>
                        </tr></thead>
                        <tbody>{rows.into_iter().map(|t| {
                            let href = format!("/evaluations/templates/{}", t.id);
                            let (zh, en) = (t.name_zh.clone(), t.name_en.clone());
                            let sk = if code(&t.subject_kind) == "SUPERVISOR" { "sk.SUPERVISOR" } else { "sk.REP" };
                            let pk = period_key(&code(&t.period_kind));
                            let n = t.indicators.len();
                            let parts: Vec<(String, f64)> = CATEGORIES
                                .iter()
                                .map(|c| {
                                    let w = t.indicators.iter().filter(|i| code(&i.category) == *c).map(|i| i.weight).sum::<f64>();
                                    ((*c).to_owned(), w)
                                })
                                .collect();
                            view! { <tr class:muted=!t.active>
                                <td data-label=move || tx("nameZh")><A href=href>{move || if lang().get() == Lang::En { en.clone() } else { zh.clone() }}</A></td>
                                <td data-label=move || tx("who")>{move || tx(sk)}</td>
                                <td data-label=move || tx("period")>{move || tx(pk)}</td>
                                <td class="num" data-label=move || tx("count")>{n}</td>
                                <td data-label=move || tx("indicators")><CategoryBar parts=parts/></td>
                                <td data-label=move || tx("active")>{move || if t.active { tx("active") } else { tx("inactive") }}</td>
                            </tr> }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </div>
    }
}

/// The weights per category as one stacked bar with its figures.
#[component]
fn CategoryBar(parts: Vec<(String, f64)>) -> impl IntoView {
    let total: f64 = parts.iter().map(|(_, w)| w).sum::<f64>().max(1.0);
    let labels = parts.clone();
    view! {
        <span class="stack weights" role="img">
            {parts.into_iter().map(|(c, w)| {
                let style = format!("width:{:.1}%", 100.0 * w / total);
                view! { <span class=format!("seg cat-{}", c.to_lowercase()) style=style></span> }
            }).collect_view()}
        </span>
        <small class="muted">{move || labels.iter().filter(|(_, w)| *w != 0.0).map(|(c, w)| format!(" {} {}", tx(category_key(c)), weight_text(*w))).collect::<String>()}</small>
    }
}

#[component]
fn GradeScaleCard(scale: evaluation_templates::EvaluationTemplatesGradeScale) -> impl IntoView {
    let a = RwSignal::new(weight_text(scale.a));
    let b = RwSignal::new(weight_text(scale.b));
    let c = RwSignal::new(weight_text(scale.c));
    let anon = RwSignal::new(scale.anonymity_threshold.to_string());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let vars = set_grade_scale::Variables {
            a: weight_of(&a.get_untracked()),
            b: weight_of(&b.get_untracked()),
            c: weight_of(&c.get_untracked()),
            anonymity_threshold: anon.get_untracked().trim().parse().unwrap_or(3),
        };
        submit(
            busy,
            error,
            async move { call::<SetGradeScale>(vars).await },
            Callback::new(move |_| saved.set(true)),
        );
    };
    let field = move |key: &'static str,
                      name: &'static str,
                      sig: RwSignal<String>,
                      max: &'static str| {
        view! {
            <label>{move || tx(key)}
                <input type="number" name=name min="0" max=max step="any" required
                    prop:value=move || sig.get() on:input=move |ev| { saved.set(false); sig.set(event_target_value(&ev)) }/>
            </label>
        }
    };
    view! {
        <form class="card form grade-scale" on:submit=save>
            <h2>{move || tx("gs.title")}</h2>
            <div class="inline-form">
                {field("gs.a", "a", a, "100")}
                {field("gs.b", "b", b, "100")}
                {field("gs.c", "c", c, "100")}
                {field("gs.anon", "anonymity", anon, "50")}
                <button class="btn primary" type="submit" disabled=move || busy.get()>{move || tx("save")}</button>
            </div>
            <p class="muted">{move || tx("gs.hint")}</p>
            {move || saved.get().then(|| view! { <p class="good" role="status">{move || tx("gs.saved")}</p> })}
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
        </form>
    }
}

thread_local! {
    /// Set by a save, read by the editor drawn next: saving moves to the template's own
    /// address (a new template has none before), which draws a fresh editor.
    static JUST_SAVED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// One indicator row being edited; every field its own signal, so typing redraws one input.
#[derive(Clone, Copy)]
struct Row {
    uid: u32,
    key: RwSignal<String>,
    name_zh: RwSignal<String>,
    name_en: RwSignal<String>,
    category: RwSignal<String>,
    weight: RwSignal<String>,
    source: RwSignal<String>,
}

impl Row {
    fn new(uid: u32, key: &str, zh: &str, en: &str, cat: &str, w: f64, src: &str) -> Self {
        Row {
            uid,
            key: RwSignal::new(key.to_owned()),
            name_zh: RwSignal::new(zh.to_owned()),
            name_en: RwSignal::new(en.to_owned()),
            category: RwSignal::new(cat.to_owned()),
            weight: RwSignal::new(if w == 0.0 {
                String::new()
            } else {
                weight_text(w)
            }),
            source: RwSignal::new(src.to_owned()),
        }
    }
}

#[component]
fn Editor(
    template: Option<evaluation_templates::EvaluationTemplatesEvaluationTemplates>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let navigate = use_navigate();
    let id = template.as_ref().map(|t| t.id.clone());
    let is_new = id.is_none();
    let version = template.as_ref().map(|t| t.version);
    let name_zh = RwSignal::new(
        template
            .as_ref()
            .map(|t| t.name_zh.clone())
            .unwrap_or_default(),
    );
    let name_en = RwSignal::new(
        template
            .as_ref()
            .map(|t| t.name_en.clone())
            .unwrap_or_default(),
    );
    let subject = RwSignal::new(
        template
            .as_ref()
            .map_or_else(|| "REP".to_owned(), |t| code(&t.subject_kind)),
    );
    let period = RwSignal::new(
        template
            .as_ref()
            .map_or_else(|| "QUARTER".to_owned(), |t| code(&t.period_kind)),
    );
    let active = RwSignal::new(template.as_ref().is_none_or(|t| t.active));
    let next_uid = StoredValue::new(0u32);
    let fresh = move || {
        let n = next_uid.get_value();
        next_uid.set_value(n + 1);
        n
    };
    let initial: Vec<Row> = match &template {
        Some(t) => t
            .indicators
            .iter()
            .map(|i| {
                Row::new(
                    fresh(),
                    &i.key,
                    &i.name_zh,
                    &i.name_en,
                    &code(&i.category),
                    i.weight,
                    &code(&i.source),
                )
            })
            .collect(),
        None => vec![Row::new(fresh(), "", "", "", "PROCESS", 100.0, "MANUAL")],
    };
    let rows = RwSignal::new(initial);
    let total = Memo::new(move |_| {
        rows.get()
            .iter()
            .map(|r| weight_of(&r.weight.get()))
            .sum::<f64>()
    });
    let per_category = Memo::new(move |_| {
        let rs = rows.get();
        CATEGORIES
            .iter()
            .map(|c| {
                let w = rs
                    .iter()
                    .filter(|r| r.category.get() == *c)
                    .map(|r| weight_of(&r.weight.get()))
                    .sum::<f64>();
                ((*c).to_owned(), w)
            })
            .collect::<Vec<_>>()
    });
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let saved = RwSignal::new(JUST_SAVED.with(|s| s.replace(false)));
    let save = move |as_new: bool| {
        use save_evaluation_template as q;
        saved.set(false);
        let indicators = rows
            .get_untracked()
            .iter()
            .map(|r| q::TemplateIndicatorInput {
                key: r.key.get_untracked().trim().to_owned(),
                name_zh: r.name_zh.get_untracked().trim().to_owned(),
                name_en: r.name_en.get_untracked().trim().to_owned(),
                category: from_code(&r.category.get_untracked())
                    .unwrap_or(q::IndicatorCategory::PROCESS),
                weight: weight_of(&r.weight.get_untracked()),
                source: from_code(&r.source.get_untracked()).unwrap_or(q::IndicatorSource::MANUAL),
            })
            .collect();
        let input = q::SaveEvaluationTemplateInput {
            id: if as_new { None } else { id.clone() },
            version: if as_new { None } else { version },
            name_zh: name_zh.get_untracked().trim().to_owned(),
            name_en: name_en.get_untracked().trim().to_owned(),
            subject_kind: from_code(&subject.get_untracked())
                .unwrap_or(q::EvaluationSubjectKind::REP),
            period_kind: from_code(&period.get_untracked()).unwrap_or(q::PeriodKind::QUARTER),
            indicators,
            active: active.get_untracked(),
        };
        let navigate = navigate.clone();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match call::<SaveEvaluationTemplate>(q::Variables { input }).await {
                Ok(d) => {
                    saved.set(true);
                    JUST_SAVED.with(|s| s.set(true));
                    navigate(
                        &format!("/evaluations/templates/{}", d.save_evaluation_template.id),
                        Default::default(),
                    );
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let save_new = save.clone();
    view! {
        <form class="card form template-editor" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save(false) }>
            <p><A href="/evaluations/templates">{move || tx("all")}</A></p>
            <div class="inline-form">
                <label>{move || tx("nameZh")}<input type="text" name="nameZh" required maxlength="100"
                    prop:value=move || name_zh.get() on:input=move |ev| name_zh.set(event_target_value(&ev))/></label>
                <label>{move || tx("nameEn")}<input type="text" name="nameEn" required maxlength="100"
                    prop:value=move || name_en.get() on:input=move |ev| name_en.set(event_target_value(&ev))/></label>
                <label>{move || tx("who")}
                    <select name="subjectKind" prop:value=move || subject.get() on:change=move |ev| subject.set(event_target_value(&ev))>
                        <option value="REP">{move || tx("sk.REP")}</option>
                        <option value="SUPERVISOR">{move || tx("sk.SUPERVISOR")}</option>
                    </select></label>
                <label>{move || tx("period")}
                    <select name="periodKind" prop:value=move || period.get() on:change=move |ev| period.set(event_target_value(&ev))>
                        <option value="MONTH">{move || tx("k.MONTH")}</option>
                        <option value="QUARTER">{move || tx("k.QUARTER")}</option>
                        <option value="YEAR">{move || tx("k.YEAR")}</option>
                    </select></label>
                <label class="check"><input type="checkbox" name="active" prop:checked=move || active.get()
                    on:change=move |ev| active.set(event_target_checked(&ev))/>{move || tx("active")}</label>
            </div>
            <h2>{move || tx("indicators")}</h2>
            <p class="muted">{move || tx("frozen")}</p>
            <table class="list indicators-edit">
                <thead><tr>
                    <th>{move || tx("key")}</th><th>{move || tx("nameZh")}</th><th>{move || tx("nameEn")}</th>
                    <th>{move || tx("category")}</th><th>{move || tx("source")}</th><th class="num">{move || tx("weight")}</th><th></th>
                </tr></thead>
                <tbody>
                    <For each=move || rows.get() key=|r| r.uid let:r>
                        <tr>
                            <td data-label=move || tx("key")><input type="text" name="key" required maxlength="40" pattern="[a-z0-9_]+"
                                prop:value=move || r.key.get() on:input=move |ev| r.key.set(event_target_value(&ev))/></td>
                            <td data-label=move || tx("nameZh")><input type="text" name="indicatorZh" required maxlength="100"
                                prop:value=move || r.name_zh.get() on:input=move |ev| r.name_zh.set(event_target_value(&ev))/></td>
                            <td data-label=move || tx("nameEn")><input type="text" name="indicatorEn" required maxlength="100"
                                prop:value=move || r.name_en.get() on:input=move |ev| r.name_en.set(event_target_value(&ev))/></td>
                            <td data-label=move || tx("category")>
                                <select name="category" prop:value=move || r.category.get() on:change=move |ev| r.category.set(event_target_value(&ev))>
                                    {CATEGORIES.iter().map(|c| view! { <option value=*c>{move || tx(category_key(c))}</option> }).collect_view()}
                                </select></td>
                            <td data-label=move || tx("source")>
                                <select name="source" prop:value=move || r.source.get() on:change=move |ev| r.source.set(event_target_value(&ev))>
                                    {SOURCES.iter().map(|s| view! { <option value=*s>{move || tx(source_key(s))}</option> }).collect_view()}
                                </select></td>
                            <td class="num" data-label=move || tx("weight")><input type="number" name="weight" min="0" max="100" step="any" required
                                prop:value=move || r.weight.get() on:input=move |ev| r.weight.set(event_target_value(&ev))/></td>
                            <td><button type="button" class="btn small" title=move || tx("remove")
                                on:click=move |_| rows.update(|v| v.retain(|x| x.uid != r.uid))>"×"</button></td>
                        </tr>
                    </For>
                </tbody>
            </table>
            <div class="inline-form">
                <button type="button" class="btn" on:click=move |_| {
                    let r = Row::new(fresh(), "", "", "", "PROCESS", 0.0, "MANUAL");
                    rows.update(|v| v.push(r));
                }>{move || tx("add")}</button>
                <span class="spacer"></span>
                <strong data-testid="weight-total" class:good=move || sums_to_100(total.get()) class:bad=move || !sums_to_100(total.get())>
                    {move || tx("sum")}" "{move || weight_text(total.get())}
                    {move || if sums_to_100(total.get()) { " ✓".to_owned() } else { format!(" · {}", tx("sum.bad")) }}
                </strong>
            </div>
            <p>{move || view! { <CategoryBar parts=per_category.get()/> }}</p>
            {move || error.get().map(|e| {
                let conflict = e.code == "CONFLICT";
                view! {
                    <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"
                        {conflict.then(|| view! { " "<button type="button" class="btn small" on:click=move |_| reload.update(|n| *n += 1)>{move || tx("reload")}</button> })}
                    </p>
                }
            })}
            {move || saved.get().then(|| view! { <p class="good" role="status">{move || tx("saved")}</p> })}
            <div class="inline-form">
                <button class="btn primary" type="submit" disabled=move || busy.get()>{move || tx("save")}</button>
                {(!is_new).then(|| view! {
                    <button type="button" class="btn" disabled=move || busy.get() on:click=move |_| save_new(true)>{move || tx("copy")}</button>
                })}
            </div>
        </form>
    }
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
        let src = include_str!("evaluation_templates.rs");
        for part in src.split("tx(\"").skip(1) {
            if let Some(key) = part.split('"').next() {
                assert!(
                    TEXTS.binary_search_by(|(k, _, _)| k.cmp(&key)).is_ok(),
                    "no text {key}"
                );
            }
        }
        for k in CATEGORIES {
            assert!(TEXTS.iter().any(|(t, _, _)| *t == category_key(k)));
        }
        for s in SOURCES {
            assert!(TEXTS.iter().any(|(t, _, _)| *t == source_key(s)), "{s}");
        }
    }

    #[test]
    fn weights_read_as_people_type_them() {
        assert_eq!(weight_of(" 12,5 "), 12.5);
        assert_eq!(weight_of(""), 0.0);
        assert_eq!(weight_text(40.0), "40");
        assert_eq!(weight_text(12.5), "12.5");
        assert_eq!(weight_text([0.0f64; 0].iter().sum()), "0");
        assert!(sums_to_100(40.0 + 25.0 + 10.0 + 10.0 + 5.0 + 10.0));
        assert!(!sums_to_100(99.99));
    }
}
