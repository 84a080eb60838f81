//! The scorecard (记分卡): KPI tiles for a scope and period, and the trend of sales
//! against target as a chart (hand-drawn SVG: a few dozen elements, no chart library to
//! download for one bar chart).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::{
    Batch, Funnel, Heatmap, Process, Ranking, RegionOptions, RepName, ScorecardTrend, call, funnel,
    heatmap, process, ranking, region_options, rep_name, scorecard_trend,
};
use crate::components::{ErrorBox, Loading};
use crate::format::{axis_short, money, money_short, this_month, yuan};
use crate::i18n::t;
use crate::{MeResource, Role};

type Card = scorecard_trend::ScorecardTrendScorecardTrend;

pub(crate) fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |x| format!("{:.1}%", x * 100.0))
}

fn label(c: &Card) -> String {
    match c.period.kind {
        scorecard_trend::PeriodKind::MONTH => format!("{}-{:02}", c.period.year, c.period.index),
        scorecard_trend::PeriodKind::QUARTER => format!("{} Q{}", c.period.year, c.period.index),
        _ => c.period.year.to_string(),
    }
}

use crate::charts::{Bar, BarChart, Meter, PaceLegend, narrow_screen};
pub(crate) use crate::charts::{pace_of, tone};

#[component]
pub fn ScorecardPage() -> impl IntoView {
    let me = use_context::<MeResource>()
        .and_then(|m| m.get_untracked())
        .and_then(Result::ok)
        .flatten();
    let is_rep = me.as_ref().is_some_and(|d| d.me.role == Role::REP);
    let company = me.as_ref().is_some_and(|d| d.me.role.company_wide());
    let own_rep = me
        .as_ref()
        .and_then(|d| d.me.rep.as_ref().map(|r| r.id.clone()));
    let first_region = me
        .as_ref()
        .and_then(|d| d.me.regions.first().map(|r| r.id.clone()));
    let query = use_query_map();
    // Scope: "COMPANY", "REGION:<id>" or "REP:<id>".
    let initial = query
        .read_untracked()
        .get("rep")
        .map(|r| format!("REP:{r}"))
        .or_else(|| {
            query
                .read_untracked()
                .get("region")
                .map(|r| format!("REGION:{r}"))
        })
        .or_else(|| own_rep.clone().map(|r| format!("REP:{r}")))
        .or_else(|| first_region.clone().map(|r| format!("REGION:{r}")))
        .unwrap_or_else(|| "COMPANY".into());
    let scope = RwSignal::new(initial);
    let (year, month) = this_month();
    let from_url = |k: &str| query.read_untracked().get(k);
    let kind = RwSignal::new(
        from_url("period")
            .filter(|k| matches!(k.as_str(), "MONTH" | "QUARTER" | "YEAR"))
            .unwrap_or_else(|| "QUARTER".to_owned()),
    );
    let year_sel = RwSignal::new(
        from_url("year")
            .and_then(|y| y.parse().ok())
            .filter(|y| (2000..=2100).contains(y))
            .unwrap_or(year),
    );
    let index = RwSignal::new(
        from_url("index")
            .and_then(|i| i.parse().ok())
            .filter(|i| (1..=12).contains(i))
            .unwrap_or(((month - 1) / 3 + 1) as i64),
    );
    // Scope and period live in the URL (`components::url_state`): Back returns step by
    // step from a drill-down, a reload or a shared link shows the same view.
    crate::components::url_state(
        move || {
            let (sc, kd) = (scope.get(), kind.get());
            let (rep, region) = match sc.split_once(':') {
                Some(("REP", id)) => (id.to_owned(), String::new()),
                Some(("REGION", id)) => (String::new(), id.to_owned()),
                _ => (String::new(), String::new()),
            };
            let i = if kd == "YEAR" {
                String::new()
            } else {
                index.get().to_string()
            };
            vec![
                ("rep", rep),
                ("region", region),
                ("period", kd),
                ("year", year_sel.get().to_string()),
                ("index", i),
            ]
        },
        move |q| {
            let sc = q
                .get("rep")
                .map(|r| format!("REP:{r}"))
                .or_else(|| q.get("region").map(|r| format!("REGION:{r}")))
                .or_else(|| q.get("period").map(|_| "COMPANY".to_owned()));
            if let Some(sc) = sc.filter(|sc| *sc != scope.get_untracked()) {
                scope.set(sc);
            }
            if let Some(k) = q.get("period").filter(|k| *k != kind.get_untracked()) {
                kind.set(k);
            }
            if let Some(y) = q
                .get("year")
                .and_then(|y| y.parse().ok())
                .filter(|y| *y != year_sel.get_untracked())
            {
                year_sel.set(y);
            }
            if let Some(i) = q
                .get("index")
                .and_then(|i| i.parse().ok())
                .filter(|i| *i != index.get_untracked())
            {
                index.set(i);
            }
        },
    );
    let regions = LocalResource::new(move || async move {
        if is_rep {
            Ok(None)
        } else {
            call::<RegionOptions>(region_options::Variables {})
                .await
                .map(Some)
        }
    });
    // The page's sections for one scope and period travel in one request (a batch): the
    // trend with its tiles, process, funnel, the ranking below a region or the company,
    // the regions' heatmap, and a drilled rep's name. Each answers on its own, so a section
    // whose query failed says so and the others draw.
    let own_name = me
        .as_ref()
        .and_then(|d| d.me.rep.as_ref().map(|r| r.name.clone()));
    let page = LocalResource::new(move || {
        let sc = scope.get();
        let kd = kind.get();
        let (y, i) = (year_sel.get(), index.get());
        let own = own_name.clone();
        async move {
            let (k, id) = crate::components::scope_parts(&sc);
            macro_rules! scope_of {
                ($m:ident) => {
                    $m::ScopeInput {
                        kind: match k {
                            "REP" => $m::ScopeKind::REP,
                            "REGION" => $m::ScopeKind::REGION,
                            _ => $m::ScopeKind::COMPANY,
                        },
                        id: id.clone(),
                    }
                };
            }
            macro_rules! period_of {
                ($m:ident) => {
                    $m::PeriodInput {
                        kind: match kd.as_str() {
                            "MONTH" => $m::PeriodKind::MONTH,
                            "YEAR" => $m::PeriodKind::YEAR,
                            _ => $m::PeriodKind::QUARTER,
                        },
                        year: y as i64,
                        index: (kd != "YEAR").then_some(i),
                    }
                };
            }
            let mut batch = Batch::default();
            let trend = batch.add::<ScorecardTrend>(scorecard_trend::Variables {
                scope: scope_of!(scorecard_trend),
                period: period_of!(scorecard_trend),
                // Back far enough to hold the same period a year before (同比).
                last: match kd.as_str() {
                    "YEAR" => 3,
                    "MONTH" => 13,
                    _ => 8,
                },
            });
            let process = batch.add::<Process>(process::Variables {
                scope: scope_of!(process),
                period: period_of!(process),
            });
            let funnel = batch.add::<Funnel>(funnel::Variables {
                scope: scope_of!(funnel),
                period: period_of!(funnel),
            });
            // Regions of the company, or reps of a region, ranked for the same period.
            let ranking = (k != "REP").then(|| {
                batch.add::<Ranking>(ranking::Variables {
                    scope: scope_of!(ranking),
                    period: period_of!(ranking),
                })
            });
            // Every region the viewer may read, over the periods up to the selected one.
            let heat = (!is_rep).then(|| {
                let (kind, index, last) = match kd.as_str() {
                    "MONTH" => (heatmap::PeriodKind::MONTH, Some(i), 12),
                    "YEAR" => (heatmap::PeriodKind::YEAR, None, 3),
                    _ => (heatmap::PeriodKind::QUARTER, Some(i), 8),
                };
                batch.add::<Heatmap>(heatmap::Variables {
                    period: heatmap::PeriodInput {
                        kind,
                        year: y as i64,
                        index,
                    },
                    last: Some(last),
                })
            });
            // A drill-down only has the rep's id: the name comes from the API.
            let rep = sc
                .strip_prefix("REP:")
                .map(|id| batch.add::<RepName>(rep_name::Variables { id: id.to_owned() }));
            let mut a = batch.send().await?;
            Ok::<_, crate::api::ApiError>(Sections {
                trend: a.take(&trend),
                process: a.take(&process),
                funnel: a.take(&funnel),
                ranking: ranking.map(|r| a.take(&r).map(|d| (k == "COMPANY", d))),
                heat: heat.map(|h| a.take(&h)),
                rep_name: rep
                    .and_then(|r| a.take(&r).ok().map(|d| d.rep.name))
                    .or(own),
            })
        }
    });
    let retry = Callback::new(move |_| page.refetch());
    let sections = move || page.get().and_then(Result::ok);
    let data = move || page.get().map(|r| r.and_then(|s| s.trend));
    let process_data = move || sections().map(|s| s.process);
    let funnel_data = move || sections().map(|s| s.funnel);
    let ranking = move || sections().and_then(|s| s.ranking);
    let heat = move || sections().and_then(|s| s.heat);
    let rep_label = move || page.get().and_then(Result::ok).and_then(|s| s.rep_name);
    let scope_name = move || -> Option<String> {
        let sc = scope.get();
        if sc == "COMPANY" {
            return Some(t("sc.company").to_owned());
        }
        if let Some(id) = sc.strip_prefix("REGION:") {
            return regions.get().and_then(Result::ok).flatten().and_then(|d| {
                d.regions
                    .edges
                    .into_iter()
                    .find(|e| e.node.id == id)
                    .map(|e| e.node.name)
            });
        }
        rep_label()
    };
    let period_label = move || {
        let (y, i) = (year_sel.get(), index.get());
        match kind.get().as_str() {
            "MONTH" => format!("{y}-{i:02}"),
            "YEAR" => y.to_string(),
            _ => format!("{y} Q{i}"),
        }
    };
    let detail = expect_context::<crate::PageTitle>().0;
    Effect::new(move |_| {
        detail.set(Some(match scope_name() {
            Some(n) => format!("{n} · {}", period_label()),
            None => period_label(),
        }));
    });
    on_cleanup(move || detail.set(None));
    let scope_picker = move || {
        if is_rep {
            return view! { <span class="chip">{move || t("sc.ownScorecard")}{move || scope_name().map(|n| format!(" · {n}"))}</span> }.into_any();
        }
        let current = scope.get_untracked();
        view! {
            <label class="inline">{move || t("sc.scope")}
                <select name="scope" on:change=move |ev| scope.set(event_target_value(&ev)) prop:value=move || scope.get()>
                    {company.then(|| view! { <option value="COMPANY" selected=current == "COMPANY">{move || t("sc.company")}</option> })}
                    {move || regions.get().and_then(Result::ok).flatten().map(|d| d.regions.edges.into_iter().map(|e| {
                        let v = format!("REGION:{}", e.node.id);
                        let selected = v.clone();
                        view! { <option value=v selected=move || scope.get() == selected>{e.node.name}</option> }
                    }).collect_view())}
                    {move || {
                        let c = scope.get();
                        c.starts_with("REP:").then(|| view! { <option value=c.clone() selected=true>{move || rep_label().unwrap_or_else(|| t("col.rep").to_owned())}</option> })
                    }}
                </select>
            </label>
        }
        .into_any()
    };
    view! {
        <section class="page">
            <h1>{move || t("nav.scorecard")}{move || scope_name().map(|n| view! { <small class="muted">" · "{n}</small> })}</h1>
            <div class="toolbar">
                {scope_picker}
                <label class="inline">{move || t("sc.period")}
                    <select name="kind" prop:value=move || kind.get() on:change=move |ev| {
                        let k = event_target_value(&ev);
                        index.set(if k == "MONTH" { i64::from(month) } else { ((month - 1) / 3 + 1) as i64 });
                        kind.set(k);
                    }>
                        <option value="MONTH">{move || t("sc.month")}</option>
                        <option value="QUARTER" selected=true>{move || t("sc.quarter")}</option>
                        <option value="YEAR">{move || t("sc.year")}</option>
                    </select>
                </label>
                <select name="year" aria-label="year" prop:value=move || year_sel.get().to_string() on:change=move |ev| year_sel.set(event_target_value(&ev).parse().unwrap_or(year))>
                    {(0..3).map(|k| { let y = year - k; view! { <option value=y selected=k == 0>{y}</option> } }).collect_view()}
                </select>
                {move || (kind.get() != "YEAR").then(|| {
                    let n = if kind.get() == "MONTH" { 12 } else { 4 };
                    let prefix = if kind.get() == "MONTH" { "" } else { "Q" };
                    view! {
                        <select name="index" aria-label="index" prop:value=move || index.get().to_string() on:change=move |ev| index.set(event_target_value(&ev).parse().unwrap_or(1))>
                            {(1..=n).map(|i| view! { <option value=i selected=index.get_untracked() == i>{format!("{prefix}{i}")}</option> }).collect_view()}
                        </select>
                    }
                })}
            </div>
            {move || match data() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=retry/> }.into_any(),
                Some(Ok(d)) => {
                    let trend = d.scorecard_trend;
                    match trend.last().cloned() {
                        None => view! { <Loading/> }.into_any(),
                        Some(c) => {
                            let sc = scope.get();
                            let filter = match sc.split_once(':') {
                                Some(("REP", id)) => format!("rep={id}&"),
                                Some(("REGION", id)) => format!("region={id}&"),
                                _ => String::new(),
                            };
                            let drill = format!("/orders?{filter}from={}&to={}", c.period.start, c.period.end);
                            // The previous period and the same one a year before, from the trend.
                            let prev = trend.len().checked_sub(2).and_then(|i| trend.get(i)).map(|p| yuan(&p.sales_amount));
                            let year_ago = trend.iter().find(|p| p.period.year == c.period.year - 1 && p.period.index == c.period.index).map(|p| yuan(&p.sales_amount));
                            view! { <Tiles card=c drill=drill prev=prev year_ago=year_ago/><Trend cards=trend/> }.into_any()
                        }
                    }
                }
            }}
            // A section whose query failed says so, with a retry.
            {move || match process_data() {
                Some(Err(e)) => Some(view! { <SectionError title="sc.process" error=e retry=retry/> }.into_any()),
                Some(Ok(d)) => {
                    let sc = scope.get();
                    let filter = match sc.split_once(':') {
                        Some(("REP", id)) => format!("rep={id}&"),
                        Some(("REGION", id)) => format!("region={id}&"),
                        _ => String::new(),
                    };
                    Some(view! { <ProcessTiles p=d.process filter=filter/> }.into_any())
                }
                _ => None,
            }}
            {move || match funnel_data() {
                Some(Err(e)) => Some(view! { <SectionError title="sc.funnel" error=e retry=retry/> }.into_any()),
                Some(Ok(d)) => Some(view! { <FunnelChart steps=d.funnel/> }.into_any()),
                _ => None,
            }}
            {move || match ranking() {
                Some(Err(e)) => Some(view! { <SectionError title="sc.ranking" error=e retry=retry/> }.into_any()),
                Some(Ok((regions, d))) => {
                    // Time progress of the period shown (from the trend).
                    let elapsed = data()
                        .and_then(Result::ok)
                        .and_then(|t| t.scorecard_trend.last().map(|c| c.period.elapsed))
                        .unwrap_or(1.0);
                    Some(view! { <RankingTable regions=regions rows=d.ranking elapsed=elapsed pick=Callback::new(move |v| scope.set(v))/> }.into_any())
                }
                _ => None,
            }}
            {move || match heat() {
                Some(Err(e)) => Some(view! { <SectionError title="sc.heatmap" error=e retry=retry/> }.into_any()),
                Some(Ok(d)) if !d.attainment_heatmap.is_empty() => Some(view! { <HeatmapGrid rows=d.attainment_heatmap scope=scope/> }.into_any()),
                _ => None,
            }}
        </section>
    }
}

/// The answers of the scorecard's batch, one per section.
#[derive(Clone)]
struct Sections {
    trend: Result<scorecard_trend::ResponseData, crate::api::ApiError>,
    process: Result<process::ResponseData, crate::api::ApiError>,
    funnel: Result<funnel::ResponseData, crate::api::ApiError>,
    ranking: Option<Result<(bool, ranking::ResponseData), crate::api::ApiError>>,
    heat: Option<Result<heatmap::ResponseData, crate::api::ApiError>>,
    rep_name: Option<String>,
}

fn heat_label(p: &heatmap::HeatmapAttainmentHeatmapCellsPeriod) -> String {
    match p.kind {
        heatmap::PeriodKind::MONTH => format!("{}-{:02}", p.year % 100, p.index),
        heatmap::PeriodKind::QUARTER => format!("{}Q{}", p.year % 100, p.index),
        _ => p.year.to_string(),
    }
}

/// Regions × periods, each cell coloured by attainment; a cell opens its orders and a
/// region's name switches the scorecard to it.
#[component]
fn HeatmapGrid(
    rows: Vec<heatmap::HeatmapAttainmentHeatmap>,
    scope: RwSignal<String>,
) -> impl IntoView {
    let header = rows
        .first()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| heat_label(&c.period))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    // The current period is the last column: scrolled into view on a narrow screen.
    let scroller = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = scroller.get() {
            el.set_scroll_left(el.scroll_width());
        }
    });
    view! {
        <h2>{move || t("sc.heatmap")}</h2>
        <p class="scroll-hint muted small">{move || t("sc.scrollHint")}</p>
        <div class="heatmap card" node_ref=scroller>
            <table>
                <thead><tr><th></th>{header.into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let target = format!("REGION:{}", r.region_id);
                        let current = target.clone();
                        let region = r.region_id.clone();
                        view! { <tr class:current=move || scope.get() == current>
                            <th><a href=format!("/scorecard?region={}", r.region_id) on:click=move |ev| { ev.prevent_default(); scope.set(target.clone()); }>{r.region_name}</a></th>
                            {r.cells.into_iter().map(|c| {
                                let att = c.attainment;
                                // By pace: 60% → red, 80% → amber, ≥ 100% → green; no target → grey.
                                let style = c.pace.map_or_else(String::new, |a| {
                                    let hue = (a.clamp(0.6, 1.1) - 0.6) / 0.5 * 120.0;
                                    format!("background: hsl({hue:.0}, 68%, 82%)")
                                });
                                let running = if c.period.elapsed < 1.0 { format!(" · {} {}", t("sc.timeProgress"), percent(Some(c.period.elapsed))) } else { String::new() };
                                let title = format!("{} {}: {} / {}{running}", heat_label(&c.period), percent(att), money(&c.sales_amount), c.sales_target.as_deref().map_or_else(|| "—".into(), money));
                                let href = format!("/orders?region={region}&from={}&to={}", c.period.start, c.period.end);
                                view! { <td style=style title=title><A href=href>{att.map_or_else(|| "—".into(), |a| format!("{:.0}%", a * 100.0))}</A></td> }
                            }).collect_view()}
                        </tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The funnel as centred bars, widest at LEAD, with the conversion between steps.
#[component]
fn FunnelChart(steps: Vec<funnel::FunnelFunnel>) -> impl IntoView {
    let top = steps.first().map_or(0, |s| s.reached).max(1) as f64;
    view! {
        <h2>{move || t("sc.funnel")}</h2>
        <div class="funnel card">
            {steps.into_iter().map(|s| {
                let width = (s.reached as f64 / top * 100.0).max(2.0);
                use funnel::PipelineStage as S;
                let key: &'static str = match s.stage {
                    S::LEAD => "stage.LEAD",
                    S::CONTACTED => "stage.CONTACTED",
                    S::NEEDS_ANALYSIS => "stage.NEEDS_ANALYSIS",
                    S::PROPOSAL => "stage.PROPOSAL",
                    S::NEGOTIATION => "stage.NEGOTIATION",
                    S::WON | S::Other(_) => "stage.WON",
                };
                view! {
                    <div class="step">
                        <span class="step-name">{move || t(key)}</span>
                        <div class="step-track"><div class="step-bar" style=format!("width: {width:.1}%")>{s.reached}</div></div>
                        <span class="step-conv">{s.conversion.map(|c| view! { "↓ "{format!("{:.0}%", c * 100.0)}" "<small>{move || t("sc.toNext")}</small> })}</span>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// Children of the scope ranked by attainment, with a bar per row.
#[component]
fn RankingTable(
    regions: bool,
    rows: Vec<ranking::RankingRanking>,
    /// Time progress of the period: rows are coloured by pace.
    elapsed: f64,
    pick: Callback<String>,
) -> impl IntoView {
    view! {
        <h2>{move || if regions { t("sc.rankRegions") } else { t("sc.rankReps") }}</h2>
        <table class="list ranking">
            <thead><tr>
                <th>"#"</th>
                <th>{move || t("col.name")}</th>
                <th class="num">{move || t("sc.sales")}</th>
                <th class="num">{move || t("sc.target")}</th>
                <th>{move || t("sc.attainment")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let bar = r.attainment.map_or(0.0, |a| (a * 100.0).clamp(0.0, 100.0));
                    let href = if regions { format!("/scorecard?region={}", r.id) } else { format!("/scorecard?rep={}", r.id) };
                    let target = if regions { format!("REGION:{}", r.id) } else { format!("REP:{}", r.id) };
                    let att = r.attainment;
                    let pace = pace_of(att, elapsed);
                    view! { <tr>
                        <td data-label="#">{r.rank}</td>
                        <td data-label=move || t("col.name")><a href=href on:click=move |ev| {
                            // Stay on the page: switch the scope to this row (the link still opens in a new tab).
                            ev.prevent_default();
                            pick.run(target.clone());
                        }>{r.name}</a></td>
                        <td class="num" data-label=move || t("sc.sales")>{money(&r.sales_amount)}</td>
                        <td class="num" data-label=move || t("sc.target")>{r.sales_target.as_deref().map_or_else(|| "—".into(), money)}</td>
                        <td data-label=move || t("sc.attainment")>
                            <div class="rankbar"><Meter share=bar / 100.0 tone=tone(pace) elapsed=elapsed/>
                            <strong class=tone(pace)>{percent(att)}</strong></div>
                        </td>
                    </tr> }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A section of the page whose request failed: its title, what went wrong, a retry.
#[component]
fn SectionError(
    title: &'static str,
    error: crate::api::ApiError,
    retry: Callback<()>,
) -> impl IntoView {
    view! {
        <section class="section-error">
            <h2>{move || t(title)}</h2>
            <ErrorBox error=error retry=retry/>
        </section>
    }
}

/// The KPI tiles. Drawn again when the language changes: units (万 / M), days and labels
/// are all in the current language.
#[component]
fn Tiles(card: Card, drill: String, prev: Option<f64>, year_ago: Option<f64>) -> impl IntoView {
    move || tiles_view(card.clone(), drill.clone(), prev, year_ago)
}

fn tiles_view(
    card: Card,
    drill: String,
    prev: Option<f64>,
    year_ago: Option<f64>,
) -> impl IntoView {
    crate::i18n::lang().track();
    let c = card;
    let att = c.attainment;
    let elapsed = c.period.elapsed;
    let pace = c.pace;
    let bar = att.map_or(0.0, |a| (a * 100.0).clamp(0.0, 100.0));
    let target = c.sales_target.as_deref().map(money_short);
    let tiles: Vec<(&'static str, String)> = vec![
        ("sc.orders", crate::format::count(c.order_count)),
        (
            "sc.aov",
            c.average_order_value
                .as_deref()
                .map_or_else(|| "—".into(), money),
        ),
        ("sc.collection", percent(c.collection_rate)),
        ("sc.collected", money_short(&c.collected)),
        ("sc.newCustomers", crate::format::count(c.new_customers)),
        ("sc.growth", percent(c.customer_growth_rate)),
        ("sc.winRate", percent(c.win_rate)),
        (
            "sc.satisfaction",
            c.satisfaction
                .map_or_else(|| "—".into(), |s| format!("{s:.1} / 10")),
        ),
        (
            "sc.nps",
            c.nps.map_or_else(|| "—".into(), |n| format!("{n:+.0}")),
        ),
        (
            "sc.cycle",
            c.sales_cycle_days
                .map_or_else(|| "—".into(), |d| format!("{d:.0} {}", t("sc.days"))),
        ),
    ];
    let collection_sub = format!(
        "{} {}{}",
        t("sc.vsTarget"),
        c.collection_target
            .as_deref()
            .map_or_else(|| "—".into(), money_short),
        c.collection_attainment
            .map_or_else(String::new, |a| format!(" · {:.0}%", a * 100.0))
    );
    let new_sub = format!(
        "{} {}{}",
        t("sc.vsTarget"),
        c.new_customers_target
            .map_or_else(|| "—".into(), |n| n.to_string()),
        c.new_customers_attainment
            .map_or_else(String::new, |a| format!(" · {:.0}%", a * 100.0))
    );
    let sub = move |k: &str| match k {
        "sc.collected" => Some(collection_sub.clone()),
        "sc.newCustomers" => Some(new_sub.clone()),
        _ => None,
    };
    // 环比 / 同比: against the previous period and the same period a year before, a
    // running period at its run rate (`charts::change`).
    let sales_now = yuan(&c.sales_amount);
    let changes = {
        let parts: Vec<String> = [("sc.vsPrevious", prev), ("sc.vsYearAgo", year_ago)]
            .into_iter()
            .filter_map(|(k, base)| {
                crate::charts::change(sales_now, c.period.elapsed, base?)
                    .map(|ch| format!("{} {}", t(k), crate::charts::signed_percent(ch)))
            })
            .collect();
        (!parts.is_empty()).then(|| {
            let mut s = parts.join(" · ");
            if c.period.elapsed < 1.0 {
                s.push_str(t("sc.runRate"));
            }
            s
        })
    };
    view! {
        <div class="kpis">
            <div class="kpi main">
                <span class="kpi-label">{move || t("sc.sales")}" · "{c.period.start.clone()}" – "{c.period.end.clone()}</span>
                <span class="kpi-value" title=money(&c.sales_amount)>{money_short(&c.sales_amount)}</span>
                <Meter share=bar / 100.0 tone=tone(pace) elapsed=elapsed/>
                <span class="kpi-sub">
                    {move || t("sc.attainment")}" "<strong class=tone(pace)>{percent(att)}</strong>" · "
                    {(elapsed < 1.0).then(|| view! {
                        <span class="time-progress">{move || t("sc.timeProgress")}" "{percent(Some(elapsed))}</span>" · "
                        {pace.map(|p| view! { <span class=format!("pace {}", tone(Some(p)))>{move || t("sc.pace")}" "{format!("{:.0}%", p * 100.0)}</span>" · " })}
                    })}
                    {move || t("sc.target")}" "{move || target.clone().unwrap_or_else(|| t("sc.noTarget").to_owned())}
                    " · "<A href=drill attr:class="drill">{move || t("sc.drill")}</A>
                </span>
                {changes.map(|s| view! { <span class="kpi-sub change">{s}</span> })}
            </div>
            {tiles.into_iter().map(|(k, v)| view! {
                <div class="kpi"><span class="kpi-label">{move || t(k)}</span><span class="kpi-value">{v}</span>
                {sub(k).map(|s| view! { <span class="kpi-sub muted">{s}</span> })}</div>
            }).collect_view()}
        </div>
    }
}

/// Bars of sales per period with the target as a tick, coloured by pace. On a phone the
/// drawing is as wide as the screen (labels stay at 11 px) with short period labels; a tap
/// on a bar (or a click, or Enter) shows its figures below the chart — no hover needed.
#[component]
fn Trend(cards: Vec<Card>) -> impl IntoView {
    let narrow = narrow_screen();
    let bars = cards
        .iter()
        .enumerate()
        .map(|(i, c)| {
            // On a phone: "Q4" with the year under the first bar and each Q1.
            let (short, sub_label) = if narrow {
                let first = i == 0 || c.period.index == 1;
                match c.period.kind {
                    scorecard_trend::PeriodKind::QUARTER => (
                        format!("Q{}", c.period.index),
                        first.then(|| c.period.year.to_string()),
                    ),
                    scorecard_trend::PeriodKind::MONTH => (
                        format!("{}", c.period.index),
                        first.then(|| c.period.year.to_string()),
                    ),
                    _ => (c.period.year.to_string(), None),
                }
            } else {
                (label(c), None)
            };
            Bar {
                label: short,
                sub_label,
                value: yuan(&c.sales_amount),
                target: c.sales_target.as_deref().map(yuan),
                tone: tone(c.pace),
                title: format!(
                    "{}: {} / {}",
                    label(c),
                    money(&c.sales_amount),
                    c.sales_target.as_deref().map_or_else(|| "—".into(), money)
                ),
            }
        })
        .collect();
    // The period whose figures are read out: the latest until a bar is tapped.
    let readout = Callback::new(move |i: usize| {
        cards.get(i).map(|c| {
            format!(
                "{}：{} {} · {} {} · {} {}",
                label(c),
                t("sc.sales"),
                money_short(&c.sales_amount),
                t("sc.target"),
                c.sales_target
                    .as_deref()
                    .map_or_else(|| "—".into(), money_short),
                t("sc.attainment"),
                percent(c.attainment)
            )
        })
    });
    view! {
        <h2>{move || t("sc.trend")}</h2>
        <figure class="chart card">
            <BarChart bars=bars axis=axis_short readout=readout label="sc.trend" narrow=narrow/>
            <PaceLegend target=true/>
        </figure>
    }
}

/// Process figures (过程指标): visit compliance, record completeness, calls and
/// complaints, each opening the records behind it.
#[component]
fn ProcessTiles(p: process::ProcessProcess, filter: String) -> impl IntoView {
    let range = format!("from={}&to={}", p.period.start, p.period.end);
    let visits = format!("/activity?{filter}{range}&kind=VISIT");
    let incomplete = format!("/activity?{filter}{range}&kind=VISIT&incomplete=1");
    let calls = format!("/activity?{filter}{range}&kind=CALL");
    let open = format!("/activity?{filter}tab=complaints&open=open");
    let resolved = format!("/activity?{filter}tab=complaints&open=resolved&{range}");
    let compliance = p.visit_compliance;
    let bar = compliance.map_or(0.0, |a| (a * 100.0).clamp(0.0, 100.0));
    let per_week = p.visits_per_week;
    let tile = |key: &'static str, value: String, sub: String, href: String| {
        view! {
            <A href=href attr:class="kpi link">
                <span class="kpi-label">{move || t(key)}</span>
                <span class="kpi-value">{value}</span>
                <span class="kpi-sub muted">{sub}</span>
            </A>
        }
    };
    view! {
        <h2>{move || t("act.process")}</h2>
        <div class="kpis process">
            <A href=visits attr:class="kpi main link">
                <span class="kpi-label">{move || t("act.compliance")}</span>
                <span class="kpi-value"><strong class=tone(compliance)>{percent(compliance)}</strong></span>
                <Meter share=bar / 100.0 tone=tone(compliance)/>
                <span class="kpi-sub">{move || t("act.visitsDone")}" "{p.visits}" / "{format!("{:.0}", p.visits_required)}" · "{move || t("act.perWeek")}" "{per_week}</span>
            </A>
            {tile("act.completeness", percent(p.record_completeness), String::new(), incomplete)}
            {tile("act.calls", p.calls.to_string(), String::new(), calls)}
            {tile("act.openComplaints", p.complaints_open.to_string(), format!("+{} / −{}", p.complaints_opened, p.complaints_resolved), open)}
            {tile("act.responseTime", p.complaint_response_hours.map_or_else(|| "—".into(), |h| format!("{h:.1} {}", t("act.hours"))), String::new(), resolved)}
        </div>
    }
}
