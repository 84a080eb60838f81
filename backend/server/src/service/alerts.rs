//! Alerts (预警): the four rules of domain.md evaluated in SQL, one `INSERT … SELECT`
//! per rule, each row keyed by a `dedup_key` under a unique index so that a re-run (from
//! `dudao alerts run`, the server's schedule, or several servers at once) adds nothing it
//! already raised. `dudao_domain::alerts` holds the reference rules; the tests compare.

use chrono::{Duration, NaiveDate, Utc};
use dudao_domain::alerts::{self as rules, AlertRule, AlertStatus, Thresholds};
use dudao_domain::{Action, Resource, Viewer};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query, SelectStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, FromQueryResult, IdenStatic, Iterable, QueryFilter, QueryResult, QuerySelect,
    Statement,
};

use super::page::{Page, PageArgs};
use super::{Direction, find_visible, require, save_versioned};
use crate::entity::{Stored, alert, customer, region, rep, setting, supervisor_region};
use crate::error::{AppError, AppResult};

/// Setting keys of the thresholds.
const SHORTFALL_RATIO: &str = "alerts.shortfall_ratio";
const SATISFACTION: &str = "alerts.satisfaction_threshold";
const OVERDUE_DAYS: &str = "alerts.overdue_days";
const SURVEY_LOOKBACK: &str = "alerts.survey_lookback_days";

/// The thresholds in force: stored settings over the defaults.
pub async fn thresholds<C: ConnectionTrait>(db: &C) -> AppResult<Thresholds> {
    let rows = setting::Entity::find()
        .filter(setting::Column::Key.starts_with("alerts."))
        .all(db)
        .await?;
    let mut t = Thresholds::default();
    for r in rows {
        let v = r.value.trim();
        match r.key.as_str() {
            SHORTFALL_RATIO => t.shortfall_ratio = v.parse().unwrap_or(t.shortfall_ratio),
            SATISFACTION => t.satisfaction = v.parse().unwrap_or(t.satisfaction),
            OVERDUE_DAYS => t.overdue_days = v.parse().unwrap_or(t.overdue_days),
            SURVEY_LOOKBACK => t.survey_lookback_days = v.parse().unwrap_or(t.survey_lookback_days),
            _ => {}
        }
    }
    Ok(t)
}

/// Changes the thresholds (ADMIN, DIRECTOR). Validated first; audited.
pub async fn set_thresholds(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: Thresholds,
) -> AppResult<Thresholds> {
    require(viewer, Action::Update, Resource::AlertSettings)?;
    let new = new
        .validate()
        .map_err(|e| AppError::BadInput(e.to_string()))?;
    let txn = crate::db::write_txn(db).await?;
    let before = thresholds(&txn).await?;
    for (key, value) in [
        (SHORTFALL_RATIO, new.shortfall_ratio.to_string()),
        (SATISFACTION, new.satisfaction.to_string()),
        (OVERDUE_DAYS, new.overdue_days.to_string()),
        (SURVEY_LOOKBACK, new.survey_lookback_days.to_string()),
    ] {
        setting::Entity::insert(setting::ActiveModel {
            key: Set(key.to_owned()),
            value: Set(value),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(setting::Column::Key)
                .update_column(setting::Column::Value)
                .to_owned(),
        )
        .exec(&txn)
        .await?;
    }
    super::audit::record(
        &txn,
        Some(viewer.user_id),
        "update",
        "alert_settings",
        0,
        Some(&serde_json::json!({
            "shortfallRatio": before.shortfall_ratio,
            "satisfaction": before.satisfaction,
            "overdueDays": before.overdue_days,
            "surveyLookbackDays": before.survey_lookback_days,
        })),
        Some(&serde_json::json!({
            "shortfallRatio": new.shortfall_ratio,
            "satisfaction": new.satisfaction,
            "overdueDays": new.overdue_days,
            "surveyLookbackDays": new.survey_lookback_days,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(new)
}

/// Running the rules by hand (rather than on the schedule) is for ADMIN and DIRECTOR.
pub fn require_run(viewer: &Viewer) -> AppResult<()> {
    require(viewer, Action::Update, Resource::AlertSettings)
}

/// How many alerts a run raised, per rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    pub as_of: Option<NaiveDate>,
    pub raised: Vec<(AlertRule, u64)>,
}

impl RunReport {
    pub fn total(&self) -> u64 {
        self.raised.iter().map(|(_, n)| n).sum()
    }
}

const COLUMNS: &str = "rule, dedup_key, status, region_id, rep_id, customer_id, assignee_id, \
    subject_on, observed_cents, expected_cents, score, record_id, raised_on, created_at, version, items";

/// A statement of a rule, and whether the rows it affects are newly raised alerts (the
/// run's report counts those) or updates of open ones.
type RuleStatement = (String, bool);

/// The customers one transaction of the overdue rule reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Customers {
    /// Ids from, to (exclusive): a slice of a full run.
    Range(i64, i64),
    /// Those with a receivable or a payment with an id above these (what was written since
    /// the last run of the same day): an incremental run.
    Since { receivable: i64, payment: i64 },
}

impl Customers {
    /// The condition on a customer id column (`x.customer_id`, `a.customer_id`).
    fn condition(self, column: &str) -> String {
        match self {
            Customers::Range(from, to) => format!("{column} >= {from} AND {column} < {to}"),
            Customers::Since { .. } => {
                format!("{column} IN (SELECT t.customer_id FROM alert_touched t)")
            }
        }
    }
}

/// The SQL of each rule as of `as_of`; the overdue rule reads `customers`. Values are
/// dates and numbers formatted here, never user text.
fn rule_sql(
    rule: AlertRule,
    as_of: NaiveDate,
    t: &Thresholds,
    now: &str,
    customers: Customers,
    backend: sea_orm::DatabaseBackend,
) -> Vec<RuleStatement> {
    let today = super::sql_date(as_of);
    let insert = format!("INSERT INTO alerts ({COLUMNS})");
    let tail = "ON CONFLICT (dedup_key) DO NOTHING";
    match rule {
        AlertRule::EvaluationsDue => {
            // A supervisor's drafts due within 3 days or overdue, per region of the reps
            // evaluated (directors see them all, and so what is overdue). Directors'
            // own drafts are on their evaluation page.
            let soon = super::sql_date(
                as_of + Duration::days(dudao_domain::evaluation::DUE_REMINDER_DAYS),
            );
            let due = format!(
                "SELECT e.evaluator_id AS user_id, r.region_id AS region_id, CAST(NULL AS INTEGER) AS rep_id, \
                 MIN(e.due_on) AS first_due, CAST(COUNT(*) AS INTEGER) AS n \
                 FROM evaluations e JOIN reps r ON r.id = e.rep_id JOIN users u ON u.id = e.evaluator_id \
                 WHERE e.status = 'DRAFT' AND e.due_on <= '{soon}' AND u.role = 'SUPERVISOR' \
                 GROUP BY e.evaluator_id, r.region_id"
            );
            per_person(
                rule,
                &due,
                &insert,
                &today,
                now,
                "评估已全部提交 / every evaluation is submitted",
            )
        }
        AlertRule::EvaluationInputDue => {
            // 360° invitations a rep or supervisor has left unanswered for 3 working days
            // (on drafts), one alert per rater in their own region and, for a rep, about
            // them — never about the person evaluated, who must not learn who was asked.
            let before = super::sql_midnight(
                backend,
                dudao_domain::evaluation::invitations_overdue_before(as_of),
            );
            let due = format!(
                "SELECT i.rater_id AS user_id, x.region_id AS region_id, x.rep_id AS rep_id, \
                 MIN(e.due_on) AS first_due, CAST(COUNT(*) AS INTEGER) AS n \
                 FROM evaluation_invitations i JOIN evaluations e ON e.id = i.evaluation_id \
                 JOIN (SELECT u.id AS user_id, (SELECT MIN(r.id) FROM reps r WHERE r.user_id = u.id) AS rep_id, \
                   COALESCE((SELECT MIN(r.region_id) FROM reps r WHERE r.user_id = u.id), \
                     (SELECT MIN(g.region_id) FROM supervisor_regions g WHERE g.supervisor_id = u.id)) AS region_id \
                   FROM users u WHERE u.role IN ('REP', 'SUPERVISOR') AND u.active = TRUE) x ON x.user_id = i.rater_id \
                 WHERE i.answered_at IS NULL AND i.rater_id IS NOT NULL AND e.status = 'DRAFT' \
                   AND i.invited_at < {before} AND x.region_id IS NOT NULL \
                 GROUP BY i.rater_id, x.region_id, x.rep_id"
            );
            per_person(
                rule,
                &due,
                &insert,
                &today,
                now,
                "评价已全部完成 / every invitation is answered",
            )
        }
        AlertRule::OverdueActions => {
            // One alert per rep with coaching action items open past their due day (how
            // many, the earliest day), kept current by later runs and resolved when none
            // is left: `dudao_domain::alerts::overdue_actions_by_rep`.
            let overdue = format!(
                "SELECT i.rep_id AS rep_id, MIN(i.due_on) AS first_due, CAST(COUNT(*) AS INTEGER) AS n \
                 FROM action_items i WHERE i.status = 'OPEN' AND i.due_on < '{today}' AND i.rep_id IS NOT NULL \
                 GROUP BY i.rep_id"
            );
            let open = "a.rule = 'OVERDUE_ACTIONS' AND a.status IN ('OPEN', 'ACKNOWLEDGED')";
            vec![
                (
                    format!(
                        "UPDATE alerts SET \
                           items = (SELECT o.n FROM ({overdue}) o WHERE o.rep_id = alerts.rep_id), \
                           subject_on = (SELECT o.first_due FROM ({overdue}) o WHERE o.rep_id = alerts.rep_id), \
                           version = version + 1 \
                         WHERE alerts.id IN (SELECT a.id FROM alerts a JOIN ({overdue}) o ON o.rep_id = a.rep_id \
                           WHERE {open} AND (a.items IS NULL OR a.items <> o.n OR a.subject_on <> o.first_due))"
                    ),
                    false,
                ),
                (
                    format!(
                        "{insert} SELECT 'OVERDUE_ACTIONS', 'OVERDUE_ACTIONS:R' || CAST(o.rep_id AS TEXT) || ':{today}', 'OPEN', \
                           r.region_id, r.id, NULL, r.supervisor_id, o.first_due, NULL, NULL, NULL, NULL, '{today}', '{now}', 1, o.n \
                         FROM ({overdue}) o JOIN reps r ON r.id = o.rep_id \
                         WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE {open} AND a.rep_id = o.rep_id) {tail}"
                    ),
                    true,
                ),
                (
                    format!(
                        "UPDATE alerts SET status = 'RESOLVED', resolved_at = '{now}', \
                           note = COALESCE(note, '行动项已全部完成 / every action item is done'), version = version + 1 \
                         WHERE alerts.id IN (SELECT a.id FROM alerts a WHERE {open} \
                           AND a.rep_id NOT IN (SELECT o.rep_id FROM ({overdue}) o))"
                    ),
                    false,
                ),
            ]
        }
        AlertRule::TargetShortfall => {
            let (monday, sunday) = rules::review_week(as_of);
            let q = rules::week_quarter(monday);
            let days = q.days();
            let week = rules::week_label(monday);
            let permille = rules::permille(t.shortfall_ratio);
            let (mon, sun) = (super::sql_date(monday), super::sql_date(sunday));
            let target = |kind: &str, id: &str| {
                format!(
                    "JOIN targets t ON t.metric = 'SALES' AND t.scope_kind = '{kind}' AND t.scope_id = {id} \
                     AND t.period_kind = 'QUARTER' AND t.year = {y} AND t.idx = {i}",
                    y = q.year,
                    i = q.index
                )
            };
            let week_sales = format!(
                "o.status <> 'CANCELLED' AND o.ordered_on >= '{mon}' AND o.ordered_on <= '{sun}'"
            );
            let short = format!(
                "t.value > 0 AND COALESCE(w.sales, 0) * {days} * 1000 < t.value * 7 * {permille}"
            );
            // Who is short this week (reps and regions), once, in a temporary table; a
            // scope already holding an open shortfall alert from an earlier week gets it
            // moved to this week (one alert a person works through, `items` counting the
            // weeks), the others a new one.
            // An alert (table or alias `a`) about the same scope as `s`, a row of alert_short.
            let scope_of = |a: &str| {
                format!(
                    "((s.scope = 'REP' AND {a}.rep_id = s.rep_id) \
                     OR (s.scope = 'REGION' AND {a}.rep_id IS NULL AND {a}.region_id = s.region_id))"
                )
            };
            let (same_scope, of_alert) = (scope_of("a"), scope_of("alerts"));
            let open = "a.rule = 'TARGET_SHORTFALL' AND a.status IN ('OPEN', 'ACKNOWLEDGED')";
            vec![
                ("DROP TABLE IF EXISTS alert_short".to_owned(), false),
                (
                    format!(
                        "CREATE TEMPORARY TABLE alert_short AS \
                     SELECT 'REP' AS scope, r.id AS rep_id, r.region_id AS region_id, r.supervisor_id AS supervisor_id, \
                            CAST(COALESCE(w.sales, 0) AS BIGINT) AS observed, CAST(t.value * 7 / {days} AS BIGINT) AS expected \
                     FROM reps r {rep_target} \
                     LEFT JOIN (SELECT o.rep_id AS rep_id, SUM(o.amount_cents) AS sales FROM orders o \
                                WHERE {week_sales} GROUP BY o.rep_id) w ON w.rep_id = r.id \
                     WHERE r.status <> 'LEFT' AND {short} \
                     UNION ALL \
                     SELECT 'REGION', NULL, g.id, NULL, \
                            CAST(COALESCE(w.sales, 0) AS BIGINT), CAST(t.value * 7 / {days} AS BIGINT) \
                     FROM regions g {region_target} \
                     LEFT JOIN (SELECT r.region_id AS region_id, SUM(o.amount_cents) AS sales FROM orders o \
                                JOIN reps r ON r.id = o.rep_id WHERE {week_sales} GROUP BY r.region_id) w ON w.region_id = g.id \
                     WHERE {short}",
                        rep_target = target("REP", "r.id"),
                        region_target = target("REGION", "g.id"),
                    ),
                    false,
                ),
                (
                    format!(
                        "UPDATE alerts SET subject_on = '{mon}', \
                       observed_cents = (SELECT s.observed FROM alert_short s WHERE {of_alert}), \
                       expected_cents = (SELECT s.expected FROM alert_short s WHERE {of_alert}), \
                       items = COALESCE(items, 1) + 1, version = version + 1 \
                     WHERE alerts.id IN (SELECT a.id FROM alerts a JOIN alert_short s ON {same_scope} \
                       WHERE {open} AND a.subject_on < '{mon}')"
                    ),
                    false,
                ),
                (
                    format!(
                        "{insert} SELECT 'TARGET_SHORTFALL', \
                       'TARGET_SHORTFALL:' || s.scope || ':' || CAST(COALESCE(s.rep_id, s.region_id) AS TEXT) || ':{week}', \
                       'OPEN', s.region_id, s.rep_id, NULL, s.supervisor_id, '{mon}', s.observed, s.expected, \
                       NULL, NULL, '{today}', '{now}', 1, 1 \
                     FROM alert_short s \
                     WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE {open} AND {same_scope}) {tail}"
                    ),
                    true,
                ),
                ("DROP TABLE alert_short".to_owned(), false),
            ]
        }
        AlertRule::ChurnRisk => {
            let (from, quiet) = rules::churn_window(as_of);
            vec![(
                format!(
                    "{insert} SELECT 'CHURN_RISK', 'CHURN_RISK:' || CAST(c.id AS TEXT) || ':' || CAST(l.last_on AS TEXT), 'OPEN', \
                   r.region_id, r.id, c.id, r.supervisor_id, l.last_on, l.sales, NULL, NULL, NULL, '{today}', '{now}', 1, NULL \
                 FROM (SELECT o.customer_id AS customer_id, MAX(o.ordered_on) AS last_on, \
                              CAST(SUM(o.amount_cents) AS BIGINT) AS sales \
                       FROM orders o WHERE o.status <> 'CANCELLED' AND o.ordered_on >= '{from}' AND o.ordered_on <= '{today}' \
                       GROUP BY o.customer_id) l \
                 JOIN customers c ON c.id = l.customer_id JOIN reps r ON r.id = c.owner_rep_id \
                 WHERE l.last_on < '{quiet}' {tail}",
                    from = super::sql_date(from),
                    quiet = super::sql_date(quiet),
                ),
                true,
            )]
        }
        AlertRule::LowSatisfaction => {
            let since = super::sql_date(as_of - Duration::days(t.survey_lookback_days));
            vec![(
                format!(
                    "{insert} SELECT 'LOW_SATISFACTION', 'LOW_SATISFACTION:' || CAST(v.id AS TEXT), 'OPEN', \
                   r.region_id, r.id, v.customer_id, r.supervisor_id, v.surveyed_on, NULL, NULL, v.score, v.id, '{today}', '{now}', 1, NULL \
                 FROM surveys v JOIN reps r ON r.id = v.rep_id \
                 WHERE v.score < {threshold} AND v.surveyed_on >= '{since}' AND v.surveyed_on <= '{today}' {tail}",
                    threshold = t.satisfaction,
                ),
                true,
            )]
        }
        AlertRule::OverduePayment => {
            // One alert per customer with overdue receivables (what is outstanding on
            // them, how many, the earliest due day), kept current by later runs and
            // resolved when they are paid: `dudao_domain::alerts::overdue_by_customer`.
            // The customers' sums go into a temporary table once per slice.
            let cutoff = super::sql_date(as_of - Duration::days(t.overdue_days));
            let open = "a.rule = 'OVERDUE_PAYMENT' AND a.status IN ('OPEN', 'ACKNOWLEDGED')";
            let now_ts = format!("'{now}'");
            let (of_receivable, of_alert) = (
                customers.condition("x.customer_id"),
                customers.condition("a.customer_id"),
            );
            let mut statements = Vec::new();
            if let Customers::Since {
                receivable,
                payment,
            } = customers
            {
                // Only what a receivable or payment written since the last run can have
                // changed: its customer's figures (payments and receivables are never
                // updated or deleted, so ids above the last run's are all that is new).
                statements.extend([
                    ("DROP TABLE IF EXISTS alert_touched".to_owned(), false),
                    (
                        format!(
                            "CREATE TEMPORARY TABLE alert_touched AS \
                             SELECT x.customer_id AS customer_id FROM receivables x WHERE x.id > {receivable} \
                             UNION SELECT x.customer_id FROM payments p JOIN receivables x ON x.id = p.receivable_id \
                             WHERE p.id > {payment}"
                        ),
                        false,
                    ),
                    (
                        "CREATE INDEX alert_touched_customer ON alert_touched (customer_id)"
                            .to_owned(),
                        false,
                    ),
                ]);
            }
            statements.extend([
                ("DROP TABLE IF EXISTS alert_overdue".to_owned(), false),
                (
                    format!(
                        "CREATE TEMPORARY TABLE alert_overdue AS \
                     SELECT y.customer_id AS customer_id, MIN(y.due_on) AS first_due, \
                            CAST(SUM(y.amount_cents - y.paid) AS BIGINT) AS outstanding, \
                            CAST(SUM(y.amount_cents) AS BIGINT) AS total, CAST(COUNT(*) AS INTEGER) AS n \
                     FROM (SELECT x.customer_id AS customer_id, x.due_on AS due_on, x.amount_cents AS amount_cents, \
                                  COALESCE((SELECT SUM(p.amount_cents) FROM payments p \
                                            WHERE p.receivable_id = x.id AND p.paid_on <= '{today}'), 0) AS paid \
                           FROM receivables x \
                           WHERE {of_receivable} AND x.due_on <= '{cutoff}') y \
                     WHERE y.paid < y.amount_cents GROUP BY y.customer_id"
                    ),
                    false,
                ),
                // The statements below look customers up in it, once per alert.
                (
                    "CREATE INDEX alert_overdue_customer ON alert_overdue (customer_id)".to_owned(),
                    false,
                ),
                // The open alert follows its customer's figures.
                (
                    format!(
                        "UPDATE alerts SET \
                       observed_cents = (SELECT o.outstanding FROM alert_overdue o WHERE o.customer_id = alerts.customer_id), \
                       expected_cents = (SELECT o.total FROM alert_overdue o WHERE o.customer_id = alerts.customer_id), \
                       subject_on = (SELECT o.first_due FROM alert_overdue o WHERE o.customer_id = alerts.customer_id), \
                       items = (SELECT o.n FROM alert_overdue o WHERE o.customer_id = alerts.customer_id), \
                       version = version + 1 \
                     WHERE alerts.id IN (SELECT a.id FROM alerts a JOIN alert_overdue o ON o.customer_id = a.customer_id \
                       WHERE {open} AND (a.observed_cents IS NULL OR a.observed_cents <> o.outstanding \
                         OR a.expected_cents <> o.total OR a.subject_on <> o.first_due OR a.items IS NULL OR a.items <> o.n))"
                    ),
                    false,
                ),
                // A customer without an open one gets one, routed to its owner's supervisor.
                (
                    format!(
                        "{insert} SELECT 'OVERDUE_PAYMENT', 'OVERDUE_PAYMENT:C' || CAST(o.customer_id AS TEXT) || ':{today}', 'OPEN', \
                       r.region_id, r.id, o.customer_id, r.supervisor_id, o.first_due, o.outstanding, o.total, \
                       NULL, NULL, '{today}', '{now}', 1, o.n \
                     FROM alert_overdue o JOIN customers c ON c.id = o.customer_id JOIN reps r ON r.id = c.owner_rep_id \
                     WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE {open} AND a.customer_id = o.customer_id) {tail}"
                    ),
                    true,
                ),
                // Paid in full: resolved by the run.
                (
                    format!(
                        "UPDATE alerts SET status = 'RESOLVED', resolved_at = {now_ts}, \
                       note = COALESCE(note, '已全部回款 / paid in full'), version = version + 1 \
                     WHERE alerts.id IN (SELECT a.id FROM alerts a WHERE {open} AND {of_alert} \
                       AND a.customer_id NOT IN (SELECT o.customer_id FROM alert_overdue o))"
                    ),
                    false,
                ),
                ("DROP TABLE alert_overdue".to_owned(), false),
            ]);
            if matches!(customers, Customers::Since { .. }) {
                statements.push(("DROP TABLE alert_touched".to_owned(), false));
            }
            statements
        }
    }
}

/// The statements of a rule with one alert per person and region (`assignee_id`,
/// `region_id`, about `rep_id` if any), from `grouped`, a select of (user_id, region_id,
/// rep_id, first_due, n): open
/// alerts follow their figures, a person without one gets one, and one whose group is
/// gone is resolved with `done`.
fn per_person(
    rule: AlertRule,
    grouped: &str,
    insert: &str,
    today: &str,
    now: &str,
    done: &str,
) -> Vec<RuleStatement> {
    let name = rule.as_str();
    let open = format!("a.rule = '{name}' AND a.status IN ('OPEN', 'ACKNOWLEDGED')");
    let same = "o.user_id = a.assignee_id AND o.region_id = a.region_id";
    let of_alert = "o.user_id = alerts.assignee_id AND o.region_id = alerts.region_id";
    vec![
        (
            format!(
                "UPDATE alerts SET \
                   items = (SELECT o.n FROM ({grouped}) o WHERE {of_alert}), \
                   subject_on = (SELECT o.first_due FROM ({grouped}) o WHERE {of_alert}), \
                   version = version + 1 \
                 WHERE alerts.id IN (SELECT a.id FROM alerts a JOIN ({grouped}) o ON {same} \
                   WHERE {open} AND (a.items IS NULL OR a.items <> o.n OR a.subject_on <> o.first_due))"
            ),
            false,
        ),
        (
            format!(
                "{insert} SELECT '{name}', '{name}:U' || CAST(o.user_id AS TEXT) || ':G' || CAST(o.region_id AS TEXT) || ':{today}', \
                   'OPEN', o.region_id, o.rep_id, NULL, o.user_id, o.first_due, NULL, NULL, NULL, NULL, '{today}', '{now}', 1, o.n \
                 FROM ({grouped}) o \
                 WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE {open} AND {same}) ON CONFLICT (dedup_key) DO NOTHING"
            ),
            true,
        ),
        (
            format!(
                "UPDATE alerts SET status = 'RESOLVED', resolved_at = '{now}', \
                   note = COALESCE(note, '{done}'), version = version + 1 \
                 WHERE alerts.id IN (SELECT a.id FROM alerts a WHERE {open} \
                   AND NOT EXISTS (SELECT 1 FROM ({grouped}) o WHERE {same}))"
            ),
            false,
        ),
    ]
}

/// Customers the overdue rule reads per transaction. The rule checks every receivable due
/// before the cutoff against its payments — 2.6M of them for 300k customers on the
/// benchmark set, ~9 s — and on SQLite a transaction holds the only write lock, which
/// other writers wait for at most 10 s (the busy timeout). In slices of this many
/// customers (about 200k receivables) each transaction takes a fraction of a second.
const CUSTOMERS_PER_TRANSACTION: i64 = 25_000;

/// Runs the four rules as of `as_of`. Idempotent: a second run on the same day raises
/// nothing new. The overdue rule reads every customer on the first run of a day (or after
/// its threshold changed) and, on later runs that day, only the customers with receivables
/// or payments written since ([`OverdueMark`]).
pub async fn run(db: &DatabaseConnection, as_of: NaiveDate) -> AppResult<RunReport> {
    run_with(db, as_of, CUSTOMERS_PER_TRANSACTION, false).await
}

/// A full run, the overdue rule reading `slice` customer ids per transaction (tests use
/// small slices to check that slicing changes nothing).
pub async fn run_in_slices(
    db: &DatabaseConnection,
    as_of: NaiveDate,
    slice: i64,
) -> AppResult<RunReport> {
    run_with(db, as_of, slice, true).await
}

/// Setting key of the overdue rule's [`OverdueMark`].
const OVERDUE_MARK: &str = "alerts.overdue_mark";

/// What the last completed overdue rule read: as of which day, with which threshold, and
/// the largest receivable and payment ids it saw. A later run with the same day and
/// threshold needs only the customers of rows above those ids: payments and receivables
/// are only ever inserted. A row that commits with a lower id after the mark was taken
/// (PostgreSQL sequences hand out ids before commit) is read by the next day's full run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct OverdueMark {
    as_of: NaiveDate,
    overdue_days: i64,
    receivable: i64,
    payment: i64,
}

impl OverdueMark {
    fn encode(&self) -> String {
        format!(
            "{} {} {} {}",
            self.as_of.format("%Y-%m-%d"),
            self.overdue_days,
            self.receivable,
            self.payment
        )
    }

    fn decode(s: &str) -> Option<Self> {
        let mut it = s.split_whitespace();
        Some(Self {
            as_of: NaiveDate::parse_from_str(it.next()?, "%Y-%m-%d").ok()?,
            overdue_days: it.next()?.parse().ok()?,
            receivable: it.next()?.parse().ok()?,
            payment: it.next()?.parse().ok()?,
        })
    }
}

async fn overdue_mark(db: &DatabaseConnection) -> AppResult<Option<OverdueMark>> {
    Ok(setting::Entity::find_by_id(OVERDUE_MARK.to_owned())
        .one(db)
        .await?
        .and_then(|s| OverdueMark::decode(&s.value)))
}

async fn save_overdue_mark(db: &DatabaseConnection, mark: OverdueMark) -> AppResult<()> {
    let txn = crate::db::write_txn(db).await?;
    setting::Entity::insert(setting::ActiveModel {
        key: Set(OVERDUE_MARK.to_owned()),
        value: Set(mark.encode()),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(setting::Column::Key)
            .update_column(setting::Column::Value)
            .to_owned(),
    )
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Forgets the overdue rule's mark: the next run reads every customer (after alerts were
/// removed or changed by hand).
pub async fn forget_overdue_mark(db: &DatabaseConnection) -> AppResult<()> {
    setting::Entity::delete_by_id(OVERDUE_MARK.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

async fn run_with(
    db: &DatabaseConnection,
    as_of: NaiveDate,
    slice: i64,
    full: bool,
) -> AppResult<RunReport> {
    let t = thresholds(db).await?;
    let now = Utc::now().to_rfc3339();
    let backend = db.get_database_backend();
    let slice = std::cmp::max(slice, 1);
    let mut report = RunReport {
        as_of: Some(as_of),
        raised: Vec::new(),
    };
    // One transaction per rule (per slice of receivables for the overdue rule), not one
    // for the run: rules and slices are independent and each is idempotent on its own,
    // and on SQLite a transaction holds the only write lock.
    for rule in AlertRule::ALL {
        let started = std::time::Instant::now();
        let mut mark = None;
        let work = if rule == AlertRule::OverduePayment {
            // Taken before reading: what is written meanwhile is above it.
            let now_mark = OverdueMark {
                as_of,
                overdue_days: t.overdue_days,
                receivable: id_range(db, "receivables").await?.1,
                payment: id_range(db, "payments").await?.1,
            };
            mark = Some(now_mark);
            let last = if full { None } else { overdue_mark(db).await? };
            match last {
                Some(m) if m.as_of == as_of && m.overdue_days == t.overdue_days => {
                    vec![Customers::Since {
                        receivable: m.receivable,
                        payment: m.payment,
                    }]
                }
                _ => {
                    let (lo, hi) = id_range(db, "customers").await?;
                    (lo..=hi)
                        .step_by(usize::try_from(slice).unwrap_or(usize::MAX))
                        .map(|from| Customers::Range(from, from.saturating_add(slice)))
                        .collect()
                }
            }
        } else {
            vec![Customers::Range(0, 0)]
        };
        let mut n = 0;
        let mut held = std::time::Duration::ZERO;
        let slices = work.len();
        for (k, customers) in work.into_iter().enumerate() {
            if k > 0 && backend == sea_orm::DatabaseBackend::Sqlite {
                // Room for a waiting writer between slices: SQLite's busy handler retries
                // after growing pauses (up to 100 ms) and would rarely find the lock free
                // otherwise. As long as the slice held it, up to 100 ms.
                tokio::time::sleep(held.min(std::time::Duration::from_millis(100))).await;
            }
            let slice_started = std::time::Instant::now();
            let txn = crate::db::write_txn(db).await?;
            for (sql, raises) in rule_sql(rule, as_of, &t, &now, customers, backend) {
                let affected = txn
                    .execute_raw(Statement::from_string(backend, sql))
                    .await?
                    .rows_affected();
                if raises {
                    n += affected;
                }
            }
            txn.commit().await?;
            held = slice_started.elapsed();
        }
        if let Some(m) = mark {
            save_overdue_mark(db, m).await?;
        }
        tracing::debug!(?rule, raised = n, slices, elapsed = ?started.elapsed(), "alert rule ran");
        report.raised.push((rule, n));
    }
    Ok(report)
}

/// Runs the low-satisfaction rule for one survey just written (a link answered, a score
/// entered), in the writer's transaction, so its alert is in the inbox at once rather
/// than at the next scheduled run. The same statement as the rule's, on one row.
pub async fn survey_written<C: ConnectionTrait>(
    db: &C,
    survey_id: i32,
    as_of: NaiveDate,
) -> AppResult<u64> {
    let t = thresholds(db).await?;
    let now = Utc::now().to_rfc3339();
    let mut n = 0;
    for (sql, raises) in rule_sql(
        AlertRule::LowSatisfaction,
        as_of,
        &t,
        &now,
        Customers::Range(0, 0),
        db.get_database_backend(),
    ) {
        let sql = sql.replace(
            "WHERE v.score <",
            &format!("WHERE v.id = {survey_id} AND v.score <"),
        );
        let r = db
            .execute_raw(Statement::from_string(db.get_database_backend(), sql))
            .await?
            .rows_affected();
        if raises {
            n += r;
        }
    }
    Ok(n)
}

/// The lowest and highest id in `table` ((1, 0) when it is empty: no slice).
async fn id_range(db: &DatabaseConnection, table: &str) -> AppResult<(i64, i64)> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT CAST(MIN(id) AS BIGINT), CAST(MAX(id) AS BIGINT) FROM {table}"),
        ))
        .await?;
    let get = |i| {
        row.as_ref()
            .and_then(|r| r.try_get_by_index::<Option<i64>>(i).ok().flatten())
    };
    Ok(match (get(0), get(1)) {
        (Some(lo), Some(hi)) => (lo, hi),
        _ => (1, 0),
    })
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    pub statuses: Vec<AlertStatus>,
    pub rules: Vec<AlertRule>,
    pub region_id: Option<i32>,
    pub rep_id: Option<i32>,
    pub customer_id: Option<i32>,
    /// Only alerts routed to this user (or to every supervisor of a region they hold).
    pub assignee_id: Option<i32>,
    /// Only alerts putting at least this much at risk (cents; [`at_risk`]).
    pub min_at_risk: Option<i64>,
}

#[derive(Clone, Copy, Debug, Default)]
pub enum SortField {
    #[default]
    RaisedOn,
    SubjectOn,
    AmountAtRisk,
}

/// `dudao_domain::alerts::amount_at_risk` in SQL (the inbox test checks they agree): the
/// filter, the sort and the digest all use this one expression.
const AT_RISK: &str = "(CASE WHEN alerts.rule = 'OVERDUE_PAYMENT' THEN alerts.observed_cents \
     WHEN alerts.rule = 'TARGET_SHORTFALL' THEN alerts.expected_cents - alerts.observed_cents \
     ELSE NULL END)";

fn at_risk() -> sea_orm::sea_query::SimpleExpr {
    Expr::cust(AT_RISK)
}

fn filtered(viewer: &Viewer, f: &Filter) -> Condition {
    let mut c = super::scope::alerts(viewer);
    if !f.statuses.is_empty() {
        c = c.add(alert::Column::Status.is_in(f.statuses.iter().map(|s| Stored(*s))));
    }
    if !f.rules.is_empty() {
        c = c.add(alert::Column::Rule.is_in(f.rules.iter().map(|r| Stored(*r))));
    }
    if let Some(r) = f.region_id {
        c = c.add(alert::Column::RegionId.eq(r));
    }
    if let Some(r) = f.rep_id {
        c = c.add(alert::Column::RepId.eq(r));
    }
    if let Some(cu) = f.customer_id {
        c = c.add(alert::Column::CustomerId.eq(cu));
    }
    if let Some(m) = f.min_at_risk {
        c = c.add(at_risk().gte(m));
    }
    if let Some(u) = f.assignee_id {
        c = c.add(
            Condition::any().add(alert::Column::AssigneeId.eq(u)).add(
                Condition::all()
                    .add(alert::Column::AssigneeId.is_null())
                    .add(
                        alert::Column::RegionId.in_subquery(
                            Query::select()
                                .column(supervisor_region::Column::RegionId)
                                .from(supervisor_region::Entity)
                                .and_where(supervisor_region::Column::SupervisorId.eq(u))
                                .take(),
                        ),
                    ),
            ),
        );
    }
    c
}

/// An alert of a page with what it refers to. Each reference is `None` when the alert has
/// none or when the viewer may not read it (the same row filters as everywhere).
pub struct Listed {
    pub alert: alert::Model,
    pub region: Option<region::Model>,
    pub rep: Option<rep::Model>,
    pub customer: Option<customer::Model>,
}

/// Selects every column of `E` as `{prefix}{column}`, the names `FromQueryResult` reads.
fn select_prefixed<E: EntityTrait>(q: &mut SelectStatement, prefix: &str) {
    for c in E::Column::iter() {
        q.expr_as(
            Expr::col((E::default(), c)),
            Alias::new(format!("{prefix}{}", c.as_str())),
        );
    }
}

/// The model under `prefix`, or `None` when the left join found nothing (its id is null).
fn joined<M: FromQueryResult>(row: &QueryResult, prefix: &str) -> Result<Option<M>, DbErr> {
    match row.try_get::<Option<i32>>(prefix, "id")? {
        None => Ok(None),
        Some(_) => M::from_query_result(row, prefix).map(Some),
    }
}

/// One page of the alerts matching `filter`, each with its region, rep and customer joined
/// in the same statement — the inbox shows their names on every row. Each join carries the
/// viewer's row filter in its `ON`, so a reference the viewer may not read comes back
/// `None` rather than hiding the alert. `total` is the list's size, from [`counts`]: the
/// inbox asks for the counts anyway, so the list does not count a second time.
pub async fn page(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &Filter,
    sort: (SortField, Direction),
    args: PageArgs,
    total: u64,
) -> AppResult<Page<Listed>> {
    if args.limit == 0 || args.offset >= total {
        return Ok(Page {
            rows: Vec::new(),
            offset: args.offset,
            total,
        });
    }
    let col = match sort.0 {
        SortField::RaisedOn => Expr::col((alert::Entity, alert::Column::RaisedOn)),
        SortField::SubjectOn => Expr::col((alert::Entity, alert::Column::SubjectOn)),
        // Nothing at risk sorts as zero, after every alert with an amount (descending).
        SortField::AmountAtRisk => Expr::cust(format!("COALESCE({AT_RISK}, 0)")),
    };
    let mut q = Query::select();
    q.from(alert::Entity);
    select_prefixed::<alert::Entity>(&mut q, "a_");
    select_prefixed::<region::Entity>(&mut q, "g_");
    select_prefixed::<rep::Entity>(&mut q, "r_");
    select_prefixed::<customer::Entity>(&mut q, "c_");
    join_references(&mut q, viewer);
    q.cond_where(filtered(viewer, filter))
        .order_by_expr(col, sort.1.into())
        .order_by((alert::Entity, alert::Column::Id), sort.1.into())
        .limit(args.limit)
        .offset(args.offset);
    let rows = db
        .query_all(&q)
        .await?
        .iter()
        .map(|row| {
            Ok(Listed {
                alert: alert::Model::from_query_result(row, "a_")?,
                region: joined(row, "g_")?,
                rep: joined(row, "r_")?,
                customer: joined(row, "c_")?,
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    Ok(Page {
        rows,
        offset: args.offset,
        total,
    })
}

/// Left-joins an alert's region, rep and customer, each under the viewer's row filter for
/// that table (in the join's `ON`, so an unreadable reference is null, not a lost alert).
fn join_references(q: &mut SelectStatement, viewer: &Viewer) {
    q.join(
        JoinType::LeftJoin,
        region::Entity,
        Condition::all()
            .add(
                Expr::col((region::Entity, region::Column::Id))
                    .equals((alert::Entity, alert::Column::RegionId)),
            )
            .add(super::scope::regions(viewer)),
    )
    .join(
        JoinType::LeftJoin,
        rep::Entity,
        Condition::all()
            .add(
                Expr::col((rep::Entity, rep::Column::Id))
                    .equals((alert::Entity, alert::Column::RepId)),
            )
            .add(super::scope::reps(viewer)),
    )
    .join(
        JoinType::LeftJoin,
        customer::Entity,
        Condition::all()
            .add(
                Expr::col((customer::Entity, customer::Column::Id))
                    .equals((alert::Entity, alert::Column::CustomerId)),
            )
            .add(super::scope::customers(viewer)),
    );
}

/// The columns of an alert export, and which of them are money (cents, written as yuan).
const EXPORT_COLUMNS: [(&str, bool, Option<&str>); 15] = [
    ("id", false, None),
    ("rule", false, Some("rule")),
    ("status", false, Some("alert_status")),
    ("region_name", false, None),
    ("rep_name", false, None),
    ("customer_id", false, None),
    ("customer_name", false, None),
    ("subject_on", false, None),
    ("observed", true, None),
    ("expected", true, None),
    ("score", false, None),
    ("raised_on", false, None),
    ("acknowledged_at", false, None),
    ("resolved_at", false, None),
    ("note", false, None),
];

/// Writes the alerts matching `filter` that the viewer may read as CSV or XLSX — the inbox's
/// filters, every page — with the names of their region, rep and customer. Returns the
/// number of rows.
pub async fn export(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &Filter,
    format: super::transfer::Format,
    lang: Option<dudao_domain::columns::Lang>,
    out: &mut dyn std::io::Write,
) -> AppResult<usize> {
    let text = |c: alert::Column| Expr::col((alert::Entity, c)).cast_as(Alias::new("TEXT"));
    let mut q = Query::select();
    q.from(alert::Entity)
        .column((alert::Entity, alert::Column::Id))
        .column((alert::Entity, alert::Column::Rule))
        .column((alert::Entity, alert::Column::Status))
        .column((region::Entity, region::Column::Name))
        .column((rep::Entity, rep::Column::Name))
        .column((customer::Entity, customer::Column::Id))
        .column((customer::Entity, customer::Column::Name))
        .column((alert::Entity, alert::Column::SubjectOn))
        .column((alert::Entity, alert::Column::ObservedCents))
        .column((alert::Entity, alert::Column::ExpectedCents))
        .column((alert::Entity, alert::Column::Score))
        .column((alert::Entity, alert::Column::RaisedOn))
        .expr(text(alert::Column::AcknowledgedAt))
        .expr(text(alert::Column::ResolvedAt))
        .column((alert::Entity, alert::Column::Note));
    join_references(&mut q, viewer);
    q.cond_where(filtered(viewer, filter))
        .and_where(Expr::cust("alerts.id > {after}"))
        .order_by((alert::Entity, alert::Column::Id), sea_orm::Order::Asc)
        .limit(5000);
    let sql = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => q.to_string(sea_orm::sea_query::PostgresQueryBuilder),
        _ => q.to_string(sea_orm::sea_query::SqliteQueryBuilder),
    };
    let columns: Vec<super::transfer::ExportColumn> = EXPORT_COLUMNS
        .iter()
        .map(|(code, money, words)| super::transfer::ExportColumn {
            code,
            money: *money,
            words: *words,
        })
        .collect();
    super::transfer::write_export(db, &sql, &columns, lang, format, out).await
}

/// The size of the list `statuses` selects (all when empty), from the counts per status.
pub fn total(counts: &[(AlertStatus, i64)], statuses: &[AlertStatus]) -> u64 {
    counts
        .iter()
        .filter(|(s, _)| statuses.is_empty() || statuses.contains(s))
        .map(|(_, n)| u64::try_from(*n).unwrap_or(0))
        .sum()
}

#[derive(FromQueryResult)]
struct CountRow {
    status: String,
    n: i64,
}

/// How many visible alerts match `filter` (status ignored), per status, in one statement.
pub async fn counts<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    filter: &Filter,
) -> Result<Vec<(AlertStatus, i64)>, DbErr> {
    let mut filter = filter.clone();
    filter.statuses.clear();
    let rows = alert::Entity::find()
        .select_only()
        .column(alert::Column::Status)
        .column_as(alert::Column::Id.count(), "n")
        .filter(filtered(viewer, &filter))
        .group_by(alert::Column::Status)
        .into_model::<CountRow>()
        .all(db)
        .await?;
    Ok(AlertStatus::ALL
        .into_iter()
        .map(|s| {
            let n = rows
                .iter()
                .find(|r| r.status == s.as_str())
                .map_or(0, |r| r.n);
            (s, n)
        })
        .collect())
}

/// One rule's line of a person's daily digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestLine {
    pub rule: AlertRule,
    /// Raised on the day.
    pub raised: i64,
    /// Resolved during the day (by a person or by a run).
    pub resolved: i64,
    /// Open or acknowledged now.
    pub open: i64,
    /// What the open ones put at risk (cents).
    pub at_risk: i64,
}

#[derive(FromQueryResult)]
struct DigestRow {
    rule: String,
    raised: i64,
    resolved: i64,
    open: i64,
    at_risk: i64,
}

/// What is new for `viewer` on `day` (the business day), per rule, in one statement over
/// the alerts they may read (`filter`'s other conditions apply, e.g. routed to me): raised
/// that day, resolved that day, open now and what the open ones put at risk.
pub async fn digest(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &Filter,
    day: NaiveDate,
) -> AppResult<Vec<DigestLine>> {
    let backend = db.get_database_backend();
    let (from, to) = (
        super::sql_midnight(backend, day),
        super::sql_midnight(backend, day + chrono::Days::new(1)),
    );
    let day = super::sql_date(day);
    let mut filter = filter.clone();
    filter.statuses.clear();
    let open = "alerts.status IN ('OPEN', 'ACKNOWLEDGED')";
    let rows = alert::Entity::find()
        .select_only()
        .column(alert::Column::Rule)
        .column_as(
            Expr::cust(format!(
                "CAST(SUM(CASE WHEN alerts.raised_on = '{day}' THEN 1 ELSE 0 END) AS BIGINT)"
            )),
            "raised",
        )
        .column_as(
            Expr::cust(format!(
                "CAST(SUM(CASE WHEN alerts.status = 'RESOLVED' AND alerts.resolved_at >= {from} \
                 AND alerts.resolved_at < {to} THEN 1 ELSE 0 END) AS BIGINT)"
            )),
            "resolved",
        )
        .column_as(
            Expr::cust(format!("CAST(SUM(CASE WHEN {open} THEN 1 ELSE 0 END) AS BIGINT)")),
            "open",
        )
        .column_as(
            Expr::cust(format!(
                "CAST(COALESCE(SUM(CASE WHEN {open} THEN COALESCE({AT_RISK}, 0) ELSE 0 END), 0) AS BIGINT)"
            )),
            "at_risk",
        )
        .filter(filtered(viewer, &filter))
        .group_by(alert::Column::Rule)
        .into_model::<DigestRow>()
        .all(db)
        .await?;
    Ok(AlertRule::ALL
        .into_iter()
        .map(|rule| {
            let r = rows.iter().find(|r| r.rule == rule.as_str());
            DigestLine {
                rule,
                raised: r.map_or(0, |r| r.raised),
                resolved: r.map_or(0, |r| r.resolved),
                open: r.map_or(0, |r| r.open),
                at_risk: r.map_or(0, |r| r.at_risk),
            }
        })
        .collect())
}

pub async fn get(db: &DatabaseConnection, viewer: &Viewer, id: i32) -> AppResult<alert::Model> {
    find_visible::<alert::Entity, _>(db, id, super::scope::alerts(viewer), "alert").await
}

/// Moves an alert to `to` (acknowledge, resolve, reopen), recording who and when.
/// An invalid move or a stale version is a `CONFLICT` and changes nothing.
pub async fn set_status(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
    to: AlertStatus,
    note: Option<String>,
) -> AppResult<alert::Model> {
    require(viewer, Action::Update, Resource::Alert)?;
    let note = match note.map(|n| n.trim().to_owned()) {
        Some(n) if n.chars().count() > 2000 => {
            return Err(AppError::BadInput(
                "note: 最多 2000 字 / at most 2000 characters".into(),
            ));
        }
        Some(n) if !n.is_empty() => Some(n),
        _ => None,
    };
    let txn = crate::db::write_txn(db).await?;
    let before =
        find_visible::<alert::Entity, _>(&txn, id, super::scope::alerts(viewer), "alert").await?;
    super::check_version(before.version, version, "alert")?;
    let from = before.status.0;
    let to = from
        .transition(to)
        .map_err(|e| AppError::Conflict(e.to_string()))?;
    let now = Utc::now();
    let mut changes = alert::ActiveModel {
        status: Set(Stored(to)),
        version: Set(before.version + 1),
        ..Default::default()
    };
    match to {
        AlertStatus::Acknowledged => {
            changes.acknowledged_by = Set(Some(viewer.user_id));
            changes.acknowledged_at = Set(Some(now));
        }
        AlertStatus::Resolved => {
            if before.acknowledged_at.is_none() {
                changes.acknowledged_by = Set(Some(viewer.user_id));
                changes.acknowledged_at = Set(Some(now));
            }
            changes.resolved_by = Set(Some(viewer.user_id));
            changes.resolved_at = Set(Some(now));
        }
        AlertStatus::Open => {
            changes.resolved_by = Set(None);
            changes.resolved_at = Set(None);
        }
    }
    if note.is_some() {
        changes.note = Set(note);
    }
    let after = save_versioned::<alert::Entity, _, _>(
        &txn,
        viewer,
        "alert",
        (alert::Column::Id, alert::Column::Version),
        &before,
        id,
        version,
        changes,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}
