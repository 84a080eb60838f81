//! Import and export (导入/导出) of customers, orders, payments, opportunities, targets and surveys
//! as CSV or XLSX. An import reads the whole file, checks every row (types, references,
//! rules) and reports each bad row with its line and reason; only a clean file is written,
//! in one transaction, with multi-row inserts. Exports apply the same row filters as the
//! lists and page through the table by id, so memory stays flat.
//!
//! Every kind of import goes through the same steps ([`run`]): the keys other systems use
//! are resolved ([`keys`]), each row is parsed on its own ([`ImportKind::parse`], with the
//! rules of `dudao_domain::transfer`), what the rows refer to is looked up in one statement
//! per table and checked, and a clean file is written by its kind's bulk writer
//! ([`write`]). A kind is one module: [`customers`], [`orders`], [`payments`],
//! [`opportunities`], [`targets`]. Reading files is [`sheet`]; exports, [`export`].

mod customers;
pub mod export;
mod keys;
mod opportunities;
mod orders;
mod payments;
mod sheet;
mod surveys;
mod targets;
mod write;

use std::collections::HashSet;
use std::hash::Hash;
use std::time::Instant;

use chrono::{DateTime, Utc};
use dudao_domain::Viewer;
use dudao_domain::columns::{self, Lang};
use sea_orm::{DatabaseConnection, DatabaseTransaction};

pub use export::{ExportColumn, ExportFilter, export, neutralise, write_export};
pub use sheet::{Sheet, read};

use crate::error::{AppError, AppResult};
use keys::KeyColumn;
use sheet::Row;
use write::BigCache;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Customers,
    Orders,
    Payments,
    Opportunities,
    Targets,
    Surveys,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Customers,
        Kind::Orders,
        Kind::Payments,
        Kind::Opportunities,
        Kind::Targets,
        Kind::Surveys,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Customers => "customers",
            Kind::Orders => "orders",
            Kind::Payments => "payments",
            Kind::Opportunities => "opportunities",
            Kind::Targets => "targets",
            Kind::Surveys => "surveys",
        }
    }

    pub fn parse(s: &str) -> AppResult<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                AppError::BadInput(format!(
                    "未知的数据类型 {s} / unknown kind {s} (customers, orders, payments, opportunities, targets, surveys)"
                ))
            })
    }

    /// The reference columns of an import and the keys they may be given by.
    fn keys(self) -> &'static [KeyColumn] {
        match self {
            Kind::Customers => customers::Customers::KEYS,
            Kind::Orders => orders::Orders::KEYS,
            Kind::Payments => payments::Payments::KEYS,
            Kind::Opportunities => opportunities::Opportunities::KEYS,
            Kind::Targets => targets::Targets::KEYS,
            Kind::Surveys => surveys::Surveys::KEYS,
        }
    }

    /// The columns an import reads (`*` = required) and an export writes after `id`.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Kind::Customers => customers::Customers::COLUMNS,
            Kind::Orders => orders::Orders::COLUMNS,
            Kind::Payments => payments::Payments::COLUMNS,
            Kind::Opportunities => opportunities::Opportunities::COLUMNS,
            Kind::Targets => targets::Targets::COLUMNS,
            Kind::Surveys => surveys::Surveys::COLUMNS,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> AppResult<Format> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            _ => Err(AppError::BadInput(format!(
                "未知的文件格式 {s} / unknown format {s} (csv, xlsx)"
            ))),
        }
    }
    /// The file's extension and its media type.
    pub fn ext_and_mime(self) -> (&'static str, &'static str) {
        match self {
            Format::Csv => ("csv", "text/csv; charset=utf-8"),
            Format::Xlsx => (
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        }
    }
    /// From a file name's extension.
    pub fn of_path(path: &str) -> AppResult<Format> {
        let ext = path.rsplit('.').next().unwrap_or_default();
        Format::parse(ext)
    }
}

/// One bad row: its line in the file (1 = the header) and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    pub line: usize,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Data rows read from the file.
    pub rows: usize,
    /// Rows written (0 unless the whole file was clean).
    pub imported: usize,
    /// Every bad row, in file order (at most [`MAX_ERRORS`] are listed).
    pub errors: Vec<RowError>,
    /// How many rows were bad in all.
    pub error_count: usize,
}

impl Report {
    /// Counts a bad row; the first [`MAX_ERRORS`] are listed.
    fn fail(&mut self, line: usize, reason: String) {
        self.error_count += 1;
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(RowError { line, reason });
        }
    }
}

pub const MAX_ERRORS: usize = 1000;

/// Progress callback: (what, done, total).
pub type Progress<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

/// One kind of import: its columns, how one row is parsed (pure), what the rows refer to
/// and how the accepted rows are written. [`run`] calls these in order, and calls
/// `write` only when no row of the file was bad.
trait ImportKind {
    const KIND: Kind;
    /// The columns an import reads (`*` = required).
    const COLUMNS: &'static [&'static str];
    /// The reference columns and the keys (ids, codes) they may be given by.
    const KEYS: &'static [KeyColumn];
    /// One row, parsed and checked on its own.
    type Record;
    /// What no two rows of a file may share (`()` with the default `unique_key`: nothing).
    type Key: Hash + Eq;
    /// What the records refer to, as found in the database.
    type Found;

    /// Parses and checks one row with no database: a typed record, or why not.
    fn parse(&self, row: &Row<'_>) -> Result<Self::Record, String>;

    fn unique_key(&self, _record: &Self::Record) -> Option<Self::Key> {
        None
    }

    /// Why a record whose [`unique_key`](ImportKind::unique_key) an earlier row has is bad.
    fn duplicate(&self, _record: &Self::Record) -> String {
        String::new()
    }

    /// Looks up what `records` refer to: one statement per table (per chunk of ids).
    async fn look_up(
        &self,
        txn: &DatabaseTransaction,
        records: &[(usize, Self::Record)],
    ) -> AppResult<Self::Found>;

    /// The records whose references were not found, with why (in the order reported).
    fn check(&self, records: &[(usize, Self::Record)], found: &Self::Found)
    -> Vec<(usize, String)>;

    /// Writes the records of a clean file with the bulk writers of [`write`].
    async fn write(
        &self,
        txn: &DatabaseTransaction,
        batch: &mut Batch<'_>,
        records: Vec<(usize, Self::Record)>,
        found: Self::Found,
    ) -> AppResult<()>;
}

/// What every writer needs besides its records.
struct Batch<'a> {
    viewer: &'a Viewer,
    /// The time every row of the import is created or updated at.
    created: DateTime<Utc>,
    started: Instant,
    progress: Progress<'a>,
    /// The file's data rows, and how many of them are written so far.
    total: usize,
    done: usize,
}

/// The empty file of `kind` to fill in: one header row in `lang` (codes when none), the
/// required columns marked `*`, a reference's code column beside its id column; in XLSX a
/// second sheet says what each column takes. An import reads it back as it is.
pub fn template(kind: Kind, format: Format, lang: Option<Lang>) -> AppResult<Vec<u8>> {
    let lang_or_en = lang.unwrap_or(Lang::En);
    let zh = lang_or_en == Lang::Zh;
    let label = |code: &str| columns::header(code, lang).to_owned();
    let mut header = Vec::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    for c in kind.columns() {
        let (code, required) = c.strip_suffix('*').map_or((*c, false), |c| (c, true));
        let alt = keys::code_column(kind.keys(), code);
        let what = if code.ends_with("_on") {
            if zh {
                "日期：2026-11-30、2026/11/30 或 Excel 日期"
            } else {
                "A date: 2026-11-30, 2026/11/30 or an Excel date"
            }
            .to_owned()
        } else if code == "amount" || code == "value" {
            if zh { "金额（元）：1234.50，可带 ¥ 和千分位；新客户目标为个数" } else { "An amount in yuan: 1234.50, ¥ and separators allowed; a new-customer target is a count" }.to_owned()
        } else if columns::WORDED.contains(&code) {
            let words: Vec<&str> = columns::WORDS
                .iter()
                .filter(|(col, ..)| *col == code)
                .map(|(_, _, z, e)| if zh { *z } else { *e })
                .collect();
            format!(
                "{}{}",
                if zh { "可填：" } else { "One of: " },
                words.join(if zh { "、" } else { ", " })
            )
        } else if code.ends_with("_id") {
            if zh {
                "督导中的编号（或 API 的 id）"
            } else {
                "Dudao's id (or the API's id)"
            }
            .to_owned()
        } else {
            if zh { "文字" } else { "Text" }.to_owned()
        };
        let need = match (required, alt) {
            (true, Some(a)) => format!(
                "{}{}",
                if zh {
                    "必填，或改填"
                } else {
                    "Required, or give "
                },
                label(a)
            ),
            (true, None) => if zh { "必填" } else { "Required" }.to_owned(),
            (false, _) => if zh { "选填" } else { "Optional" }.to_owned(),
        };
        header.push(if required && alt.is_none() {
            format!("{}*", label(code))
        } else {
            label(code)
        });
        notes.push((
            label(code),
            format!("{need}{}{what}", if zh { "。" } else { ". " }),
        ));
        if let Some(a) = alt {
            header.push(label(a));
            notes.push((
                label(a),
                if zh {
                    format!("其他系统的编码，代替{}", label(code))
                } else {
                    format!("The other system's code, instead of {}", label(code))
                },
            ));
        }
    }
    let xl = |e: rust_xlsxwriter::XlsxError| AppError::Internal(anyhow::anyhow!("xlsx: {e}"));
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
            w.write_record(&header)
                .map_err(|e| AppError::Internal(e.into()))?;
            w.into_inner()
                .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))
        }
        Format::Xlsx => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            let sheet = book.add_worksheet();
            sheet
                .set_name(columns::word("kind", kind.as_str(), lang))
                .map_err(xl)?;
            for (i, h) in header.iter().enumerate() {
                sheet
                    .write_string_with_format(0, i as u16, h, &bold)
                    .map_err(xl)?;
                sheet.set_column_width(i as u16, 16).map_err(xl)?;
            }
            sheet.set_freeze_panes(1, 0).map_err(xl)?;
            let help = book.add_worksheet();
            help.set_name(if zh { "说明" } else { "Notes" })
                .map_err(xl)?;
            help.write_string_with_format(0, 0, if zh { "列" } else { "Column" }, &bold)
                .map_err(xl)?;
            help.write_string_with_format(
                0,
                1,
                if zh { "填写说明" } else { "What it takes" },
                &bold,
            )
            .map_err(xl)?;
            for (i, (col, note)) in notes.iter().enumerate() {
                let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
                help.write_string(row, 0, col).map_err(xl)?;
                help.write_string(row, 1, note).map_err(xl)?;
            }
            help.set_column_width(0, 18).map_err(xl)?;
            help.set_column_width(1, 70).map_err(xl)?;
            book.save_to_buffer().map_err(xl)
        }
    }
}

/// Imports `sheet` as `kind`. Nothing is written unless every row is valid.
pub async fn import(
    db: &DatabaseConnection,
    viewer: &Viewer,
    kind: Kind,
    sheet: Sheet,
    progress: Progress<'_>,
) -> AppResult<Report> {
    super::require(
        viewer,
        dudao_domain::Action::Create,
        dudao_domain::Resource::Import,
    )?;
    match kind {
        Kind::Customers => run(&customers::Customers, db, viewer, sheet, progress).await,
        Kind::Orders => run(&orders::Orders, db, viewer, sheet, progress).await,
        Kind::Payments => run(&payments::Payments, db, viewer, sheet, progress).await,
        Kind::Opportunities => {
            run(&opportunities::Opportunities, db, viewer, sheet, progress).await
        }
        Kind::Targets => run(&targets::Targets, db, viewer, sheet, progress).await,
        Kind::Surveys => run(&surveys::Surveys, db, viewer, sheet, progress).await,
    }
}

/// The steps of every import: keys, header, rows, then in one write transaction the
/// look-ups, their checks and (for a clean file) the writes, the audit entry and commit.
async fn run<K: ImportKind>(
    kind: &K,
    db: &DatabaseConnection,
    viewer: &Viewer,
    mut sheet: Sheet,
    progress: Progress<'_>,
) -> AppResult<Report> {
    sheet::normalize(&mut sheet);
    let key_errors = keys::resolve_keys(db, K::KEYS, &mut sheet).await?;
    let cols = sheet::column_index(&sheet.header);
    let missing: Vec<&str> = K::COLUMNS
        .iter()
        .filter_map(|c| c.strip_suffix('*'))
        .filter(|c| !cols.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        let named = |lang| {
            missing
                .iter()
                .map(|c| format!("{} ({c})", columns::header(c, Some(lang))))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(AppError::BadInput(format!(
            "缺少列：{}（第 1 行应为表头，可下载模板）/ missing columns: {} (line 1 must be the header; download the template)",
            named(Lang::Zh),
            named(Lang::En)
        )));
    }
    let total = sheet.rows.len();
    let mut report = Report {
        rows: total,
        ..Report::default()
    };
    // A row whose reference is unknown is reported once, for that reference.
    let unresolved: HashSet<usize> = key_errors.iter().map(|(line, _)| *line).collect();
    for (line, why) in key_errors {
        report.fail(line, why);
    }
    let rows = sheet
        .rows
        .iter()
        .filter(|(line, _)| !unresolved.contains(line))
        .map(|(line, cells)| (*line, Row { cols: &cols, cells }));
    let records = parse_rows(kind, rows, total, &mut report);
    let mut batch = Batch {
        viewer,
        created: Utc::now(),
        started: Instant::now(),
        progress,
        total,
        done: 0,
    };
    let txn = crate::db::write_txn(db).await?;
    let cache = BigCache::grow(&txn).await?;
    // Everything that writes, as one block, so that the connection's cache size is put
    // back whatever happens in it (a database error included) before the transaction
    // ends and the connection returns to the pool.
    let written: AppResult<()> = async {
        let found = kind.look_up(&txn, &records).await?;
        for (line, why) in kind.check(&records, &found) {
            report.fail(line, why);
        }
        tracing::debug!(elapsed = ?batch.started.elapsed(), kind = K::KIND.as_str(), "rows checked");
        if report.error_count == 0 {
            kind.write(&txn, &mut batch, records, found).await?;
        }
        Ok(())
    }
    .await;
    let restored = cache.restore(&txn).await;
    written?;
    restored?;
    finish(txn, report, &batch, K::KIND).await
}

/// Parses every row on its own, reporting the bad ones (and the second of two rows with
/// the same unique key); answers the good ones with their lines.
fn parse_rows<'a, K: ImportKind>(
    kind: &K,
    rows: impl Iterator<Item = (usize, Row<'a>)>,
    total: usize,
    report: &mut Report,
) -> Vec<(usize, K::Record)> {
    let mut records = Vec::with_capacity(total);
    let mut seen = HashSet::new();
    for (line, row) in rows {
        match kind.parse(&row) {
            Ok(record) => {
                if let Some(key) = kind.unique_key(&record)
                    && !seen.insert(key)
                {
                    report.fail(line, kind.duplicate(&record));
                    continue;
                }
                records.push((line, record));
            }
            Err(why) => report.fail(line, why),
        }
    }
    records
}

/// Rolls a file with bad rows back (the report lists them by line); commits a clean one
/// with its audit entry.
async fn finish(
    txn: DatabaseTransaction,
    mut report: Report,
    batch: &Batch<'_>,
    kind: Kind,
) -> AppResult<Report> {
    if report.error_count > 0 {
        txn.rollback().await?;
        report.errors.sort_by_key(|e| e.line);
        return Ok(report);
    }
    super::audit::record(
        &txn,
        Some(batch.viewer.user_id).filter(|id| *id > 0),
        "import",
        kind.as_str(),
        0,
        None::<&()>,
        Some(&serde_json::json!({ "rows": batch.total })),
    )
    .await?;
    txn.commit().await?;
    tracing::debug!(elapsed = ?batch.started.elapsed(), "import committed");
    report.imported = batch.total;
    Ok(report)
}
