//! Evaluations (评估): the list with reminders and the 360° forms waiting for me, a new
//! evaluation, the editor with its live total (RESULT filled from the scorecard, PROCESS
//! scored here, 360° groups, feedback, the workflow to FINALIZED, print), cycles and
//! calibration with the 9-box; a customer's surveys and one-time links. Its texts are its
//! own ([`TEXTS`]), the app's table ([`crate::i18n`]) stays the shell's and the common
//! words; its styles are `pages.css` (`pages::style`).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::{
    AddEvaluationActionItem, AnswerInvitation, ApiError, Calibration, CreateEvaluation,
    CreateSurveyLink, CustomerSurveys, EvaluationCustomers, EvaluationCycles, EvaluationDetail,
    EvaluationPeople, EvaluationsList, FinalizeEvaluation, InviteEvaluator, OpenEvaluationCycle,
    RecordSurvey, ReopenEvaluation, ReturnEvaluation, ScoreIndicator, SubmitEvaluation,
    UpdateEvaluationFeedback, add_evaluation_action_item, answer_invitation, calibration, call,
    create_evaluation, create_survey_link, customer_surveys, evaluation_customers,
    evaluation_cycles, evaluation_detail, evaluation_people, evaluations_list, finalize_evaluation,
    invite_evaluator, open_evaluation_cycle, record_survey, reopen_evaluation, return_evaluation,
    score_indicator, submit_evaluation, update_evaluation_feedback,
};
use crate::components::{ErrorBox, ListView, Loading, Paging, connection, list_url_state, submit};
use crate::i18n::{Lang, lang, pick, t_of};
use crate::transfer::ExportButtons;
use crate::{PageTitle, Role, viewer_role};

/// This module's texts: key, Chinese, English; sorted by key (a unit test checks).
static TEXTS: &[(&str, &str, &str)] = &[
    ("actions", "行动项", "Action items"),
    ("add", "添加", "Add"),
    ("all", "全部", "All"),
    (
        "anonymous",
        "人数不足，仅计入总分",
        "Too few raters: counted in the total only",
    ),
    ("answer", "提交评价", "Send rating"),
    ("answered", "已评价", "Answered"),
    (
        "answered.hint",
        "评估提交前仍可修改",
        "You may change it until the evaluation is submitted",
    ),
    ("cal.count", "已评估人数", "Evaluated"),
    ("cal.dist", "等级分布", "Grade distribution"),
    ("cal.leniency", "宽严度", "Leniency"),
    ("cal.mean", "平均分", "Mean"),
    (
        "cal.nine",
        "九宫格（结果 × 能力）",
        "9-box (results × capability)",
    ),
    (
        "cal.outliers",
        "离群（偏离均值两个标准差以上）",
        "Outliers (over two spreads from the mean)",
    ),
    ("cal.regions", "按区域", "By region"),
    ("cal.spread", "标准差", "Spread"),
    ("cal.supervisors", "按评估人", "By evaluator"),
    ("cal.title", "评估校准", "Calibration"),
    ("cap", "能力", "Capability"),
    ("category", "类别", "Category"),
    ("comment", "意见（可选）", "Comment (optional)"),
    ("comment.short", "意见", "Comment"),
    ("copy", "复制链接", "Copy link"),
    ("counts.no", "不计入", "left out"),
    ("create", "开始评估", "Start evaluation"),
    ("customer", "客户", "Customer"),
    (
        "cy.created",
        "已为 {n} 人创建评估，{k} 人已有",
        "Made {n} evaluations; {k} already had one",
    ),
    ("cy.drafts", "草稿", "Drafts"),
    ("cy.due", "截止", "Due"),
    ("cy.finalized", "已定稿", "Finalized"),
    ("cy.open", "开启周期", "Open cycle"),
    ("cy.overdue", "逾期", "Overdue"),
    ("cy.submitted", "已提交", "Submitted"),
    ("cy.title", "评估周期", "Evaluation cycles"),
    ("cy.total", "人数", "People"),
    ("due", "截止日期", "Due"),
    ("effective", "实际权重", "Effective weight"),
    ("evaluator", "评估人", "Evaluator"),
    ("expectation", "期望", "Expectation"),
    ("fact", "事实", "Fact"),
    (
        "feedback",
        "反馈（事实 + 影响 + 期望）",
        "Feedback (fact + impact + expectation)",
    ),
    ("figures", "数据", "Figures"),
    ("finalize", "定稿", "Finalize"),
    ("g.CUSTOMER", "客户", "Customer"),
    ("g.PEER", "同事", "Peer"),
    ("g.SELF", "自评", "Self"),
    ("g.SUPERIOR", "上级", "Superior"),
    ("grade", "等级", "Grade"),
    ("group", "评价组", "Group"),
    ("groups", "360° 评价", "360° input"),
    ("history", "流程记录", "History"),
    ("impact", "影响", "Impact"),
    ("improvements", "待改进", "Improvements"),
    ("indicator", "指标", "Indicator"),
    ("indicators", "指标评分", "Indicators"),
    ("invitations", "邀请", "Invitations"),
    ("invite", "邀请评价", "Invite a rater"),
    ("k.MONTH", "月度", "Monthly"),
    ("k.QUARTER", "季度", "Quarterly"),
    ("k.YEAR", "年度", "Annual"),
    (
        "linkMade",
        "把这个一次性链接发给客户（14 天内有效，只能用一次）：",
        "Send the customer this one-time link (valid 14 days, works once):",
    ),
    ("list", "评估列表", "Evaluations"),
    ("mine", "待我评价", "Waiting for my rating"),
    ("nav.cal", "校准", "Calibration"),
    ("nav.cycles", "周期", "Cycles"),
    ("nav.templates", "模板", "Templates"),
    ("new", "新建评估", "New evaluation"),
    ("none", "暂无评估", "No evaluations yet"),
    ("noneToRate", "暂无待评价", "Nothing to rate"),
    ("notes", "说明", "Notes"),
    ("overdue", "逾期", "Overdue"),
    ("owner", "负责人", "Owner"),
    ("partial", "已评部分", "So far"),
    ("period", "周期", "Period"),
    ("print", "打印 / PDF", "Print / PDF"),
    ("proc", "过程", "Process"),
    ("r.EVALUATION_DUE", "待完成的评估", "Evaluation to finish"),
    (
        "r.EVALUATION_OVERDUE",
        "逾期未定稿",
        "Overdue, not finalized",
    ),
    ("r.INVITATION", "待你评价", "Waiting for your rating"),
    (
        "r.INVITATION_UNANSWERED",
        "邀请 3 个工作日未回复",
        "Invitation unanswered after 3 working days",
    ),
    ("rater", "评价人", "Rater"),
    ("raters", "人数", "Raters"),
    ("reason", "原因", "Reason"),
    ("reminders", "提醒", "Reminders"),
    ("reopen", "重新打开", "Reopen"),
    ("res", "结果", "Result"),
    ("return", "退回", "Return"),
    ("save", "保存", "Save"),
    ("score", "分数", "Score"),
    ("score100", "分数（0–100）", "Score (0–100)"),
    ("sk.REP", "销售代表", "Reps"),
    ("sk.SUPERVISOR", "督导", "Supervisors"),
    ("sr.highlights", "工作亮点", "Highlights of the work"),
    (
        "sr.highlightsHint",
        "本期做得好的地方，用事实和数据说明",
        "What went well this period, with facts and figures",
    ),
    ("sr.plan", "改进计划", "Plan for improvement"),
    (
        "sr.planHint",
        "下一期要改进什么，怎么做，何时完成",
        "What to improve next period, how and by when",
    ),
    ("sr.title", "述职报告（自评）", "Self report (述职)"),
    ("sr.weight0", "不计入总分", "not counted in the total"),
    ("st.DRAFT", "草稿", "Draft"),
    ("st.FINALIZED", "已定稿", "Finalized"),
    ("st.SUBMITTED", "已提交", "Submitted"),
    ("status", "状态", "Status"),
    ("strengths", "优势", "Strengths"),
    ("subject", "被评估人", "Evaluated"),
    ("subjectKind", "对象", "Who"),
    ("submit", "提交", "Submit"),
    ("sv.link", "生成调查链接", "Make a survey link"),
    ("sv.record", "记录满意度", "Record satisfaction"),
    ("sv.score", "满意度（0–10）", "Satisfaction (0–10)"),
    ("sv.title", "满意度调查", "Satisfaction surveys"),
    ("sv.used", "已使用", "used"),
    ("sv.valid", "有效至", "valid until"),
    ("target", "目标", "Target"),
    ("title", "评估", "Evaluation"),
    ("total", "总分", "Total"),
    ("weight", "权重", "Weight"),
    ("when", "日期", "Date"),
    ("year", "年份", "Year"),
];

fn tx(key: &'static str) -> &'static str {
    t_of(TEXTS, key)
}

/// A period as people say it: `2026 Q3`, `2026-11`, `2025 年度`.
fn period_label(kind: &str, year: i64, index: i64) -> String {
    match kind {
        "MONTH" => format!("{year}-{index:02}"),
        "QUARTER" => format!("{year} Q{index}"),
        _ => format!(
            "{year} {}",
            if lang().get() == Lang::En {
                "annual"
            } else {
                "年度"
            }
        ),
    }
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}"))
}

fn status_key(s: &str) -> &'static str {
    match s {
        "DRAFT" => "st.DRAFT",
        "SUBMITTED" => "st.SUBMITTED",
        _ => "st.FINALIZED",
    }
}

fn group_key(g: &str) -> &'static str {
    match g {
        "SUPERIOR" => "g.SUPERIOR",
        "PEER" => "g.PEER",
        "CUSTOMER" => "g.CUSTOMER",
        _ => "g.SELF",
    }
}

/// A generated enum's schema name (`DRAFT`), through its serde form.
fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn company() -> bool {
    viewer_role().company_wide()
}

fn writes() -> bool {
    matches!(
        viewer_role(),
        Role::ADMIN | Role::DIRECTOR | Role::SUPERVISOR
    )
}

/// The evaluation pages behind one route (`/evaluations/*`).
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
            .skip(1)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    });
    move || {
        let r = rest.get();
        match r.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            [] => view! { <ListPage/> }.into_any(),
            ["new"] => view! { <NewPage/> }.into_any(),
            ["cycles"] => view! { <CyclesPage/> }.into_any(),
            ["calibration"] => view! { <CalibrationPage/> }.into_any(),
            ["templates"] if company() => {
                view! { <super::evaluation_templates::Pages which=None/> }.into_any()
            }
            ["templates", which] if company() => {
                let which = Some((*which).to_owned());
                view! { <super::evaluation_templates::Pages which=which/> }.into_any()
            }
            [id] => {
                let id = (*id).to_owned();
                view! { <DetailPage id=id/> }.into_any()
            }
            _ => view! { <p class="muted">{move || crate::i18n::t("notfound")}</p> }.into_any(),
        }
    }
}

#[component]
pub fn Tabs() -> impl IntoView {
    view! {
        <nav class="tabs">
            <A href="/evaluations" exact=true>{move || tx("list")}</A>
            {writes().then(|| view! { <A href="/evaluations/new">{move || tx("new")}</A> })}
            {company().then(|| view! {
                <A href="/evaluations/cycles">{move || tx("nav.cycles")}</A>
                <A href="/evaluations/calibration">{move || tx("nav.cal")}</A>
                <A href="/evaluations/templates">{move || tx("nav.templates")}</A>
            })}
        </nav>
    }
}

#[component]
fn ListPage() -> impl IntoView {
    let paging = Paging::new(20);
    let status = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let who = RwSignal::new(String::new());
    let overdue = RwSignal::new(String::new());
    list_url_state(
        paging,
        vec![
            ("status", status),
            ("kind", kind),
            ("who", who),
            ("overdue", overdue),
        ],
        String::new,
        |_| {},
    );
    let reload = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        reload.track();
        use evaluations_list as q;
        let st = match status.get().as_str() {
            "DRAFT" => Some(q::EvaluationStatus::DRAFT),
            "SUBMITTED" => Some(q::EvaluationStatus::SUBMITTED),
            "FINALIZED" => Some(q::EvaluationStatus::FINALIZED),
            _ => None,
        };
        let pk = match kind.get().as_str() {
            "MONTH" => Some(q::PeriodKind::MONTH),
            "QUARTER" => Some(q::PeriodKind::QUARTER),
            "YEAR" => Some(q::PeriodKind::YEAR),
            _ => None,
        };
        let sk = match who.get().as_str() {
            "REP" => Some(q::EvaluationSubjectKind::REP),
            "SUPERVISOR" => Some(q::EvaluationSubjectKind::SUPERVISOR),
            _ => None,
        };
        let filter = q::EvaluationFilter {
            status: st,
            period_kind: pk,
            period: None,
            subject_kind: sk,
            subject_id: None,
            region_id: None,
            evaluator_id: None,
            cycle_id: None,
            overdue: (overdue.get() == "1").then_some(true),
        };
        call::<EvaluationsList>(q::Variables {
            first: Some(paging.size),
            after: paging.after.get(),
            filter: Some(filter),
        })
    });
    let select = move |sig: RwSignal<String>| {
        move |ev: leptos::ev::Event| {
            sig.set(event_target_value(&ev));
            paging.reset();
        }
    };
    view! {
        <section class="page evaluations">
            <div class="page-head"><h1>{move || tx("title")}</h1><span class="spacer"></span><Tabs/></div>
            {move || data.get().and_then(Result::ok).map(|d| view! {
                <Reminders items=d.evaluation_reminders.clone()/>
                <MyInvitations items=d.my_evaluator_invitations reload=reload/>
            })}
            <div class="filters">
                <select name="status" prop:value=move || status.get() on:change=select(status)>
                    <option value="">{move || tx("status")}": "{move || tx("all")}</option>
                    <option value="DRAFT">{move || tx("st.DRAFT")}</option>
                    <option value="SUBMITTED">{move || tx("st.SUBMITTED")}</option>
                    <option value="FINALIZED">{move || tx("st.FINALIZED")}</option>
                </select>
                <select name="kind" prop:value=move || kind.get() on:change=select(kind)>
                    <option value="">{move || tx("period")}": "{move || tx("all")}</option>
                    <option value="MONTH">{move || tx("k.MONTH")}</option>
                    <option value="QUARTER">{move || tx("k.QUARTER")}</option>
                    <option value="YEAR">{move || tx("k.YEAR")}</option>
                </select>
                {company().then(|| view! {
                    <select name="who" prop:value=move || who.get() on:change=select(who)>
                        <option value="">{move || tx("subjectKind")}": "{move || tx("all")}</option>
                        <option value="REP">{move || tx("sk.REP")}</option>
                        <option value="SUPERVISOR">{move || tx("sk.SUPERVISOR")}</option>
                    </select>
                })}
                <label class="check"><input type="checkbox" name="overdue" prop:checked=move || overdue.get() == "1"
                    on:change=move |ev| { overdue.set(if event_target_checked(&ev) { "1".into() } else { String::new() }); paging.reset(); }/>
                    {move || tx("overdue")}</label>
                <ExportButtons kind="evaluations" query=Signal::derive(move || {
                    let mut q = Vec::new();
                    for (k, s) in [("status", status), ("period_kind", kind), ("subject_kind", who)] {
                        let v = s.get();
                        if !v.is_empty() { q.push(format!("{k}={v}")); }
                    }
                    if overdue.get() == "1" { q.push("overdue=true".into()); }
                    q.join("&")
                })/>
            </div>
            <ListView data=data page=|d: evaluations_list::ResponseData| connection!(d.evaluations) paging=paging
                head=move || view! {
                    <th>{move || tx("subject")}</th><th>{move || tx("period")}</th><th>{move || tx("status")}</th>
                    <th class="num">{move || tx("total")}</th><th>{move || tx("grade")}</th>
                    <th>{move || tx("evaluator")}</th><th>{move || tx("due")}</th>
                }
                row=Callback::new(|e: evaluations_list::EvaluationsListEvaluationsEdgesNode| {
                    let st = code(&e.status);
                    let pk = code(&e.period.kind);
                    let href = format!("/evaluations/{}", e.id);
                    let region = e.rep.as_ref().map(|r| r.region.name.clone());
                    view! {
                        <tr>
                            <td data-label=move || tx("subject")><A href=href>{e.subject.name.clone()}</A>
                                {region.map(|r| view! { <small class="muted">" · "{r}</small> })}</td>
                            <td data-label=move || tx("period")>{move || period_label(&pk, e.period.year, e.period.index)}</td>
                            <td data-label=move || tx("status")><span class=format!("badge st-{}", st.to_lowercase())>{let s = st.clone(); move || tx(status_key(&s))}</span>
                                {e.overdue.then(|| view! { " "<span class="badge warn">{move || tx("overdue")}</span> })}</td>
                            <td class="num" data-label=move || tx("total")>{num(e.total_score)}</td>
                            <td data-label=move || tx("grade")><strong>{e.grade.clone().unwrap_or_else(|| "—".into())}</strong></td>
                            <td data-label=move || tx("evaluator")>{e.evaluator.map(|u| u.name).unwrap_or_default()}</td>
                            <td data-label=move || tx("due")>{e.due_on}</td>
                        </tr>
                    }.into_any()
                })
                empty=move || view! { <p class="empty">{move || tx("none")}</p> }/>
        </section>
    }
}

#[component]
fn Reminders(items: Vec<evaluations_list::EvaluationsListEvaluationReminders>) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <div class="card reminders">
                <h2>{move || tx("reminders")}</h2>
                <ul>
                    {items.into_iter().take(8).map(|r| {
                        let key = match r.kind.as_str() {
                            "EVALUATION_DUE" => "r.EVALUATION_DUE",
                            "EVALUATION_OVERDUE" => "r.EVALUATION_OVERDUE",
                            "INVITATION" => "r.INVITATION",
                            _ => "r.INVITATION_UNANSWERED",
                        };
                        let href = format!("/evaluations/{}", r.evaluation_id);
                        let link = r.kind != "INVITATION";
                        view! {
                            <li class:warn-text=r.overdue>
                                {move || tx(key)}": "
                                {if link { view! { <A href=href>{r.subject_name.clone()}</A> }.into_any() } else { view! { <span>{r.subject_name.clone()}</span> }.into_any() }}
                                " · "{move || tx("due")}" "{r.due_on.clone()}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// The 360° forms waiting for me: whom and which period, a score 0–100 and a comment;
/// nothing of the evaluation itself.
#[component]
fn MyInvitations(
    items: Vec<evaluations_list::EvaluationsListMyEvaluatorInvitations>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    // Answered ones stay while the evaluation is a draft: the rater may still change them.
    let open = items;
    (!open.is_empty()).then(|| {
        view! {
            <div class="card invitations">
                <h2>{move || tx("mine")}</h2>
                {open.into_iter().map(|i| {
                    let score = RwSignal::new(i.score.map(|s| format!("{s}")).unwrap_or_default());
                    let comment = RwSignal::new(i.comment.clone().unwrap_or_default());
                    let highlights = RwSignal::new(i.highlights.clone().unwrap_or_default());
                    let plan = RwSignal::new(i.improvement_plan.clone().unwrap_or_default());
                    let busy = RwSignal::new(false);
                    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
                    let id = i.invitation_id.clone();
                    let g = code(&i.group);
                    let own = g == "SELF";
                    let pk = code(&i.period.kind);
                    let (y, ix) = (i.period.year, i.period.index);
                    let send = move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        let Ok(s) = score.get_untracked().trim().parse::<f64>() else { return };
                        let c = comment.get_untracked();
                        let filled = |v: RwSignal<String>| {
                            let v = v.get_untracked();
                            (own && !v.trim().is_empty()).then_some(v)
                        };
                        let input = answer_invitation::EvaluatorInputInput {
                            invitation_id: id.clone(),
                            token: None,
                            score: s,
                            comment: (!c.trim().is_empty()).then_some(c),
                            highlights: filled(highlights),
                            improvement_plan: filled(plan),
                        };
                        submit(busy, error, async move {
                            call::<AnswerInvitation>(answer_invitation::Variables { input }).await
                        }, Callback::new(move |_| reload.update(|n| *n += 1)));
                    };
                    view! {
                        <form class="rate" class:answered=i.answered on:submit=send>
                            <strong>{i.subject_name}</strong>
                            <span class="muted">" · "{move || period_label(&pk, y, ix)}" · "{move || tx(group_key(&g))}</span>
                            {i.answered.then(|| view! { <span class="badge active" title=move || tx("answered.hint")>{move || tx("answered")}</span> })}
                            <input type="number" name="score" min="0" max="100" step="1" required placeholder=move || tx("score100")
                                prop:value=move || score.get() on:input=move |ev| score.set(event_target_value(&ev))/>
                            <input type="text" name="comment" placeholder=move || tx("comment")
                                prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))/>
                            {own.then(|| view! {
                                <fieldset class="self-report">
                                    <legend>{move || tx("sr.title")}</legend>
                                    <label>{move || tx("sr.highlights")}
                                        <textarea name="highlights" rows="3" maxlength="4000" placeholder=move || tx("sr.highlightsHint")
                                            prop:value=move || highlights.get() on:input=move |ev| highlights.set(event_target_value(&ev))></textarea></label>
                                    <label>{move || tx("sr.plan")}
                                        <textarea name="improvementPlan" rows="3" maxlength="4000" placeholder=move || tx("sr.planHint")
                                            prop:value=move || plan.get() on:input=move |ev| plan.set(event_target_value(&ev))></textarea></label>
                                </fieldset>
                            })}
                            <button class="btn primary" type="submit" disabled=move || busy.get()>{move || tx("answer")}</button>
                            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}</p> })}
                        </form>
                    }
                }).collect_view()}
            </div>
        }
    })
}

#[component]
fn NewPage() -> impl IntoView {
    let people = LocalResource::new(|| call::<EvaluationPeople>(evaluation_people::Variables {}));
    let who = RwSignal::new("REP".to_owned());
    let subject = RwSignal::new(String::new());
    let kind = RwSignal::new("QUARTER".to_owned());
    let (y, m) = crate::format::this_month();
    let year = RwSignal::new(y.to_string());
    let index = RwSignal::new(((m - 1) / 3 + 1).to_string());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let navigate = use_navigate();
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        use create_evaluation as q;
        let k = match kind.get_untracked().as_str() {
            "MONTH" => q::PeriodKind::MONTH,
            "YEAR" => q::PeriodKind::YEAR,
            _ => q::PeriodKind::QUARTER,
        };
        let input = q::CreateEvaluationInput {
            subject_id: subject.get_untracked(),
            period: q::PeriodInput {
                kind: k.clone(),
                year: year.get_untracked().trim().parse().unwrap_or(y.into()),
                index: (k != q::PeriodKind::YEAR)
                    .then(|| index.get_untracked().parse().unwrap_or(1)),
            },
            template_id: None,
        };
        let navigate = navigate.clone();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match call::<CreateEvaluation>(q::Variables { input }).await {
                Ok(d) => navigate(
                    &format!("/evaluations/{}", d.create_evaluation.id),
                    Default::default(),
                ),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page evaluations">
            <div class="page-head"><h1>{move || tx("new")}</h1><span class="spacer"></span><Tabs/></div>
            <form class="form card" on:submit=go>
                {company().then(|| view! {
                    <label>{move || tx("subjectKind")}
                        <select name="who" prop:value=move || who.get() on:change=move |ev| { who.set(event_target_value(&ev)); subject.set(String::new()); }>
                            <option value="REP">{move || tx("sk.REP")}</option>
                            <option value="SUPERVISOR">{move || tx("sk.SUPERVISOR")}</option>
                        </select>
                    </label>
                })}
                <label>{move || tx("subject")}
                    <select name="subject" required prop:value=move || subject.get() on:change=move |ev| subject.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {move || people.get().and_then(Result::ok).map(|d| {
                            if who.get() == "SUPERVISOR" {
                                d.users.edges.into_iter().map(|e| view! { <option value=e.node.id>{e.node.name.clone()}</option> }).collect_view().into_any()
                            } else {
                                d.reps.edges.into_iter().filter_map(|e| e.node.user.clone().map(|u| (u, e.node)))
                                    .map(|(u, r)| view! { <option value=u.id>{r.name.clone()}" · "{r.region.name}</option> })
                                    .collect_view().into_any()
                            }
                        })}
                    </select>
                </label>
                <label>{move || tx("period")}
                    <select name="kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="MONTH">{move || tx("k.MONTH")}</option>
                        <option value="QUARTER">{move || tx("k.QUARTER")}</option>
                        <option value="YEAR">{move || tx("k.YEAR")}</option>
                    </select>
                </label>
                <label>{move || tx("year")}
                    <input type="number" name="year" min="2000" max="2100" prop:value=move || year.get() on:input=move |ev| year.set(event_target_value(&ev))/>
                </label>
                {move || (kind.get() != "YEAR").then(|| view! {
                    <label>"#"
                        <input type="number" name="index" min="1" max=move || if kind.get() == "MONTH" { "12" } else { "4" }
                            prop:value=move || index.get() on:input=move |ev| index.set(event_target_value(&ev))/>
                    </label>
                })}
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
                <div class="actions">
                    <button class="btn primary" type="submit" disabled=move || busy.get()>{move || tx("create")}</button>
                </div>
            </form>
        </section>
    }
}

/// One evaluation: the live total, indicators (RESULT with the figures they were filled
/// from, PROCESS scored here), the 360° groups and raters, feedback, action items, the
/// workflow and its history. Read-only unless the caller may edit the draft.
#[component]
fn DetailPage(id: String) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let eid = id;
    let data = LocalResource::new(move || {
        reload.track();
        call::<EvaluationDetail>(evaluation_detail::Variables { id: eid.clone() })
    });
    let title = expect_context::<PageTitle>().0;
    on_cleanup(move || title.set(None));
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let bump = Callback::new(move |_| reload.update(|n| *n += 1));
    // A customer's one-time link, shown once: kept here, above the reloads that follow.
    let link = RwSignal::new(None::<String>);
    // The invite form's choices, kept across the page's reloads too.
    let group = RwSignal::new("SUPERIOR".to_owned());
    let who = RwSignal::new(String::new());
    view! {
        <section class="page evaluation">
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) => {
                    use evaluation_detail::EvaluationDetailNode as N;
                    let N::Evaluation(e) = d.node else {
                        return view! { <p class="muted">{move || crate::i18n::t("notfound")}</p> }.into_any();
                    };
                    let pk = code(&e.period.kind);
                    let (py, pi) = (e.period.year, e.period.index);
                    title.set(Some(format!("{} · {}", e.subject.name, period_label(&pk, py, pi))));
                    let st = code(&e.status);
                    let version = e.version;
                    let id = e.id.clone();
                    let can_edit = e.can_edit;
                    let director = company();
                    let is_subject = e.subject.id == d.me.id;
                    let step = move |which: &'static str| {
                        let id = id.clone();
                        let reason = if matches!(which, "return" | "reopen") {
                            match web_sys::window().and_then(|w| w.prompt_with_message(tx("reason")).ok().flatten()) {
                                Some(r) if !r.trim().is_empty() => Some(r),
                                _ => return,
                            }
                        } else {
                            None
                        };
                        submit(busy, error, async move {
                            match which {
                                "submit" => call::<SubmitEvaluation>(submit_evaluation::Variables { id, version }).await.map(|_| ()),
                                "finalize" => call::<FinalizeEvaluation>(finalize_evaluation::Variables { id, version }).await.map(|_| ()),
                                "return" => call::<ReturnEvaluation>(return_evaluation::Variables { id, version, reason: reason.unwrap_or_default() }).await.map(|_| ()),
                                _ => call::<ReopenEvaluation>(reopen_evaluation::Variables { id, version, reason: reason.unwrap_or_default() }).await.map(|_| ()),
                            }
                        }, bump);
                    };
                    let (s1, s2, s3, s4) = (step.clone(), step.clone(), step.clone(), step);
                    let total = e.total_score;
                    let partial = e.partial_score;
                    let grade = e.grade.clone();
                    let cats = e.categories.clone();
                    let notes = e.notes.clone();
                    view! {
                        <div class="page-head">
                            <h1>{e.subject.name.clone()}<small class="muted">" · "{move || period_label(&pk, py, pi)}</small></h1>
                            <span class=format!("badge st-{}", st.to_lowercase())>{let s = st.clone(); move || tx(status_key(&s))}</span>
                            {e.overdue.then(|| view! { <span class="badge warn">{move || tx("overdue")}</span> })}
                            <span class="spacer"></span>
                            <button class="btn no-print" on:click=move |_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>{move || tx("print")}</button>
                            <A href="/evaluations" attr:class="btn no-print">{move || tx("list")}</A>
                        </div>
                        <p class="muted">
                            {e.rep.as_ref().map(|r| r.region.name.clone())}
                            {e.evaluator.as_ref().map(|u| format!(" · {}: {}", tx("evaluator"), u.name))}
                            " · "{move || tx("due")}" "{e.due_on.clone()}
                        </p>
                        <div class="grid3 totals">
                            <div class="card total-card">
                                <span class="label">{move || tx("total")}</span>
                                <span class="big" data-testid="total">{num(total)}</span>
                                <span class="grade-big">{grade.unwrap_or_else(|| "—".into())}</span>
                                {total.is_none().then(|| view! { <small class="muted">{move || tx("partial")}": "{format!("{partial:.2}")}</small> })}
                            </div>
                            {cats.into_iter().map(|c| {
                                let k = match code(&c.category).as_str() { "RESULT" => "res", "PROCESS" => "proc", _ => "cap" };
                                view! {
                                    <div class="card">
                                        <span class="label">{move || tx(k)}</span>
                                        <span class="big">{num(c.score)}</span>
                                        <span class="grade-big small">{c.grade.unwrap_or_else(|| "—".into())}</span>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                        {(!notes.is_empty()).then(|| view! {
                            <div class="card notes"><h2>{move || tx("notes")}</h2>
                                <ul>{notes.into_iter().map(|n| view! { <li>{move || pick(&n)}</li> }).collect_view()}</ul>
                            </div>
                        })}
                        <Indicators rows=e.indicators.clone() id=e.id.clone() version=version can_edit=can_edit reload=reload/>
                        <Groups rows=e.groups.clone() subject=is_subject/>
                        {(!is_subject).then(|| view! {
                            <Invitations rows=e.invitations.clone() id=e.id.clone() can_edit=can_edit
                                rep_id=e.rep.as_ref().map(|r| r.id.clone()) reload=reload link=link group=group who=who/>
                        })}
                        {e.self_report.clone().map(|r| view! { <SelfReportCard r=r/> })}
                        <Feedback e=e.clone() can_edit=can_edit reload=reload/>
                        <Actions rows=e.action_items.clone() id=e.id.clone() can_edit=can_edit reload=reload/>
                        <div class="card workflow no-print">
                            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
                            {(can_edit && st == "DRAFT").then(|| view! {
                                <button class="btn primary" disabled=move || busy.get() on:click=move |_| s1("submit")>{move || tx("submit")}</button>
                            })}
                            {(director && st == "SUBMITTED").then(|| view! {
                                <button class="btn primary" disabled=move || busy.get() on:click=move |_| s2("finalize")>{move || tx("finalize")}</button>
                                <button class="btn" disabled=move || busy.get() on:click=move |_| s3("return")>{move || tx("return")}</button>
                            })}
                            {(director && st == "FINALIZED").then(|| view! {
                                <button class="btn" disabled=move || busy.get() on:click=move |_| s4("reopen")>{move || tx("reopen")}</button>
                            })}
                        </div>
                        <div class="card history">
                            <h2>{move || tx("history")}</h2>
                            <ol>{e.history.into_iter().map(|h| view! {
                                <li>{crate::components::local_time(&h.at)}" · "{h.step.clone()}" → "{h.to_status.clone()}
                                    {h.actor.map(|a| format!(" · {}", a.name))}
                                    {h.reason.map(|r| view! { <em>" “"{r}"”"</em> })}</li>
                            }).collect_view()}</ol>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// The person's own input (weight 0); for a supervisor the 述职 report.
#[component]
fn SelfReportCard(
    r: evaluation_detail::EvaluationDetailNodeOnEvaluationSelfReport,
) -> impl IntoView {
    let para = |key: &'static str, text: Option<String>| {
        text.map(|t| view! { <h3>{move || tx(key)}</h3><p class="pre">{t}</p> })
    };
    view! {
        <div class="card self-report" data-testid="self-report">
            <h2>{move || tx("sr.title")}
                <small class="muted">" · "{move || tx("score")}" "{num(r.score)}" · "{move || tx("sr.weight0")}</small></h2>
            {para("sr.highlights", r.highlights)}
            {para("sr.plan", r.improvement_plan)}
            {para("comment.short", r.comment)}
        </div>
    }
}

#[component]
fn Indicators(
    rows: Vec<evaluation_detail::EvaluationDetailNodeOnEvaluationIndicators>,
    id: String,
    version: i64,
    can_edit: bool,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    view! {
        <div class="card">
            <h2>{move || tx("indicators")}</h2>
            <table class="list indicators">
                <thead><tr>
                    <th>{move || tx("indicator")}</th><th>{move || tx("category")}</th>
                    <th class="num">{move || tx("weight")}</th><th class="num">{move || tx("effective")}</th>
                    <th>{move || tx("figures")}</th><th class="num">{move || tx("score")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|i| {
                        let cat = code(&i.category);
                        let k = match cat.as_str() { "RESULT" => "res", "PROCESS" => "proc", _ => "cap" };
                        let (zh, en) = (i.name.clone(), i.name_en.clone());
                        let figures = match (&i.actual, &i.target) {
                            (Some(a), Some(t)) => format!("{a} / {t}"),
                            (Some(a), None) => a.clone(),
                            _ => String::new(),
                        };
                        let key = i.key.clone();
                        let id = id.clone();
                        let value = RwSignal::new(i.score.map(|s| s.to_string()).unwrap_or_default());
                        let edit = can_edit && i.manual;
                        let save = move |_| {
                            let raw = value.get_untracked();
                            let score = if raw.trim().is_empty() { None } else {
                                match raw.trim().parse::<f64>() { Ok(s) => Some(s), Err(_) => return }
                            };
                            let input = score_indicator::ScoreIndicatorInput { evaluation_id: id.clone(), key: key.clone(), score, version };
                            submit(busy, error, async move {
                                call::<ScoreIndicator>(score_indicator::Variables { input }).await
                            }, Callback::new(move |_| reload.update(|n| *n += 1)));
                        };
                        view! {
                            <tr class:left-out=!i.counts>
                                <td data-label=move || tx("indicator")>{move || if lang().get() == Lang::En { en.clone() } else { zh.clone() }}
                                    {i.note.clone().map(|n| view! { <small class="muted note">{move || pick(&n)}</small> })}</td>
                                <td data-label=move || tx("category")>{move || tx(k)}</td>
                                <td class="num" data-label=move || tx("weight")>{format!("{:.0}", i.weight)}</td>
                                <td class="num" data-label=move || tx("effective")>{if i.counts { format!("{:.1}", i.effective_weight) } else { tx("counts.no").to_owned() }}</td>
                                <td data-label=move || tx("figures")>{figures}</td>
                                <td class="num" data-label=move || tx("score")>
                                    {if edit {
                                        view! { <input class="score-input" type="number" min="0" max="100" step="0.1" name=format!("score-{}", i.key)
                                            prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) on:change=save/> }.into_any()
                                    } else {
                                        view! { <span>{num(i.score)}</span> }.into_any()
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
        </div>
    }
}

/// The 360° groups as bars (weight after rescaling and mean); a group hidden from the
/// person evaluated says so.
#[component]
fn Groups(
    rows: Vec<evaluation_detail::EvaluationDetailNodeOnEvaluationGroups>,
    subject: bool,
) -> impl IntoView {
    let any = rows.iter().any(|g| g.raters > 0);
    any.then(|| view! {
        <div class="card groups">
            <h2>{move || tx("groups")}</h2>
            <div class="bars">
                {rows.into_iter().filter(|g| g.raters > 0).map(|g| {
                    let name = code(&g.group);
                    let w = g.score.unwrap_or(0.0).clamp(0.0, 100.0);
                    view! {
                        <div class="bar-row">
                            <span class="bar-label">{move || tx(group_key(&name))}
                                <small class="muted">" · "{format!("{:.0}%", g.weight)}{(!subject || !g.hidden).then(|| format!(" · {} {}", g.raters, tx("raters")))}</small></span>
                            {if g.hidden {
                                view! { <span class="muted">{move || tx("anonymous")}</span> }.into_any()
                            } else {
                                view! {
                                    <span class="bar"><span class="fill" style=format!("width:{w}%")></span></span>
                                    <span class="bar-value">{num(g.score)}</span>
                                }.into_any()
                            }}
                        </div>
                    }
                }).collect_view()}
            </div>
        </div>
    })
}

#[component]
fn Invitations(
    rows: Vec<evaluation_detail::EvaluationDetailNodeOnEvaluationInvitations>,
    id: String,
    can_edit: bool,
    rep_id: Option<String>,
    reload: RwSignal<u32>,
    link: RwSignal<Option<String>>,
    group: RwSignal<String>,
    who: RwSignal<String>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let people = LocalResource::new(move || async move {
        if can_edit {
            call::<EvaluationPeople>(evaluation_people::Variables {})
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    });
    let rep_for_customers = rep_id.clone();
    let customers = LocalResource::new(move || {
        let rep = rep_for_customers.clone();
        async move {
            if can_edit && rep.is_some() {
                call::<EvaluationCustomers>(evaluation_customers::Variables { rep })
                    .await
                    .map(Some)
            } else {
                Ok(None)
            }
        }
    });
    let invite = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        use invite_evaluator as q;
        let g = match group.get_untracked().as_str() {
            "PEER" => q::EvaluatorGroup::PEER,
            "CUSTOMER" => q::EvaluatorGroup::CUSTOMER,
            "SELF" => q::EvaluatorGroup::SELF,
            _ => q::EvaluatorGroup::SUPERIOR,
        };
        let target = who.get_untracked();
        let customer = g == q::EvaluatorGroup::CUSTOMER;
        let input = q::InviteEvaluatorInput {
            evaluation_id: id.clone(),
            group: g,
            user_id: (!customer).then(|| target.clone()),
            customer_id: customer.then_some(target),
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match call::<InviteEvaluator>(q::Variables { input }).await {
                Ok(d) => {
                    link.set(d.invite_evaluator.link.map(|l| {
                        let origin = web_sys::window()
                            .and_then(|w| w.location().origin().ok())
                            .unwrap_or_default();
                        format!("{origin}{l}")
                    }));
                    who.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card invitations-of">
            <h2>{move || tx("invitations")}</h2>
            <table class="list">
                <thead><tr><th>{move || tx("group")}</th><th>{move || tx("rater")}</th><th class="num">{move || tx("score")}</th><th>{move || tx("when")}</th></tr></thead>
                <tbody>{rows.into_iter().map(|i| {
                    let g = code(&i.group);
                    let name = i.rater.map(|r| r.name).or(i.customer.map(|c| c.name)).unwrap_or_default();
                    view! { <tr>
                        <td data-label=move || tx("group")>{move || tx(group_key(&g))}</td>
                        <td>{name}</td>
                        <td class="num" data-label=move || tx("score")>{num(i.score)}</td>
                        <td data-label=move || tx("when")>{i.answered_at.as_deref().map(crate::components::local_time).unwrap_or_else(|| "…".into())}</td>
                    </tr> }
                }).collect_view()}</tbody>
            </table>
            {move || link.get().map(|l| view! {
                <p class="link-made" role="status">{move || tx("linkMade")}<br/><code data-testid="rater-link">{l}</code></p>
            })}
            {can_edit.then(|| view! {
                <form class="inline-form no-print" on:submit=invite>
                    <select name="group" prop:value=move || group.get() on:change=move |ev| { group.set(event_target_value(&ev)); who.set(String::new()); }>
                        <option value="SUPERIOR">{move || tx("g.SUPERIOR")}</option>
                        <option value="PEER">{move || tx("g.PEER")}</option>
                        {rep_id.is_some().then(|| view! { <option value="CUSTOMER">{move || tx("g.CUSTOMER")}</option> })}
                        <option value="SELF">{move || tx("g.SELF")}</option>
                    </select>
                    <select name="rater" required prop:value=move || who.get() on:change=move |ev| who.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {move || {
                            let g = group.get();
                            if g == "CUSTOMER" {
                                customers.get().and_then(Result::ok).flatten().map(|d| d.customers.edges.into_iter()
                                    .map(|e| view! { <option value=e.node.id>{e.node.name.clone()}</option> }).collect_view().into_any())
                            } else {
                                people.get().and_then(Result::ok).flatten().map(|d| {
                                    let mut opts: Vec<(String, String)> = Vec::new();
                                    match g.as_str() {
                                        "SUPERIOR" => {
                                            opts.extend(d.directors.edges.into_iter().map(|e| (e.node.id, e.node.name)));
                                            opts.extend(d.users.edges.into_iter().map(|e| (e.node.id, e.node.name)));
                                        }
                                        _ => {
                                            opts.extend(d.reps.edges.into_iter().filter_map(|e| e.node.user.map(|u| (u.id, u.name))));
                                            opts.extend(d.users.edges.into_iter().map(|e| (e.node.id, e.node.name)));
                                        }
                                    }
                                    opts.into_iter().map(|(v, n)| view! { <option value=v>{n}</option> }).collect_view().into_any()
                                })
                            }
                        }}
                    </select>
                    <button class="btn" type="submit" disabled=move || busy.get()>{move || tx("invite")}</button>
                    {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}</p> })}
                </form>
            })}
        </div>
    }
}

#[component]
fn Feedback(
    e: evaluation_detail::EvaluationDetailNodeOnEvaluation,
    can_edit: bool,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let fields = [
        ("fact", e.fact.clone()),
        ("impact", e.impact.clone()),
        ("expectation", e.expectation.clone()),
        ("strengths", e.strengths.clone()),
        ("improvements", e.improvements.clone()),
    ];
    let sigs: Vec<(&'static str, RwSignal<String>)> = fields
        .iter()
        .map(|(k, v)| (*k, RwSignal::new(v.clone().unwrap_or_default())))
        .collect();
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let (id, version) = (e.id.clone(), e.version);
    let sigs2 = sigs.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let get = |k: &str| {
            sigs2
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, s)| s.get_untracked())
        };
        let input = update_evaluation_feedback::UpdateEvaluationFeedbackInput {
            id: id.clone(),
            version,
            fact: get("fact"),
            impact: get("impact"),
            expectation: get("expectation"),
            strengths: get("strengths"),
            improvements: get("improvements"),
        };
        submit(
            busy,
            error,
            async move {
                call::<UpdateEvaluationFeedback>(update_evaluation_feedback::Variables { input })
                    .await
            },
            Callback::new(move |_| reload.update(|n| *n += 1)),
        );
    };
    view! {
        <form class="card feedback" on:submit=save>
            <h2>{move || tx("feedback")}</h2>
            <div class="grid2">
                {sigs.into_iter().map(|(k, s)| view! {
                    <label>{move || tx(k)}
                        {if can_edit {
                            view! { <textarea name=k rows="3" prop:value=move || s.get() on:input=move |ev| s.set(event_target_value(&ev))></textarea> }.into_any()
                        } else {
                            view! { <p>{move || { let v = s.get(); if v.is_empty() { "—".to_owned() } else { v } }}</p> }.into_any()
                        }}
                    </label>
                }).collect_view()}
            </div>
            {can_edit.then(|| view! {
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
                <div class="actions no-print"><button class="btn" type="submit" disabled=move || busy.get()>{move || tx("save")}</button></div>
            })}
        </form>
    }
}

#[component]
fn Actions(
    rows: Vec<evaluation_detail::EvaluationDetailNodeOnEvaluationActionItems>,
    id: String,
    can_edit: bool,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = due.get_untracked();
        let input = add_evaluation_action_item::AddEvaluationActionItemInput {
            evaluation_id: id.clone(),
            title: title.get_untracked(),
            owner_id: None,
            due_on: (!d.is_empty()).then_some(d),
        };
        submit(
            busy,
            error,
            async move {
                call::<AddEvaluationActionItem>(add_evaluation_action_item::Variables { input })
                    .await
            },
            Callback::new(move |_| {
                title.set(String::new());
                reload.update(|n| *n += 1);
            }),
        );
    };
    (can_edit || !rows.is_empty()).then(|| view! {
        <div class="card actions-card">
            <h2>{move || tx("actions")}</h2>
            <ul>{rows.into_iter().map(|a| view! {
                <li>{a.title.clone()}<small class="muted">" · "{a.owner.map(|o| o.name).unwrap_or_default()}{a.due_on.map(|d| format!(" · {d}"))}" · "{code(&a.status)}</small></li>
            }).collect_view()}</ul>
            {can_edit.then(|| view! {
                <form class="inline-form no-print" on:submit=add>
                    <input type="text" name="title" required placeholder=move || tx("actions") prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
                    <input type="date" name="due" prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev))/>
                    <button class="btn" type="submit" disabled=move || busy.get()>{move || tx("add")}</button>
                    {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}</p> })}
                </form>
            })}
        </div>
    })
}

#[component]
fn CyclesPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        reload.track();
        call::<EvaluationCycles>(evaluation_cycles::Variables {})
    });
    let kind = RwSignal::new("MONTH".to_owned());
    let who = RwSignal::new("REP".to_owned());
    let (y, m) = crate::format::this_month();
    let year = RwSignal::new(y.to_string());
    let index = RwSignal::new(m.to_string());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let made = RwSignal::new(None::<(i64, i64)>);
    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        use open_evaluation_cycle as q;
        let k = match kind.get_untracked().as_str() {
            "QUARTER" => q::PeriodKind::QUARTER,
            "YEAR" => q::PeriodKind::YEAR,
            _ => q::PeriodKind::MONTH,
        };
        let input = q::OpenEvaluationCycleInput {
            period: q::PeriodInput {
                kind: k.clone(),
                year: year.get_untracked().trim().parse().unwrap_or(y.into()),
                index: (k != q::PeriodKind::YEAR)
                    .then(|| index.get_untracked().parse().unwrap_or(1)),
            },
            subject_kind: if who.get_untracked() == "SUPERVISOR" {
                q::EvaluationSubjectKind::SUPERVISOR
            } else {
                q::EvaluationSubjectKind::REP
            },
            template_id: None,
            subject_ids: Vec::new(),
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match call::<OpenEvaluationCycle>(q::Variables { input }).await {
                Ok(d) => {
                    made.set(Some((
                        d.open_evaluation_cycle.created,
                        d.open_evaluation_cycle.kept,
                    )));
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page evaluations">
            <div class="page-head"><h1>{move || tx("cy.title")}</h1><span class="spacer"></span><Tabs/></div>
            <form class="form card inline-form" on:submit=open>
                <select name="who" prop:value=move || who.get() on:change=move |ev| who.set(event_target_value(&ev))>
                    <option value="REP">{move || tx("sk.REP")}</option>
                    <option value="SUPERVISOR">{move || tx("sk.SUPERVISOR")}</option>
                </select>
                <select name="kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="MONTH">{move || tx("k.MONTH")}</option>
                    <option value="QUARTER">{move || tx("k.QUARTER")}</option>
                    <option value="YEAR">{move || tx("k.YEAR")}</option>
                </select>
                <input type="number" name="year" min="2000" max="2100" prop:value=move || year.get() on:input=move |ev| year.set(event_target_value(&ev))/>
                {move || (kind.get() != "YEAR").then(|| view! {
                    <input type="number" name="index" min="1" max="12" prop:value=move || index.get() on:input=move |ev| index.set(event_target_value(&ev))/>
                })}
                <button class="btn primary" type="submit" disabled=move || busy.get()>{move || tx("cy.open")}</button>
                {move || made.get().map(|(n, k)| view! { <p class="good" role="status">{move || tx("cy.created").replace("{n}", &n.to_string()).replace("{k}", &k.to_string())}</p> })}
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
            </form>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                Some(Ok(d)) => view! {
                    <table class="list cycles">
                        <thead><tr><th>{move || tx("period")}</th><th>{move || tx("subjectKind")}</th><th>{move || tx("cy.due")}</th>
                            <th class="num">{move || tx("cy.total")}</th><th>{move || tx("status")}</th></tr></thead>
                        <tbody>{d.evaluation_cycles.into_iter().map(|c| {
                            let pk = code(&c.period.kind);
                            let sk = if code(&c.subject_kind) == "SUPERVISOR" { "sk.SUPERVISOR" } else { "sk.REP" };
                            let total = c.total.max(1) as f64;
                            let pct = |n: i64| format!("width:{:.1}%", 100.0 * n as f64 / total);
                            view! { <tr>
                                <td data-label=move || tx("period")>{move || period_label(&pk, c.period.year, c.period.index)}</td>
                                <td data-label=move || tx("subjectKind")>{move || tx(sk)}</td>
                                <td data-label=move || tx("cy.due")>{c.due_on.clone()}{(c.overdue > 0).then(|| view! { " "<span class="badge warn">{c.overdue}" "{move || tx("cy.overdue")}</span> })}</td>
                                <td class="num" data-label=move || tx("cy.total")>{c.total}</td>
                                <td data-label=move || tx("status")>
                                    <span class="stack" title=format!("{} / {} / {}", c.drafts, c.submitted, c.finalized)>
                                        <span class="seg draft" style=pct(c.drafts)></span>
                                        <span class="seg submitted" style=pct(c.submitted)></span>
                                        <span class="seg finalized" style=pct(c.finalized)></span>
                                    </span>
                                    <small class="muted">{format!(" {} · {} · {}", c.drafts, c.submitted, c.finalized)}</small>
                                </td>
                            </tr> }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn CalibrationPage() -> impl IntoView {
    let (y, m) = crate::format::this_month();
    let q_now = (m - 1) / 3 + 1;
    let (py, pq) = if q_now == 1 {
        (y - 1, 4)
    } else {
        (y, q_now - 1)
    };
    let kind = RwSignal::new("QUARTER".to_owned());
    let year = RwSignal::new(py.to_string());
    let index = RwSignal::new(pq.to_string());
    let who = RwSignal::new("REP".to_owned());
    let data = LocalResource::new(move || {
        use calibration as q;
        let k = match kind.get().as_str() {
            "MONTH" => q::PeriodKind::MONTH,
            "YEAR" => q::PeriodKind::YEAR,
            _ => q::PeriodKind::QUARTER,
        };
        let vars = q::Variables {
            period: q::PeriodInput {
                kind: k.clone(),
                year: year.get().trim().parse().unwrap_or(py.into()),
                index: (k != q::PeriodKind::YEAR).then(|| index.get().parse().unwrap_or(1)),
            },
            subject_kind: if who.get() == "SUPERVISOR" {
                q::EvaluationSubjectKind::SUPERVISOR
            } else {
                q::EvaluationSubjectKind::REP
            },
        };
        call::<Calibration>(vars)
    });
    view! {
        <section class="page evaluations calibration">
            <div class="page-head"><h1>{move || tx("cal.title")}</h1><span class="spacer"></span><Tabs/></div>
            <div class="filters">
                <select name="who" prop:value=move || who.get() on:change=move |ev| who.set(event_target_value(&ev))>
                    <option value="REP">{move || tx("sk.REP")}</option>
                    <option value="SUPERVISOR">{move || tx("sk.SUPERVISOR")}</option>
                </select>
                <select name="kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="MONTH">{move || tx("k.MONTH")}</option>
                    <option value="QUARTER">{move || tx("k.QUARTER")}</option>
                    <option value="YEAR">{move || tx("k.YEAR")}</option>
                </select>
                <input type="number" name="year" min="2000" max="2100" prop:value=move || year.get() on:change=move |ev| year.set(event_target_value(&ev))/>
                {move || (kind.get() != "YEAR").then(|| view! {
                    <input type="number" name="index" min="1" max="12" prop:value=move || index.get() on:change=move |ev| index.set(event_target_value(&ev))/>
                })}
            </div>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                Some(Ok(d)) => {
                    let c = d.calibration;
                    let names: std::collections::HashMap<String, (String, Option<f64>)> = d.evaluations.edges.into_iter()
                        .map(|e| (e.node.id, (e.node.subject.name, e.node.total_score))).collect();
                    let name_of = move |id: &str| names.get(id).map(|(n, _)| n.clone()).unwrap_or_default();
                    let dist = |rows: Vec<calibration::CalibrationCalibrationRegions>| rows.into_iter().map(|g| {
                        let n = g.count.max(1) as f64;
                        let w = |k: i64| format!("width:{:.1}%", 100.0 * k as f64 / n);
                        let len = g.leniency.unwrap_or(0.0);
                        let (lenient, strict) = (len > 3.0, len < -3.0);
                        view! { <tr>
                            <td>{g.name.clone()}</td><td class="num">{g.count}</td><td class="num">{num(g.mean)}</td><td class="num">{num(g.spread)}</td>
                            <td class="num" class:good=lenient class:warn-text=strict>{g.leniency.map(|l| format!("{l:+.2}")).unwrap_or_else(|| "—".into())}</td>
                            <td><span class="stack grades" title=format!("A {} · B {} · C {} · D {}", g.a, g.b, g.c, g.d)>
                                <span class="seg ga" style=w(g.a)></span><span class="seg gb" style=w(g.b)></span>
                                <span class="seg gc" style=w(g.c)></span><span class="seg gd" style=w(g.d)></span></span>
                                <small class="muted">{format!(" A{} B{} C{} D{}", g.a, g.b, g.c, g.d)}</small></td>
                        </tr> }
                    }).collect_view();
                    let sup: Vec<calibration::CalibrationCalibrationRegions> = c.supervisors.into_iter().map(|s| calibration::CalibrationCalibrationRegions {
                        id: s.id, name: s.name, count: s.count, mean: s.mean, spread: s.spread, leniency: s.leniency, a: s.a, b: s.b, c: s.c, d: s.d,
                    }).collect();
                    let head = move || view! { <thead><tr><th>"·"</th><th class="num">{move || tx("cal.count")}</th><th class="num">{move || tx("cal.mean")}</th>
                        <th class="num">{move || tx("cal.spread")}</th><th class="num">{move || tx("cal.leniency")}</th><th>{move || tx("cal.dist")}</th></tr></thead> };
                    let boxes = c.nine_box;
                    let name_of2 = name_of.clone();
                    view! {
                        <div class="grid3 totals">
                            <div class="card"><span class="label">{move || tx("cal.count")}</span><span class="big">{c.count}</span></div>
                            <div class="card"><span class="label">{move || tx("cal.mean")}</span><span class="big">{num(c.mean)}</span></div>
                            <div class="card"><span class="label">{move || tx("cal.spread")}</span><span class="big">{num(c.spread)}</span></div>
                        </div>
                        <div class="card"><h2>{move || tx("cal.regions")}</h2><table class="list">{head()}<tbody>{dist(c.regions)}</tbody></table></div>
                        <div class="card"><h2>{move || tx("cal.supervisors")}</h2><table class="list">{head()}<tbody>{dist(sup)}</tbody></table></div>
                        <div class="card nine-box-card">
                            <h2>{move || tx("cal.nine")}</h2>
                            <div class="nine-box" data-testid="nine-box">
                                {(0..3).rev().flat_map(|cb| (0..3).map(move |rb| (rb, cb))).map(|(rb, cb)| {
                                    let cell = boxes.iter().find(|b| b.result_band == rb && b.capability_band == cb);
                                    let ids = cell.map(|b| b.evaluation_ids.clone()).unwrap_or_default();
                                    let count = ids.len();
                                    let name_of = name_of.clone();
                                    view! {
                                        <div class=format!("box r{rb} c{cb}")>
                                            <strong>{count}</strong>
                                            <ul>{ids.into_iter().take(6).map(|id| {
                                                let n = name_of(&id);
                                                view! { <li><A href=format!("/evaluations/{id}")>{n}</A></li> }
                                            }).collect_view()}</ul>
                                        </div>
                                    }
                                }).collect_view()}
                            </div>
                            <p class="muted axis">{move || format!("↑ {} · → {} ({:.0} / {:.0})", tx("cap"), tx("res"), c.low, c.high)}</p>
                        </div>
                        {(!c.outliers.is_empty()).then(|| view! {
                            <div class="card"><h2>{move || tx("cal.outliers")}</h2><ul>
                                {c.outliers.into_iter().map(|o| {
                                    let n = name_of2(&o.evaluation_id);
                                    view! { <li><A href=format!("/evaluations/{}", o.evaluation_id)>{n}</A>" · "{format!("{:.2}", o.total_score)}</li> }
                                }).collect_view()}
                            </ul></div>
                        })}
                    }.into_any()
                }
            }}
        </section>
    }
}

/// A customer's surveys and one-time links (on the customer's page).
#[component]
pub fn CustomerSurveysCard(customer: String) -> impl IntoView {
    super::style();
    let reload = RwSignal::new(0u32);
    let cid = customer.clone();
    let data = LocalResource::new(move || {
        reload.track();
        call::<CustomerSurveys>(customer_surveys::Variables {
            customer: cid.clone(),
        })
    });
    let score = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let day = RwSignal::new(crate::format::today());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let link = RwSignal::new(None::<String>);
    let c1 = customer.clone();
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(s) = score.get_untracked().trim().parse::<i64>() else {
            return;
        };
        let c = comment.get_untracked();
        let input = record_survey::RecordSurveyInput {
            customer_id: c1.clone(),
            date: day.get_untracked(),
            score: s,
            comment: (!c.trim().is_empty()).then_some(c),
        };
        submit(
            busy,
            error,
            async move { call::<RecordSurvey>(record_survey::Variables { input }).await },
            Callback::new(move |_| {
                score.set(String::new());
                comment.set(String::new());
                reload.update(|n| *n += 1);
            }),
        );
    };
    let c2 = customer;
    let make_link = move |_| {
        let c = c2.clone();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match call::<CreateSurveyLink>(create_survey_link::Variables { customer: c }).await {
                Ok(d) => {
                    let origin = web_sys::window()
                        .and_then(|w| w.location().origin().ok())
                        .unwrap_or_default();
                    link.set(d.create_survey_link.link.map(|l| format!("{origin}{l}")));
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card surveys">
            <h2>{move || tx("sv.title")}</h2>
            {move || data.get().and_then(Result::ok).map(|d| view! {
                <ul class="survey-list">
                    {d.surveys.edges.into_iter().map(|e| view! {
                        <li><strong class:warn-text=e.node.score < 7>{e.node.score}</strong>" · "{e.node.date.clone()}
                            {e.node.comment.map(|c| format!(" · {c}"))}<small class="muted">{format!(" · {}", e.node.source)}</small></li>
                    }).collect_view()}
                </ul>
                <ul class="links muted">
                    {d.survey_links.into_iter().take(5).map(|l| view! {
                        <li>{crate::components::local_time(&l.created_at)}" · "
                            {match l.used_at { Some(u) => format!("{} {}", tx("sv.used"), crate::components::local_time(&u)), None => format!("{} {}", tx("sv.valid"), crate::components::local_time(&l.expires_at)) }}</li>
                    }).collect_view()}
                </ul>
            })}
            <form class="inline-form" on:submit=record>
                <input type="number" name="survey-score" min="0" max="10" step="1" required placeholder=move || tx("sv.score")
                    prop:value=move || score.get() on:input=move |ev| score.set(event_target_value(&ev))/>
                <input type="date" name="survey-date" prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev))/>
                <input type="text" name="survey-comment" placeholder=move || tx("comment") prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))/>
                <button class="btn" type="submit" disabled=move || busy.get()>{move || tx("sv.record")}</button>
                <button class="btn" type="button" disabled=move || busy.get() on:click=make_link>{move || tx("sv.link")}</button>
            </form>
            {move || link.get().map(|l| view! { <p class="link-made" role="status">{move || tx("linkMade")}<br/><code data-testid="survey-link">{l}</code></p> })}
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::TEXTS;

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
        let src = include_str!("evaluations.rs");
        let mut missing = Vec::new();
        for piece in src.split("tx(\"").skip(1) {
            if let Some((key, _)) = piece.split_once('"')
                && TEXTS.binary_search_by(|(k, _, _)| k.cmp(&key)).is_err()
            {
                missing.push(key.to_owned());
            }
        }
        assert!(missing.is_empty(), "texts missing: {missing:?}");
    }
}
