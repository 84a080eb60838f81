//! Reading a file: CSV (a BOM from Excel dropped) or the first worksheet of an XLSX, as
//! trimmed text cells with their line numbers, and a row's cells looked up by column name.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use dudao_domain::transfer as rules;

use super::Format;
use crate::error::{AppError, AppResult};

/// Text cells of a file: the header and the data rows with their line numbers.
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

fn bad_file(e: impl std::fmt::Display) -> AppError {
    AppError::BadInput(format!("文件无法读取 / the file cannot be read: {e}"))
}

pub fn read(bytes: &[u8], format: Format) -> AppResult<Sheet> {
    match format {
        Format::Csv => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(bytes);
            let mut header = None;
            let mut rows = Vec::new();
            for rec in r.records() {
                let rec = rec.map_err(bad_file)?;
                let line = rec.position().map_or(0, |p| p.line() as usize);
                let cells: Vec<String> = rec.iter().map(|c| c.trim().to_owned()).collect();
                if header.is_none() {
                    header = Some(cells);
                } else if cells.iter().any(|c| !c.is_empty()) {
                    rows.push((line, cells));
                }
            }
            Ok(Sheet {
                header: header.unwrap_or_default(),
                rows,
            })
        }
        Format::Xlsx => {
            use calamine::{Data, Reader, Xlsx};
            let mut wb: Xlsx<_> =
                Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(bad_file)?;
            let range = wb
                .worksheet_range_at(0)
                .ok_or_else(|| bad_file("no worksheet"))?
                .map_err(bad_file)?;
            let (first_row, _) = range.start().unwrap_or((0, 0));
            let cell = |d: &Data| -> String {
                match d {
                    Data::Empty => String::new(),
                    Data::String(s) => s.trim().to_owned(),
                    Data::Int(i) => i.to_string(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    Data::Float(f) => f.to_string(),
                    Data::Bool(b) => b.to_string(),
                    // Excel serial days since 1899-12-30.
                    // An absurd serial is left as its number, which the row check refuses.
                    Data::DateTime(dt) => NaiveDate::from_ymd_opt(1899, 12, 30)
                        .zip(Duration::try_days(dt.as_f64().floor() as i64))
                        .and_then(|(epoch, days)| epoch.checked_add_signed(days))
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_else(|| dt.as_f64().to_string()),
                    Data::DateTimeIso(s) => s.chars().take(10).collect(),
                    Data::DurationIso(s) => s.clone(),
                    Data::Error(e) => format!("#{e:?}"),
                }
            };
            let mut header = None;
            let mut rows = Vec::new();
            for (i, r) in range.rows().enumerate() {
                let cells: Vec<String> = r.iter().map(cell).collect();
                let line = first_row as usize + i + 1;
                if header.is_none() {
                    header = Some(cells);
                } else if cells.iter().any(|c| !c.is_empty()) {
                    rows.push((line, cells));
                }
            }
            Ok(Sheet {
                header: header.unwrap_or_default(),
                rows,
            })
        }
    }
}

/// The header and coded cells of a file in Dudao's codes: a header in Chinese, English or
/// code (`金额`, `Amount`, `amount*`) becomes the column's code, and a status, stage,
/// metric or kind written as a word (`已取消`, `Won`) becomes its code
/// ([`dudao_domain::columns`]). What is not recognised stays as it is, for the row checks
/// to name.
pub(super) fn normalize(sheet: &mut Sheet) {
    use dudao_domain::columns;
    sheet.header = sheet
        .header
        .iter()
        .map(|h| columns::code_of_header(h))
        .collect();
    let worded: Vec<(usize, &str)> = sheet
        .header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| columns::WORDED.into_iter().find(|w| w == h).map(|w| (i, w)))
        .collect();
    if worded.is_empty() {
        return;
    }
    for (_, cells) in &mut sheet.rows {
        for (i, w) in &worded {
            let Some(cell) = cells.get_mut(*i) else {
                continue;
            };
            // Already a code (the usual case for machine-written files): nothing to look up.
            if cell.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
                continue;
            }
            if let Some(code) = columns::code_of_word(w, cell) {
                *cell = code.to_owned();
            }
        }
    }
}

/// The columns of a header by name: trimmed, lower-cased, a BOM dropped.
pub(super) fn column_index(header: &[String]) -> HashMap<String, usize> {
    header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().trim_start_matches('\u{feff}').to_lowercase(), i))
        .collect()
}

/// A data row with its columns looked up by name. Its cells are read by the rules of
/// `dudao_domain::transfer`; a blank cell is a missing one.
pub(super) struct Row<'a> {
    pub(super) cols: &'a HashMap<String, usize>,
    pub(super) cells: &'a [String],
}

impl Row<'_> {
    pub(super) fn get(&self, col: &str) -> Option<&str> {
        self.cols
            .get(col)
            .and_then(|i| self.cells.get(*i))
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }
    pub(super) fn required(&self, col: &str) -> Result<&str, String> {
        rules::required(col, self.get(col))
    }
    pub(super) fn text(&self, col: &str, max: usize) -> Result<Option<String>, String> {
        rules::text(col, self.get(col), max)
    }
    pub(super) fn required_text(&self, col: &str, max: usize) -> Result<String, String> {
        self.required(col)?;
        self.text(col, max).map(Option::unwrap_or_default)
    }
    pub(super) fn id(&self, col: &str) -> Result<i32, String> {
        rules::id(col, self.required(col)?)
    }
    pub(super) fn date_opt(&self, col: &str) -> Result<Option<NaiveDate>, String> {
        self.get(col).map(|s| rules::date(col, s)).transpose()
    }
    pub(super) fn date(&self, col: &str) -> Result<NaiveDate, String> {
        rules::date(col, self.required(col)?)
    }
    /// An amount as spreadsheets write it: `1234.50`, `¥1,234.50`, `￥ 1,234.5`.
    pub(super) fn money(&self, col: &str) -> Result<i64, String> {
        rules::amount(col, self.required(col)?)
    }
}
