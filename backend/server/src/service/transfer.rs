//! Import and export (导入/导出) of customers, orders, payments, opportunities and targets
//! as CSV or XLSX. An import reads the whole file, checks every row (types, references,
//! rules) and reports each bad row with its line and reason; only a clean file is written,
//! in one transaction, with multi-row inserts. Exports apply the same row filters as the
//! lists and page through the table by id, so memory stays flat.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use chrono::{Duration, NaiveDate, Utc};
use dudao_domain::metrics::FUNNEL;
use dudao_domain::{Money, Period, PeriodKind, Viewer};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

use crate::error::{AppError, AppResult};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Customers,
    Orders,
    Payments,
    Opportunities,
    Targets,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Customers,
        Kind::Orders,
        Kind::Payments,
        Kind::Opportunities,
        Kind::Targets,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Customers => "customers",
            Kind::Orders => "orders",
            Kind::Payments => "payments",
            Kind::Opportunities => "opportunities",
            Kind::Targets => "targets",
        }
    }

    pub fn parse(s: &str) -> AppResult<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                AppError::BadInput(format!(
                    "未知的数据类型 {s} / unknown kind {s} (customers, orders, payments, opportunities, targets)"
                ))
            })
    }

    /// The columns an import reads (`*` = required) and an export writes after `id`.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Kind::Customers => &[
                "name*",
                "industry*",
                "owner_rep_id*",
                "city",
                "address",
                "external_code",
            ],
            Kind::Orders => &[
                "customer_id*",
                "rep_id*",
                "ordered_on*",
                "amount*",
                "status",
                "due_on",
            ],
            Kind::Payments => &["order_id*", "paid_on*", "amount*"],
            Kind::Opportunities => &[
                "customer_id*",
                "rep_id*",
                "name*",
                "amount*",
                "stage*",
                "created_on*",
                "closed_on",
                "lost_reason",
            ],
            Kind::Targets => &[
                "metric*",
                "scope_kind*",
                "scope_id",
                "period_kind*",
                "year*",
                "index",
                "value*",
            ],
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

pub const MAX_ERRORS: usize = 1000;

/// Progress callback: (what, done, total).
pub type Progress<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

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

/// A data row with its columns looked up by name.
struct Row<'a> {
    cols: &'a HashMap<String, usize>,
    cells: &'a [String],
}

impl Row<'_> {
    fn get(&self, col: &str) -> Option<&str> {
        self.cols
            .get(col)
            .and_then(|i| self.cells.get(*i))
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }
    fn required(&self, col: &str) -> Result<&str, String> {
        self.get(col)
            .ok_or_else(|| format!("{col}: 必填 / required"))
    }
    fn text(&self, col: &str, max: usize) -> Result<Option<String>, String> {
        match self.get(col) {
            None => Ok(None),
            Some(s) if s.chars().count() > max => {
                Err(format!("{col}: 最多 {max} 字 / at most {max} characters"))
            }
            Some(s) if dudao_domain::forbidden_char(s).is_some() => {
                Err(format!("{col}: 含控制字符 / contains control characters"))
            }
            Some(s) => Ok(Some(s.to_owned())),
        }
    }
    fn required_text(&self, col: &str, max: usize) -> Result<String, String> {
        self.required(col)?;
        self.text(col, max).map(Option::unwrap_or_default)
    }
    fn id(&self, col: &str) -> Result<i32, String> {
        let s = self.required(col)?;
        s.parse::<i32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{col}: 不是有效的编号 / not a valid id: {s}"))
    }
    fn date_opt(&self, col: &str) -> Result<Option<NaiveDate>, String> {
        self.get(col)
            .map(|s| {
                NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map_err(|_| {
                        format!("{col}: 日期格式应为 YYYY-MM-DD / a date must be YYYY-MM-DD: {s}")
                    })
                    .and_then(|d| {
                        dudao_domain::sane_date(d).map_err(|_| {
                            format!(
                                "{col}: 年份须在 1900–2200 之间 / the year must be 1900–2200: {s}"
                            )
                        })
                    })
            })
            .transpose()
    }
    fn date(&self, col: &str) -> Result<NaiveDate, String> {
        self.required(col)?;
        self.date_opt(col).map(|d| d.unwrap_or_default())
    }
    /// An amount as spreadsheets write it: `1234.50`, `¥1,234.50`, `￥ 1,234.5`.
    fn money(&self, col: &str) -> Result<i64, String> {
        let s = self.required(col)?;
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
}

/// A date as export SQL compares it (a date we parsed, never user text).
fn day(d: NaiveDate) -> String {
    format!("'{}'", crate::service::sql_date(d))
}

/// Which of `ids` exist in `table`, in chunks.
async fn existing<C: ConnectionTrait>(
    db: &C,
    table: &str,
    col: &str,
    ids: &HashSet<i32>,
) -> AppResult<HashMap<i32, i32>> {
    let mut out = HashMap::new();
    let all: Vec<i32> = ids.iter().copied().collect();
    for chunk in all.chunks(5000) {
        let list: Vec<String> = chunk.iter().map(i32::to_string).collect();
        let sql = format!(
            "SELECT {col}, id FROM {table} WHERE {col} IN ({})",
            list.join(",")
        );
        for r in db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await?
        {
            let key: i32 = r.try_get_by_index(0)?;
            let id: i32 = r.try_get_by_index(1)?;
            out.insert(key, id);
        }
    }
    Ok(out)
}

/// Which of `codes` some row of `table` already has in `column`.
async fn taken_codes<C: ConnectionTrait>(
    db: &C,
    table: &str,
    column: &str,
    codes: &HashSet<String>,
) -> AppResult<HashSet<String>> {
    let mut out = HashSet::new();
    let all: Vec<Vec<Cell>> = codes.iter().map(|c| vec![Cell::Text(c.clone())]).collect();
    for chunk in all.chunks(500) {
        let head = format!("SELECT {column} FROM {table} WHERE {column} IN (VALUES");
        for r in db
            .query_all_raw(values_statement(
                db.get_database_backend(),
                &head,
                chunk,
                ")",
            ))
            .await?
        {
            out.insert(r.try_get_by_index::<String>(0)?);
        }
    }
    Ok(out)
}

/// Id and value of the targets with these keys (each `metric, scope_kind, scope_id,
/// period_kind, year, idx`).
async fn target_values<C: ConnectionTrait>(
    db: &C,
    keys: &[Vec<Cell>],
) -> AppResult<HashMap<i32, i64>> {
    let stmt = values_statement(
        db.get_database_backend(),
        "SELECT id, value FROM targets WHERE (metric, scope_kind, scope_id, period_kind, year, idx) IN (VALUES",
        keys,
        ")",
    );
    let mut out = HashMap::new();
    for r in db.query_all_raw(stmt).await? {
        out.insert(r.try_get_by_index::<i32>(0)?, r.try_get_by_index::<i64>(1)?);
    }
    Ok(out)
}

/// SQLite's page cache for one import: the indexes of a table of millions of rows take
/// 100,000 inserts in about half the time with 64 MB of cache instead of the default 2 MB
/// (fewer pages evicted and read again, dirty pages written once). The process-wide
/// `soft_heap_limit` (db.rs) still bounds it; the connection gets its size back before it
/// returns to the pool.
struct BigCache(Option<i64>);

impl BigCache {
    async fn grow<C: ConnectionTrait>(db: &C) -> AppResult<BigCache> {
        if db.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(BigCache(None));
        }
        let was = db
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "PRAGMA cache_size",
            ))
            .await?
            .map(|r| r.try_get_by_index::<i64>(0))
            .transpose()?;
        db.execute_unprepared("PRAGMA cache_size = -65536").await?;
        Ok(BigCache(was))
    }

    async fn restore<C: ConnectionTrait>(&self, db: &C) -> AppResult<()> {
        if let Some(was) = self.0 {
            db.execute_unprepared(&format!("PRAGMA cache_size = {was}"))
                .await?;
        }
        Ok(())
    }
}

/// One value of a row an import writes. Values are bound as parameters, never spliced
/// into SQL text, typed as the column is (PostgreSQL does not cast a text parameter to a
/// date or timestamp).
#[derive(Clone, Debug)]
enum Cell {
    Int(i64),
    Text(String),
    OptText(Option<String>),
    Date(NaiveDate),
    OptDate(Option<NaiveDate>),
    Time(chrono::DateTime<Utc>),
}

impl Cell {
    fn value(&self) -> sea_orm::Value {
        use sea_orm::Value as V;
        match self {
            Cell::Int(n) => V::BigInt(Some(*n)),
            Cell::Text(t) => V::String(Some(t.clone())),
            Cell::OptText(t) => V::String(t.clone()),
            Cell::Date(d) => V::ChronoDate(Some(*d)),
            Cell::OptDate(d) => V::ChronoDate(*d),
            Cell::Time(t) => V::ChronoDateTimeUtc(Some(*t)),
        }
    }

    /// As an element of a PostgreSQL array literal (`{…}`), itself bound as a parameter:
    /// text quoted with `\` and `"` escaped, so any value survives; NULL unquoted.
    fn array_element(&self, out: &mut String) {
        let quoted = |out: &mut String, t: &str| {
            out.push('"');
            for ch in t.chars() {
                if ch == '"' || ch == '\\' {
                    out.push('\\');
                }
                out.push(ch);
            }
            out.push('"');
        };
        match self {
            Cell::Int(n) => out.push_str(&n.to_string()),
            Cell::Text(t) | Cell::OptText(Some(t)) => quoted(out, t),
            Cell::OptText(None) | Cell::OptDate(None) => out.push_str("NULL"),
            Cell::Date(d) | Cell::OptDate(Some(d)) => out.push_str(&crate::service::sql_date(*d)),
            Cell::Time(t) => quoted(out, &t.to_rfc3339()),
        }
    }
}

/// `{head} VALUES (…), (…) {tail}` with every cell a bound parameter (`$n` on
/// PostgreSQL, `?` on SQLite).
fn values_statement(
    backend: DatabaseBackend,
    head: &str,
    rows: &[Vec<Cell>],
    tail: &str,
) -> Statement {
    let mut sql = String::with_capacity(head.len() + rows.len() * 32);
    sql.push_str(head);
    if !head.ends_with("(VALUES") {
        sql.push_str(" VALUES");
    }
    let mut values = Vec::with_capacity(rows.len() * rows.first().map_or(0, Vec::len));
    for (i, row) in rows.iter().enumerate() {
        sql.push_str(if i == 0 { " (" } else { ", (" });
        for (k, cell) in row.iter().enumerate() {
            if k > 0 {
                sql.push_str(", ");
            }
            values.push(cell.value());
            match backend {
                DatabaseBackend::Postgres => sql.push_str(&format!("${}", values.len())),
                _ => sql.push('?'),
            }
        }
        sql.push(')');
    }
    sql.push(' ');
    sql.push_str(tail);
    Statement::from_sql_and_values(backend, sql, values)
}

/// Writes `rows` into `table`'s `columns` (name and PostgreSQL type). PostgreSQL gets one
/// `INSERT … SELECT * FROM unnest(…)` per 10,000 rows, each column an array literal — read
/// by the array parser instead of planned as a VALUES list of literals (100,000 orders
/// 1.8 → 1.3 s on the benchmark set); SQLite, whose parser is cheap, 1,000-row VALUES.
#[allow(clippy::too_many_arguments)]
async fn insert_cells<C: ConnectionTrait>(
    db: &C,
    table: &str,
    columns: &[(&str, &str)],
    rows: &[Vec<Cell>],
    progress: Progress<'_>,
    what: &str,
    done: &mut usize,
    total: usize,
) -> AppResult<()> {
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let head = format!("INSERT INTO {table} ({})", names.join(", "));
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return insert_rows(db, &head, rows, progress, what, done, total).await;
    }
    for chunk in rows.chunks(10_000) {
        let mut arrays = Vec::with_capacity(columns.len());
        let mut casts = Vec::with_capacity(columns.len());
        for (i, (_, ty)) in columns.iter().enumerate() {
            let mut a = String::from("{");
            for (k, row) in chunk.iter().enumerate() {
                if k > 0 {
                    a.push(',');
                }
                if let Some(cell) = row.get(i) {
                    cell.array_element(&mut a);
                }
            }
            a.push('}');
            arrays.push(sea_orm::Value::String(Some(a)));
            casts.push(format!("CAST(${} AS {ty}[])", i + 1));
        }
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            format!("{head} SELECT * FROM unnest({})", casts.join(", ")),
            arrays,
        ))
        .await?;
        *done += chunk.len();
        progress(what, *done, total);
    }
    Ok(())
}

/// Writes `rows` in multi-row INSERTs of bound parameters, 1,000 rows each.
async fn insert_rows<C: ConnectionTrait>(
    db: &C,
    head: &str,
    rows: &[Vec<Cell>],
    progress: Progress<'_>,
    what: &str,
    done: &mut usize,
    total: usize,
) -> AppResult<()> {
    for chunk in rows.chunks(1000) {
        db.execute_raw(values_statement(db.get_database_backend(), head, chunk, ""))
            .await?;
        *done += chunk.len();
        progress(what, *done, total);
    }
    Ok(())
}

async fn next_id<C: ConnectionTrait>(db: &C, table: &str) -> AppResult<i32> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COALESCE(MAX(id), 0) FROM {table}"),
        ))
        .await?;
    let max: i64 = match row {
        Some(r) => r
            .try_get_by_index::<i64>(0)
            .or_else(|_| r.try_get_by_index::<i32>(0).map(i64::from))?,
        None => 0,
    };
    i32::try_from(max + 1)
        .map_err(|_| AppError::Internal(anyhow::anyhow!("{table}: ids exhausted")))
}

/// Tables whose ids an import assigns itself: locked on PostgreSQL for the transaction so
/// that no concurrent insert takes the same ids (SQLite serialises writers anyway).
async fn lock<C: ConnectionTrait>(db: &C, tables: &[&str]) -> AppResult<()> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        for t in tables {
            db.execute_unprepared(&format!("LOCK TABLE {t} IN EXCLUSIVE MODE"))
                .await?;
        }
    }
    Ok(())
}

/// Another system's key for a reference: the file's column, and where it is looked up
/// (`table.column`).
struct Code {
    column: &'static str,
    table: &'static str,
    table_column: &'static str,
}

/// A reference column of an import and the keys it may be given by: the internal id or
/// the API's opaque id in `id`, or another system's key in `code`.
struct KeyColumn {
    id: &'static str,
    code: Option<Code>,
    /// The API id types the column accepts.
    api_kinds: &'static [&'static str],
    what: (&'static str, &'static str),
}

impl Kind {
    fn key_columns(self) -> &'static [KeyColumn] {
        const OWNER: KeyColumn = KeyColumn {
            id: "owner_rep_id",
            code: Some(Code {
                column: "owner_employee_no",
                table: "reps",
                table_column: "employee_no",
            }),
            api_kinds: &["Rep"],
            what: ("销售代表", "rep"),
        };
        const CUSTOMER: KeyColumn = KeyColumn {
            id: "customer_id",
            code: Some(Code {
                column: "customer_code",
                table: "customers",
                table_column: "external_code",
            }),
            api_kinds: &["Customer"],
            what: ("客户", "customer"),
        };
        const REP: KeyColumn = KeyColumn {
            id: "rep_id",
            code: Some(Code {
                column: "rep_employee_no",
                table: "reps",
                table_column: "employee_no",
            }),
            api_kinds: &["Rep"],
            what: ("销售代表", "rep"),
        };
        const ORDER: KeyColumn = KeyColumn {
            id: "order_id",
            code: None,
            api_kinds: &["Order"],
            what: ("订单", "order"),
        };
        const SCOPE: KeyColumn = KeyColumn {
            id: "scope_id",
            code: None,
            api_kinds: &["Region", "Rep"],
            what: ("范围", "scope"),
        };
        match self {
            Kind::Customers => &[OWNER],
            Kind::Orders | Kind::Opportunities => &[CUSTOMER, REP],
            Kind::Payments => &[ORDER],
            Kind::Targets => &[SCOPE],
        }
    }
}

/// Turns every reference of `sheet` into an internal id, in place: an API id is decoded,
/// a code (when the id cell is empty) looked up in one bound query per 500 codes. A code
/// column alone gets its id column added. Answers the lines whose key is unknown, with why.
async fn resolve_keys<C: ConnectionTrait>(
    db: &C,
    kind: Kind,
    sheet: &mut Sheet,
) -> AppResult<Vec<(usize, String)>> {
    let mut errors = Vec::new();
    let col_of = |header: &[String], name: &str| {
        header.iter().position(|h| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(name)
        })
    };
    for key in kind.key_columns() {
        let code_name = key.code.as_ref().map_or(key.id, |c| c.column);
        let code_at = key
            .code
            .as_ref()
            .and_then(|c| col_of(&sheet.header, c.column));
        let id_at = match (col_of(&sheet.header, key.id), code_at) {
            (Some(i), _) => i,
            (None, Some(_)) => {
                sheet.header.push(key.id.to_owned());
                sheet.header.len() - 1
            }
            (None, None) => continue,
        };
        let mut wanted: HashMap<String, Vec<usize>> = HashMap::new();
        for (n, (line, cells)) in sheet.rows.iter_mut().enumerate() {
            if cells.len() <= id_at {
                cells.resize(id_at + 1, String::new());
            }
            let id = cells[id_at].trim().to_owned();
            if !id.is_empty() {
                if id.parse::<i32>().is_err()
                    && let Some((k, n)) = super::global_id(&id)
                    && key.api_kinds.contains(&k.as_str())
                {
                    cells[id_at] = n.to_string();
                }
                continue;
            }
            let Some(code) = code_at
                .and_then(|c| cells.get(c))
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
            else {
                continue;
            };
            match dudao_domain::external_code("code", Some(&code), 64) {
                Ok(_) => wanted.entry(code).or_default().push(n),
                Err(_) => errors.push((
                    *line,
                    format!("{}: 不是有效的编码 / not a valid code: {code}", code_name),
                )),
            }
        }
        let Some(code) = key.code.as_ref().filter(|_| !wanted.is_empty()) else {
            continue;
        };
        let codes: Vec<String> = wanted.keys().cloned().collect();
        let mut found: HashMap<String, i32> = HashMap::new();
        for chunk in codes.chunks(500) {
            let rows: Vec<Vec<Cell>> = chunk.iter().map(|c| vec![Cell::Text(c.clone())]).collect();
            let sql = format!(
                "SELECT {code}, id FROM {table} WHERE {code} IN (VALUES",
                code = code.table_column,
                table = code.table
            );
            let stmt = values_statement(db.get_database_backend(), &sql, &rows, ")");
            for r in db.query_all_raw(stmt).await? {
                found.insert(
                    r.try_get_by_index::<String>(0)?,
                    r.try_get_by_index::<i32>(1)?,
                );
            }
        }
        for (code, at) in wanted {
            match found.get(&code) {
                Some(id) => {
                    for n in at {
                        if let Some((_, cells)) = sheet.rows.get_mut(n) {
                            cells[id_at] = id.to_string();
                        }
                    }
                }
                None => {
                    for n in at {
                        if let Some((line, _)) = sheet.rows.get(n) {
                            errors.push((
                                *line,
                                format!(
                                    "{col}: {zh} {code} 不存在 / no {en} with {col} {code}",
                                    col = code_name,
                                    zh = key.what.0,
                                    en = key.what.1
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }
    Ok(errors)
}

/// Imports `sheet` as `kind`. Nothing is written unless every row is valid.
pub async fn import(
    db: &DatabaseConnection,
    viewer: &Viewer,
    kind: Kind,
    mut sheet: Sheet,
    progress: Progress<'_>,
) -> AppResult<Report> {
    super::require(
        viewer,
        dudao_domain::Action::Create,
        dudao_domain::Resource::Import,
    )?;
    let key_errors = resolve_keys(db, kind, &mut sheet).await?;
    let cols: HashMap<String, usize> = sheet
        .header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().trim_start_matches('\u{feff}').to_lowercase(), i))
        .collect();
    let missing: Vec<&str> = kind
        .columns()
        .iter()
        .filter_map(|c| c.strip_suffix('*'))
        .filter(|c| !cols.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(AppError::BadInput(format!(
            "缺少列 / missing columns: {} (第 1 行应为表头 / line 1 must be the header)",
            missing.join(", ")
        )));
    }
    let total = sheet.rows.len();
    let mut report = Report {
        rows: total,
        ..Report::default()
    };
    let fail = |report: &mut Report, line: usize, reason: String| {
        report.error_count += 1;
        if report.errors.len() < MAX_ERRORS {
            report.errors.push(RowError { line, reason });
        }
    };
    // A row whose reference is unknown is reported once, for that reference.
    let unresolved: HashSet<usize> = key_errors.iter().map(|(line, _)| *line).collect();
    for (line, why) in key_errors {
        fail(&mut report, line, why);
    }
    let rows: Vec<(usize, Row<'_>)> = sheet
        .rows
        .iter()
        .filter(|(line, _)| !unresolved.contains(line))
        .map(|(line, cells)| (*line, Row { cols: &cols, cells }))
        .collect();
    let created = Utc::now();
    let started = std::time::Instant::now();
    let txn = crate::db::write_txn(db).await?;
    let cache = BigCache::grow(&txn).await?;
    let mut done = 0;
    // Everything that writes, as one block, so that the connection's cache size is put
    // back whatever happens in it (a database error included) before the transaction
    // ends and the connection returns to the pool.
    let written: AppResult<()> = async {
        match kind {
            Kind::Customers => {
                let mut parsed = Vec::with_capacity(total);
                let mut reps = HashSet::new();
                let mut codes = HashSet::new();
                for (line, r) in &rows {
                    let v = (|| {
                        let name = r.required_text("name", 200)?;
                        let industry = r.required_text("industry", 100)?;
                        let owner = r.id("owner_rep_id")?;
                        let code = dudao_domain::external_code("external_code", r.get("external_code"), 64)
                            .map_err(|e| e.to_string())?;
                        Ok::<_, String>((
                            name,
                            industry,
                            owner,
                            r.text("city", 100)?,
                            r.text("address", 300)?,
                            code,
                        ))
                    })();
                    match v {
                        Ok(v) => {
                            if let Some(c) = &v.5
                                && !codes.insert(c.clone())
                            {
                                fail(
                                    &mut report,
                                    *line,
                                    format!("external_code: 文件中重复 / appears twice in the file: {c}"),
                                );
                                continue;
                            }
                            reps.insert(v.2);
                            parsed.push((*line, v));
                        }
                        Err(e) => fail(&mut report, *line, e),
                    }
                }
                let taken = taken_codes(&txn, "customers", "external_code", &codes).await?;
                for (line, v) in &parsed {
                    if let Some(c) = v.5.as_ref().filter(|c| taken.contains(*c)) {
                        fail(
                            &mut report,
                            *line,
                            format!("external_code: 已被其他客户使用 / already another customer's: {c}"),
                        );
                    }
                }
                let known = existing(&txn, "reps", "id", &reps).await?;
                for (line, v) in &parsed {
                    if !known.contains_key(&v.2) {
                        fail(
                            &mut report,
                            *line,
                            format!("owner_rep_id: 销售代表 {} 不存在 / no rep {}", v.2, v.2),
                        );
                    }
                }
                if report.error_count == 0 {
                    let values: Vec<Vec<Cell>> = parsed
                        .iter()
                        .map(|(_, (name, industry, owner, city, address, code))| {
                            vec![
                                Cell::Text(name.clone()),
                                Cell::Int(i64::from(*owner)),
                                Cell::Text(industry.clone()),
                                Cell::OptText(city.clone()),
                                Cell::OptText(address.clone()),
                                Cell::OptText(code.clone()),
                                Cell::Int(1),
                                Cell::Time(created),
                                Cell::Time(created),
                            ]
                        })
                        .collect();
                    insert_rows(&txn, "INSERT INTO customers (name, owner_rep_id, industry, city, address, external_code, version, created_at, updated_at)", &values, progress, "customers", &mut done, total).await?;
                }
            }
            Kind::Orders => {
                let mut parsed = Vec::with_capacity(total);
                let (mut reps, mut customers) = (HashSet::new(), HashSet::new());
                for (line, r) in &rows {
                    let v = (|| {
                        let customer = r.id("customer_id")?;
                        let rep = r.id("rep_id")?;
                        let on = r.date("ordered_on")?;
                        let amount = r.money("amount")?;
                        let status = match r.get("status").map(str::to_uppercase).as_deref() {
                            None | Some("CONFIRMED") => "CONFIRMED",
                            Some("CANCELLED") => "CANCELLED",
                            Some(s) => {
                                return Err(format!(
                                    "status: 应为 CONFIRMED 或 CANCELLED / must be CONFIRMED or CANCELLED: {s}"
                                ));
                            }
                        };
                        let due = r.date_opt("due_on")?.unwrap_or(on + Duration::days(30));
                        if due < on {
                            return Err(
                                "due_on: 不能早于下单日 / cannot be before ordered_on".to_owned()
                            );
                        }
                        Ok::<_, String>((customer, rep, on, amount, status, due))
                    })();
                    match v {
                        Ok(v) => {
                            customers.insert(v.0);
                            reps.insert(v.1);
                            parsed.push((*line, v));
                        }
                        Err(e) => fail(&mut report, *line, e),
                    }
                }
                let known_reps = existing(&txn, "reps", "id", &reps).await?;
                let known_customers = existing(&txn, "customers", "id", &customers).await?;
                for (line, v) in &parsed {
                    if !known_customers.contains_key(&v.0) {
                        fail(
                            &mut report,
                            *line,
                            format!("customer_id: 客户 {} 不存在 / no customer {}", v.0, v.0),
                        );
                    } else if !known_reps.contains_key(&v.1) {
                        fail(
                            &mut report,
                            *line,
                            format!("rep_id: 销售代表 {} 不存在 / no rep {}", v.1, v.1),
                        );
                    }
                }
                tracing::debug!(elapsed = ?started.elapsed(), "orders validated");
                if report.error_count == 0 {
                    lock(&txn, &["orders", "receivables"]).await?;
                    let mut order_id = next_id(&txn, "orders").await?;
                    let first_order = order_id;
                    let mut receivable_id = next_id(&txn, "receivables").await?;
                    let first_receivable = receivable_id;
                    let mut orders = Vec::with_capacity(parsed.len());
                    let mut receivables = Vec::with_capacity(parsed.len());
                    for (_, (customer, rep, on, amount, status, due)) in &parsed {
                        let (customer, rep) = (i64::from(*customer), i64::from(*rep));
                        orders.push(vec![
                            Cell::Int(i64::from(order_id)),
                            Cell::Int(customer),
                            Cell::Int(rep),
                            Cell::Date(*on),
                            Cell::Int(*amount),
                            Cell::Text((*status).to_owned()),
                            Cell::Time(created),
                        ]);
                        if *status == "CONFIRMED" {
                            receivables.push(vec![
                                Cell::Int(i64::from(receivable_id)),
                                Cell::Int(i64::from(order_id)),
                                Cell::Int(customer),
                                Cell::Int(rep),
                                Cell::Date(*due),
                                Cell::Int(*amount),
                            ]);
                            receivable_id += 1;
                        }
                        order_id += 1;
                    }
                    let order_columns = [
                        ("id", "integer"),
                        ("customer_id", "integer"),
                        ("rep_id", "integer"),
                        ("ordered_on", "date"),
                        ("amount_cents", "bigint"),
                        ("status", "text"),
                        ("created_at", "timestamptz"),
                    ];
                    insert_cells(
                        &txn,
                        "orders",
                        &order_columns,
                        &orders,
                        progress,
                        "orders",
                        &mut done,
                        total,
                    )
                    .await?;
                    let receivable_columns = [
                        ("id", "integer"),
                        ("order_id", "integer"),
                        ("customer_id", "integer"),
                        ("rep_id", "integer"),
                        ("due_on", "date"),
                        ("amount_cents", "bigint"),
                    ];
                    let mut r_done = 0;
                    insert_cells(
                        &txn,
                        "receivables",
                        &receivable_columns,
                        &receivables,
                        &|_, _, _| {},
                        "receivables",
                        &mut r_done,
                        receivables.len(),
                    )
                    .await?;
                    crate::db::fix_sequence(&txn, "orders").await?;
                    crate::db::fix_sequence(&txn, "receivables").await?;
                    tracing::debug!(elapsed = ?started.elapsed(), "orders and receivables written");
                    super::rollups::add_orders(
                        &txn,
                        i64::from(first_order),
                        i64::from(first_receivable),
                    )
                    .await?;
                    tracing::debug!(elapsed = ?started.elapsed(), "monthly sums added");
                }
            }
            Kind::Payments => {
                let mut parsed = Vec::with_capacity(total);
                let mut orders = HashSet::new();
                for (line, r) in &rows {
                    let v = (|| {
                        Ok::<_, String>((r.id("order_id")?, r.date("paid_on")?, r.money("amount")?))
                    })();
                    match v {
                        Ok(v) => {
                            orders.insert(v.0);
                            parsed.push((*line, v));
                        }
                        Err(e) => fail(&mut report, *line, e),
                    }
                }
                // A payment goes to the order's receivable (one per confirmed order).
                let receivable_of = existing(&txn, "receivables", "order_id", &orders).await?;
                let mut values = Vec::with_capacity(parsed.len());
                for (line, (order, on, amount)) in &parsed {
                    match receivable_of.get(order) {
                        Some(rid) => values.push(vec![
                            Cell::Int(i64::from(*rid)),
                            Cell::Date(*on),
                            Cell::Int(*amount),
                        ]),
                        None => fail(
                            &mut report,
                            *line,
                            format!("order_id: 订单 {order} 不存在或已取消 / no open order {order}"),
                        ),
                    }
                }
                if report.error_count == 0 {
                    // Locked, so the ids from `first` on are this import's alone.
                    lock(&txn, &["payments"]).await?;
                    let first = next_id(&txn, "payments").await?;
                    insert_rows(
                        &txn,
                        "INSERT INTO payments (receivable_id, paid_on, amount_cents)",
                        &values,
                        progress,
                        "payments",
                        &mut done,
                        total,
                    )
                    .await?;
                    super::rollups::add_payments(&txn, i64::from(first)).await?;
                }
            }
            Kind::Opportunities => {
                let mut parsed = Vec::with_capacity(total);
                let (mut reps, mut customers) = (HashSet::new(), HashSet::new());
                for (line, r) in &rows {
                    let v = (|| {
                        let customer = r.id("customer_id")?;
                        let rep = r.id("rep_id")?;
                        let name = r.required_text("name", 200)?;
                        let amount = r.money("amount")?;
                        let stage = r.required("stage")?.to_uppercase();
                        let created = r.date("created_on")?;
                        let closed = r.date_opt("closed_on")?;
                        let reason = r.text("lost_reason", 200)?;
                        let terminal = stage == "WON" || stage == "LOST";
                        if !terminal && !FUNNEL.contains(&stage.as_str()) {
                            return Err(format!(
                                "stage: 未知阶段 / unknown stage {stage} (LEAD, CONTACTED, NEEDS_ANALYSIS, PROPOSAL, NEGOTIATION, WON, LOST)"
                            ));
                        }
                        match (terminal, closed) {
                            (true, None) => {
                                return Err(
                                    "closed_on: WON/LOST 须填写关闭日期 / required for WON and LOST"
                                        .to_owned(),
                                );
                            }
                            (false, Some(_)) => return Err(
                                "closed_on: 未关闭的商机不能有关闭日期 / only WON and LOST are closed"
                                    .to_owned(),
                            ),
                            (true, Some(c)) if c < created => {
                                return Err(
                                    "closed_on: 不能早于创建日期 / cannot be before created_on"
                                        .to_owned(),
                                );
                            }
                            _ => {}
                        }
                        if stage == "LOST" && reason.is_none() {
                            return Err("lost_reason: 输单须填写原因 / required for LOST".to_owned());
                        }
                        Ok::<_, String>((customer, rep, name, amount, stage, created, closed, reason))
                    })();
                    match v {
                        Ok(v) => {
                            customers.insert(v.0);
                            reps.insert(v.1);
                            parsed.push((*line, v));
                        }
                        Err(e) => fail(&mut report, *line, e),
                    }
                }
                let known_reps = existing(&txn, "reps", "id", &reps).await?;
                let known_customers = existing(&txn, "customers", "id", &customers).await?;
                for (line, v) in &parsed {
                    if !known_customers.contains_key(&v.0) {
                        fail(
                            &mut report,
                            *line,
                            format!("customer_id: 客户 {} 不存在 / no customer {}", v.0, v.0),
                        );
                    } else if !known_reps.contains_key(&v.1) {
                        fail(
                            &mut report,
                            *line,
                            format!("rep_id: 销售代表 {} 不存在 / no rep {}", v.1, v.1),
                        );
                    }
                }
                if report.error_count == 0 {
                    lock(&txn, &["opportunities"]).await?;
                    let mut id = next_id(&txn, "opportunities").await?;
                    let first = id;
                    let mut opps = Vec::with_capacity(parsed.len());
                    let mut stages = Vec::new();
                    for (_, (customer, rep, name, amount, stage, created, closed, reason)) in &parsed {
                        opps.push(vec![
                            Cell::Int(i64::from(id)),
                            Cell::Int(i64::from(*customer)),
                            Cell::Int(i64::from(*rep)),
                            Cell::Text(name.clone()),
                            Cell::Int(*amount),
                            Cell::Text(stage.clone()),
                            Cell::Date(*created),
                            Cell::OptDate(*closed),
                            Cell::OptText(reason.clone()),
                        ]);
                        // The stage history the funnel reads: every step up to the current one.
                        let reached = match stage.as_str() {
                            "WON" | "LOST" => FUNNEL.len() - 1,
                            s => FUNNEL.iter().position(|f| *f == s).map_or(0, |p| p + 1),
                        };
                        for f in FUNNEL.iter().take(reached) {
                            stages.push(vec![
                                Cell::Int(i64::from(id)),
                                Cell::Text((*f).to_owned()),
                                Cell::Date(*created),
                            ]);
                        }
                        if let Some(c) = closed {
                            stages.push(vec![
                                Cell::Int(i64::from(id)),
                                Cell::Text(stage.clone()),
                                Cell::Date(*c),
                            ]);
                        }
                        id += 1;
                    }
                    insert_rows(&txn, "INSERT INTO opportunities (id, customer_id, rep_id, name, amount_cents, stage, created_on, closed_on, lost_reason)", &opps, progress, "opportunities", &mut done, total).await?;
                    let mut s_done = 0;
                    insert_rows(
                        &txn,
                        "INSERT INTO opportunity_stages (opportunity_id, stage, moved_on)",
                        &stages,
                        &|_, _, _| {},
                        "stages",
                        &mut s_done,
                        stages.len(),
                    )
                    .await?;
                    crate::db::fix_sequence(&txn, "opportunities").await?;
                    super::rollups::add_opportunities(&txn, i64::from(first)).await?;
                }
            }
            Kind::Targets => {
                let mut parsed = Vec::with_capacity(total);
                let (mut reps, mut regions) = (HashSet::new(), HashSet::new());
                let mut seen = HashSet::new();
                for (line, r) in &rows {
                    let v = (|| {
                        let metric = r.required("metric")?.to_uppercase();
                        if !["SALES", "COLLECTION", "NEW_CUSTOMERS"].contains(&metric.as_str()) {
                            return Err(format!(
                                "metric: 应为 SALES、COLLECTION 或 NEW_CUSTOMERS / must be SALES, COLLECTION or NEW_CUSTOMERS: {metric}"
                            ));
                        }
                        let scope = r.required("scope_kind")?.to_uppercase();
                        let scope_id = match scope.as_str() {
                            "COMPANY" => 0,
                            "REGION" | "REP" => r.id("scope_id")?,
                            s => {
                                return Err(format!(
                                    "scope_kind: 应为 COMPANY、REGION 或 REP / must be COMPANY, REGION or REP: {s}"
                                ));
                            }
                        };
                        let pk = match r.required("period_kind")?.to_uppercase().as_str() {
                            "MONTH" => PeriodKind::Month,
                            "QUARTER" => PeriodKind::Quarter,
                            "YEAR" => PeriodKind::Year,
                            s => {
                                return Err(format!(
                                    "period_kind: 应为 MONTH、QUARTER 或 YEAR / must be MONTH, QUARTER or YEAR: {s}"
                                ));
                            }
                        };
                        let year = r
                            .required("year")?
                            .parse::<i32>()
                            .map_err(|_| "year: 不是年份 / not a year".to_owned())?;
                        let index = r
                            .get("index")
                            .map(|s| {
                                s.parse::<i32>()
                                    .map_err(|_| format!("index: 不是数字 / not a number: {s}"))
                            })
                            .transpose()?;
                        let p = Period::new(pk, year, index).map_err(|e| e.to_string())?;
                        let value = if metric == "NEW_CUSTOMERS" {
                            r.required("value")?
                                .parse::<i64>()
                                .ok()
                                .filter(|v| *v >= 0)
                                .ok_or_else(|| {
                                    "value: 应为非负整数 / must be a whole number ≥ 0".to_owned()
                                })?
                        } else {
                            r.money("value")?
                        };
                        Ok::<_, String>((metric, scope, scope_id, p, value))
                    })();
                    match v {
                        Ok(v) => {
                            let key = (v.0.clone(), v.1.clone(), v.2, v.3);
                            if !seen.insert(key) {
                                fail(
                                    &mut report,
                                    *line,
                                    "重复的目标 / the same target appears twice in the file".to_owned(),
                                );
                                continue;
                            }
                            match v.1.as_str() {
                                "REP" => reps.insert(v.2),
                                "REGION" => regions.insert(v.2),
                                _ => false,
                            };
                            parsed.push((*line, v));
                        }
                        Err(e) => fail(&mut report, *line, e),
                    }
                }
                let known_reps = existing(&txn, "reps", "id", &reps).await?;
                let known_regions = existing(&txn, "regions", "id", &regions).await?;
                for (line, (_, scope, id, _, _)) in &parsed {
                    let ok = match scope.as_str() {
                        "REP" => known_reps.contains_key(id),
                        "REGION" => known_regions.contains_key(id),
                        _ => true,
                    };
                    if !ok {
                        fail(
                            &mut report,
                            *line,
                            format!("scope_id: {scope} {id} 不存在 / does not exist"),
                        );
                    }
                }
                if report.error_count == 0 {
                    // A target that exists takes the imported figure (and a new version); every
                    // new or changed value is kept in its history, as when set in the app.
                    let head = "INSERT INTO targets (metric, scope_kind, scope_id, period_kind, year, idx, value, version, updated_at)";
                    let by = Some(viewer.user_id).filter(|id| *id > 0);
                    for chunk in parsed.chunks(1000) {
                        // Each row's key (metric, scope_kind, scope_id, period_kind, year, idx).
                        let keys: Vec<Vec<Cell>> = chunk
                            .iter()
                            .map(|(_, (metric, scope, id, p, _))| {
                                vec![
                                    Cell::Text(metric.clone()),
                                    Cell::Text(scope.clone()),
                                    Cell::Int(i64::from(*id)),
                                    Cell::Text(p.kind.as_str().to_owned()),
                                    Cell::Int(i64::from(p.year)),
                                    Cell::Int(i64::from(p.index)),
                                ]
                            })
                            .collect();
                        let values: Vec<Vec<Cell>> = chunk
                            .iter()
                            .zip(&keys)
                            .map(|((_, (.., value)), key)| {
                                let mut row = key.clone();
                                row.extend([Cell::Int(*value), Cell::Int(1), Cell::Time(created)]);
                                row
                            })
                            .collect();
                        let before = target_values(&txn, &keys).await?;
                        let after = txn
                            .query_all_raw(values_statement(
                                txn.get_database_backend(),
                                head,
                                &values,
                                "ON CONFLICT (metric, scope_kind, scope_id, period_kind, year, idx) \
                                 DO UPDATE SET value = excluded.value, version = targets.version + 1, updated_at = excluded.updated_at \
                                 RETURNING id, value",
                            ))
                            .await?;
                        let changes = after
                            .iter()
                            .map(|r| Ok((r.try_get_by_index::<i32>(0)?, r.try_get_by_index::<i64>(1)?)))
                            .collect::<Result<Vec<_>, sea_orm::DbErr>>()?
                            .into_iter()
                            .filter_map(|(id, after)| {
                                let was = before.get(&id).copied();
                                (was != Some(after)).then(|| super::targets::Change {
                                    target_id: id,
                                    before: was,
                                    after,
                                    by,
                                    reason: Some("导入 / import".to_owned()),
                                    proposal_id: None,
                                })
                            })
                            .collect();
                        super::targets::record_changes(&txn, changes).await?;
                        done += chunk.len();
                        progress("targets", done, total);
                    }
                }
            }
        }
        Ok(())
    }
    .await;
    let restored = cache.restore(&txn).await;
    written?;
    restored?;
    if report.error_count > 0 {
        txn.rollback().await?;
        report.errors.sort_by_key(|e| e.line);
        return Ok(report);
    }
    super::audit::record(
        &txn,
        Some(viewer.user_id).filter(|id| *id > 0),
        "import",
        kind.as_str(),
        0,
        None::<&()>,
        Some(&serde_json::json!({ "rows": total })),
    )
    .await?;
    txn.commit().await?;
    tracing::debug!(elapsed = ?started.elapsed(), "import committed");
    report.imported = total;
    Ok(report)
}

/// What an export may narrow to (the list filters).
#[derive(Clone, Debug, Default)]
pub struct ExportFilter {
    pub region_id: Option<i32>,
    pub rep_id: Option<i32>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

fn export_sql(
    kind: Kind,
    viewer: &Viewer,
    f: &ExportFilter,
    backend: sea_orm::DatabaseBackend,
) -> AppResult<(String, Vec<&'static str>)> {
    let reps = super::scope::rep_ids_sql(viewer, backend);
    let mut w = Vec::new();
    let (sql, rep_col, date_col, header): (String, &str, Option<&str>, Vec<&'static str>) = match kind
    {
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
            super::require(
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

/// Writes the rows of `kind` the viewer may read, filtered, as CSV or XLSX. Returns the
/// number of data rows.
pub async fn export(
    db: &DatabaseConnection,
    viewer: &Viewer,
    kind: Kind,
    filter: &ExportFilter,
    format: Format,
    out: &mut dyn Write,
) -> AppResult<usize> {
    let (sql, header) = export_sql(kind, viewer, filter, db.get_database_backend())?;
    let money: Vec<bool> = header
        .iter()
        .map(|h| *h == "amount" || (*h == "value" && kind == Kind::Targets))
        .collect();
    write_export(db, &sql, &header, &money, format, out).await
}

/// Writes the rows of `sql` as CSV or XLSX under `header`, 5,000 at a time: `sql` selects
/// the id first, ordered by it, and has `{after}` where the last id written goes. Columns
/// flagged in `money` are cents, written as yuan. Returns the number of data rows.
pub async fn write_export(
    db: &DatabaseConnection,
    sql: &str,
    header: &[&str],
    money: &[bool],
    format: Format,
    out: &mut dyn Write,
) -> AppResult<usize> {
    let io = |e: std::io::Error| AppError::Internal(e.into());
    let csv_err = |e: csv::Error| AppError::Internal(e.into());
    let xl = |e: rust_xlsxwriter::XlsxError| AppError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let csv_rows = |rows: &[Vec<String>]| -> AppResult<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        for r in rows {
            w.write_record(r).map_err(csv_err)?;
        }
        w.into_inner()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))
    };
    let mut book = rust_xlsxwriter::Workbook::new();
    let formats = XlsxFormats {
        money: rust_xlsxwriter::Format::new().set_num_format("#,##0.00"),
        date: rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd"),
    };
    let sheet = book.add_worksheet();
    let head: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    if format == Format::Csv {
        out.write_all(b"\xEF\xBB\xBF").map_err(io)?; // so that Excel reads UTF-8
        out.write_all(&csv_rows(&[head])?).map_err(io)?;
    } else {
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(0, c as u16, *h).map_err(xl)?;
        }
    }
    let mut after = 0i64;
    let mut n = 0usize;
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
        let mut chunk = Vec::with_capacity(rows.len());
        for r in &rows {
            let cells: Vec<Out> = (0..header.len())
                .map(|i| out_cell(r, i, money.get(i).copied().unwrap_or(false)))
                .collect();
            if let Some(Out::Int(id)) = cells.first() {
                after = *id;
            }
            n += 1;
            if format == Format::Xlsx {
                let row = u32::try_from(n)
                    .ok()
                    .filter(|r| *r < 1_048_576)
                    .ok_or_else(|| AppError::BadInput("XLSX 最多约 100 万行，请用 CSV / XLSX holds about a million rows; use CSV".into()))?;
                for (c, v) in cells.iter().enumerate() {
                    v.xlsx(sheet, row, c as u16, &formats).map_err(xl)?;
                }
            } else {
                chunk.push(cells.iter().map(Out::csv).collect());
            }
        }
        if format == Format::Csv {
            out.write_all(&csv_rows(&chunk)?).map_err(io)?;
        }
    }
    if format == Format::Xlsx {
        let bytes = book.save_to_buffer().map_err(xl)?;
        out.write_all(&bytes).map_err(io)?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::{Cell, neutralise};

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

    #[test]
    fn array_elements_keep_any_text() {
        let mut out = String::new();
        Cell::Text(r#"a "b" \c, {d} 'e' NULL"#.into()).array_element(&mut out);
        assert_eq!(out, r#""a \"b\" \\c, {d} 'e' NULL""#);
        let mut out = String::new();
        Cell::Int(-42).array_element(&mut out);
        assert_eq!(out, "-42");
        let mut out = String::new();
        Cell::OptText(None).array_element(&mut out);
        assert_eq!(out, "NULL", "a missing value is NULL, not the text NULL");
    }

    #[test]
    fn values_are_bound_never_spliced() {
        use sea_orm::DatabaseBackend;
        let rows = vec![
            vec![
                Cell::Text("O'Brien'); DROP TABLE x; --".into()),
                Cell::Int(1),
            ],
            vec![Cell::OptText(None), Cell::Int(2)],
        ];
        let pg =
            super::values_statement(DatabaseBackend::Postgres, "INSERT INTO t (a, b)", &rows, "");
        assert_eq!(pg.sql, "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) ");
        assert_eq!(pg.values.map(|v| v.0.len()), Some(4));
        let lite =
            super::values_statement(DatabaseBackend::Sqlite, "INSERT INTO t (a, b)", &rows, "");
        assert_eq!(lite.sql, "INSERT INTO t (a, b) VALUES (?, ?), (?, ?) ");
    }
}
