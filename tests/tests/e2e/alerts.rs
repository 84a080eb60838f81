//! Alerts: the SQL rules raise exactly what the plain-Rust reference rules
//! (`dudao_domain::alerts`) say on the demo data, re-runs add nothing, thresholds are
//! settings, and the inbox's status moves respect roles, versions and the state machine.

use std::collections::{BTreeSet, HashMap};

use chrono::{Duration, NaiveDate};
use dudao::domain::alerts::{self as rules, Thresholds};
use dudao::service::alerts;
use dudao_tests::*;
use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult, Statement};
use serde_json::{Value, json};

async fn rows(db: &DatabaseConnection, sql: &str) -> Vec<QueryResult> {
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn int(r: &QueryResult, i: usize) -> i64 {
    r.try_get_by_index::<i64>(i)
        .or_else(|_| r.try_get_by_index::<i32>(i).map(i64::from))
        .unwrap_or_else(|e| panic!("column {i}: {e}"))
}

fn date(r: &QueryResult, i: usize) -> NaiveDate {
    r.try_get_by_index::<NaiveDate>(i)
        .unwrap_or_else(|e| panic!("column {i}: {e}"))
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    int(&rows(db, sql).await[0], 0)
}

/// The dedup keys the reference rules expect as of `as_of`, from facts read as plain rows.
async fn expected_keys(
    db: &DatabaseConnection,
    as_of: NaiveDate,
    t: &Thresholds,
) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();

    // Target shortfall, per rep and per region.
    let (monday, sunday) = rules::review_week(as_of);
    let q = rules::week_quarter(monday);
    let week = rules::week_label(monday);
    let mut rep_region = HashMap::new();
    let mut active = BTreeSet::new();
    for r in rows(db, "SELECT id, region_id, status FROM reps").await {
        rep_region.insert(int(&r, 0), int(&r, 1));
        if r.try_get_by_index::<String>(2).unwrap_or_default() != "LEFT" {
            active.insert(int(&r, 0));
        }
    }
    let (mut rep_week, mut region_week): (HashMap<i64, i64>, HashMap<i64, i64>) =
        Default::default();
    for o in rows(
        db,
        "SELECT rep_id, ordered_on, amount_cents, status FROM orders",
    )
    .await
    {
        let on = date(&o, 1);
        let cancelled = o.try_get_by_index::<String>(3).unwrap_or_default() == "CANCELLED";
        if !cancelled && on >= monday && on <= sunday {
            let rep = int(&o, 0);
            *rep_week.entry(rep).or_default() += int(&o, 2);
            *region_week.entry(rep_region[&rep]).or_default() += int(&o, 2);
        }
    }
    let targets = rows(
        db,
        &format!(
            "SELECT scope_kind, scope_id, value FROM targets WHERE metric = 'SALES' AND period_kind = 'QUARTER' AND year = {} AND idx = {}",
            q.year, q.index
        ),
    )
    .await;
    for t_row in targets {
        let kind = t_row.try_get_by_index::<String>(0).unwrap_or_default();
        let id = int(&t_row, 1);
        let value = int(&t_row, 2);
        let sales = match kind.as_str() {
            "REP" if active.contains(&id) => rep_week.get(&id).copied().unwrap_or(0),
            "REGION" => region_week.get(&id).copied().unwrap_or(0),
            _ => continue,
        };
        if rules::is_shortfall(sales, Some(value), q, t.shortfall_ratio) {
            keys.insert(format!("TARGET_SHORTFALL:{kind}:{id}:{week}"));
        }
    }

    // Churn risk, per customer with orders.
    let mut by_customer: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    for o in rows(
        db,
        "SELECT customer_id, ordered_on FROM orders WHERE status <> 'CANCELLED'",
    )
    .await
    {
        by_customer.entry(int(&o, 0)).or_default().push(date(&o, 1));
    }
    for (c, dates) in &by_customer {
        if rules::is_churn_risk(dates, as_of) {
            let last = dates
                .iter()
                .filter(|d| **d <= as_of)
                .max()
                .copied()
                .unwrap_or(as_of);
            keys.insert(format!("CHURN_RISK:{c}:{}", last.format("%Y-%m-%d")));
        }
    }

    // Low satisfaction, for surveys in the look-back window.
    let since = as_of - Duration::days(t.survey_lookback_days);
    for s in rows(db, "SELECT id, score, surveyed_on FROM surveys").await {
        let on = date(&s, 2);
        let score = i32::try_from(int(&s, 1)).unwrap_or(0);
        if on >= since && on <= as_of && rules::is_low_satisfaction(score, t.satisfaction) {
            keys.insert(format!("LOW_SATISFACTION:{}", int(&s, 0)));
        }
    }

    // Overdue payments: one per customer with overdue receivables.
    for (customer, _) in overdue_reference(db, as_of, t).await {
        keys.insert(format!(
            "OVERDUE_PAYMENT:C{customer}:{}",
            as_of.format("%Y-%m-%d")
        ));
    }

    // Overdue coaching action items: one per rep with any.
    let items: Vec<(
        i32,
        dudao::domain::coaching::ActionStatus,
        Option<NaiveDate>,
    )> = rows(
        db,
        "SELECT rep_id, status, due_on FROM action_items WHERE rep_id IS NOT NULL",
    )
    .await
    .iter()
    .map(|r| {
        let status: String = r.try_get_by_index(1).unwrap_or_default();
        (
            i32::try_from(int(r, 0)).unwrap_or_default(),
            dudao::domain::Code::from_code(&status)
                .unwrap_or(dudao::domain::coaching::ActionStatus::Open),
            r.try_get_by_index::<Option<NaiveDate>>(2)
                .unwrap_or_default(),
        )
    })
    .collect();
    for rep in rules::overdue_actions_by_rep(&items, as_of).keys() {
        keys.insert(format!(
            "OVERDUE_ACTIONS:R{rep}:{}",
            as_of.format("%Y-%m-%d")
        ));
    }
    keys
}

/// The overdue rule by the reference (`overdue_by_customer`) over the raw receivables.
async fn overdue_reference(
    db: &DatabaseConnection,
    as_of: NaiveDate,
    t: &Thresholds,
) -> std::collections::BTreeMap<i64, rules::OverdueSummary> {
    let mut paid: HashMap<i64, i64> = HashMap::new();
    for p in rows(
        db,
        "SELECT receivable_id, amount_cents, paid_on FROM payments",
    )
    .await
    {
        if date(&p, 2) <= as_of {
            *paid.entry(int(&p, 0)).or_default() += int(&p, 1);
        }
    }
    let facts: Vec<rules::ReceivableFact> = rows(
        db,
        "SELECT id, due_on, amount_cents, customer_id FROM receivables",
    )
    .await
    .iter()
    .map(|r| rules::ReceivableFact {
        customer_id: int(r, 3),
        due_on: date(r, 1),
        amount_cents: int(r, 2),
        paid_cents: paid.get(&int(r, 0)).copied().unwrap_or(0),
    })
    .collect();
    rules::overdue_by_customer(&facts, as_of, t.overdue_days)
}

/// No alerts, and the overdue rule's mark forgotten with them (the next run reads every
/// customer, as after any change made by hand).
async fn clear_alerts(db: &DatabaseConnection) {
    rows(db, "DELETE FROM alerts").await;
    alerts::forget_overdue_mark(db)
        .await
        .unwrap_or_else(|e| panic!("{}", e.message()));
}

/// The evaluation reminders (checked in `evaluations.rs` against the evaluations'
/// rows) are left out of the comparisons with the reference rules here.
fn reminder(rule: rules::AlertRule) -> bool {
    matches!(
        rule,
        rules::AlertRule::EvaluationsDue | rules::AlertRule::EvaluationInputDue
    )
}

fn reference_total(report: &alerts::RunReport) -> u64 {
    report
        .raised
        .iter()
        .filter(|(r, _)| !reminder(*r))
        .map(|(_, n)| n)
        .sum()
}

async fn raised_keys(db: &DatabaseConnection) -> BTreeSet<String> {
    rows(db, "SELECT dedup_key FROM alerts WHERE rule NOT IN ('EVALUATIONS_DUE', 'EVALUATION_INPUT_DUE')")
        .await
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap_or_default())
        .collect()
}

db_test!(
    sql_rules_agree_with_the_reference_and_reruns_add_nothing,
    |app: TestApp| async move {
        let db = app.running.db.clone();
        let today = dudao::clock::today();
        let t = Thresholds::default();
        for as_of in [
            today,
            today - Duration::days(40),
            today - Duration::days(200),
        ] {
            clear_alerts(&db).await;
            // The overdue rule in slices of 7 receivables: slicing changes nothing.
            let report = alerts::run_in_slices(&db, as_of, 7)
                .await
                .unwrap_or_else(|e| panic!("{}", e.message()));
            let expected = expected_keys(&db, as_of, &t).await;
            assert!(
                !expected.is_empty(),
                "the demo data should raise alerts as of {as_of}"
            );
            let raised = raised_keys(&db).await;
            assert_eq!(raised, expected, "as of {as_of}");
            assert_eq!(reference_total(&report), expected.len() as u64);
            for rule in rules::AlertRule::ALL.into_iter().filter(|r| !reminder(*r)) {
                let n = expected
                    .iter()
                    .filter(|k| k.starts_with(rule.as_str()))
                    .count();
                assert!(
                    report.raised.contains(&(rule, n as u64)),
                    "{rule:?}: {report:?}"
                );
            }
            // Idempotent: a second run, and a run from a second "server", add nothing.
            let again = alerts::run(&db, as_of)
                .await
                .unwrap_or_else(|e| panic!("{}", e.message()));
            assert_eq!(again.total(), 0);
            assert_eq!(raised_keys(&db).await.len(), expected.len());
            // Each customer's one overdue alert holds the reference's figures.
            let reference = overdue_reference(&db, as_of, &t).await;
            let held: std::collections::BTreeMap<i64, rules::OverdueSummary> = rows(
                &db,
                "SELECT customer_id, subject_on, observed_cents, expected_cents, items FROM alerts \
                 WHERE rule = 'OVERDUE_PAYMENT' AND status = 'OPEN'",
            )
            .await
            .iter()
            .map(|r| {
                (
                    int(r, 0),
                    rules::OverdueSummary {
                        first_due: date(r, 1),
                        outstanding_cents: int(r, 2),
                        total_cents: int(r, 3),
                        receivables: int(r, 4),
                    },
                )
            })
            .collect();
            assert_eq!(held, reference, "as of {as_of}");
        }
        // Each alert goes to the supervisor of the rep it is about.
        let misrouted = scalar(
            &db,
            "SELECT COUNT(*) FROM alerts a JOIN reps r ON r.id = a.rep_id \
             WHERE a.assignee_id IS NULL AND r.supervisor_id IS NOT NULL \
                OR a.assignee_id <> r.supervisor_id OR a.region_id <> r.region_id",
        )
        .await;
        assert_eq!(misrouted, 0);
        drop(app);
    }
);

db_test!(
    the_schedule_runs_the_rules_inside_the_server,
    |app: TestApp| async move {
        let db = app.running.db.clone();
        clear_alerts(&db).await;
        // Every customer has a score (the demo refreshed them): the first run waits an
        // interval, so that starting a server stays light.
        let task = tokio::spawn(dudao::alert_schedule(
            db.clone(),
            std::time::Duration::from_secs(3600),
        ));
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        task.abort();
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM alerts").await, 0);
        // Without scores (a new or migrated database) it runs at once, and scores too.
        rows(&db, "DELETE FROM customer_scores").await;
        let task = tokio::spawn(dudao::alert_schedule(
            db.clone(),
            std::time::Duration::from_secs(3600),
        ));
        let mut n = 0;
        for _ in 0..100 {
            n = scalar(&db, "SELECT COUNT(*) FROM alerts").await;
            if n > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let mut scored = 0;
        for _ in 0..100 {
            scored = scalar(&db, "SELECT COUNT(*) FROM customer_scores").await;
            if scored > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        task.abort();
        assert!(n > 0, "the scheduled run raised nothing");
        assert_eq!(scored, scalar(&db, "SELECT COUNT(*) FROM customers").await);
        drop(app);
    }
);

const LIST: &str = "query($f: AlertFilter) { alerts(first: 100, filter: $f) { totalCount edges { node { id rule status version week observed expected score subjectOn region { id } rep { id } customer { id } assignee { email } acknowledgedBy { email } resolvedBy { email } note } } } alertCounts(filter: $f) { status count } }";

fn first_alert(v: &Value) -> Value {
    data(v)["alerts"]["edges"][0]["node"].clone()
}

async fn status_move(app: &TestApp, token: &str, op: &str, id: &Value, version: &Value) -> Value {
    app.gql(
        Some(token),
        &format!("mutation($i: AlertStatusInput!) {{ {op}(input: $i) {{ id status version note acknowledgedBy {{ email }} resolvedBy {{ email }} }} }}"),
        json!({ "i": { "id": id, "version": version, "note": "电话回访 / called back" } }),
    )
    .await
}

db_test!(
    the_inbox_moves_alerts_through_their_states,
    |app: TestApp| async move {
        let sup = app.login(SUPERVISOR_EAST).await;
        let south = app.login(SUPERVISOR_SOUTH).await;
        let rep = app.login(REP_EAST1).await;

        let open = app
            .gql(Some(&sup), LIST, json!({ "f": { "status": ["OPEN"], "rule": ["OVERDUE_PAYMENT", "CHURN_RISK", "LOW_SATISFACTION"] } }))
            .await;
        let a = first_alert(&open);
        assert_eq!(a["status"], json!("OPEN"), "{open}");
        assert!(
            a["rep"]["id"].is_string() && a["customer"]["id"].is_string(),
            "{a}"
        );
        let counts = &data(&open)["alertCounts"];
        assert_eq!(counts[0]["status"], json!("OPEN"));
        assert_eq!(
            counts[0]["count"],
            data(&open)["alerts"]["totalCount"],
            "counts and list agree"
        );

        // Another region's supervisor: FORBIDDEN by id, and a rep may read but not act.
        let v = status_move(&app, &south, "acknowledgeAlert", &a["id"], &a["version"]).await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"), "{v}");
        let v = status_move(&app, &rep, "acknowledgeAlert", &a["id"], &a["version"]).await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"), "{v}");

        // Acknowledge, then resolve; who and when are recorded.
        let v = status_move(&app, &sup, "acknowledgeAlert", &a["id"], &a["version"]).await;
        let acked = &data(&v)["acknowledgeAlert"];
        assert_eq!(acked["status"], json!("ACKNOWLEDGED"));
        assert_eq!(acked["acknowledgedBy"]["email"], json!(SUPERVISOR_EAST));
        // The old version is stale now.
        let v = status_move(&app, &sup, "resolveAlert", &a["id"], &a["version"]).await;
        assert_eq!(error_code(&v), Some("CONFLICT"), "{v}");
        // Acknowledging twice is not a move of the state machine.
        let v = status_move(&app, &sup, "acknowledgeAlert", &a["id"], &acked["version"]).await;
        assert_eq!(error_code(&v), Some("CONFLICT"), "{v}");
        let v = status_move(&app, &sup, "resolveAlert", &a["id"], &acked["version"]).await;
        let resolved = &data(&v)["resolveAlert"];
        assert_eq!(resolved["status"], json!("RESOLVED"));
        assert_eq!(resolved["resolvedBy"]["email"], json!(SUPERVISOR_EAST));
        assert_eq!(resolved["note"], json!("电话回访 / called back"));
        // Undo: reopen.
        let v = status_move(&app, &sup, "reopenAlert", &a["id"], &resolved["version"]).await;
        assert_eq!(data(&v)["reopenAlert"]["status"], json!("OPEN"));
        assert!(data(&v)["reopenAlert"]["resolvedBy"].is_null());

        // A rep sees only alerts about themselves, never their region's.
        let v = app.gql(Some(&rep), LIST, json!({})).await;
        for e in data(&v)["alerts"]["edges"].as_array().into_iter().flatten() {
            assert!(
                e["node"]["rep"]["id"].is_string(),
                "rep sees a region alert: {e}"
            );
        }
        // assignedToMe narrows the supervisor's inbox to what is routed to them.
        let mine = app
            .gql(Some(&sup), LIST, json!({ "f": { "assignedToMe": true } }))
            .await;
        let all = app.gql(Some(&sup), LIST, json!({})).await;
        let n_mine = data(&mine)["alerts"]["totalCount"].as_i64().unwrap_or(-1);
        let n_all = data(&all)["alerts"]["totalCount"].as_i64().unwrap_or(-1);
        assert!(n_mine > 0 && n_mine <= n_all, "{n_mine} of {n_all}");
    }
);

db_test!(
    thresholds_are_settings_that_the_rules_read,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let sup = app.login(SUPERVISOR_EAST).await;
        let q = "mutation($i: AlertThresholdsInput!) { updateAlertThresholds(input: $i) { shortfallRatio satisfaction overdueDays surveyLookbackDays } }";
        let input = json!({ "shortfallRatio": 0.5, "satisfaction": 0.0, "overdueDays": 10, "surveyLookbackDays": 60 });
        let v = app.gql(Some(&sup), q, json!({ "i": input })).await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let bad = json!({ "shortfallRatio": 1.5, "satisfaction": 8.5, "overdueDays": 30, "surveyLookbackDays": 30 });
        let v = app.gql(Some(&director), q, json!({ "i": bad })).await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{v}");
        let v = app.gql(Some(&director), q, json!({ "i": input })).await;
        assert_eq!(data(&v)["updateAlertThresholds"]["overdueDays"], json!(10));
        let v = app
            .gql(
                Some(&sup),
                "{ alertThresholds { satisfaction overdueDays } }",
                json!({}),
            )
            .await;
        assert_eq!(data(&v)["alertThresholds"]["overdueDays"], json!(10));

        // With a satisfaction threshold of 0 no survey is low; runAlerts is the director's.
        let db = app.running.db.clone();
        clear_alerts(&db).await;
        let run = "mutation { runAlerts { total raised { rule raised } } }";
        assert_eq!(
            error_code(&app.gql(Some(&sup), run, json!({})).await),
            Some("FORBIDDEN")
        );
        let v = app.gql(Some(&director), run, json!({})).await;
        let raised = &data(&v)["runAlerts"]["raised"];
        let low = raised
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["rule"] == json!("LOW_SATISFACTION"))
            .map(|r| r["raised"].clone());
        assert_eq!(low, Some(json!(0)));
        let t = alerts::thresholds(&db).await.unwrap_or_default();
        let expected = expected_keys(&db, dudao::clock::today(), &t).await;
        assert_eq!(raised_keys(&db).await, expected);
        drop(app);
    }
);

db_test!(
    the_inbox_is_three_statements_and_its_joins_keep_the_row_filters,
    |app: TestApp| async move {
        let db = app.running.db.clone();
        // A rep who moved region after their alerts were raised: the east supervisor still
        // sees those alerts (they were raised in east) but no longer the rep.
        rows(
            &db,
            "UPDATE reps SET region_id = (SELECT region_id FROM reps r2 JOIN users u ON u.id = r2.user_id \
                                          WHERE u.email = 'rep.south1@dudao.demo') \
             WHERE id = (SELECT a.rep_id FROM alerts a JOIN regions g ON g.id = a.region_id \
                         WHERE a.rep_id IS NOT NULL AND a.status = 'OPEN' AND g.id IN \
                           (SELECT s.region_id FROM supervisor_regions s JOIN users u ON u.id = s.supervisor_id \
                            WHERE u.email = 'supervisor.east@dudao.demo') \
                         ORDER BY a.raised_on DESC, a.id DESC LIMIT 1)",
        )
        .await;
        let spa = include_str!("../../../frontend/queries/alerts.graphql");
        let lookup = "query($id: ID!) { node(id: $id) { ... on Alert { region { id name } rep { id name } customer { id name } } } }";
        let mut hidden_rep = 0;
        for who in [DIRECTOR, SUPERVISOR_EAST, REP_EAST1] {
            let token = app.login(who).await;
            for status in [json!(null), json!(["OPEN"])] {
                let before = app.statements();
                let v = app
                    .gql(
                        Some(&token),
                        spa,
                        json!({ "first": 25, "filter": { "status": status }, "counts": {} }),
                    )
                    .await;
                let used = app.statements() - before;
                // the caller's account + counts (and the list's total) + the page with
                // its region, rep and customer + the users (assignee, acknowledged,
                // resolved).
                assert!(used <= 4, "{who}: {used} statements for the inbox: {v}");
                let list = &data(&v)["alerts"];
                let counts = data(&v)["alertCounts"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let sum: i64 = counts
                    .iter()
                    .filter(|c| status.is_null() || c["status"] == json!("OPEN"))
                    .filter_map(|c| c["count"].as_i64())
                    .sum();
                assert_eq!(list["totalCount"].as_i64(), Some(sum), "{who}: {v}");
                let edges = list["edges"].as_array().cloned().unwrap_or_default();
                assert!(!edges.is_empty(), "{who} sees no alerts");
                // The joined references equal what the loaders give one alert at a time.
                for e in &edges {
                    let n = &e["node"];
                    let one = app
                        .gql(Some(&token), lookup, json!({ "id": n["id"] }))
                        .await;
                    let one = &data(&one)["node"];
                    for field in ["region", "rep", "customer"] {
                        assert_eq!(n[field], one[field], "{who}: {field} of {n}");
                    }
                    if who == SUPERVISOR_EAST
                        && n["rep"].is_null()
                        && n["rule"] != json!("TARGET_SHORTFALL")
                    {
                        hidden_rep += 1;
                    }
                }
            }
        }
        assert!(
            hidden_rep > 0,
            "the moved rep's alerts were not on the first page"
        );
    }
);

db_test!(
    one_overdue_alert_per_customer_follows_payments,
    |app: TestApp| async move {
        let db = app.running.db.clone();
        let today = dudao::clock::today();
        clear_alerts(&db).await;
        alerts::run(&db, today)
            .await
            .unwrap_or_else(|e| panic!("{}", e.message()));
        let per_customer = scalar(
            &db,
            "SELECT COUNT(*) FROM (SELECT customer_id FROM alerts WHERE rule = 'OVERDUE_PAYMENT' \
             AND status = 'OPEN' GROUP BY customer_id HAVING COUNT(*) > 1) x",
        )
        .await;
        assert_eq!(
            per_customer, 0,
            "at most one open overdue alert per customer"
        );
        // The customer with the most overdue receivables pays one of them: the alert is
        // updated in place (same id, new figures, a new version), nothing new is raised.
        let (id, customer, items, version) = {
            let r = &rows(
                &db,
                "SELECT id, customer_id, items, version FROM alerts WHERE rule = 'OVERDUE_PAYMENT' \
                 ORDER BY items DESC, id LIMIT 1",
            )
            .await[0];
            (int(r, 0), int(r, 1), int(r, 2), int(r, 3))
        };
        assert!(
            items >= 2,
            "the demo has a customer with several overdue receivables"
        );
        let day = today.format("%Y-%m-%d");
        let pay = |receivable: i64| {
            format!(
                "INSERT INTO payments (receivable_id, paid_on, amount_cents) \
                 SELECT x.id, '{day}', x.amount_cents - COALESCE((SELECT SUM(p.amount_cents) FROM payments p WHERE p.receivable_id = x.id), 0) \
                 FROM receivables x WHERE x.id = {receivable}"
            )
        };
        let overdue_ids: Vec<i64> = rows(
            &db,
            &format!(
                "SELECT x.id FROM receivables x WHERE x.customer_id = {customer} AND x.due_on <= '{}' \
                 AND x.amount_cents > COALESCE((SELECT SUM(p.amount_cents) FROM payments p WHERE p.receivable_id = x.id), 0) ORDER BY x.id",
                (today - Duration::days(30)).format("%Y-%m-%d")
            ),
        )
        .await
        .iter()
        .map(|r| int(r, 0))
        .collect();
        assert_eq!(overdue_ids.len() as i64, items);
        rows(&db, &pay(overdue_ids[0])).await;
        // A later run the same day reads only the customers with new receivables or
        // payments: an untouched customer's alert, altered here by hand, stays as it is.
        let untouched = int(
            &rows(
                &db,
                &format!(
                    "SELECT id FROM alerts WHERE rule = 'OVERDUE_PAYMENT' AND customer_id <> {customer} \
                     ORDER BY id LIMIT 1"
                ),
            )
            .await[0],
            0,
        );
        rows(
            &db,
            &format!("UPDATE alerts SET observed_cents = 1 WHERE id = {untouched}"),
        )
        .await;
        let again = alerts::run(&db, today)
            .await
            .unwrap_or_else(|e| panic!("{}", e.message()));
        assert_eq!(again.total(), 0, "{again:?}");
        let r = &rows(
            &db,
            &format!("SELECT items, version, status FROM alerts WHERE id = {id}"),
        )
        .await[0];
        assert_eq!(int(r, 0), items - 1);
        assert_eq!(int(r, 1), version + 1);
        let held = |id: i64| {
            let db = db.clone();
            async move {
                int(
                    &rows(
                        &db,
                        &format!("SELECT observed_cents FROM alerts WHERE id = {id}"),
                    )
                    .await[0],
                    0,
                )
            }
        };
        assert_eq!(
            held(untouched).await,
            1,
            "an untouched customer was read again"
        );
        // The next day's first run reads everyone again and puts it right.
        alerts::run(&db, today + Duration::days(1))
            .await
            .unwrap_or_else(|e| panic!("{}", e.message()));
        assert_ne!(held(untouched).await, 1);
        // Everything paid: the run resolves it (as of today again, a full run: the mark
        // is of tomorrow).
        for rid in &overdue_ids[1..] {
            rows(&db, &pay(*rid)).await;
        }
        alerts::run(&db, today)
            .await
            .unwrap_or_else(|e| panic!("{}", e.message()));
        let r = &rows(
            &db,
            &format!("SELECT status, note FROM alerts WHERE id = {id}"),
        )
        .await[0];
        assert_eq!(
            r.try_get_by_index::<String>(0).unwrap_or_default(),
            "RESOLVED"
        );
        assert!(
            r.try_get_by_index::<Option<String>>(1)
                .ok()
                .flatten()
                .is_some_and(|n| n.contains("paid")),
            "the run says why"
        );
        drop(app);
    }
);

db_test!(
    the_inbox_sorts_and_filters_by_amount_at_risk,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let q = "query($f: AlertFilter, $o: AlertOrderBy) { alerts(first: 100, filter: $f, orderBy: $o) { totalCount edges { node { rule amountAtRisk observed expected items } } } }";
        let at_risk = |v: &Value| -> Vec<f64> {
            v["data"]["alerts"]["edges"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| {
                    e["node"]["amountAtRisk"]
                        .as_str()
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(0.0)
                })
                .collect()
        };
        let v = app
            .gql(
                Some(&director),
                q,
                json!({ "o": { "field": "AMOUNT_AT_RISK", "direction": "DESC" } }),
            )
            .await;
        let amounts = at_risk(&v);
        assert!(amounts.len() > 10, "{v}");
        assert!(amounts[0] > 0.0);
        // The SQL order agrees with the field computed by the domain rule.
        assert!(
            amounts.windows(2).all(|w| w[0] >= w[1]),
            "not sorted by amount at risk: {amounts:?}"
        );
        for e in data(&v)["alerts"]["edges"].as_array().into_iter().flatten() {
            let n = &e["node"];
            if n["rule"] == json!("OVERDUE_PAYMENT") {
                assert_eq!(n["amountAtRisk"], n["observed"], "{n}");
                assert!(n["items"].as_i64().is_some_and(|i| i >= 1), "{n}");
            }
        }
        // At least the median: fewer alerts, each at or above it.
        let median = amounts[amounts.len() / 2];
        let v = app
            .gql(
                Some(&director),
                q,
                json!({ "f": { "minAmountAtRisk": format!("{median:.2}") }, "o": { "field": "AMOUNT_AT_RISK", "direction": "ASC" } }),
            )
            .await;
        let above = at_risk(&v);
        assert!(!above.is_empty(), "{v}");
        assert!(
            above.iter().all(|a| *a + 0.005 >= median),
            "{above:?} vs {median}"
        );
        let all = app.gql(Some(&director), q, json!({})).await;
        assert!(
            data(&v)["alerts"]["totalCount"].as_i64() < data(&all)["alerts"]["totalCount"].as_i64(),
            "the filter narrows the list"
        );
    }
);

db_test!(
    repeated_shortfall_weeks_of_one_scope_are_one_alert,
    |app: TestApp| async move {
        let db = app.running.db.clone();
        let t = Thresholds::default();
        let today = dudao::clock::today();
        let (week1, week2) = (today - Duration::days(7), today);
        clear_alerts(&db).await;
        for as_of in [week1, week2] {
            alerts::run(&db, as_of)
                .await
                .unwrap_or_else(|e| panic!("{}", e.message()));
        }
        // The scopes short in either week, and in how many of the two, by the reference.
        let mut weeks: HashMap<String, i64> = HashMap::new();
        for as_of in [week1, week2] {
            for k in expected_keys(&db, as_of, &t).await {
                if let Some(rest) = k.strip_prefix("TARGET_SHORTFALL:") {
                    let scope = rest.rsplit_once(':').map_or(rest, |(s, _)| s).to_owned();
                    *weeks.entry(scope).or_default() += 1;
                }
            }
        }
        assert!(
            weeks.values().any(|n| *n == 2),
            "some scope is short both weeks: {weeks:?}"
        );
        let monday2 = rules::review_week(week2).0;
        let held: HashMap<String, (i64, NaiveDate)> = rows(
            &db,
            "SELECT rep_id, region_id, items, subject_on FROM alerts WHERE rule = 'TARGET_SHORTFALL' AND status = 'OPEN'",
        )
        .await
        .iter()
        .map(|r| {
            let scope = match r.try_get_by_index::<Option<i32>>(0).ok().flatten() {
                Some(rep) => format!("REP:{rep}"),
                None => format!("REGION:{}", int(r, 1)),
            };
            (scope, (int(r, 2), date(r, 3)))
        })
        .collect();
        assert_eq!(held.len(), weeks.len(), "one open alert per scope");
        for (scope, n) in &weeks {
            let (items, on) = held
                .get(scope)
                .copied()
                .unwrap_or_else(|| panic!("{scope} has no alert"));
            assert_eq!(items, *n, "{scope}: weeks counted");
            if *n == 2 {
                assert_eq!(on, monday2, "{scope}: moved to the latest week");
            }
        }
        drop(app);
    }
);

db_test!(
    the_daily_digest_says_what_is_new_for_each_person,
    |app: TestApp| async move {
        let db = app.running.db.clone();
        let today = dudao::clock::today();
        clear_alerts(&db).await;
        alerts::run(&db, today)
            .await
            .unwrap_or_else(|e| panic!("{}", e.message()));
        let q = "query($f: AlertFilter) { alertDigest(filter: $f) { day raised resolved open amountAtRisk rules { rule raised open amountAtRisk } } }";
        let sup = app.login(SUPERVISOR_EAST).await;
        let v = app.gql(Some(&sup), q, json!({})).await;
        let d = &data(&v)["alertDigest"];
        let east = "(SELECT region_id FROM supervisor_regions s JOIN users u ON u.id = s.supervisor_id WHERE u.email = 'supervisor.east@dudao.demo')";
        let expected = scalar(
            &db,
            &format!("SELECT COUNT(*) FROM alerts WHERE region_id IN {east}"),
        )
        .await;
        assert!(expected > 0);
        assert_eq!(d["raised"].as_i64(), Some(expected), "{d}");
        assert_eq!(d["open"].as_i64(), Some(expected));
        assert_eq!(d["resolved"].as_i64(), Some(0));
        assert_eq!(d["day"], json!(today.format("%Y-%m-%d").to_string()));
        let overdue = scalar(
            &db,
            &format!("SELECT CAST(COALESCE(SUM(observed_cents), 0) AS BIGINT) FROM alerts WHERE rule = 'OVERDUE_PAYMENT' AND region_id IN {east}"),
        )
        .await;
        let line = d["rules"]
            .as_array()
            .and_then(|r| {
                r.iter()
                    .find(|l| l["rule"] == json!("OVERDUE_PAYMENT"))
                    .cloned()
            })
            .unwrap_or_default();
        assert_eq!(
            line["amountAtRisk"],
            json!(dudao::domain::Money(overdue).to_string()),
            "{line}"
        );
        // Resolving one shows up as resolved today, and no longer open.
        let (id, version) = {
            let r = &rows(
                &db,
                &format!(
                    "SELECT id, version FROM alerts WHERE region_id IN {east} ORDER BY id LIMIT 1"
                ),
            )
            .await[0];
            (int(r, 0), int(r, 1))
        };
        let v = app
            .gql(
                Some(&sup),
                "mutation($i: AlertStatusInput!) { resolveAlert(input: $i) { status } }",
                json!({ "i": { "id": gid("Alert", id), "version": version } }),
            )
            .await;
        assert!(v["errors"].is_null(), "{v}");
        let v = app.gql(Some(&sup), q, json!({})).await;
        let d = &data(&v)["alertDigest"];
        assert_eq!(d["resolved"].as_i64(), Some(1), "{d}");
        assert_eq!(d["open"].as_i64(), Some(expected - 1));
        // A rep's digest covers their own alerts only.
        let rep = app.login(REP_EAST1).await;
        let v = app.gql(Some(&rep), q, json!({})).await;
        let own = scalar(
            &db,
            "SELECT COUNT(*) FROM alerts a JOIN reps r ON r.id = a.rep_id JOIN users u ON u.id = r.user_id WHERE u.email = 'rep.east1@dudao.demo'",
        )
        .await;
        assert_eq!(data(&v)["alertDigest"]["raised"].as_i64(), Some(own));
    }
);

db_test!(
    overdue_action_items_raise_one_alert_per_rep_kept_current_and_resolved,
    |app: TestApp| async move {
        let db = app.running.db.clone();
        let today = dudao::clock::today();
        let run = || async {
            alerts::run(&db, today)
                .await
                .unwrap_or_else(|e| panic!("alert run: {e:?}"))
        };
        // The open alerts of the rule against the reference over every action item.
        let check = || async {
            let items: Vec<(
                i32,
                dudao::domain::coaching::ActionStatus,
                Option<NaiveDate>,
            )> = rows(
                &db,
                "SELECT rep_id, status, due_on FROM action_items WHERE rep_id IS NOT NULL",
            )
            .await
            .iter()
            .map(|r| {
                let status: String = r.try_get_by_index(1).unwrap_or_default();
                (
                    r.try_get_by_index::<i32>(0).unwrap_or_default(),
                    dudao::domain::Code::from_code(&status)
                        .unwrap_or(dudao::domain::coaching::ActionStatus::Open),
                    r.try_get_by_index::<Option<NaiveDate>>(2)
                        .unwrap_or_default(),
                )
            })
            .collect();
            let expected = rules::overdue_actions_by_rep(&items, today);
            let open: std::collections::BTreeMap<i32, (i64, NaiveDate)> = rows(
                &db,
                "SELECT rep_id, items, subject_on FROM alerts WHERE rule = 'OVERDUE_ACTIONS' AND status IN ('OPEN', 'ACKNOWLEDGED')",
            )
            .await
            .iter()
            .map(|r| {
                (
                    r.try_get_by_index::<i32>(0).unwrap_or_default(),
                    (int(r, 1), date(r, 2)),
                )
            })
            .collect();
            assert_eq!(
                open, expected,
                "open overdue-action alerts against the reference"
            );
            expected
        };
        run().await;
        let before = check().await;
        assert!(!before.is_empty(), "the demo has overdue action items");
        // A rep with overdue items: every one done, then the next run resolves the alert.
        let (&rep, _) = before.iter().next().unwrap_or((&0, &(0, today)));
        let resolved = format!(
            "SELECT COUNT(*) FROM alerts WHERE rule = 'OVERDUE_ACTIONS' AND rep_id = {rep} AND status = 'RESOLVED'"
        );
        let resolved_before = scalar(&db, &resolved).await;
        let director = app.login(DIRECTOR).await;
        let ids = rows(
            &db,
            &format!(
                "SELECT id, version FROM action_items WHERE rep_id = {rep} AND status = 'OPEN'"
            ),
        )
        .await;
        for r in &ids {
            let id: i32 = r.try_get_by_index(0).unwrap_or_default();
            let version: i32 = r.try_get_by_index(1).unwrap_or_default();
            let v = app
                .gql(
                    Some(&director),
                    "mutation($i: UpdateActionItemInput!) { updateActionItem(input: $i) { status } }",
                    json!({ "i": { "id": gid("ActionItem", i64::from(id)), "version": version, "status": "DONE" } }),
                )
                .await;
            assert_eq!(data(&v)["updateActionItem"]["status"], "DONE", "{v}");
        }
        let report = run().await;
        let after = check().await;
        assert!(!after.contains_key(&rep));
        assert_eq!(
            scalar(&db, &resolved).await,
            resolved_before + 1,
            "resolved once"
        );
        assert_eq!(
            report
                .raised
                .iter()
                .find(|(r, _)| *r == rules::AlertRule::OverdueActions)
                .map(|(_, n)| *n),
            Some(0),
            "a re-run raises nothing new"
        );
        // Another rep gets one more overdue item: their one alert counts it.
        if let Some((&other, &(n, _))) = after.iter().next() {
            exec(
                &app,
                &format!(
                    "INSERT INTO action_items (session_id, rep_id, owner_id, title, due_on, status, created_at, version) \
                     SELECT session_id, rep_id, owner_id, 'one more', '{}', 'OPEN', created_at, 1 FROM action_items WHERE rep_id = {other} LIMIT 1",
                    today - Duration::days(2)
                ),
            )
            .await;
            run().await;
            let now = check().await;
            assert_eq!(now.get(&other).map(|x| x.0), Some(n + 1));
            assert_eq!(
                scalar(&db, &format!("SELECT COUNT(*) FROM alerts WHERE rule = 'OVERDUE_ACTIONS' AND rep_id = {other} AND status <> 'RESOLVED'")).await,
                1,
                "still one alert for the rep"
            );
        }
    }
);
