//! The home page (首页): what each role looks at first, in one request. A director sees the
//! company's quarter against time and the regions furthest behind; a supervisor their
//! region and the reps who need attention this week; a rep their own pace, their open
//! alerts and one tap to log a visit.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{Home, Ranking, call, home, ranking};
use crate::charts::{Meter, pace_of, tone};
use crate::components::{ErrorBox, Loading, role_label};
use crate::format::{count as format_count, money, money_short, this_month};
use crate::i18n::t;
use crate::pages::scorecard::percent;
use crate::{MeResource, Role};

#[component]
pub fn HomePage() -> impl IntoView {
    let me = expect_context::<MeResource>();
    move || {
        me.get().and_then(Result::ok).flatten().map(|d| {
            let role = d.me.role.clone();
            let code = role.code();
            let regions = d
                .me
                .regions
                .iter()
                .map(|r| r.name.clone())
                .collect::<Vec<_>>()
                .join("、");
            // The scope a role answers for: the company, the first region, the rep.
            let (scope, scope_name) = match role {
                Role::REP => (
                    d.me.rep.as_ref().map(|r| format!("REP:{}", r.id)),
                    d.me.rep.as_ref().map(|r| r.name.clone()),
                ),
                Role::SUPERVISOR => (
                    d.me.regions.first().map(|r| format!("REGION:{}", r.id)),
                    d.me.regions.first().map(|r| r.name.clone()),
                ),
                _ => (Some("COMPANY".to_owned()), None),
            };
            view! {
                <section class="page home">
                    <h1>{move || t("home.welcome")}"，"{d.me.name.clone()}</h1>
                    <p class="muted">{move || role_label(code)}" · "{d.me.email}
                        {(!regions.is_empty()).then(|| view! { " · "{move || t("home.assigned")}"："<strong>{regions.clone()}</strong> })}
                    </p>
                    {match scope {
                        Some(s) => view! { <Overview role=role scope=s scope_name=scope_name/> }.into_any(),
                        None => view! { <p class="muted">{move || t("home.noScope")}</p> }.into_any(),
                    }}
                </section>
            }
        })
    }
}

#[component]
fn Overview(role: Role, scope: String, scope_name: Option<String>) -> impl IntoView {
    let (year, month) = this_month();
    let quarter = i64::from((month - 1) / 3 + 1);
    let is_rep = role == Role::REP;
    let is_supervisor = role == Role::SUPERVISOR;
    let scope_key = scope.clone();
    let data = LocalResource::new(move || {
        let sc = scope_key.clone();
        let (k, id) = crate::components::scope_parts(&sc);
        let vars = home::Variables {
            scope: home::ScopeInput {
                kind: match k {
                    "REP" => home::ScopeKind::REP,
                    "REGION" => home::ScopeKind::REGION,
                    _ => home::ScopeKind::COMPANY,
                },
                id,
            },
            period: home::PeriodInput {
                kind: home::PeriodKind::QUARTER,
                year: i64::from(year),
                index: Some(quarter),
            },
            // A supervisor's and a rep's own alerts; a director's whole inbox.
            mine: is_supervisor.then_some(home::AlertFilter {
                status: None,
                rule: None,
                region_id: None,
                rep_id: None,
                customer_id: None,
                assigned_to_me: Some(true),
                min_amount_at_risk: None,
            }),
        };
        async move { call::<Home>(vars).await }
    });
    // Who is below the scope (regions of the company, reps of a region), in parallel.
    let scope_rank = scope.clone();
    let ranking = LocalResource::new(move || {
        let sc = scope_rank.clone();
        let (k, id) = crate::components::scope_parts(&sc);
        let vars = ranking::Variables {
            scope: ranking::ScopeInput {
                kind: if k == "REGION" {
                    ranking::ScopeKind::REGION
                } else {
                    ranking::ScopeKind::COMPANY
                },
                id,
            },
            period: ranking::PeriodInput {
                kind: ranking::PeriodKind::QUARTER,
                year: i64::from(year),
                index: Some(quarter),
            },
        };
        async move {
            if is_rep {
                Ok(None)
            } else {
                call::<Ranking>(vars).await.map(Some)
            }
        }
    });
    let scorecard_link = match scope.split_once(':') {
        Some(("REP", id)) => format!("/scorecard?rep={id}"),
        Some(("REGION", id)) => format!("/scorecard?region={id}"),
        _ => "/scorecard".to_owned(),
    };
    move || match data.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => {
            view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any()
        }
        Some(Ok(d)) => {
            crate::i18n::lang().track();
            let Some(card) = d.scorecard_trend.last().cloned() else {
                return view! { <Loading/> }.into_any();
            };
            let elapsed = card.period.elapsed;
            let att = card.attainment;
            let bar = att.map_or(0.0, |a| (a * 100.0).clamp(0.0, 100.0));
            let where_ = scope_name
                .clone()
                .unwrap_or_else(|| t("sc.company").to_owned());
            let period = format!("{} Q{}", card.period.year, card.period.index);
            let digest = d.alert_digest;
            // Furthest behind first (same time elapsed for all: lowest attainment); those
            // without a target last.
            let ranked_state = ranking.get();
            let mut ranked = ranked_state
                .clone()
                .and_then(Result::ok)
                .flatten()
                .map(|r| r.ranking)
                .unwrap_or_default();
            ranked.sort_by(|a, b| match (a.attainment, b.attainment) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.name.cmp(&b.name),
            });
            let behind: Vec<_> = ranked
                .into_iter()
                .filter(|r| pace_of(r.attainment, elapsed).is_none_or(|p| p < 1.0))
                .take(if is_supervisor { 5 } else { 3 })
                .collect();
            let reps = is_supervisor;
            view! {
                <div class="home-grid">
                    <div class="card home-card">
                        <span class="kpi-label">{where_}" · "{period}" · "{move || t("sc.sales")}</span>
                        <span class="kpi-value" title=money(&card.sales_amount)>{money_short(&card.sales_amount)}</span>
                        <Meter share=bar / 100.0 tone=tone(card.pace) elapsed=elapsed/>
                        <dl class="home-figures">
                            <div><dt>{move || t("sc.attainment")}</dt><dd class=tone(card.pace)>{percent(att)}</dd></div>
                            <div><dt>{move || t("sc.timeProgress")}</dt><dd>{percent(Some(elapsed))}</dd></div>
                            <div><dt>{move || t("sc.pace")}</dt><dd class=tone(card.pace)>{card.pace.map_or_else(|| "—".into(), |p| format!("{:.0}%", p * 100.0))}</dd></div>
                            <div><dt>{move || t("sc.target")}</dt><dd>{card.sales_target.as_deref().map_or_else(|| t("sc.noTarget").to_owned(), money_short)}</dd></div>
                        </dl>
                        <p class="muted small">{move || pace_sentence(card.pace)}</p>
                        <A href=scorecard_link.clone() attr:class="drill">{move || t("home.openScorecard")}</A>
                    </div>
                    <div class="card home-card">
                        <span class="kpi-label">{move || if reps { t("home.alertsMine") } else { t("home.alerts") }}</span>
                        <span class="kpi-value">{format_count(digest.open)}</span>
                        <p class="muted small">
                            {move || t("home.newToday")}" "<strong>{digest.raised}</strong>" · "
                            {move || t("home.resolvedToday")}" "<strong>{digest.resolved}</strong>" · "
                            {move || t("home.atRisk")}" "<strong>{money_short(&digest.amount_at_risk)}</strong>
                        </p>
                        <A href=if reps { "/alerts?mine=1" } else { "/alerts" } attr:class="drill">{move || t("home.openInbox")}</A>
                    </div>
                    {is_rep.then(|| view! {
                        <div class="card home-card home-action">
                            <span class="kpi-label">{move || t("home.afterVisit")}</span>
                            <A href="/activity?new=visit" attr:class="btn primary big">{move || t("home.logVisit")}</A>
                        </div>
                    })}
                </div>
                {(!is_rep).then(|| view! {
                    <h2>{move || if reps { t("home.repsAttention") } else { t("home.weakestRegions") }}</h2>
                    {match ranked_state {
                        None => view! { <Loading/> }.into_any(),
                        Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| ranking.refetch())/> }.into_any(),
                        Some(Ok(_)) => if behind.is_empty() {
                        view! { <div class="state ok" role="status"><strong>{move || t("home.allOnCourse")}</strong></div> }.into_any()
                    } else {
                        view! {
                            <ul class="home-list card">
                                {behind.into_iter().map(|r| {
                                    let pace = pace_of(r.attainment, elapsed);
                                    let href = if reps { format!("/scorecard?rep={}", r.id) } else { format!("/scorecard?region={}", r.id) };
                                    view! {
                                        <li>
                                            <A href=href>{r.name}</A>
                                            <span class="muted small">{money_short(&r.sales_amount)}" / "{r.sales_target.as_deref().map_or_else(|| "—".into(), money_short)}</span>
                                            <span class=format!("chip {}", tone(pace))>
                                                {move || t("sc.attainment")}" "{percent(r.attainment)}" · "{move || t("sc.pace")}" "{pace.map_or_else(|| "—".into(), |p| format!("{:.0}%", p * 100.0))}
                                            </span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}}
                })}
            }
            .into_any()
        }
    }
}

/// "On course", "close", "behind" in words, with what pace means.
fn pace_sentence(pace: Option<f64>) -> &'static str {
    match pace {
        Some(p) if p >= 1.0 => t("home.onCourse"),
        Some(p) if p >= 0.8 => t("home.close"),
        Some(_) => t("home.behind"),
        None => t("sc.noTarget"),
    }
}
