//! Money as integer cents (分): exact sums on every database, shown as "1234.50".

use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an amount of money (e.g. \"1234.50\")")]
pub struct MoneyError(pub String);

impl Money {
    pub fn cents(self) -> i64 {
        self.0
    }

    /// Parses "1234", "1234.5" or "-1234.50"; more than two decimals are refused.
    /// The largest amount a user may enter: ¥10 trillion. Any sum of up to 900 such
    /// amounts still fits in the cents' `i64`, so totals cannot wrap.
    pub const MAX_INPUT: Money = Money(1_000_000_000_000_000);

    /// Parses `1234.50`; more than [`Money::MAX_INPUT`] either way is refused.
    pub fn parse(s: &str) -> Result<Money, MoneyError> {
        let bad = || MoneyError(s.to_owned());
        let t = s.trim();
        let (neg, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        if int.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 2
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let whole: i64 = int.parse().map_err(|_| bad())?;
        let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let cents = whole
            .checked_mul(100)
            .and_then(|c| c.checked_add(frac))
            .filter(|c| *c <= Money::MAX_INPUT.0)
            .ok_or_else(bad)?;
        Ok(Money(if neg { -cents } else { cents }))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_round_trips() {
        assert_eq!(Money(123_450).to_string(), "1234.50");
        assert_eq!(Money(-5).to_string(), "-0.05");
        assert_eq!(Money::parse("1234.5"), Ok(Money(123_450)));
        assert_eq!(Money::parse("-0.05"), Ok(Money(-5)));
        assert_eq!(Money::parse("7"), Ok(Money(700)));
        assert_eq!(
            Money::parse("10000000000000.00"),
            Ok(Money::MAX_INPUT),
            "¥10 trillion is the largest amount"
        );
        for bad in [
            "",
            "1.234",
            "abc",
            "1,000",
            ".5",
            "--1",
            "10000000000000.01",
            "-10000000000000.01",
            "92233720368547758.07",
        ] {
            assert!(Money::parse(bad).is_err(), "{bad}");
        }
    }
}
