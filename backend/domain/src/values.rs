//! Values that cannot hold a bad value once parsed ("parse, don't validate").

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("{field}: must not be empty")]
    Empty { field: &'static str },
    #[error("{field}: at most {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("email: {0:?} is not an email address")]
    Email(String),
    #[error("password: at least 8 characters")]
    PasswordTooShort,
    #[error("level: must be between 1 and {max}, got {got}")]
    Level { got: i32, max: i32 },
    #[error("status: unknown value {0:?}")]
    Status(String),
    #[error("{field}: letters, digits and - _ . / only, at most {max}, got {got:?}")]
    Code {
        field: &'static str,
        max: usize,
        got: String,
    },
}

/// A key another system gives a record (an ERP customer number, an HR employee number):
/// trimmed, 1 to `max` characters of ASCII letters, digits and `- _ . /`. Blank is none.
pub fn external_code(
    field: &'static str,
    raw: Option<&str>,
    max: usize,
) -> Result<Option<String>, ValueError> {
    let Some(s) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let ok = s.len() <= max
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if ok {
        Ok(Some(s.to_owned()))
    } else {
        Err(ValueError::Code {
            field,
            max,
            got: s.chars().take(max + 8).collect(),
        })
    }
}

/// A trimmed, lower-cased email address with one `@` and a dot in the domain.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let s = raw.trim().to_lowercase();
        let bad = || ValueError::Email(raw.to_owned());
        if s.len() > 254 || s.chars().any(char::is_whitespace) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty() || domain.contains('@') {
            return Err(bad());
        }
        let dot_ok = domain.split('.').all(|label| !label.is_empty()) && domain.contains('.');
        if !dot_ok {
            return Err(bad());
        }
        Ok(Email(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A display name: trimmed, not empty, at most `max` characters (counted as characters,
/// so a Chinese name is measured the same way as an English one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub fn parse(field: &'static str, raw: &str, max: usize) -> Result<Self, ValueError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ValueError::Empty { field });
        }
        if s.chars().count() > max {
            return Err(ValueError::TooLong { field, max });
        }
        Ok(Name(s.to_owned()))
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A new password: at least 8 characters. Never displayed, never logged.
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        if raw.chars().count() < 8 {
            return Err(ValueError::PasswordTooShort);
        }
        Ok(Password(raw.to_owned()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A rep's level on the career ladder: 1 (junior) to 6 (regional manager).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RepLevel(i32);

impl RepLevel {
    pub const MAX: i32 = 6;
    pub fn parse(level: i32) -> Result<Self, ValueError> {
        if (1..=Self::MAX).contains(&level) {
            Ok(RepLevel(level))
        } else {
            Err(ValueError::Level {
                got: level,
                max: Self::MAX,
            })
        }
    }
    pub fn get(self) -> i32 {
        self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RepStatus {
    Active,
    OnLeave,
    Left,
}

impl RepStatus {
    pub const ALL: [RepStatus; 3] = [RepStatus::Active, RepStatus::OnLeave, RepStatus::Left];
    pub fn as_str(self) -> &'static str {
        match self {
            RepStatus::Active => "ACTIVE",
            RepStatus::OnLeave => "ON_LEAVE",
            RepStatus::Left => "LEFT",
        }
    }
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| ValueError::Status(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Rep.East1@Dudao.Demo ").map(|e| e.to_string()),
            Ok("rep.east1@dudao.demo".to_owned())
        );
        for bad in [
            "", "a", "a@b", "@b.c", "a@@b.c", "a b@c.d", "a@b..c", "a@.c",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn names_are_trimmed_and_counted_in_characters() {
        assert_eq!(
            Name::parse("name", " 华东 ", 10).map(Name::into_inner),
            Ok("华东".into())
        );
        assert_eq!(
            Name::parse("name", "   ", 10),
            Err(ValueError::Empty { field: "name" })
        );
        assert!(Name::parse("name", "一二三", 3).is_ok());
        assert_eq!(
            Name::parse("name", "一二三四", 3),
            Err(ValueError::TooLong {
                field: "name",
                max: 3
            })
        );
    }

    #[test]
    fn passwords_need_eight_characters() {
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("dudao-demo").is_ok());
        assert_eq!(
            format!("{:?}", Password::parse("dudao-demo")),
            "Ok(Password(***))"
        );
    }

    #[test]
    fn levels_and_statuses() {
        assert!(RepLevel::parse(0).is_err());
        assert_eq!(RepLevel::parse(6).map(RepLevel::get), Ok(6));
        assert!(RepLevel::parse(7).is_err());
        assert_eq!(RepStatus::parse("ON_LEAVE"), Ok(RepStatus::OnLeave));
        assert!(RepStatus::parse("on_leave").is_err());
    }
}

/// Characters no text field may hold: C0 controls other than tab, line feed and carriage
/// return (NUL among them), DEL and the C1 controls. They are invisible, break CSV and
/// terminals, and PostgreSQL refuses NUL in text outright.
pub fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

/// The first forbidden character of `s`, if any ([`is_forbidden_char`]).
pub fn forbidden_char(s: &str) -> Option<char> {
    s.chars().find(|c| is_forbidden_char(*c))
}

/// The years a date given by a user may fall in. Outside them a date is a typo or an
/// attack, and date arithmetic on it (period bounds, a year back) could overflow.
pub const DATE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// A date a user gave, checked against [`DATE_YEARS`].
pub fn sane_date(d: chrono::NaiveDate) -> Result<chrono::NaiveDate, DateOutOfRange> {
    use chrono::Datelike;
    if DATE_YEARS.contains(&d.year()) {
        Ok(d)
    } else {
        Err(DateOutOfRange(d.year()))
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("date: the year must be between 1900 and 2200, got {0}")]
pub struct DateOutOfRange(pub i32);

#[cfg(test)]
mod text_and_date_tests {
    use super::*;

    #[test]
    fn control_characters_are_forbidden_but_line_breaks_and_tabs_are_not() {
        assert_eq!(forbidden_char("华东\t一区\r\n第二行"), None);
        assert_eq!(forbidden_char("a\u{0}b"), Some('\u{0}'));
        assert_eq!(forbidden_char("\u{1b}[31m"), Some('\u{1b}'));
        assert_eq!(forbidden_char("x\u{7f}"), Some('\u{7f}'));
        assert_eq!(forbidden_char("x\u{85}"), Some('\u{85}'));
        assert_eq!(forbidden_char("=HYPERLINK(\"a\")"), None);
    }

    #[test]
    fn external_codes_are_short_plain_keys() {
        assert_eq!(
            external_code("c", Some(" C-0001/a_b.2 "), 64),
            Ok(Some("C-0001/a_b.2".into()))
        );
        assert_eq!(external_code("c", Some("  "), 64), Ok(None));
        assert_eq!(external_code("c", None, 64), Ok(None));
        for bad in ["C 1", "客户1", "a;b", "=1", "x".repeat(65).as_str()] {
            assert!(external_code("c", Some(bad), 64).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_outside_1900_to_2200_are_refused() {
        let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert!(sane_date(d(1900, 1, 1)).is_ok());
        assert!(sane_date(d(2200, 12, 31)).is_ok());
        assert_eq!(sane_date(d(1899, 12, 31)), Err(DateOutOfRange(1899)));
        assert_eq!(sane_date(d(2201, 1, 1)), Err(DateOutOfRange(2201)));
        assert!(sane_date(chrono::NaiveDate::MAX).is_err());
    }
}
