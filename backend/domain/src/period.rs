//! Reporting periods: a month, a quarter or a year, as an inclusive date range.

use chrono::{Datelike, NaiveDate};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
}

impl PeriodKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Month => "MONTH",
            PeriodKind::Quarter => "QUARTER",
            PeriodKind::Year => "YEAR",
        }
    }
}

/// A month (index 1–12), quarter (1–4) or year (index 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    pub kind: PeriodKind,
    pub year: i32,
    pub index: u32,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("period: year {0} is out of range (2000–2100)")]
    Year(i32),
    #[error("period: index {got:?} is not valid for a {kind} (expected {expected})")]
    Index {
        kind: &'static str,
        got: Option<i32>,
        expected: &'static str,
    },
}

impl Period {
    pub fn new(kind: PeriodKind, year: i32, index: Option<i32>) -> Result<Self, PeriodError> {
        if !(2000..=2100).contains(&year) {
            return Err(PeriodError::Year(year));
        }
        let (max, expected) = match kind {
            PeriodKind::Month => (12, "1–12"),
            PeriodKind::Quarter => (4, "1–4"),
            PeriodKind::Year => (1, "none or 1"),
        };
        let index = match (kind, index) {
            (PeriodKind::Year, None) => 1,
            (_, Some(i)) if (1..=max).contains(&i) => i as u32,
            (_, got) => {
                return Err(PeriodError::Index {
                    kind: kind.as_str(),
                    got,
                    expected,
                });
            }
        };
        Ok(Period { kind, year, index })
    }

    pub fn month(year: i32, month: u32) -> Self {
        Period {
            kind: PeriodKind::Month,
            year,
            index: month,
        }
    }

    pub fn quarter(year: i32, quarter: u32) -> Self {
        Period {
            kind: PeriodKind::Quarter,
            year,
            index: quarter,
        }
    }

    pub fn year(year: i32) -> Self {
        Period {
            kind: PeriodKind::Year,
            year,
            index: 1,
        }
    }

    fn first_month(self) -> u32 {
        match self.kind {
            PeriodKind::Month => self.index,
            PeriodKind::Quarter => (self.index - 1) * 3 + 1,
            PeriodKind::Year => 1,
        }
    }

    fn months(self) -> u32 {
        match self.kind {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::Year => 12,
        }
    }

    /// The first day of the period.
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.first_month(), 1).unwrap_or(NaiveDate::MIN)
    }

    /// The first day after the period.
    pub fn end_exclusive(self) -> NaiveDate {
        let m0 = self.first_month() - 1 + self.months();
        let (y, m) = (self.year + (m0 / 12) as i32, m0 % 12 + 1);
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MAX)
    }

    /// The last day of the period.
    pub fn end(self) -> NaiveDate {
        self.end_exclusive().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    pub fn days(self) -> i64 {
        (self.end_exclusive() - self.start()).num_days()
    }

    /// Time progress (时间进度): the share of the period's days passed by the end of
    /// `as_of` — 0 before the period, 1 once it is over. A running quarter is judged by
    /// this, not by the whole quarter's target.
    pub fn elapsed_share(self, as_of: NaiveDate) -> f64 {
        if as_of < self.start() {
            0.0
        } else if as_of >= self.end() {
            1.0
        } else {
            ((as_of - self.start()).num_days() + 1) as f64 / self.days() as f64
        }
    }

    pub fn contains(self, d: NaiveDate) -> bool {
        self.start() <= d && d < self.end_exclusive()
    }

    /// The period of the same kind just before this one.
    pub fn previous(self) -> Period {
        match (self.kind, self.index) {
            (PeriodKind::Year, _) => Period::year(self.year - 1),
            (PeriodKind::Month, 1) => Period::month(self.year - 1, 12),
            (PeriodKind::Quarter, 1) => Period::quarter(self.year - 1, 4),
            (kind, i) => Period {
                kind,
                year: self.year,
                index: i - 1,
            },
        }
    }

    /// The period of this kind containing `d`.
    pub fn containing(kind: PeriodKind, d: NaiveDate) -> Period {
        match kind {
            PeriodKind::Month => Period::month(d.year(), d.month()),
            PeriodKind::Quarter => Period::quarter(d.year(), (d.month() - 1) / 3 + 1),
            PeriodKind::Year => Period::year(d.year()),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn elapsed_share_counts_the_days_passed() {
        use chrono::NaiveDate;
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
        let q4 = super::Period::quarter(2026, 4); // 92 days
        assert_eq!(q4.elapsed_share(d(2026, 9, 30)), 0.0);
        assert_eq!(q4.elapsed_share(d(2026, 10, 1)), 1.0 / 92.0);
        // 2 December: 31 + 30 + 2 days of 92.
        assert_eq!(q4.elapsed_share(d(2026, 12, 2)), 63.0 / 92.0);
        assert_eq!(q4.elapsed_share(d(2026, 12, 31)), 1.0);
        assert_eq!(q4.elapsed_share(d(2027, 3, 1)), 1.0);
        assert_eq!(
            super::Period::month(2026, 2).elapsed_share(d(2026, 2, 14)),
            0.5
        );
    }

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn ranges_are_inclusive_of_the_last_day() {
        let q = Period::quarter(2024, 1);
        assert_eq!((q.start(), q.end()), (d(2024, 1, 1), d(2024, 3, 31)));
        assert_eq!(q.days(), 91); // leap year
        assert_eq!(Period::month(2023, 2).end(), d(2023, 2, 28));
        assert_eq!(Period::month(2024, 12).end_exclusive(), d(2025, 1, 1));
        assert_eq!(Period::quarter(2025, 4).end(), d(2025, 12, 31));
        assert_eq!(Period::year(2025).days(), 365);
        assert!(q.contains(d(2024, 3, 31)) && !q.contains(d(2024, 4, 1)));
    }

    #[test]
    fn previous_and_containing() {
        assert_eq!(Period::month(2025, 1).previous(), Period::month(2024, 12));
        assert_eq!(
            Period::quarter(2025, 1).previous(),
            Period::quarter(2024, 4)
        );
        assert_eq!(
            Period::quarter(2025, 3).previous(),
            Period::quarter(2025, 2)
        );
        assert_eq!(
            Period::containing(PeriodKind::Quarter, d(2025, 8, 15)),
            Period::quarter(2025, 3)
        );
    }

    #[test]
    fn bad_periods_are_refused() {
        assert!(Period::new(PeriodKind::Month, 2025, Some(13)).is_err());
        assert!(Period::new(PeriodKind::Quarter, 2025, None).is_err());
        assert!(Period::new(PeriodKind::Quarter, 1999, Some(1)).is_err());
        assert_eq!(
            Period::new(PeriodKind::Year, 2025, None),
            Ok(Period::year(2025))
        );
    }
}
