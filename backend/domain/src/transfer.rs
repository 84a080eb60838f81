//! The rules of an import row that need no database: how a cell of a spreadsheet is read
//! as an id, a date, an amount or a word, and the checks between the cells of one row.
//! Each error is the text the import report shows for that row (Chinese / English,
//! naming the column), so the server only adds the line.

use chrono::{Duration, NaiveDate};

use crate::metrics::FUNNEL;
use crate::{Money, PeriodKind};

/// A required cell: present and not blank (the reader trims cells).
pub fn required<'a>(col: &str, cell: Option<&'a str>) -> Result<&'a str, String> {
    cell.ok_or_else(|| format!("{col}: 必填 / required"))
}

/// Free text of at most `max` characters, without control characters.
pub fn text(col: &str, cell: Option<&str>, max: usize) -> Result<Option<String>, String> {
    match cell {
        None => Ok(None),
        Some(s) if s.chars().count() > max => {
            Err(format!("{col}: 最多 {max} 字 / at most {max} characters"))
        }
        Some(s) if crate::forbidden_char(s).is_some() => {
            Err(format!("{col}: 含控制字符 / contains control characters"))
        }
        Some(s) => Ok(Some(s.to_owned())),
    }
}

/// An internal id: a whole number above 0.
pub fn id(col: &str, s: &str) -> Result<i32, String> {
    s.parse::<i32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{col}: 不是有效的编号 / not a valid id: {s}"))
}

/// A date as people write it in a spreadsheet — `2026-11-30`, `2026/11/30`, `2026/1/5`,
/// `2026.11.30`, `2026年11月30日`, with a time after it ignored (`2026/11/30 0:00`) —
/// in the years a user may give ([`crate::sane_date`]). Excel's date cells are turned
/// into `YYYY-MM-DD` by the reader.
pub fn date(col: &str, s: &str) -> Result<NaiveDate, String> {
    let day = s.split_whitespace().next().unwrap_or_default();
    let plain: String = day
        .trim_end_matches('日')
        .chars()
        .map(|c| {
            if matches!(c, '/' | '.' | '年' | '月') {
                '-'
            } else {
                c
            }
        })
        .collect();
    NaiveDate::parse_from_str(&plain, "%Y-%m-%d")
        .ok()
        .filter(|_| plain.split('-').next().is_some_and(|y| y.len() == 4))
        .ok_or_else(|| {
            format!("{col}: 日期格式应为 YYYY-MM-DD 或 YYYY/MM/DD / a date must be YYYY-MM-DD or YYYY/MM/DD: {s}")
        })
        .and_then(|d| {
            crate::sane_date(d).map_err(|_| {
                format!("{col}: 年份须在 1900–2200 之间 / the year must be 1900–2200: {s}")
            })
        })
}

/// An amount in cents, as spreadsheets write it: `1234.50`, `¥1,234.50`, `￥ 1,234.5`.
/// It must be more than 0 and at most [`Money::MAX_INPUT`].
pub fn amount(col: &str, s: &str) -> Result<i64, String> {
    let plain: String = s
        .trim()
        .trim_start_matches(['¥', '￥'])
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '\u{a0}'))
        .collect();
    match Money::parse(&plain) {
        Ok(m) if m.0 > 0 => Ok(m.0),
        Ok(_) => Err(format!("{col}: 金额须大于 0 / must be more than 0")),
        Err(_) => Err(format!(
            "{col}: 不是有效的金额 / not an amount (like 1234.50): {s}"
        )),
    }
}

/// An order's status word; none is `CONFIRMED`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderStatus {
    Confirmed,
    Cancelled,
}

impl OrderStatus {
    pub fn parse(cell: Option<&str>) -> Result<OrderStatus, String> {
        match cell.map(str::to_uppercase).as_deref() {
            None | Some("CONFIRMED") => Ok(OrderStatus::Confirmed),
            Some("CANCELLED") => Ok(OrderStatus::Cancelled),
            Some(s) => Err(format!(
                "status: 应为 CONFIRMED 或 CANCELLED / must be CONFIRMED or CANCELLED: {s}"
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Confirmed => "CONFIRMED",
            OrderStatus::Cancelled => "CANCELLED",
        }
    }
}

/// An order's due date: the one given, or 30 days after it was ordered; never before.
pub fn order_due(ordered_on: NaiveDate, due_on: Option<NaiveDate>) -> Result<NaiveDate, String> {
    let due = due_on.unwrap_or(ordered_on + Duration::days(30));
    if due < ordered_on {
        return Err("due_on: 不能早于下单日 / cannot be before ordered_on".to_owned());
    }
    Ok(due)
}

/// An opportunity's stage (upper-cased), dates and lost reason agree: a funnel stage is
/// open and has no closing date; `WON` and `LOST` have one, not before the creation;
/// `LOST` says why.
pub fn check_opportunity(
    stage: &str,
    created_on: NaiveDate,
    closed_on: Option<NaiveDate>,
    lost_reason: Option<&str>,
) -> Result<(), String> {
    let terminal = stage == "WON" || stage == "LOST";
    if !terminal && !FUNNEL.contains(&stage) {
        return Err(format!(
            "stage: 未知阶段 / unknown stage {stage} (LEAD, CONTACTED, NEEDS_ANALYSIS, PROPOSAL, NEGOTIATION, WON, LOST)"
        ));
    }
    match (terminal, closed_on) {
        (true, None) => {
            return Err(
                "closed_on: WON/LOST 须填写关闭日期 / required for WON and LOST".to_owned(),
            );
        }
        (false, Some(_)) => {
            return Err(
                "closed_on: 未关闭的商机不能有关闭日期 / only WON and LOST are closed".to_owned(),
            );
        }
        (true, Some(c)) if c < created_on => {
            return Err("closed_on: 不能早于创建日期 / cannot be before created_on".to_owned());
        }
        _ => {}
    }
    if stage == "LOST" && lost_reason.is_none() {
        return Err("lost_reason: 输单须填写原因 / required for LOST".to_owned());
    }
    Ok(())
}

/// The funnel steps an imported opportunity has passed through, as the stage history the
/// funnel reads: every step up to its stage; a closed one went through all of them but
/// the last (its closing step is its own stage, on the closing date).
pub fn stages_reached(stage: &str) -> &'static [&'static str] {
    let reached = match stage {
        "WON" | "LOST" => FUNNEL.len() - 1,
        s => FUNNEL.iter().position(|f| *f == s).map_or(0, |p| p + 1),
    };
    &FUNNEL[..reached]
}

/// A target's metric word (upper-cased).
pub fn target_metric(raw: &str) -> Result<crate::targets::TargetMetric, String> {
    let metric = raw.to_uppercase();
    crate::targets::TargetMetric::parse(&metric).ok_or_else(|| {
            format!(
                "metric: 应为 SALES、COLLECTION 或 NEW_CUSTOMERS / must be SALES, COLLECTION or NEW_CUSTOMERS: {metric}"
            )
        })
}

/// What a target's scope is: the company (no id) or a region or rep (an id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScopeKind {
    Company,
    Region,
    Rep,
}

impl ScopeKind {
    pub fn parse(raw: &str) -> Result<ScopeKind, String> {
        match raw.to_uppercase().as_str() {
            "COMPANY" => Ok(ScopeKind::Company),
            "REGION" => Ok(ScopeKind::Region),
            "REP" => Ok(ScopeKind::Rep),
            s => Err(format!(
                "scope_kind: 应为 COMPANY、REGION 或 REP / must be COMPANY, REGION or REP: {s}"
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ScopeKind::Company => "COMPANY",
            ScopeKind::Region => "REGION",
            ScopeKind::Rep => "REP",
        }
    }
}

pub fn period_kind(raw: &str) -> Result<PeriodKind, String> {
    match raw.to_uppercase().as_str() {
        "MONTH" => Ok(PeriodKind::Month),
        "QUARTER" => Ok(PeriodKind::Quarter),
        "YEAR" => Ok(PeriodKind::Year),
        s => Err(format!(
            "period_kind: 应为 MONTH、QUARTER 或 YEAR / must be MONTH, QUARTER or YEAR: {s}"
        )),
    }
}

pub fn year(s: &str) -> Result<i32, String> {
    s.parse::<i32>()
        .map_err(|_| "year: 不是年份 / not a year".to_owned())
}

/// A period's index within its year (a month 1–12, a quarter 1–4), if given.
pub fn period_index(cell: Option<&str>) -> Result<Option<i32>, String> {
    cell.map(|s| {
        s.parse::<i32>()
            .map_err(|_| format!("index: 不是数字 / not a number: {s}"))
    })
    .transpose()
}

/// A count target (new customers): a whole number, 0 or more.
pub fn target_count(s: &str) -> Result<i64, String> {
    s.parse::<i64>()
        .ok()
        .filter(|v| *v >= 0)
        .ok_or_else(|| "value: 应为非负整数 / must be a whole number ≥ 0".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn amounts_as_spreadsheets_write_them() {
        assert_eq!(amount("amount", "1234.50"), Ok(123_450));
        assert_eq!(amount("amount", "¥1,234.50"), Ok(123_450));
        assert_eq!(amount("amount", "￥ 1,234.5"), Ok(123_450));
        assert_eq!(amount("amount", "1\u{a0}000"), Ok(100_000));
        assert_eq!(amount("amount", "7"), Ok(700));
        assert_eq!(
            amount("amount", "0"),
            Err("amount: 金额须大于 0 / must be more than 0".to_owned())
        );
        assert_eq!(
            amount("value", "-5"),
            Err("value: 金额须大于 0 / must be more than 0".to_owned())
        );
        assert_eq!(
            amount("amount", "12.345"),
            Err("amount: 不是有效的金额 / not an amount (like 1234.50): 12.345".to_owned())
        );
        assert_eq!(
            amount("amount", "abc"),
            Err("amount: 不是有效的金额 / not an amount (like 1234.50): abc".to_owned())
        );
        // ¥10 trillion is the most; one cent more is refused.
        assert_eq!(
            amount("amount", "10000000000000"),
            Ok(1_000_000_000_000_000)
        );
        assert!(amount("amount", "10000000000000.01").is_err());
    }

    #[test]
    fn dates_as_people_write_them_in_sane_years() {
        for s in [
            "2026-02-28",
            "2026/02/28",
            "2026/2/28",
            "2026.2.28",
            "2026年2月28日",
            "2026/2/28 0:00",
            "2026-02-28 00:00:00",
        ] {
            assert_eq!(date("ordered_on", s), Ok(d(2026, 2, 28)), "{s}");
        }
        assert_eq!(
            date("ordered_on", "2026-02-30"),
            Err(
                "ordered_on: 日期格式应为 YYYY-MM-DD 或 YYYY/MM/DD / a date must be YYYY-MM-DD or YYYY/MM/DD: 2026-02-30"
                    .to_owned()
            )
        );
        // Day-first and two-digit years are ambiguous: refused, not guessed.
        for s in ["28.02.2026", "28/02/2026", "26-02-28", "2026-02", "2026"] {
            assert!(date("paid_on", s).is_err(), "{s}");
        }
        assert_eq!(
            date("paid_on", "2201-01-01"),
            Err(
                "paid_on: 年份须在 1900–2200 之间 / the year must be 1900–2200: 2201-01-01"
                    .to_owned()
            )
        );
        assert_eq!(date("paid_on", "1900-01-01"), Ok(d(1900, 1, 1)));
    }

    #[test]
    fn ids_text_and_required_cells() {
        assert_eq!(id("rep_id", "42"), Ok(42));
        assert_eq!(
            id("rep_id", "0"),
            Err("rep_id: 不是有效的编号 / not a valid id: 0".to_owned())
        );
        assert!(id("rep_id", "-3").is_err());
        assert!(id("rep_id", "3000000000").is_err(), "beyond i32");
        assert_eq!(
            required("name", None),
            Err("name: 必填 / required".to_owned())
        );
        assert_eq!(required("name", Some("x")), Ok("x"));
        assert_eq!(text("city", None, 3), Ok(None));
        assert_eq!(
            text("city", Some("上海市"), 3),
            Ok(Some("上海市".to_owned()))
        );
        assert_eq!(
            text("city", Some("上海市区"), 3),
            Err("city: 最多 3 字 / at most 3 characters".to_owned())
        );
        assert_eq!(
            text("city", Some("a\u{0}b"), 10),
            Err("city: 含控制字符 / contains control characters".to_owned())
        );
    }

    #[test]
    fn order_status_and_due_date() {
        assert_eq!(OrderStatus::parse(None), Ok(OrderStatus::Confirmed));
        assert_eq!(
            OrderStatus::parse(Some("cancelled")),
            Ok(OrderStatus::Cancelled)
        );
        assert_eq!(
            OrderStatus::parse(Some("Confirmed")),
            Ok(OrderStatus::Confirmed)
        );
        assert_eq!(
            OrderStatus::parse(Some("open")),
            Err(
                "status: 应为 CONFIRMED 或 CANCELLED / must be CONFIRMED or CANCELLED: OPEN"
                    .to_owned()
            )
        );
        assert_eq!(order_due(d(2026, 1, 15), None), Ok(d(2026, 2, 14)));
        assert_eq!(
            order_due(d(2026, 1, 15), Some(d(2026, 1, 15))),
            Ok(d(2026, 1, 15))
        );
        assert_eq!(
            order_due(d(2026, 1, 15), Some(d(2026, 1, 14))),
            Err("due_on: 不能早于下单日 / cannot be before ordered_on".to_owned())
        );
    }

    #[test]
    fn opportunities_agree_with_their_stage() {
        let (c, later, earlier) = (d(2026, 3, 1), d(2026, 3, 9), d(2026, 2, 27));
        assert_eq!(check_opportunity("LEAD", c, None, None), Ok(()));
        assert_eq!(check_opportunity("WON", c, Some(later), None), Ok(()));
        assert_eq!(check_opportunity("LOST", c, Some(c), Some("price")), Ok(()));
        assert!(
            check_opportunity("MAYBE", c, None, None)
                .is_err_and(|e| e.starts_with("stage: 未知阶段 / unknown stage MAYBE"))
        );
        assert_eq!(
            check_opportunity("WON", c, None, None),
            Err("closed_on: WON/LOST 须填写关闭日期 / required for WON and LOST".to_owned())
        );
        assert_eq!(
            check_opportunity("PROPOSAL", c, Some(later), None),
            Err("closed_on: 未关闭的商机不能有关闭日期 / only WON and LOST are closed".to_owned())
        );
        assert_eq!(
            check_opportunity("WON", c, Some(earlier), None),
            Err("closed_on: 不能早于创建日期 / cannot be before created_on".to_owned())
        );
        assert_eq!(
            check_opportunity("LOST", c, Some(later), None),
            Err("lost_reason: 输单须填写原因 / required for LOST".to_owned())
        );
    }

    #[test]
    fn stage_history_up_to_the_stage() {
        assert_eq!(stages_reached("LEAD"), &["LEAD"]);
        assert_eq!(stages_reached("PROPOSAL"), &FUNNEL[..4]);
        assert_eq!(stages_reached("WON"), &FUNNEL[..5]);
        assert_eq!(stages_reached("LOST"), &FUNNEL[..5]);
        assert_eq!(
            FUNNEL[..4],
            ["LEAD", "CONTACTED", "NEEDS_ANALYSIS", "PROPOSAL"]
        );
    }

    #[test]
    fn target_words() {
        assert_eq!(
            target_metric("sales"),
            Ok(crate::targets::TargetMetric::Sales)
        );
        assert_eq!(
            target_metric("New_Customers"),
            Ok(crate::targets::TargetMetric::NewCustomers)
        );
        assert!(target_metric("profit").is_err_and(|e| e.ends_with(": PROFIT")));
        assert_eq!(ScopeKind::parse("region"), Ok(ScopeKind::Region));
        assert_eq!(ScopeKind::Rep.as_str(), "REP");
        assert!(ScopeKind::parse("team").is_err_and(|e| e.ends_with(": TEAM")));
        assert_eq!(period_kind("quarter"), Ok(PeriodKind::Quarter));
        assert!(period_kind("week").is_err_and(|e| e.ends_with(": WEEK")));
        assert_eq!(year("2026"), Ok(2026));
        assert_eq!(year("26a"), Err("year: 不是年份 / not a year".to_owned()));
        assert_eq!(period_index(None), Ok(None));
        assert_eq!(period_index(Some("3")), Ok(Some(3)));
        assert_eq!(
            period_index(Some("Q3")),
            Err("index: 不是数字 / not a number: Q3".to_owned())
        );
        assert_eq!(target_count("0"), Ok(0));
        assert_eq!(target_count("12"), Ok(12));
        assert!(target_count("-1").is_err());
        assert!(target_count("1.5").is_err());
    }
}
