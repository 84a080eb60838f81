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

/// "12521720.00" → "¥12,521,720"
pub fn money(s: &str) -> String {
    let whole = s.split('.').next().unwrap_or(s);
    let (sign, digits) = whole.strip_prefix('-').map_or(("", whole), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}¥{out}")
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
