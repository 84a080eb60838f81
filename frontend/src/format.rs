//! Dates and money as the pages show and compute them: one copy of each helper.

/// This month on the user's calendar: (year, month 1–12).
pub fn this_month() -> (i32, u32) {
    let d = js_sys::Date::new_0();
    (d.get_full_year() as i32, d.get_month() + 1)
}

/// Today on the user's calendar as `YYYY-MM-DD` (not UTC's: at 07:00 in Shanghai UTC is
/// still yesterday).
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// A count with thousands separators: 12345 → "12,345".
pub fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "12521720.00" → "¥12,521,720"
pub fn money(s: &str) -> String {
    let whole = s.split('.').next().unwrap_or(s);
    let (sign, digits) = whole.strip_prefix('-').map_or(("", whole), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}¥{out}")
}

/// A large amount as people say it: ¥963.9万, ¥1.25亿 in Chinese, ¥9.64M, ¥1.25B in
/// English; under ¥10,000 in full (reactive to the language inside a closure).
pub fn money_short(s: &str) -> String {
    use leptos::prelude::Get;
    short_in(yuan(s), crate::i18n::lang().get() == crate::i18n::Lang::En)
}

/// An axis label of `v` yuan in the same units as [`money_short`], without the ¥.
pub fn axis_short(v: f64) -> String {
    use leptos::prelude::Get;
    let s = short_in(v, crate::i18n::lang().get() == crate::i18n::Lang::En);
    s.replacen('¥', "", 1)
}

fn short_in(v: f64, english: bool) -> String {
    let (sign, a) = if v < 0.0 { ("-", -v) } else { ("", v) };
    // 万 and K to a tenth, 亿, M and B to a hundredth; trailing zeros dropped.
    let num = |x: f64, unit: &str, places: usize| {
        let text = format!("{x:.places$}");
        let text = if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.')
        } else {
            &text
        };
        format!("{sign}¥{text}{unit}")
    };
    match (english, a) {
        (false, a) if a >= 1e8 => num(a / 1e8, "亿", 2),
        (false, a) if a >= 1e4 => num(a / 1e4, "万", 1),
        (true, a) if a >= 1e9 => num(a / 1e9, "B", 2),
        (true, a) if a >= 1e6 => num(a / 1e6, "M", 2),
        (true, a) if a >= 1e4 => num(a / 1e3, "K", 1),
        _ => money(&format!("{sign}{a:.0}")),
    }
}

/// A Decimal string ("1234.50", in yuan) as a number for drawing.
pub fn yuan(s: &str) -> f64 {
    s.parse::<f64>().unwrap_or(0.0)
}

/// Cents of a Decimal string ("1234.50"), for sums and comparisons.
pub fn cents(v: &str) -> i64 {
    let (whole, frac) = v.split_once('.').unwrap_or((v, "0"));
    let neg = whole.starts_with('-');
    let w: i64 = whole.trim_start_matches('-').parse().unwrap_or(0);
    let f: i64 = format!("{frac:0<2}")
        .get(..2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let c = w * 100 + f;
    if neg { -c } else { c }
}

#[cfg(test)]
mod tests {
    use super::short_in;

    #[test]
    fn counts_with_thousands_separators() {
        assert_eq!(super::count(0), "0");
        assert_eq!(super::count(999), "999");
        assert_eq!(super::count(1000), "1,000");
        assert_eq!(super::count(1234567), "1,234,567");
        assert_eq!(super::count(-45678), "-45,678");
    }

    #[test]
    fn large_amounts_in_wan_and_yi_or_k_m_b() {
        assert_eq!(short_in(9_639_000.0, false), "¥963.9万");
        assert_eq!(short_in(125_000_000.0, false), "¥1.25亿");
        assert_eq!(short_in(100_000.0, false), "¥10万");
        assert_eq!(short_in(1_234_567.0, false), "¥123.5万");
        assert_eq!(short_in(9_999.0, false), "¥9,999");
        assert_eq!(short_in(-50_000.0, false), "-¥5万");
        assert_eq!(short_in(9_639_000.0, true), "¥9.64M");
        assert_eq!(short_in(125_000_000.0, true), "¥125M");
        assert_eq!(short_in(2_500_000_000.0, true), "¥2.5B");
        assert_eq!(short_in(45_000.0, true), "¥45K");
        assert_eq!(short_in(0.0, true), "¥0");
    }
}
