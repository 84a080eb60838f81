//! The chart kit every chart is drawn with: colour by pace, progress meters with a
//! time-progress tick, a bar chart with a rounded axis, target ticks and a tap readout,
//! and legends. Hand-drawn SVG and HTML (a few dozen elements per chart, nothing to
//! download); at phone width (< 600 px) charts are drawn at the screen's width with
//! labels of at least 11 px, and a value shows on tap — never on hover alone.

use leptos::prelude::*;

use crate::i18n::t;

/// Attainment against time progress (the server's `pace` where it sends one).
pub fn pace_of(attainment: Option<f64>, elapsed: f64) -> Option<f64> {
    attainment.filter(|_| elapsed > 0.0).map(|a| a / elapsed)
}

/// A colour class by pace: on course (≥ 100%), close (≥ 80%), behind; grey without a
/// target. A running period is judged by the time passed, not the whole period's target.
pub fn tone(pace: Option<f64>) -> &'static str {
    match pace {
        Some(a) if a >= 1.0 => "good",
        Some(a) if a >= 0.8 => "warn",
        Some(_) => "bad",
        None => "none",
    }
}

/// The time-progress tick on a meter: where attainment should be by today. None once the
/// period is over (the whole bar is the time).
pub fn time_mark(elapsed: f64) -> Option<impl IntoView> {
    (elapsed > 0.0 && elapsed < 1.0).then(|| {
        view! { <span class="time-mark" style=format!("left: {:.1}%", elapsed * 100.0) title=move || t("sc.timeProgress")></span> }
    })
}

/// The change of a figure against an earlier period's, as a share (+0.12 = 12% more).
/// A running period (`elapsed` < 1) is compared at its run rate — what it makes so far
/// over the share of time gone — so a quarter two-thirds through is not "down 33%".
/// None without a base to compare with.
pub fn change(current: f64, elapsed: f64, base: f64) -> Option<f64> {
    if base.is_nan() || base <= 0.0 || !current.is_finite() {
        return None;
    }
    let run_rate = if elapsed > 0.0 && elapsed < 1.0 {
        current / elapsed
    } else {
        current
    };
    Some(run_rate / base - 1.0)
}

/// A change as text with its sign: `+12.3%`, `−4.0%` (a true minus sign).
pub fn signed_percent(c: f64) -> String {
    let p = c * 100.0;
    if p < 0.0 {
        format!("−{:.1}%", -p)
    } else {
        format!("+{p:.1}%")
    }
}

/// Whether the screen is phone-sized (charts drawn narrow, labels shortened).
pub fn narrow_screen() -> bool {
    web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .is_some_and(|px| px < 600.0)
}

/// A horizontal meter: `share` of the way (0–1, clipped), coloured by `tone`, with the
/// time-progress tick where `elapsed` is given.
#[component]
pub fn Meter(
    share: f64,
    tone: &'static str,
    #[prop(optional)] elapsed: Option<f64>,
) -> impl IntoView {
    let pct = (share * 100.0).clamp(0.0, 100.0);
    view! {
        <div class="progress" role="progressbar" aria-valuenow=format!("{pct:.0}") aria-valuemin="0" aria-valuemax="100">
            <div class=format!("fill {tone}") style=format!("width: {pct:.1}%")></div>
            {elapsed.and_then(time_mark)}
        </div>
    }
}

/// The legend of the pace colours (and the target tick where a chart draws one).
#[component]
pub fn PaceLegend(#[prop(optional)] target: bool) -> impl IntoView {
    view! {
        <figcaption class="legend">
            {move || t("sc.legendPace")}" "
            <span class="swatch good"></span>" ≥ 100% "
            <span class="swatch warn"></span>" ≥ 80% "
            <span class="swatch bad"></span>" < 80% "
            {target.then(|| view! { <span class="swatch target"></span>{move || t("sc.legendTarget")} })}
        </figcaption>
    }
}

/// A rounded axis for values up to `peak`: its top, a multiple of a round step (1, 2 or
/// 5 × a power of ten, about a quarter of the peak), and the grid lines at its quarters.
pub fn nice_axis(peak: f64) -> (f64, Vec<f64>) {
    let peak = if peak.is_finite() && peak > 0.0 {
        peak
    } else {
        1.0
    };
    let raw = peak / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    let top = (peak / step).ceil() * step;
    (top, (0..=4).map(|i| top * f64::from(i) / 4.0).collect())
}

/// An axis of round steps for values up to `peak`, with a little room above it (so no
/// point sits on the frame): of the steps 1, 2, 2.5 and 5 × a power of ten, the one that
/// gives three to five intervals to the lowest top; the ticks are its multiples, so their
/// labels are round numbers too.
pub fn step_axis(peak: f64) -> (f64, Vec<f64>) {
    let peak = if peak.is_finite() && peak > 0.0 {
        peak * 1.05
    } else {
        1.0
    };
    let magnitude = 10f64.powf((peak / 6.0).log10().floor());
    let (step, n) = [1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0, 50.0]
        .iter()
        .map(|m| {
            let step = m * magnitude;
            (step, (peak / step).ceil().max(1.0))
        })
        .filter(|(_, n)| (3.0..=5.0).contains(n))
        .min_by(|a, b| {
            (a.0 * a.1)
                .total_cmp(&(b.0 * b.1))
                .then(a.1.total_cmp(&b.1))
        })
        .unwrap_or((peak / 4.0, 4.0));
    let ticks: Vec<f64> = (0..=n as u32).map(|i| step * f64::from(i)).collect();
    (step * n, ticks)
}

/// A number on an axis: whole where it is, else with the decimals its step needs (at
/// most two, trailing zeros dropped).
pub fn axis_number(v: f64) -> String {
    let text = format!("{v:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// One bar of a [`BarChart`].
#[derive(Clone)]
pub struct Bar {
    /// Under the bar (short at phone width).
    pub label: String,
    /// A second line under the bar (the year under a phone's first quarter).
    pub sub_label: Option<String>,
    pub value: f64,
    /// Drawn as a tick across the bar.
    pub target: Option<f64>,
    /// The colour class ([`tone`]).
    pub tone: &'static str,
    /// The exact figures, for screen readers and a mouse's title.
    pub title: String,
}

/// Bars over a rounded axis, each with an optional target tick. A tap (click, Enter) on a
/// bar's slot selects it and `readout` writes its figures under the chart (the last bar
/// until then); `axis` writes the axis values in the current language.
#[component]
pub fn BarChart(
    bars: Vec<Bar>,
    axis: fn(f64) -> String,
    readout: Callback<usize, Option<String>>,
    /// The chart's name, for screen readers.
    label: &'static str,
    #[prop(optional)] narrow: bool,
) -> impl IntoView {
    let (w, h, left, bottom, top) = if narrow {
        (330.0_f64, 240.0_f64, 44.0_f64, 36.0_f64, 10.0_f64)
    } else {
        (720.0_f64, 260.0_f64, 64.0_f64, 28.0_f64, 12.0_f64)
    };
    let peak = bars
        .iter()
        .flat_map(|b| [b.value, b.target.unwrap_or(0.0)])
        .fold(0.0_f64, f64::max);
    let (max, ticks) = nice_axis(peak);
    let slot = (w - left) / bars.len().max(1) as f64;
    let y = move |v: f64| top + (h - top - bottom) * (1.0 - v / max);
    let selected = RwSignal::new(bars.len().saturating_sub(1));
    view! {
        <svg viewBox=format!("0 0 {w} {h}") class:narrow=narrow role="img" aria-label=move || t(label)>
            {ticks.into_iter().map(|v| view! {
                <line x1=left x2=w y1=y(v) y2=y(v) class="grid"/>
                <text x=left - 6.0 y=y(v) + 4.0 class="axis" text-anchor="end">{move || { crate::i18n::lang().track(); axis(v) }}</text>
            }).collect_view()}
            {bars.into_iter().enumerate().map(|(i, b)| {
                let x = left + slot * i as f64;
                let bw = slot * 0.56;
                view! {
                    <g class="bar-slot" class:selected=move || selected.get() == i tabindex="0" role="button"
                        on:click=move |_| selected.set(i)
                        on:keydown=move |ev| if ev.key() == "Enter" { selected.set(i) }>
                        <title>{b.title}</title>
                        // The whole slot answers a tap, not only the bar.
                        <rect x=x y=top width=slot height=h - top - bottom class="hit"/>
                        <rect x=x + (slot - bw) / 2.0 y=y(b.value) width=bw height=(h - bottom - y(b.value)).max(0.0) class=format!("bar {}", b.tone) rx="3"/>
                        {b.target.map(|tv| view! { <line x1=x + slot * 0.12 x2=x + slot * 0.88 y1=y(tv) y2=y(tv) class="target"/> })}
                        <text x=x + slot / 2.0 y=h - bottom + 14.0 class="axis" text-anchor="middle">{b.label}</text>
                        {b.sub_label.map(|s| view! { <text x=x + slot / 2.0 y=h - bottom + 29.0 class="axis" text-anchor="middle">{s}</text> })}
                    </g>
                }
            }).collect_view()}
        </svg>
        <p class="chart-readout" aria-live="polite">{move || { crate::i18n::lang().track(); readout.run(selected.get()) }}</p>
    }
}

/// One point of a [`ScatterChart`].
#[derive(Clone)]
pub struct Dot {
    /// Beside the point (a region's name).
    pub label: String,
    pub x: f64,
    pub y: f64,
    /// The colour class ([`tone`]).
    pub tone: &'static str,
    /// The exact figures, for screen readers and a mouse's title.
    pub title: String,
}

/// How two figures go together (a region's reading of the knowledge base beside its win
/// rate): points over two rounded axes, each labelled; a tap (click, Enter) on one selects
/// it and `readout` writes its figures under the chart (the first point until then).
/// The axis names and the chart's name come in the current language.
#[component]
pub fn ScatterChart(
    dots: Vec<Dot>,
    x_axis: fn(f64) -> String,
    y_axis: fn(f64) -> String,
    x_title: Signal<String>,
    y_title: Signal<String>,
    readout: Callback<usize, Option<String>>,
    /// The chart's name, for screen readers.
    label: Signal<String>,
    #[prop(optional)] narrow: bool,
) -> impl IntoView {
    let (w, h, left, bottom, top, right) = if narrow {
        (330.0_f64, 270.0_f64, 40.0_f64, 40.0_f64, 22.0_f64, 14.0_f64)
    } else {
        (720.0_f64, 320.0_f64, 56.0_f64, 42.0_f64, 24.0_f64, 24.0_f64)
    };
    let (x_max, x_ticks) = step_axis(dots.iter().map(|d| d.x).fold(0.0_f64, f64::max));
    let (y_max, y_ticks) = step_axis(dots.iter().map(|d| d.y).fold(0.0_f64, f64::max));
    let x = move |v: f64| left + (w - left - right) * v / x_max;
    let y = move |v: f64| top + (h - top - bottom) * (1.0 - v / y_max);
    let selected = RwSignal::new(0usize);
    view! {
        <svg viewBox=format!("0 0 {w} {h}") class="scatter" class:narrow=narrow role="img" aria-label=move || label.get()>
            {y_ticks.into_iter().map(|v| view! {
                <line x1=left x2=w - right y1=y(v) y2=y(v) class="grid"/>
                <text x=left - 6.0 y=y(v) + 4.0 class="axis" text-anchor="end">{move || { crate::i18n::lang().track(); y_axis(v) }}</text>
            }).collect_view()}
            {x_ticks.into_iter().map(|v| view! {
                <line x1=x(v) x2=x(v) y1=top y2=h - bottom class="grid"/>
                <text x=x(v) y=h - bottom + 15.0 class="axis" text-anchor="middle">{x_axis(v)}</text>
            }).collect_view()}
            <text x=left y=top - 8.0 class="axis-title" text-anchor="start">{move || y_title.get()}" ↑"</text>
            <text x=w - right y=h - 4.0 class="axis-title" text-anchor="end">{move || x_title.get()}" →"</text>
            {dots.into_iter().enumerate().map(|(i, d)| {
                let (cx, cy) = (x(d.x), y(d.y));
                // Labels sit right of the point, or left of it near the right edge.
                let (lx, anchor) = if cx > w - right - 90.0 { (cx - 10.0, "end") } else { (cx + 10.0, "start") };
                view! {
                    <g class="dot-slot" class:selected=move || selected.get() == i tabindex="0" role="button"
                        on:click=move |_| selected.set(i)
                        on:keydown=move |ev| if ev.key() == "Enter" { selected.set(i) }>
                        <title>{d.title}</title>
                        <circle cx=cx cy=cy r="14" class="hit"/>
                        <circle cx=cx cy=cy r="7" class=format!("dot {}", d.tone)/>
                        <text x=lx y=cy + 4.0 class="dot-label" text-anchor=anchor>{d.label}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
        <p class="chart-readout" aria-live="polite">{move || { crate::i18n::lang().track(); readout.run(selected.get()) }}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_round_to_one_two_or_five() {
        // ¥963.8万: a quarter is 240.95万, the round step 500万, the top 1000万.
        let (top, ticks) = nice_axis(9_638_000.0);
        assert_eq!(top, 10_000_000.0);
        assert_eq!(
            ticks,
            vec![0.0, 2_500_000.0, 5_000_000.0, 7_500_000.0, 10_000_000.0]
        );
        // 43,000: step 20,000 (10,000 is under a quarter), top 60,000.
        assert_eq!(nice_axis(43_000.0).0, 60_000.0);
        // Nothing to draw still gives an axis.
        assert_eq!(nice_axis(0.0).0, 1.0);
        assert_eq!(nice_axis(f64::NAN).0, 1.0);
    }

    #[test]
    fn scatter_axes_step_in_round_numbers_with_room_above() {
        let close = |v: Vec<f64>, w: &[f64]| {
            v.len() == w.len() && v.iter().zip(w).all(|(a, b)| (a - b).abs() < 1e-9)
        };
        // Reads per rep up to 3.0: not 0, 0.75, 1.5 … but 0 to 4 by 1.
        let (top, ticks) = step_axis(3.0);
        assert!((top - 4.0).abs() < 1e-9, "{top}");
        assert!(close(ticks, &[0.0, 1.0, 2.0, 3.0, 4.0]));
        // Up to 14.1: by 5 to 15 (by 2.5 would be six intervals).
        let (top, ticks) = step_axis(14.1);
        assert!((top - 15.0).abs() < 1e-9, "{top}");
        assert!(close(ticks, &[0.0, 5.0, 10.0, 15.0]));
        // A win rate up to 59.4%: 0, 25, 50, 75%.
        let (top, ticks) = step_axis(0.594);
        assert!((top - 0.75).abs() < 1e-9, "{top}");
        assert_eq!(ticks.len(), 4);
        // Exactly on a step: room above it, the point is not on the frame.
        assert!(step_axis(0.4).0 > 0.4);
        assert!(step_axis(0.0).0 > 0.0 && step_axis(f64::NAN).0 > 0.0);
        assert_eq!(axis_number(4.0), "4");
        assert_eq!(axis_number(2.5), "2.5");
        assert_eq!(axis_number(0.25), "0.25");
        assert_eq!(axis_number(0.0), "0");
    }

    #[test]
    fn changes_compare_run_rates_of_running_periods() {
        // A finished quarter: ¥112 against ¥100.
        assert_eq!(
            change(112.0, 1.0, 100.0).map(|c| (c * 1000.0).round()),
            Some(120.0)
        );
        // Two-thirds through with ¥60: a run rate of ¥90 against ¥100, down 10%.
        assert_eq!(
            change(60.0, 2.0 / 3.0, 100.0).map(|c| (c * 1000.0).round()),
            Some(-100.0)
        );
        assert_eq!(change(60.0, 0.5, 0.0), None);
        assert_eq!(signed_percent(-0.1), "−10.0%");
        assert_eq!(signed_percent(0.123), "+12.3%");
    }

    #[test]
    fn tones_follow_pace() {
        assert_eq!(tone(Some(1.0)), "good");
        assert_eq!(tone(Some(0.8)), "warn");
        assert_eq!(tone(Some(0.79)), "bad");
        assert_eq!(tone(None), "none");
        assert_eq!(
            pace_of(Some(0.639), 0.685).map(|p| (p * 1000.0).round()),
            Some(933.0)
        );
        assert_eq!(pace_of(Some(0.5), 0.0), None);
    }
}
