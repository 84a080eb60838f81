//! Exports (导出): the rows a viewer may read, filtered as the lists are, paged by id so
//! memory stays flat, as CSV (formula-like text neutralised) or typed XLSX.

use std::io::Write;

use chrono::NaiveDate;
use dudao_domain::columns::{self as words, Lang};
use dudao_domain::{Money, Viewer};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use super::{Format, Kind};
use crate::error::{AppError, AppResult};

/// What an export may narrow to (the list filters).
#[derive(Clone, Debug, Default)]
pub struct ExportFilter {
    pub region_id: Option<i32>,
    pub rep_id: Option<i32>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// A date as export SQL compares it (a date we parsed, never user text).
fn day(d: NaiveDate) -> String {
    format!("'{}'", crate::service::sql_date(d))
}

/// What an export of one kind selects: the statement before its `WHERE`, the column of
/// the rep that decides who may read a row (none: no row filter), the date the filter's
/// `from`/`to` apply to, and the file's header.
struct Source {
    sql: String,
    rep_col: &'static str,
    date_col: Option<&'static str>,
    header: Vec<&'static str>,
}

/// The statement of an export page: `{after}` is where the last id written goes.
fn export_sql(
    kind: Kind,
    viewer: &Viewer,
    f: &ExportFilter,
    backend: sea_orm::DatabaseBackend,
) -> AppResult<(String, Vec<&'static str>)> {
    let reps = crate::service::scope::rep_ids_sql(viewer, backend);
    let Source {
        sql,
        rep_col,
        date_col,
        header,
    } = source(kind, viewer, &reps)?;
    let mut w = Vec::new();
    if !rep_col.is_empty() {
        w.push(format!("{rep_col} IN ({reps})"));
        if let Some(r) = f.rep_id {
            w.push(format!("{rep_col} = {r}"));
        }
        if let Some(g) = f.region_id {
            w.push(format!(
                "{rep_col} IN (SELECT id FROM reps WHERE region_id = {g})"
            ));
        }
    }
    if let Some(d) = date_col {
        if let Some(from) = f.from {
            w.push(format!("{d} >= {}", day(from)));
        }
        if let Some(to) = f.to {
            w.push(format!("{d} <= {}", day(to)));
        }
    }
    let filter = if w.is_empty() {
        String::new()
    } else {
        format!(" AND {}", w.join(" AND "))
    };
    Ok((
        format!("{sql} WHERE x.id > {{after}}{filter} ORDER BY x.id LIMIT 5000"),
        header,
    ))
}

fn source(kind: Kind, viewer: &Viewer, reps: &str) -> AppResult<Source> {
    let (sql, rep_col, date_col, header) = match kind {
        // Each export writes the other systems' keys and the names beside the ids, so a
        // file can go back in by either. The owner of a visible customer is visible.
        Kind::Customers => (
            "SELECT x.id, x.name, x.industry, x.owner_rep_id, x.city, x.address, x.external_code, \
             o.employee_no, o.name FROM customers x LEFT JOIN reps o ON o.id = x.owner_rep_id"
                .to_owned(),
            "x.owner_rep_id",
            None,
            vec![
                "id",
                "name",
                "industry",
                "owner_rep_id",
                "city",
                "address",
                "external_code",
                "owner_employee_no",
                "owner_name",
            ],
        ),
        // An order's customer may have moved to an owner the caller cannot read: its code
        // and name are then empty, as in the API.
        Kind::Orders => (
            format!(
                "SELECT x.id, x.customer_id, x.rep_id, x.ordered_on, x.amount_cents, x.status, \
                 (SELECT r.due_on FROM receivables r WHERE r.order_id = x.id) AS due_on, \
                 c.external_code, c.name, p.employee_no, p.name FROM orders x \
                 LEFT JOIN customers c ON c.id = x.customer_id AND c.owner_rep_id IN ({reps}) \
                 LEFT JOIN reps p ON p.id = x.rep_id"
            ),
            "x.rep_id",
            Some("x.ordered_on"),
            vec![
                "id",
                "customer_id",
                "rep_id",
                "ordered_on",
                "amount",
                "status",
                "due_on",
                "customer_code",
                "customer_name",
                "rep_employee_no",
                "rep_name",
            ],
        ),
        Kind::Surveys => (
            "SELECT x.id, x.customer_id, x.surveyed_on, x.score, x.comment, c.name FROM surveys x \
             LEFT JOIN customers c ON c.id = x.customer_id"
                .to_owned(),
            "x.rep_id",
            Some("x.surveyed_on"),
            vec!["id", "customer_id", "surveyed_on", "score", "comment", "customer_name"],
        ),
        Kind::Payments => (
            "SELECT x.id, r.order_id, x.paid_on, x.amount_cents FROM payments x JOIN receivables r ON r.id = x.receivable_id".to_owned(),
            "r.rep_id",
            Some("x.paid_on"),
            vec!["id", "order_id", "paid_on", "amount"],
        ),
        Kind::Opportunities => (
            format!(
                "SELECT x.id, x.customer_id, x.rep_id, x.name, x.amount_cents, x.stage, x.created_on, \
                 x.closed_on, x.lost_reason, c.external_code, c.name, p.employee_no, p.name \
                 FROM opportunities x \
                 LEFT JOIN customers c ON c.id = x.customer_id AND c.owner_rep_id IN ({reps}) \
                 LEFT JOIN reps p ON p.id = x.rep_id"
            ),
            "x.rep_id",
            Some("x.created_on"),
            vec![
                "id",
                "customer_id",
                "rep_id",
                "name",
                "amount",
                "stage",
                "created_on",
                "closed_on",
                "lost_reason",
                "customer_code",
                "customer_name",
                "rep_employee_no",
                "rep_name",
            ],
        ),
        Kind::Targets => {
            // Every target of the company: for those who import them.
            crate::service::require(
                viewer,
                dudao_domain::Action::Create,
                dudao_domain::Resource::Import,
            )?;
            (
                "SELECT x.id, x.metric, x.scope_kind, x.scope_id, x.period_kind, x.year, x.idx, x.value FROM targets x".to_owned(),
                "",
                None,
                vec![
                    "id",
                    "metric",
                    "scope_kind",
                    "scope_id",
                    "period_kind",
                    "year",
                    "index",
                    "value",
                ],
            )
        }
    };
    Ok(Source {
        sql,
        rep_col,
        date_col,
        header,
    })
}

/// One exported value, typed: in XLSX amounts and counts are numbers and dates are dates
/// (so SUM works), and in CSV text a spreadsheet would run as a formula is neutralised.
#[derive(Clone, Debug, PartialEq)]
enum Out {
    Empty,
    Int(i64),
    /// Cents, written as yuan.
    Money(i64),
    Date(NaiveDate),
    Text(String),
}

fn out_cell(r: &sea_orm::QueryResult, i: usize, money: bool) -> Out {
    if let Ok(v) = r.try_get_by_index::<Option<i64>>(i) {
        return v.map_or(
            Out::Empty,
            |v| if money { Out::Money(v) } else { Out::Int(v) },
        );
    }
    if let Ok(v) = r.try_get_by_index::<Option<i32>>(i) {
        return v.map_or(Out::Empty, |v| Out::Int(i64::from(v)));
    }
    if let Ok(v) = r.try_get_by_index::<Option<NaiveDate>>(i) {
        return v.map_or(Out::Empty, Out::Date);
    }
    r.try_get_by_index::<Option<String>>(i)
        .ok()
        .flatten()
        .map_or(Out::Empty, Out::Text)
}

/// A text cell as CSV may carry it without a spreadsheet running it (OWASP, "CSV
/// injection"): text starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading `'`, which spreadsheets show as text and do not evaluate. A customer named
/// `=HYPERLINK(…)` by a rep stays a name in the supervisor's Excel.
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

impl Out {
    fn csv(&self) -> String {
        match self {
            Out::Empty => String::new(),
            Out::Int(v) => v.to_string(),
            Out::Money(v) => Money(*v).to_string(),
            Out::Date(d) => d.format("%Y-%m-%d").to_string(),
            Out::Text(s) => neutralise(s).into_owned(),
        }
    }

    /// XLSX cells are typed, and text is a string cell, never a formula.
    fn xlsx(
        &self,
        sheet: &mut rust_xlsxwriter::Worksheet,
        row: u32,
        col: u16,
        formats: &XlsxFormats,
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        match self {
            Out::Empty => {}
            // Ids and counts are far below 2^53, so an f64 holds them exactly.
            Out::Int(v) => {
                sheet.write_number(row, col, *v as f64)?;
            }
            Out::Money(v) => {
                sheet.write_number_with_format(row, col, *v as f64 / 100.0, &formats.money)?;
            }
            Out::Date(d) => {
                use chrono::Datelike;
                let date = rust_xlsxwriter::ExcelDateTime::from_ymd(
                    u16::try_from(d.year()).unwrap_or(1900),
                    d.month() as u8,
                    d.day() as u8,
                )?;
                sheet.write_datetime_with_format(row, col, &date, &formats.date)?;
            }
            Out::Text(s) => {
                sheet.write_string(row, col, s)?;
            }
        }
        Ok(())
    }
}

struct XlsxFormats {
    money: rust_xlsxwriter::Format,
    date: rust_xlsxwriter::Format,
}

/// One column of an export: its code (the header for machines, [`words::header`] for
/// people), whether it holds cents (written as yuan), and the [`words::WORDS`] column its
/// coded values are words of (a status, a stage: written as words for people).
#[derive(Clone, Copy, Debug)]
pub struct ExportColumn {
    pub code: &'static str,
    pub money: bool,
    pub words: Option<&'static str>,
}

/// Writes the rows of `kind` the viewer may read, filtered, as CSV or XLSX, with headers
/// and coded values in `lang` (codes when none). Returns the number of data rows.
pub async fn export(
    db: &DatabaseConnection,
    viewer: &Viewer,
    kind: Kind,
    filter: &ExportFilter,
    format: Format,
    lang: Option<Lang>,
    out: &mut dyn Write,
) -> AppResult<usize> {
    let (sql, header) = export_sql(kind, viewer, filter, db.get_database_backend())?;
    let columns: Vec<ExportColumn> = header
        .iter()
        .map(|h| ExportColumn {
            code: h,
            money: *h == "amount" || (*h == "value" && kind == Kind::Targets),
            words: words::WORDED.into_iter().find(|w| w == h),
        })
        .collect();
    write_export(db, &sql, &columns, lang, format, out).await
}

/// The one writer every export goes through: a header row, then rows, as CSV (UTF-8 with
/// a byte-order mark so that Excel reads it, written a chunk at a time, text neutralised)
/// or XLSX (typed cells, a bold header kept in view, columns fitted up to 100,000 rows).
struct Sink<'a> {
    format: Format,
    out: &'a mut dyn Write,
    book: rust_xlsxwriter::Workbook,
    formats: XlsxFormats,
    pending: Vec<Vec<String>>,
    rows: usize,
}

fn io_err(e: std::io::Error) -> AppError {
    AppError::Internal(e.into())
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::Internal(anyhow::Error::new(e).context("xlsx"))
}

impl<'a> Sink<'a> {
    fn new(headers: &[String], format: Format, out: &'a mut dyn Write) -> AppResult<Self> {
        let mut sink = Sink {
            format,
            out,
            book: rust_xlsxwriter::Workbook::new(),
            formats: XlsxFormats {
                money: rust_xlsxwriter::Format::new().set_num_format("#,##0.00"),
                date: rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd"),
            },
            pending: Vec::new(),
            rows: 0,
        };
        if format == Format::Csv {
            sink.out.write_all(b"\xEF\xBB\xBF").map_err(io_err)?;
            sink.pending.push(headers.to_vec());
            sink.flush()?;
        } else {
            let bold = rust_xlsxwriter::Format::new().set_bold();
            let sheet = sink.book.add_worksheet();
            for (c, h) in headers.iter().enumerate() {
                sheet
                    .write_string_with_format(0, c as u16, h, &bold)
                    .map_err(xlsx_err)?;
            }
            // The header stays in view while scrolling.
            sheet.set_freeze_panes(1, 0).map_err(xlsx_err)?;
        }
        Ok(sink)
    }

    fn row(&mut self, cells: &[Out]) -> AppResult<()> {
        self.rows += 1;
        if self.format == Format::Csv {
            self.pending.push(cells.iter().map(Out::csv).collect());
            return Ok(());
        }
        let row = u32::try_from(self.rows)
            .ok()
            .filter(|r| *r < 1_048_576)
            .ok_or_else(|| {
                AppError::BadInput(
                    "XLSX 最多约 100 万行，请用 CSV / XLSX holds about a million rows; use CSV"
                        .into(),
                )
            })?;
        let sheet = self.book.worksheet_from_index(0).map_err(xlsx_err)?;
        for (c, v) in cells.iter().enumerate() {
            v.xlsx(sheet, row, c as u16, &self.formats)
                .map_err(xlsx_err)?;
        }
        Ok(())
    }

    /// Writes the CSV rows gathered so far.
    fn flush(&mut self) -> AppResult<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        for r in self.pending.drain(..) {
            w.write_record(&r)
                .map_err(|e| AppError::Internal(e.into()))?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))?;
        self.out.write_all(&bytes).map_err(io_err)
    }

    /// Ends the file; the number of data rows written.
    fn finish(mut self) -> AppResult<usize> {
        self.flush()?;
        if self.format == Format::Xlsx {
            // Columns as wide as what they hold (it measures every cell).
            if self.rows <= 100_000 {
                self.book
                    .worksheet_from_index(0)
                    .map_err(xlsx_err)?
                    .autofit();
            }
            let bytes = self.book.save_to_buffer().map_err(xlsx_err)?;
            self.out.write_all(&bytes).map_err(io_err)?;
        }
        Ok(self.rows)
    }
}

/// Writes the rows of `sql` as CSV or XLSX under `columns`, 5,000 at a time: `sql` selects
/// the id first, ordered by it, and has `{after}` where the last id written goes. Headers
/// and coded values are in `lang` (codes when none). Returns the number of data rows.
pub async fn write_export(
    db: &DatabaseConnection,
    sql: &str,
    columns: &[ExportColumn],
    lang: Option<Lang>,
    format: Format,
    out: &mut dyn Write,
) -> AppResult<usize> {
    let head: Vec<String> = columns
        .iter()
        .map(|c| words::header(c.code, lang).to_owned())
        .collect();
    let mut sink = Sink::new(&head, format, out)?;
    let mut after = 0i64;
    loop {
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                sql.replace("{after}", &after.to_string()),
            ))
            .await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let cells: Vec<Out> = columns
                .iter()
                .enumerate()
                .map(|(i, c)| match (out_cell(r, i, c.money), c.words) {
                    (Out::Text(s), Some(w)) => Out::Text(words::word(w, &s, lang).to_owned()),
                    (v, _) => v,
                })
                .collect();
            if let Some(Out::Int(id)) = cells.first() {
                after = *id;
            }
            sink.row(&cells)?;
        }
        sink.flush()?;
    }
    sink.finish()
}

/// Writes rows computed in memory (a judged list, not a table) as CSV or XLSX through
/// the same [`Sink`] as [`write_export`]. Returns the number of data rows.
pub fn write_table(
    headers: &[String],
    rows: &[Vec<TableCell>],
    format: Format,
    out: &mut dyn Write,
) -> AppResult<usize> {
    let mut sink = Sink::new(headers, format, out)?;
    for r in rows {
        let cells: Vec<Out> = r
            .iter()
            .map(|c| match c {
                TableCell::Text(s) => Out::Text(s.clone()),
                TableCell::Int(i) => Out::Int(*i),
                TableCell::Empty => Out::Empty,
            })
            .collect();
        sink.row(&cells)?;
    }
    sink.finish()
}

/// A cell of [`write_table`].
#[derive(Clone, Debug)]
pub enum TableCell {
    Empty,
    Int(i64),
    Text(String),
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised() {
        for live in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralise(live), format!("'{live}"), "{live:?}");
        }
        for plain in ["华东医药", "a=b", "O'Brien", "", " =x"] {
            assert_eq!(neutralise(plain), plain);
        }
    }
}
