//! Scorecards: the figures of domain.md "Metrics" for a rep, a region or the company in a
//! month, quarter or year, computed in one SQL statement over the monthly copies of the
//! facts (`service::rollups`) and indexed columns. `dudao_domain::metrics` is the reference; a property test in
//! `tests/tests/e2e/metrics.rs` checks that both agree on generated data.

use dudao_domain::metrics::Figures;
use dudao_domain::{Capability, Period, Viewer};
use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult, Statement};

use super::{regions, reps};
use crate::error::{AppError, AppResult};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    Rep(i32),
    Region(i32),
    Company,
}

impl Scope {
    pub fn kind(self) -> &'static str {
        dudao_domain::Code::code(self.stored_kind())
    }
    /// The kind stored in `targets.scope_kind`.
    pub fn stored_kind(self) -> dudao_domain::transfer::ScopeKind {
        use dudao_domain::transfer::ScopeKind;
        match self {
            Scope::Rep(_) => ScopeKind::Rep,
            Scope::Region(_) => ScopeKind::Region,
            Scope::Company => ScopeKind::Company,
        }
    }
    /// The id stored in `targets.scope_id` (0 for the company).
    pub fn target_id(self) -> i32 {
        match self {
            Scope::Rep(id) | Scope::Region(id) => id,
            Scope::Company => 0,
        }
    }
    /// A condition on a `rep_id` column selecting the facts of this scope. Ids are
    /// integers from the caller's checked input, never text.
    pub(crate) fn rep_condition(self, col: &str) -> String {
        match self {
            Scope::Rep(id) => format!("{col} = {id}"),
            Scope::Region(id) => format!("{col} IN (SELECT id FROM reps WHERE region_id = {id})"),
            Scope::Company => "1 = 1".to_owned(),
        }
    }
}

/// The groups of figures a scorecard is made of, each one part of its statement. A request
/// names the figures it shows (GraphQL look-ahead) and the parts nothing needs are left
/// out: a cockpit tile asking for sales, orders and collected reads two small tables, not
/// seven.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    /// Monthly sums: sales, orders, amounts due, won/closed, surveys.
    pub sums: bool,
    /// Payments by the period's end on amounts due in it.
    pub paid: bool,
    /// New and base customers.
    pub firsts: bool,
    /// The sales-cycle median (from the histogram of won opportunities' cycles).
    pub cycle: bool,
    /// The scope's targets for the period.
    pub targets: bool,
}

impl Parts {
    pub const ALL: Parts = Parts {
        sums: true,
        paid: true,
        firsts: true,
        cycle: true,
        targets: true,
    };
    pub const NONE: Parts = Parts {
        sums: false,
        paid: false,
        firsts: false,
        cycle: false,
        targets: false,
    };
}

/// Checks that the viewer may read this scope: a rep or region through the row filters,
/// the company only for ADMIN and DIRECTOR.
pub async fn authorize(db: &DatabaseConnection, viewer: &Viewer, scope: Scope) -> AppResult<()> {
    match scope {
        Scope::Rep(id) => reps::get(db, viewer, id).await.map(|_| ()),
        Scope::Region(_) if !viewer.can(Capability::ReadRegionFigures) => {
            Err(AppError::forbidden())
        }
        Scope::Region(id) => regions::get(db, viewer, id).await.map(|_| ()),
        Scope::Company if viewer.can(Capability::ReadCompanyFigures) => Ok(()),
        Scope::Company => Err(AppError::forbidden()),
    }
}

/// The figures of `scope` in `period` for `viewer`. The row check a rep or region needs
/// rides in the figures' statement (a condition on its one row): a request is one round
/// trip, not two. Without the row — the scope is unknown or not the viewer's — the
/// ordinary check runs to say which (`NOT_FOUND`, `FORBIDDEN`).
pub async fn scorecard(
    db: &DatabaseConnection,
    viewer: &Viewer,
    scope: Scope,
    period: Period,
    parts: Parts,
) -> AppResult<Figures> {
    let b = db.get_database_backend();
    let guard = match scope {
        Scope::Rep(id) => format!(
            "EXISTS (SELECT 1 FROM reps gr WHERE gr.id = {id} AND gr.id IN ({}))",
            super::scope::rep_ids_sql(viewer, b)
        ),
        Scope::Region(id) if viewer.can(Capability::ReadRegionFigures) => format!(
            "EXISTS (SELECT 1 FROM regions gg WHERE gg.id = {id} AND gg.id IN ({}))",
            super::scope::region_ids_sql(viewer, b)
        ),
        // Capabilities alone decide (no statement), or the refusal.
        _ => {
            authorize(db, viewer, scope).await?;
            return figures_of(db, scope, period, parts).await;
        }
    };
    if parts == Parts::NONE {
        authorize(db, viewer, scope).await?;
        return Ok(assemble(Row::default()));
    }
    match figures_row(db, scope, period, parts, Some(&guard)).await? {
        Some(row) => Ok(assemble(row)),
        None => {
            // Refused or unknown (or created since): the ordinary check tells.
            authorize(db, viewer, scope).await?;
            figures_of(db, scope, period, parts).await
        }
    }
}

/// The figures of the `count` periods ending with `last`, oldest first.
pub async fn trend(
    db: &DatabaseConnection,
    viewer: &Viewer,
    scope: Scope,
    last: Period,
    count: usize,
    parts: Parts,
) -> AppResult<Vec<(Period, Figures)>> {
    authorize(db, viewer, scope).await?;
    let periods = periods_ending(last, count);
    let figures = figures_many_of(db, scope, &periods, parts).await?;
    Ok(periods.into_iter().zip(figures).collect())
}

/// The sales-cycle medians of `scope` from the histogram of won opportunities
/// (`rep_cycle_months`, alias `y`) over the months from `start` to `end`, one row per
/// bucket (`b`, `bucket` an expression over `y.month`) with a won opportunity: the
/// histogram summed per cycle length, then the mean (`f`) of the values at positions
/// ⌊(c+1)/2⌋ and ⌊(c+2)/2⌋ (1-based) of its `c` opportunities, found by a running total.
/// A bucket with nothing won has no row (NULL).
///
/// The rows a scope reads ([`histogram_rows`]) differ by database for a region; the rest
/// is one text.
fn cycle_medians(
    backend: sea_orm::DatabaseBackend,
    scope: Scope,
    start: &str,
    end: &str,
    bucket: &str,
) -> String {
    let rows = histogram_rows(backend, scope, start, end);
    format!(
        "SELECT h.b AS b, CAST(AVG(CAST(h.days AS DOUBLE PRECISION)) AS DOUBLE PRECISION) AS f \
         FROM (SELECT d.b AS b, d.days AS days, d.won AS won, \
                 CAST(SUM(d.won) OVER (PARTITION BY d.b ORDER BY d.days) AS BIGINT) AS upto, \
                 CAST(SUM(d.won) OVER (PARTITION BY d.b) AS BIGINT) AS c \
               FROM (SELECT {bucket} AS b, y.days AS days, CAST(SUM(y.won) AS BIGINT) AS won \
                     FROM {rows} \
                     GROUP BY 1, 2 HAVING SUM(y.won) > 0) d) h \
         WHERE h.upto >= (h.c + 1) / 2 AND h.upto - h.won < (h.c + 2) / 2 \
         GROUP BY h.b"
    )
}

/// The `FROM … WHERE …` of the histogram rows (alias `y`) of `scope` in `[start, end)`.
/// On PostgreSQL a region's rows are read rep by rep through the key (rep, month, days):
/// left to itself the planner scans the month index over every region (10,000 rows for a
/// quarter of the large set, ~1 ms) where the region's own are ~350 (0.3 ms, under the
/// 0.6 ms of `percentile_cont` over the raw opportunities). The `OFFSET 0` keeps the
/// lateral subquery from being flattened back into that plan. SQLite, which has no
/// LATERAL, already takes the key for `rep_id IN (…)`.
fn histogram_rows(
    backend: sea_orm::DatabaseBackend,
    scope: Scope,
    start: &str,
    end: &str,
) -> String {
    match (backend, scope) {
        (sea_orm::DatabaseBackend::Postgres, Scope::Region(id)) => format!(
            "reps r CROSS JOIN LATERAL (SELECT z.month AS month, z.days AS days, z.won AS won \
               FROM rep_cycle_months z WHERE z.rep_id = r.id AND z.month >= '{start}' AND z.month < '{end}' \
               OFFSET 0) y WHERE r.region_id = {id}"
        ),
        _ => format!(
            "rep_cycle_months y WHERE y.month >= '{start}' AND y.month < '{end}' AND {y}",
            y = scope.rep_condition("y.rep_id")
        ),
    }
}

/// One line of [`figures_many`]'s statement: a kind of fact, its period (bucket) and up
/// to nine sums (`c0`…) or one average (`f`).
#[derive(FromQueryResult)]
struct BucketFact {
    k: String,
    b: Option<i32>,
    c0: Option<i64>,
    c1: Option<i64>,
    c2: Option<i64>,
    c3: Option<i64>,
    c4: Option<i64>,
    c5: Option<i64>,
    c6: Option<i64>,
    c7: Option<i64>,
    c8: Option<i64>,
    f: Option<f64>,
}

/// `CAST(NULL AS BIGINT)` for the sum columns `c{from}`…`c8` a line leaves empty.
fn no_sums(from: usize) -> String {
    (from..9)
        .map(|i| format!(", CAST(NULL AS BIGINT) AS c{i}"))
        .collect()
}

/// The figures of `scope` for consecutive `periods` (oldest first) in one statement: the
/// same aggregates as [`figures`], grouped by a date bucket per period. A test checks
/// both agree.
pub async fn figures_many<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    periods: &[Period],
) -> AppResult<Vec<Figures>> {
    figures_many_of(db, scope, periods, Parts::ALL).await
}

/// [`figures_many`] reading only `parts` (the figures of the others are left empty).
pub async fn figures_many_of<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    periods: &[Period],
    parts: Parts,
) -> AppResult<Vec<Figures>> {
    let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
        return Ok(Vec::new());
    };
    if periods
        .windows(2)
        .any(|w| w[0].end_exclusive() != w[1].start())
    {
        return Err(AppError::Internal(anyhow::anyhow!(
            "figures_many needs consecutive periods"
        )));
    }
    let (start, _) = bounds(*first);
    let (_, end) = bounds(*last);
    let bucket = |col: &str| -> String {
        let arms: String = periods
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (s, e) = bounds(*p);
                format!(" WHEN {col} >= '{s}' AND {col} < '{e}' THEN {i}")
            })
            .collect();
        format!("CASE{arms} END")
    };
    let paid_bucket: String = periods
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (s, e) = bounds(*p);
            format!(" WHEN pm.due_month >= '{s}' AND pm.due_month < '{e}' AND pm.paid_month < '{e}' THEN {i}")
        })
        .collect();
    let first_bucket: String = periods
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (s, e) = bounds(*p);
            format!(" WHEN n.month >= '{s}' AND n.month < '{e}' THEN {i}")
        })
        .collect();
    let target_bucket: String = periods
        .iter()
        .enumerate()
        .map(|(i, p)| format!(" WHEN t.year = {} AND t.idx = {} THEN {i}", p.year, p.index))
        .collect();
    let target_periods: Vec<String> = periods
        .iter()
        .map(|p| format!("(t.year = {} AND t.idx = {})", p.year, p.index))
        .collect();
    let m = scope.rep_condition("m.rep_id");
    let pm = scope.rep_condition("pm.rep_id");
    let nul_f = "CAST(NULL AS DOUBLE PRECISION)";
    let sums = "CAST(SUM(m.sales_cents) AS BIGINT) AS c0, CAST(SUM(m.order_count) AS BIGINT) AS c1, \
         CAST(SUM(m.due_cents) AS BIGINT) AS c2, CAST(SUM(m.won) AS BIGINT) AS c3, CAST(SUM(m.closed) AS BIGINT) AS c4, \
         CAST(SUM(m.surveys) AS BIGINT) AS c5, CAST(SUM(m.score_sum) AS BIGINT) AS c6, \
         CAST(SUM(m.promoters) AS BIGINT) AS c7, CAST(SUM(m.detractors) AS BIGINT) AS c8";
    let (n0, n1) = (no_sums(0), no_sums(1));
    let mut lines = Vec::new();
    if parts.sums {
        lines.push(format!(
            "SELECT 'sums' AS k, {bm} AS b, {sums}, {nul_f} AS f \
               FROM rep_months m WHERE m.month >= '{start}' AND m.month < '{end}' AND {m} GROUP BY 2",
            bm = bucket("m.month"),
        ));
    }
    if parts.paid {
        lines.push(format!(
            "SELECT 'paid' AS k, CASE{paid_bucket} END AS b, CAST(SUM(pm.cents) AS BIGINT) AS c0{n1}, {nul_f} AS f \
               FROM rep_paid_months pm \
               WHERE pm.due_month >= '{start}' AND pm.due_month < '{end}' AND pm.paid_month < '{end}' AND {pm} GROUP BY 2"
        ));
    }
    if parts.firsts {
        lines.push(format!(
            "SELECT 'firsts' AS k, CASE WHEN n.month < '{start}' THEN -1{first_bucket} END AS b, CAST(SUM(n.customers) AS BIGINT) AS c0{n1}, {nul_f} AS f \
               FROM new_customer_months n WHERE {firsts} AND n.month < '{end}' GROUP BY 2",
            firsts = new_customers_of(scope),
        ));
    }
    if parts.cycle {
        lines.push(format!(
            "SELECT 'cycle' AS k, q.b AS b{n0}, q.f AS f FROM ({medians}) q",
            medians = cycle_medians(
                db.get_database_backend(),
                scope,
                &start,
                &end,
                &bucket("y.month")
            ),
        ));
    }
    if parts.targets {
        lines.push(format!(
            "SELECT CASE t.metric WHEN 'SALES' THEN 'target' WHEN 'COLLECTION' THEN 'target_collection' ELSE 'target_new' END AS k, \
               CASE{target_bucket} END AS b, t.value AS c0{n1}, {nul_f} AS f \
               FROM targets t WHERE t.metric IN ('SALES', 'COLLECTION', 'NEW_CUSTOMERS') AND t.scope_kind = '{kind}' \
                 AND t.scope_id = {id} AND t.period_kind = '{pk}' AND ({tp})",
            kind = scope.kind(),
            id = scope.target_id(),
            pk = last.kind.as_str(),
            tp = target_periods.join(" OR "),
        ));
    }
    let facts = if lines.is_empty() {
        Vec::new()
    } else {
        let sql = lines.join(" UNION ALL ");
        BucketFact::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
            .all(db)
            .await?
    };
    let n = periods.len();
    let mut rows: Vec<Row> = vec![Row::default(); n];
    let mut before = 0i64;
    for f in facts {
        let Some(b) = f.b else { continue };
        if f.k == "firsts" && b == -1 {
            before += f.c0.unwrap_or(0);
            continue;
        }
        let Some(row) = usize::try_from(b).ok().and_then(|b| rows.get_mut(b)) else {
            continue;
        };
        match f.k.as_str() {
            "sums" => {
                row.sales = f.c0;
                row.order_count = f.c1;
                row.due = f.c2;
                row.won = f.c3;
                row.closed = f.c4;
                row.surveys = f.c5;
                row.score_sum = f.c6;
                row.promoters = f.c7;
                row.detractors = f.c8;
            }
            "paid" => row.paid = f.c0,
            "firsts" => row.new_customers = f.c0,
            "cycle" => row.sales_cycle = f.f,
            "target" => row.target = f.c0,
            "target_collection" => row.target_collection = f.c0,
            "target_new" => row.target_new = f.c0,
            _ => {}
        }
    }
    // Customers whose first order came before a period: those before the first period
    // plus the new ones of the periods in between.
    for row in &mut rows {
        row.base_customers = Some(before);
        before += row.new_customers.unwrap_or(0);
    }
    Ok(rows.into_iter().map(assemble).collect())
}

fn assemble(row: Row) -> Figures {
    use dudao_domain::metrics::attainment_of;
    let sales = row.sales.unwrap_or(0);
    let orders = row.order_count.unwrap_or(0);
    let collected = row.paid.unwrap_or(0);
    let new = row.new_customers.unwrap_or(0);
    Figures {
        collected_cents: collected,
        collection_target_cents: row.target_collection,
        collection_attainment: attainment_of(collected, row.target_collection),
        new_customers_target: row.target_new,
        new_customers_attainment: attainment_of(new, row.target_new),
        sales_cents: sales,
        order_count: orders,
        target_cents: row.target,
        attainment: dudao_domain::metrics::attainment(sales, row.target),
        average_order_cents: dudao_domain::metrics::average_order(sales, orders),
        collection_rate: ratio(row.paid, row.due),
        new_customers: row.new_customers.unwrap_or(0),
        customer_growth_rate: ratio(row.new_customers, row.base_customers),
        win_rate: ratio(row.won, row.closed),
        satisfaction: ratio(row.score_sum, row.surveys),
        nps: dudao_domain::customers::nps_of(
            row.promoters.unwrap_or(0),
            row.detractors.unwrap_or(0),
            row.surveys.unwrap_or(0),
        ),
        sales_cycle_days: row.sales_cycle,
        due_cents: row.due.unwrap_or(0),
        survey_count: row.surveys.unwrap_or(0),
        survey_score_sum: row.score_sum.unwrap_or(0),
    }
}

/// The period as SQL date literals: first day, and first day after (half-open range).
fn bounds(p: Period) -> (String, String) {
    (
        p.start().format("%Y-%m-%d").to_string(),
        p.end_exclusive().format("%Y-%m-%d").to_string(),
    )
}

#[derive(FromQueryResult, Clone, Copy, Default)]
struct Row {
    sales: Option<i64>,
    order_count: Option<i64>,
    due: Option<i64>,
    paid: Option<i64>,
    new_customers: Option<i64>,
    base_customers: Option<i64>,
    won: Option<i64>,
    closed: Option<i64>,
    surveys: Option<i64>,
    score_sum: Option<i64>,
    promoters: Option<i64>,
    detractors: Option<i64>,
    sales_cycle: Option<f64>,
    target: Option<i64>,
    target_collection: Option<i64>,
    target_new: Option<i64>,
}

fn ratio(num: Option<i64>, den: Option<i64>) -> Option<f64> {
    match (num.unwrap_or(0), den.unwrap_or(0)) {
        (_, 0) => None,
        (n, d) => Some(n as f64 / d as f64),
    }
}

/// The rows of `new_customer_months` (alias `n`) counting the scope's customers by the
/// month of their first order with it (`service::rollups`).
fn new_customers_of(scope: Scope) -> String {
    format!(
        "n.scope_kind = '{}' AND n.scope_id = {}",
        scope.kind(),
        scope.target_id()
    )
}

/// The monthly sums of `rep_months` (alias `m`), in [`Row`]'s column names.
const MONTH_SUMS: &str = "CAST(SUM(m.sales_cents) AS BIGINT) AS sales, CAST(SUM(m.order_count) AS BIGINT) AS order_count, \
     CAST(SUM(m.due_cents) AS BIGINT) AS due, CAST(SUM(m.won) AS BIGINT) AS won, CAST(SUM(m.closed) AS BIGINT) AS closed, \
     CAST(SUM(m.surveys) AS BIGINT) AS surveys, CAST(SUM(m.score_sum) AS BIGINT) AS score_sum, \
     CAST(SUM(m.promoters) AS BIGINT) AS promoters, CAST(SUM(m.detractors) AS BIGINT) AS detractors";

/// The figures of `scope` in `period`, without an access check (callers check first).
/// Sums come from the monthly copies (`service::rollups`); the sales cycle, a median,
/// from the monthly histogram of cycle lengths ([`cycle_medians`]).
pub async fn figures<C: ConnectionTrait>(db: &C, scope: Scope, p: Period) -> AppResult<Figures> {
    figures_of(db, scope, p, Parts::ALL).await
}

/// [`figures`] reading only `parts`: one statement whose select list holds a sub-select
/// or derived table per part asked for, and NULL for the others.
pub async fn figures_of<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    p: Period,
    parts: Parts,
) -> AppResult<Figures> {
    if parts == Parts::NONE {
        return Ok(assemble(Row::default()));
    }
    let row = figures_row(db, scope, p, parts, None)
        .await?
        .ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!("the scorecard query returned no row"))
        })?;
    Ok(assemble(row))
}

/// [`figures_of`]'s statement and its one row; with a `guard` (an SQL condition) none
/// when the guard is false.
async fn figures_row<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    p: Period,
    parts: Parts,
    guard: Option<&str>,
) -> AppResult<Option<Row>> {
    let (s, e) = bounds(p);
    let m = scope.rep_condition("m.rep_id");
    let pm = scope.rep_condition("pm.rep_id");
    let null = |cols: &[&str]| -> String {
        cols.iter()
            .map(|c| format!("CAST(NULL AS BIGINT) AS {c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut select = Vec::new();
    let mut from = Vec::new();
    if parts.sums {
        select.push(
            "mo.sales AS sales, mo.order_count AS order_count, mo.due AS due, \
             mo.won AS won, mo.closed AS closed, mo.surveys AS surveys, mo.score_sum AS score_sum, \
             mo.promoters AS promoters, mo.detractors AS detractors"
                .to_owned(),
        );
        from.push(format!(
            "(SELECT {MONTH_SUMS} FROM rep_months m WHERE m.month >= '{s}' AND m.month < '{e}' AND {m}) mo"
        ));
    } else {
        select.push(null(&[
            "sales",
            "order_count",
            "due",
            "won",
            "closed",
            "surveys",
            "score_sum",
            "promoters",
            "detractors",
        ]));
    }
    select.push(if parts.paid {
        format!(
            "CAST((SELECT SUM(pm.cents) FROM rep_paid_months pm \
             WHERE pm.due_month >= '{s}' AND pm.due_month < '{e}' AND pm.paid_month < '{e}' AND {pm}) AS BIGINT) AS paid"
        )
    } else {
        null(&["paid"])
    });
    if parts.firsts {
        select
            .push("nf.new_customers AS new_customers, nf.base_customers AS base_customers".into());
        from.push(format!(
            "(SELECT CAST(SUM(CASE WHEN n.month >= '{s}' THEN n.customers ELSE 0 END) AS BIGINT) AS new_customers, \
                     CAST(SUM(CASE WHEN n.month < '{s}' THEN n.customers ELSE 0 END) AS BIGINT) AS base_customers \
              FROM new_customer_months n WHERE {n} AND n.month < '{e}') nf",
            n = new_customers_of(scope),
        ));
    } else {
        select.push(null(&["new_customers", "base_customers"]));
    }
    select.push(if parts.cycle {
        format!(
            "CAST((SELECT q.f FROM ({medians}) q) AS DOUBLE PRECISION) AS sales_cycle",
            medians = cycle_medians(db.get_database_backend(), scope, &s, &e, "0"),
        )
    } else {
        "CAST(NULL AS DOUBLE PRECISION) AS sales_cycle".into()
    });
    if parts.targets {
        for (metric, col) in [
            ("SALES", "target"),
            ("COLLECTION", "target_collection"),
            ("NEW_CUSTOMERS", "target_new"),
        ] {
            select.push(format!(
                "(SELECT t.value FROM targets t WHERE t.metric = '{metric}' AND t.scope_kind = '{kind}' AND t.scope_id = {id} \
                  AND t.period_kind = '{pk}' AND t.year = {year} AND t.idx = {idx}) AS {col}",
                kind = scope.kind(),
                id = scope.target_id(),
                pk = p.kind.as_str(),
                year = p.year,
                idx = p.index,
            ));
        }
    } else {
        select.push(null(&["target", "target_collection", "target_new"]));
    }
    let from = if from.is_empty() {
        String::new()
    } else {
        format!(" FROM {}", from.join(" CROSS JOIN "))
    };
    let guard = guard.map(|g| format!(" WHERE {g}")).unwrap_or_default();
    let sql = format!("SELECT {}{from}{guard}", select.join(", "));
    Ok(
        Row::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
            .one(db)
            .await?,
    )
}

/// One line of a ranking: a rep or region with its sales, target and attainment.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    pub scope: Scope,
    pub name: String,
    pub sales_cents: i64,
    pub target_cents: Option<i64>,
    pub attainment: Option<f64>,
}

#[derive(FromQueryResult)]
struct RankRow {
    id: i32,
    name: String,
    sales: Option<i64>,
    target: Option<i64>,
}

/// The children of `scope` ranked by attainment (then sales): the regions of the company
/// or the reps of a region, in one grouped statement. Children without a target rank last.
pub async fn ranking(
    db: &DatabaseConnection,
    viewer: &Viewer,
    scope: Scope,
    p: Period,
) -> AppResult<Vec<Ranked>> {
    authorize(db, viewer, scope).await?;
    let backend = db.get_database_backend();
    let (s, e) = bounds(p);
    let period = format!(
        "t.period_kind = '{}' AND t.year = {} AND t.idx = {}",
        p.kind.as_str(),
        p.year,
        p.index
    );
    let sales = format!("m.month >= '{s}' AND m.month < '{e}'");
    let sql = match scope {
        Scope::Company => format!(
            "SELECT g.id AS id, g.name AS name, \
               CAST((SELECT SUM(m.sales_cents) FROM rep_months m JOIN reps r ON r.id = m.rep_id WHERE r.region_id = g.id AND {sales}) AS BIGINT) AS sales, \
               (SELECT t.value FROM targets t WHERE t.metric = 'SALES' AND t.scope_kind = 'REGION' AND t.scope_id = g.id AND {period}) AS target \
             FROM regions g WHERE g.id IN ({visible})",
            visible = super::scope::region_ids_sql(viewer, backend),
        ),
        Scope::Region(id) => format!(
            "SELECT r.id AS id, r.name AS name, \
               CAST((SELECT SUM(m.sales_cents) FROM rep_months m WHERE m.rep_id = r.id AND {sales}) AS BIGINT) AS sales, \
               (SELECT t.value FROM targets t WHERE t.metric = 'SALES' AND t.scope_kind = 'REP' AND t.scope_id = r.id AND {period}) AS target \
             FROM reps r WHERE r.region_id = {id} AND r.id IN ({visible})",
            visible = super::scope::rep_ids_sql(viewer, backend),
        ),
        Scope::Rep(_) => {
            return Err(AppError::BadInput(
                "scope: a rep has nothing below it to rank".into(),
            ));
        }
    };
    let rows = RankRow::find_by_statement(Statement::from_string(backend, sql))
        .all(db)
        .await?;
    let mut ranked: Vec<Ranked> = rows
        .into_iter()
        .map(|r| {
            let sales = r.sales.unwrap_or(0);
            Ranked {
                scope: if scope == Scope::Company {
                    Scope::Region(r.id)
                } else {
                    Scope::Rep(r.id)
                },
                name: r.name,
                sales_cents: sales,
                target_cents: r.target,
                attainment: dudao_domain::metrics::attainment(sales, r.target),
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.attainment
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&a.attainment.unwrap_or(f64::NEG_INFINITY))
            .then(b.sales_cents.cmp(&a.sales_cents))
    });
    Ok(ranked)
}

#[derive(FromQueryResult)]
struct FunnelRow {
    s1: Option<i64>,
    s2: Option<i64>,
    s3: Option<i64>,
    s4: Option<i64>,
    s5: Option<i64>,
    s6: Option<i64>,
}

/// Funnel conversion per stage for the opportunities created in the period.
pub async fn funnel(
    db: &DatabaseConnection,
    viewer: &Viewer,
    scope: Scope,
    p: Period,
) -> AppResult<Vec<(usize, i64, Option<f64>)>> {
    authorize(db, viewer, scope).await?;
    funnel_counts(db, scope, p).await
}

/// The SQL side of `dudao_domain::metrics::funnel`: each opportunity's furthest step,
/// then how many reached each step, in one statement.
pub async fn funnel_counts<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    p: Period,
) -> AppResult<Vec<(usize, i64, Option<f64>)>> {
    use dudao_domain::metrics::FUNNEL;
    let (s, e) = bounds(p);
    let x = scope.rep_condition("x.rep_id");
    let ranks: String = FUNNEL
        .iter()
        .enumerate()
        .map(|(i, st)| format!(" WHEN '{st}' THEN {}", i + 1))
        .collect();
    let sums: Vec<String> = (1..=FUNNEL.len())
        .map(|k| {
            format!(
                "CAST(COALESCE(SUM(CASE WHEN t.m >= {k} THEN 1 ELSE 0 END), 0) AS BIGINT) AS s{k}"
            )
        })
        .collect();
    let sql = format!(
        "SELECT {} FROM (SELECT x.id AS id, MAX(CASE st.stage{ranks} ELSE 0 END) AS m \
           FROM opportunities x JOIN opportunity_stages st ON st.opportunity_id = x.id \
           WHERE x.created_on >= '{s}' AND x.created_on < '{e}' AND {x} GROUP BY x.id) t",
        sums.join(", ")
    );
    let row = FunnelRow::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the funnel query returned no row")))?;
    let reached: Vec<i64> = [row.s1, row.s2, row.s3, row.s4, row.s5, row.s6]
        .into_iter()
        .map(|v| v.unwrap_or(0))
        .collect();
    Ok(dudao_domain::metrics::conversions(&reached))
}

/// One region's row of the attainment heatmap: sales and target per period.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatRow {
    pub region_id: i32,
    pub name: String,
    pub cells: Vec<(Period, i64, Option<i64>)>,
}

#[derive(FromQueryResult)]
struct HeatFact {
    k: String,
    region_id: i32,
    bucket: Option<i32>,
    v: Option<i64>,
}

/// The `count` periods of `last`'s kind ending with it, oldest first.
pub fn periods_ending(last: Period, count: usize) -> Vec<Period> {
    let mut periods = vec![last];
    while periods.len() < count {
        let prev = periods.last().copied().unwrap_or(last).previous();
        periods.push(prev);
    }
    periods.reverse();
    periods
}

/// Sales against target for every region the viewer may read (REP: none of them), over
/// the `count` periods ending with `last`: the regions, then one grouped statement with
/// date buckets for sales and the matching region targets.
pub async fn heatmap(
    db: &DatabaseConnection,
    viewer: &Viewer,
    last: Period,
    count: usize,
) -> AppResult<Vec<HeatRow>> {
    use sea_orm::{EntityTrait, QueryFilter, QueryOrder};
    if !viewer.can(Capability::ReadRegionFigures) {
        return Err(AppError::forbidden());
    }
    let regions = crate::entity::region::Entity::find()
        .filter(super::scope::regions(viewer))
        .order_by_asc(crate::entity::region::Column::Id)
        .all(db)
        .await?;
    if regions.is_empty() {
        return Ok(Vec::new());
    }
    let periods = periods_ending(last, count);
    let ids: Vec<String> = regions.iter().map(|r| r.id.to_string()).collect();
    let ids = ids.join(", ");
    let (first_start, _) = bounds(periods[0]);
    let (_, last_end) = bounds(last);
    let sales_bucket: String = periods
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (s, e) = bounds(*p);
            format!(" WHEN m.month >= '{s}' AND m.month < '{e}' THEN {i}")
        })
        .collect();
    let target_bucket: String = periods
        .iter()
        .enumerate()
        .map(|(i, p)| format!(" WHEN t.year = {} AND t.idx = {} THEN {i}", p.year, p.index))
        .collect();
    let target_periods: Vec<String> = periods
        .iter()
        .map(|p| format!("(t.year = {} AND t.idx = {})", p.year, p.index))
        .collect();
    let sql = format!(
        "SELECT 'S' AS k, r.region_id AS region_id, CASE{sales_bucket} END AS bucket, \
           CAST(SUM(m.sales_cents) AS BIGINT) AS v \
         FROM rep_months m JOIN reps r ON r.id = m.rep_id \
         WHERE m.month >= '{first_start}' AND m.month < '{last_end}' \
           AND r.region_id IN ({ids}) \
         GROUP BY r.region_id, CASE{sales_bucket} END \
         UNION ALL \
         SELECT 'T' AS k, t.scope_id AS region_id, CASE{target_bucket} END AS bucket, t.value AS v \
         FROM targets t WHERE t.metric = 'SALES' AND t.scope_kind = 'REGION' AND t.period_kind = '{pk}' \
           AND ({tp}) AND t.scope_id IN ({ids})",
        pk = last.kind.as_str(),
        tp = target_periods.join(" OR "),
    );
    let facts = HeatFact::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .all(db)
        .await?;
    let mut rows: Vec<HeatRow> = regions
        .into_iter()
        .map(|g| HeatRow {
            region_id: g.id,
            name: g.name,
            cells: periods.iter().map(|p| (*p, 0, None)).collect(),
        })
        .collect();
    for f in facts {
        let Some(row) = rows.iter_mut().find(|r| r.region_id == f.region_id) else {
            continue;
        };
        let Some(cell) = f
            .bucket
            .and_then(|b| usize::try_from(b).ok())
            .and_then(|b| row.cells.get_mut(b))
        else {
            continue;
        };
        if f.k == "S" {
            cell.1 = f.v.unwrap_or(0);
        } else {
            cell.2 = f.v;
        }
    }
    Ok(rows)
}
