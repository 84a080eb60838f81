//! The forms a customer answers through a one-time link, without an account: a
//! satisfaction survey (`/form/survey/<token>`, 0–10) and a 360° rating of a rep
//! (`/form/rating/<token>`,
//! 0–100). They show nothing but the form; a forged, used or expired link gets one and
//! the same message. They come with the small home module, not the daily-work one.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::{
    AnswerInvitation, AnswerSurvey, ApiError, PublicRaterForm, PublicSurvey, anonymous,
    answer_invitation, answer_survey, public_rater_form, public_survey,
};
use crate::i18n::{Lang, lang, pick, t_of};

static TEXTS: &[(&str, &str, &str)] = &[
    (
        "comment",
        "还想告诉我们什么？（可选）",
        "Anything else you want to tell us? (optional)",
    ),
    (
        "done",
        "谢谢！您的评价已收到。",
        "Thank you! Your answer has been received.",
    ),
    ("loading", "加载中…", "Loading…"),
    (
        "rate",
        "请为 {name} 在 {period} 的服务打分（0–100）",
        "How would you rate {name}'s service in {period}? (0–100)",
    ),
    ("send", "提交", "Send"),
    (
        "survey",
        "您有多大可能把我们推荐给朋友或同事？",
        "How likely are you to recommend us to a friend or colleague?",
    ),
    (
        "surveyHint",
        "0 = 完全不可能，10 = 非常可能",
        "0 = not at all likely, 10 = extremely likely",
    ),
    ("title", "客户满意度调查", "Customer satisfaction survey"),
];

fn tx(key: &'static str) -> &'static str {
    t_of(TEXTS, key)
}

/// `/form/survey/<token>` or `/form/rating/<token>`.
#[component]
pub fn Pages() -> impl IntoView {
    super::style();
    let location = use_location();
    let kind = Memo::new(move |_| {
        location
            .pathname
            .get()
            .split('/')
            .nth(2)
            .unwrap_or_default()
            .to_owned()
    });
    move || match kind.get().as_str() {
        "survey" => view! { <SurveyPage/> }.into_any(),
        _ => view! { <RaterPage/> }.into_any(),
    }
}

/// The token: the address's last part.
fn token() -> Memo<String> {
    let location = use_location();
    Memo::new(move |_| {
        location
            .pathname
            .get()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned()
    })
}

#[component]
fn Frame(children: Children) -> impl IntoView {
    view! {
        <main class="public-form">
            <header><span class="logo">"督"</span><crate::LangSwitch/></header>
            {children()}
        </main>
    }
}

#[component]
fn Refused(e: ApiError) -> impl IntoView {
    view! { <p class="form-error" role="alert">{move || pick(&e.message)}</p> }
}

/// A 0–10 score and a comment.
#[component]
fn SurveyPage() -> impl IntoView {
    let token = token();
    let form = LocalResource::new(move || {
        let t = token.get();
        anonymous::<PublicSurvey>(public_survey::Variables { token: t })
    });
    let score = RwSignal::new(None::<i64>);
    let comment = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(s) = score.get_untracked() else {
            return;
        };
        let c = comment.get_untracked();
        let vars = answer_survey::Variables {
            token: token.get_untracked(),
            score: s,
            comment: (!c.trim().is_empty()).then_some(c),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match anonymous::<AnswerSurvey>(vars).await {
                Ok(_) => sent.set(true),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <Frame>
            <h1>{move || tx("title")}</h1>
            {move || match (sent.get(), form.get()) {
                (true, _) => view! { <p class="good done" role="status">{move || tx("done")}</p> }.into_any(),
                (_, None) => view! { <p class="muted">{move || tx("loading")}</p> }.into_any(),
                (_, Some(Err(e))) => view! { <Refused e=e/> }.into_any(),
                (_, Some(Ok(_))) => view! {
                    <form class="card" on:submit=send>
                        <p><strong>{move || tx("survey")}</strong></p>
                        <div class="nps" role="radiogroup">
                            {(0..=10).map(|n| view! {
                                <button type="button" class="btn nps-btn" class:chosen=move || score.get() == Some(n)
                                    aria-pressed=move || (score.get() == Some(n)).to_string()
                                    on:click=move |_| score.set(Some(n))>{n}</button>
                            }).collect_view()}
                        </div>
                        <p class="muted">{move || tx("surveyHint")}</p>
                        <label>{move || tx("comment")}
                            <textarea name="comment" rows="3" prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                        </label>
                        {move || error.get().map(|e| view! { <Refused e=e/> })}
                        <button class="btn primary" type="submit" disabled=move || busy.get() || score.get().is_none()>{move || tx("send")}</button>
                    </form>
                }.into_any(),
            }}
        </Frame>
    }
}

/// A customer rates the rep, 0–100.
#[component]
fn RaterPage() -> impl IntoView {
    let token = token();
    let form = LocalResource::new(move || {
        let t = token.get();
        anonymous::<PublicRaterForm>(public_rater_form::Variables { token: t })
    });
    let score = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(s) = score.get_untracked().trim().parse::<f64>() else {
            return;
        };
        let c = comment.get_untracked();
        let input = answer_invitation::EvaluatorInputInput {
            invitation_id: None,
            token: Some(token.get_untracked()),
            score: s,
            comment: (!c.trim().is_empty()).then_some(c),
            highlights: None,
            improvement_plan: None,
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match anonymous::<AnswerInvitation>(answer_invitation::Variables { input }).await {
                Ok(_) => sent.set(true),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <Frame>
            {move || match (sent.get(), form.get()) {
                (true, _) => view! { <p class="good done" role="status">{move || tx("done")}</p> }.into_any(),
                (_, None) => view! { <p class="muted">{move || tx("loading")}</p> }.into_any(),
                (_, Some(Err(e))) => view! { <Refused e=e/> }.into_any(),
                (_, Some(Ok(d))) => {
                    let f = d.evaluator_form;
                    let name = f.subject_name.clone();
                    let (y, i) = (f.period.year, f.period.index);
                    let kind = serde_json::to_value(&f.period.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                    let period = move || match kind.as_str() {
                        "MONTH" => format!("{y}-{i:02}"),
                        "QUARTER" => format!("{y} Q{i}"),
                        _ => if lang().get() == Lang::En { format!("{y}") } else { format!("{y} 年") },
                    };
                    view! {
                        <form class="card" on:submit=send>
                            <p><strong>{move || tx("rate").replace("{name}", &name).replace("{period}", &period())}</strong></p>
                            <input type="range" name="score-range" min="0" max="100" step="5" prop:value=move || score.get()
                                on:input=move |ev| score.set(event_target_value(&ev))/>
                            <input type="number" name="score" min="0" max="100" required prop:value=move || score.get()
                                on:input=move |ev| score.set(event_target_value(&ev))/>
                            <label>{move || tx("comment")}
                                <textarea name="comment" rows="3" prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                            </label>
                            {move || error.get().map(|e| view! { <Refused e=e/> })}
                            <button class="btn primary" type="submit" disabled=move || busy.get()>{move || tx("send")}</button>
                        </form>
                    }.into_any()
                }
            }}
        </Frame>
    }
}
