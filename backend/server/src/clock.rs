//! The business day. Dates a user sees and enters ("today", no visits in the future, the
//! alert run's as-of day) are days where the sales team works, not in UTC: at 07:00 in
//! Shanghai it is still yesterday in UTC, and a visit logged for today was refused as
//! being in the future. The offset is a deployment setting, `DUDAO_UTC_OFFSET`
//! (`+08:00` by default), read once.

use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Offset, TimeDelta, Utc};

static OFFSET: OnceLock<FixedOffset> = OnceLock::new();

/// `+08:00`, `-05:30`, `+0800` or `Z`; None for anything else.
pub fn parse_offset(s: &str) -> Option<FixedOffset> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("z") || s == "UTC" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// The business time zone's offset from UTC.
pub fn offset() -> FixedOffset {
    *OFFSET.get_or_init(|| {
        // 8 × 3600 s is within ±24 h, so east_opt cannot refuse it; UTC is the fallback.
        let default = FixedOffset::east_opt(8 * 3600).unwrap_or(Utc.fix());
        match std::env::var("DUDAO_UTC_OFFSET") {
            Ok(v) => parse_offset(&v).unwrap_or_else(|| {
                tracing::warn!(value = %v, "DUDAO_UTC_OFFSET is not an offset like +08:00; using +08:00");
                default
            }),
            Err(_) => default,
        }
    })
}

/// Today in the business time zone.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&offset()).date_naive()
}

/// The instant the business day `d` starts: midnight at [`offset`], in UTC. Periods of
/// timestamps (complaints opened and resolved) begin and end here, not at UTC midnight —
/// with `+08:00`, a complaint opened at 07:00 on 1 April belongs to April.
pub fn day_start(d: NaiveDate) -> DateTime<Utc> {
    day_start_at(d, offset())
}

fn day_start_at(d: NaiveDate, offset: FixedOffset) -> DateTime<Utc> {
    (d.and_time(NaiveTime::MIN) - TimeDelta::seconds(i64::from(offset.local_minus_utc()))).and_utc()
}

/// A timestamp as the business sees it (its day is the business day).
pub fn local(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&offset())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_parse() {
        assert_eq!(parse_offset("+08:00"), FixedOffset::east_opt(8 * 3600));
        assert_eq!(parse_offset("+0800"), FixedOffset::east_opt(8 * 3600));
        assert_eq!(
            parse_offset("-05:30"),
            FixedOffset::east_opt(-(5 * 3600 + 30 * 60))
        );
        assert_eq!(parse_offset("Z"), FixedOffset::east_opt(0));
        assert_eq!(parse_offset("8"), None);
        assert_eq!(parse_offset("+25:00"), None);
        assert_eq!(parse_offset("Asia/Shanghai"), None);
    }

    #[test]
    fn business_days_start_at_local_midnight() {
        let d = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default();
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .ok()
        };
        let east8 = FixedOffset::east_opt(8 * 3600).unwrap_or(Utc.fix());
        assert_eq!(Some(day_start_at(d, east8)), at("2026-03-31T16:00:00Z"));
        let west5 = FixedOffset::west_opt(5 * 3600 + 1800).unwrap_or(Utc.fix());
        assert_eq!(Some(day_start_at(d, west5)), at("2026-04-01T05:30:00Z"));
        assert_eq!(Some(day_start_at(d, Utc.fix())), at("2026-04-01T00:00:00Z"));
    }
}
