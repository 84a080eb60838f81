//! Import and export over HTTP: exports follow row access and filters; imports write all
//! rows or none, report every bad row with its line, and round-trip CSV and XLSX.

use dudao_tests::*;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

async fn count(app: &TestApp, sql: &str) -> i64 {
    let db = &app.running.db;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no row for {sql}"));
    row.try_get_by_index::<i64>(0)
        .or_else(|_| row.try_get_by_index::<i32>(0).map(i64::from))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Every row of the copies the figures read (service::rollups), as text in key order.
async fn copies<C: ConnectionTrait>(db: &C) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT 'm ' || CAST(month AS TEXT) || ' ' || CAST(rep_id AS TEXT) || ' ' || CAST(sales_cents AS TEXT) || ' ' || \
           CAST(order_count AS TEXT) || ' ' || CAST(due_cents AS TEXT) || ' ' || CAST(won AS TEXT) || ' ' || CAST(closed AS TEXT) || ' ' || \
           CAST(surveys AS TEXT) || ' ' || CAST(score_sum AS TEXT) || ' ' || CAST(promoters AS TEXT) || ' ' || CAST(detractors AS TEXT) \
         FROM rep_months ORDER BY month, rep_id",
        "SELECT 'p ' || CAST(due_month AS TEXT) || ' ' || CAST(rep_id AS TEXT) || ' ' || CAST(paid_month AS TEXT) || ' ' || CAST(cents AS TEXT) \
         FROM rep_paid_months ORDER BY due_month, rep_id, paid_month",
        "SELECT 'n ' || scope_kind || ' ' || CAST(scope_id AS TEXT) || ' ' || CAST(month AS TEXT) || ' ' || CAST(customers AS TEXT) \
         FROM new_customer_months ORDER BY scope_kind, scope_id, month",
        "SELECT 'c ' || CAST(rep_id AS TEXT) || ' ' || CAST(month AS TEXT) || ' ' || CAST(days AS TEXT) || ' ' || CAST(won AS TEXT) \
         FROM rep_cycle_months ORDER BY rep_id, month, days",
        "SELECT 'f ' || CAST(customer_id AS TEXT) || ' ' || CAST(rep_id AS TEXT) || ' ' || CAST(first_on AS TEXT) \
         FROM customer_firsts ORDER BY customer_id, rep_id",
    ] {
        let rows = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        for r in rows {
            out.push(
                r.try_get_by_index::<String>(0)
                    .unwrap_or_else(|e| panic!("{sql}: {e}")),
            );
        }
    }
    out
}

/// The copies an import added to equal the copies rebuilt from all the facts.
async fn assert_copies_current(app: &TestApp) {
    use sea_orm::TransactionTrait;
    let db = &app.running.db;
    let kept = copies(db).await;
    assert!(!kept.is_empty());
    let txn = db.begin().await.unwrap_or_else(|e| panic!("{e}"));
    dudao::service::rollups::refresh_all(&txn)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let rebuilt = copies(&txn).await;
    txn.rollback().await.unwrap_or_else(|e| panic!("{e}"));
    let differ: Vec<_> = kept
        .iter()
        .zip(&rebuilt)
        .filter(|(a, b)| a != b)
        .take(5)
        .collect();
    assert!(
        kept.len() == rebuilt.len() && differ.is_empty(),
        "copies {} vs rebuilt {}: {differ:?}",
        kept.len(),
        rebuilt.len()
    );
}

async fn export(app: &TestApp, token: &str, path: &str) -> (u16, Vec<u8>) {
    let resp = app
        .http
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let status = resp.status().as_u16();
    (
        status,
        resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
    )
}

async fn import(app: &TestApp, token: &str, path: &str, body: Vec<u8>) -> (u16, Value) {
    let resp = app
        .http
        .post(app.url(path))
        .bearer_auth(token)
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn csv_lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .lines()
        .map(str::to_owned)
        .collect()
}

db_test!(
    exports_follow_access_and_filters,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let sup = app.login(SUPERVISOR_EAST).await;
        let rep = app.login(REP_EAST1).await;

        let (status, body) = export(&app, &director, "/api/export/orders").await;
        assert_eq!(status, 200);
        let lines = csv_lines(&body);
        assert_eq!(
            lines[0],
            "id,customer_id,rep_id,ordered_on,amount,status,due_on,customer_code,customer_name,rep_employee_no,rep_name"
        );
        assert_eq!(
            lines.len() as i64 - 1,
            count(&app, "SELECT COUNT(*) FROM orders").await
        );

        let (_, body) = export(&app, &sup, "/api/export/orders").await;
        let east = count(
        &app,
        "SELECT COUNT(*) FROM orders o JOIN reps r ON r.id = o.rep_id JOIN regions g ON g.id = r.region_id WHERE g.code = 'EAST'",
    )
    .await;
        assert_eq!(
            csv_lines(&body).len() as i64 - 1,
            east,
            "a supervisor exports their region only"
        );

        let (_, body) = export(
            &app,
            &director,
            "/api/export/orders?from=2026-01-01&to=2026-01-31",
        )
        .await;
        let january = count(
        &app,
        "SELECT COUNT(*) FROM orders WHERE ordered_on >= '2026-01-01' AND ordered_on <= '2026-01-31'",
    )
    .await;
        assert_eq!(csv_lines(&body).len() as i64 - 1, january);

        let (status, body) = export(&app, &director, "/api/export/customers?format=xlsx").await;
        assert_eq!(status, 200);
        assert!(body.starts_with(b"PK"), "an XLSX file is a zip");

        let (status, _) = export(&app, &rep, "/api/export/targets").await;
        assert_eq!(status, 403);
        let resp = app.http.get(app.url("/api/export/orders")).send().await;
        assert_eq!(resp.map(|r| r.status().as_u16()).unwrap_or(0), 401);
        let (status, _) = export(&app, &director, "/api/export/secrets").await;
        assert_eq!(status, 400);
    }
);

db_test!(
    imports_are_all_or_nothing_with_every_bad_row,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let sup = app.login(SUPERVISOR_EAST).await;
        let rep = count(&app, "SELECT MIN(id) FROM reps").await;
        let customer = count(&app, "SELECT MIN(id) FROM customers").await;
        let orders_before = count(&app, "SELECT COUNT(*) FROM orders").await;
        let audit_before = count(&app, "SELECT COUNT(*) FROM audit_log").await;

        // Lines 3 and 5 are bad: nothing is written, both are reported.
        let bad = format!(
            "customer_id,rep_id,ordered_on,amount,status\n\
         {customer},{rep},2026-01-05,100.00,\n\
         999999,{rep},2026-01-05,100,\n\
         {customer},{rep},2026-01-06,250.5,CANCELLED\n\
         {customer},{rep},2026-02-30,abc,\n"
        );
        let (status, report) =
            import(&app, &director, "/api/import/orders", bad.into_bytes()).await;
        assert_eq!(status, 422, "{report}");
        assert_eq!(report["errorCount"], Value::from(2), "{report}");
        assert_eq!(report["errors"][0]["line"], Value::from(3));
        assert_eq!(report["errors"][1]["line"], Value::from(5));
        assert!(
            report["errors"][1]["reason"]
                .as_str()
                .unwrap_or_default()
                .contains("ordered_on")
        );
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM orders").await,
            orders_before
        );
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM audit_log").await,
            audit_before
        );

        // A file without a required column is refused as a whole.
        let (status, _) = import(
            &app,
            &director,
            "/api/import/orders",
            b"customer_id,amount\n1,2\n".to_vec(),
        )
        .await;
        assert_eq!(status, 400);
        // Only ADMIN and DIRECTOR import.
        let good = format!(
            "customer_id,rep_id,ordered_on,amount,status,due_on\n\
         {customer},{rep},2015-03-01,80.00,,\n\
         {customer},{rep},2026-01-05,100.00,,2026-02-01\n\
         {customer},{rep},2026-01-06,250.5,CANCELLED,\n"
        );
        let (status, _) = import(&app, &sup, "/api/import/orders", good.clone().into_bytes()).await;
        assert_eq!(status, 403);

        let receivables_before = count(&app, "SELECT COUNT(*) FROM receivables").await;
        let (status, report) =
            import(&app, &director, "/api/import/orders", good.into_bytes()).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["imported"], Value::from(3));
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM orders").await,
            orders_before + 3
        );
        // The first-order table follows the imported orders (new customers read it),
        // including a first day moved earlier by an old order (2015).
        assert_eq!(
            count(&app, &format!("SELECT COUNT(*) FROM customer_firsts WHERE customer_id = {customer} AND rep_id = {rep} AND first_on = '2015-03-01'")).await,
            1
        );
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM (SELECT customer_id, rep_id, MIN(ordered_on) AS m FROM orders WHERE status <> 'CANCELLED' GROUP BY customer_id, rep_id) x \
                LEFT JOIN customer_firsts f ON f.customer_id = x.customer_id AND f.rep_id = x.rep_id WHERE f.first_on IS NULL OR f.first_on <> x.m").await,
            0
        );
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM customer_firsts").await,
            count(&app, "SELECT COUNT(*) FROM (SELECT DISTINCT customer_id, rep_id FROM orders WHERE status <> 'CANCELLED') x").await
        );
        // A receivable for each confirmed order only, due when the file says.
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM receivables").await,
            receivables_before + 2
        );
        let order = count(
            &app,
            "SELECT MAX(id) FROM orders WHERE status = 'CONFIRMED'",
        )
        .await;
        assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM receivables WHERE order_id = {order} AND due_on = '2026-02-01'")).await,
        1
    );

        // Payments go to that order's receivable.
        let (status, report) = import(
            &app,
            &director,
            "/api/import/payments",
            format!("order_id,paid_on,amount\n{order},2026-01-20,60.00\n").into_bytes(),
        )
        .await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(
        count(&app, &format!("SELECT CAST(SUM(p.amount_cents) AS BIGINT) FROM payments p JOIN receivables r ON r.id = p.receivable_id WHERE r.order_id = {order}")).await,
        6000
    );
        // Every payment (demo and imported) carries its receivable's due date and rep,
        // which the scorecard's collection rate reads.
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM payments p JOIN receivables r ON r.id = p.receivable_id \
                WHERE p.due_on IS NULL OR p.rep_id IS NULL OR p.due_on <> r.due_on OR p.rep_id <> r.rep_id").await,
            0
        );
        assert!(count(&app, "SELECT COUNT(*) FROM payments").await > 0);
        // The monthly sums and first orders the figures read took the imports in.
        assert_copies_current(&app).await;
        // A receivable whose due date changes takes its payments' copies along.
        app.running
            .db
            .execute_unprepared(&format!(
                "UPDATE receivables SET due_on = '2026-03-01' WHERE order_id = {order}"
            ))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            count(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM payments p JOIN receivables r ON r.id = p.receivable_id \
                WHERE r.order_id = {order} AND p.due_on = '2026-03-01'"
                )
            )
            .await,
            1
        );

        // New orders get ids after the existing ones, and new rows still insert afterwards.
        let v = app
        .gql(
            Some(&director),
            "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }",
            serde_json::json!({ "i": { "name": "导入后新客户", "industry": "制造业", "ownerId": dudao::api::ids::encode("Rep", rep as i32).0 } }),
        )
        .await;
        assert!(v["errors"].is_null(), "{v}");
    }
);

db_test!(
    xlsx_round_trips_and_targets_upsert,
    |app: TestApp| async move {
        use dudao::service::scorecard::{Scope, figures};
        let director = app.login(DIRECTOR).await;
        let before = count(&app, "SELECT COUNT(*) FROM opportunities").await;
        // The company's sales cycle last year and this year (the demo data goes back two).
        let cycle = async || {
            let this = dudao::domain::Period::containing(
                dudao::domain::PeriodKind::Year,
                dudao::clock::today(),
            );
            let mut out = Vec::new();
            for p in [this.previous(), this] {
                let f = figures(&app.running.db, Scope::Company, p)
                    .await
                    .unwrap_or_else(|e| panic!("{}", e.message()));
                out.push(f.sales_cycle_days);
            }
            out
        };
        let cycle_before = cycle().await;
        assert!(
            cycle_before[0].is_some(),
            "the demo data won nothing last year"
        );
        let (_, xlsx) = export(&app, &director, "/api/export/opportunities?format=xlsx").await;
        let (status, report) = import(
            &app,
            &director,
            "/api/import/opportunities?format=xlsx",
            xlsx,
        )
        .await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM opportunities").await,
            2 * before
        );
        // Every imported opportunity has its stage history (the funnel reads it).
        assert_eq!(
        count(&app, "SELECT COUNT(*) FROM opportunities o WHERE NOT EXISTS (SELECT 1 FROM opportunity_stages s WHERE s.opportunity_id = o.id)").await,
        0
    );
        // Won and closed counts of the imported opportunities are in the monthly sums, and
        // their cycles in the histogram: each cycle now twice, so every count doubled and
        // the median the same.
        assert_copies_current(&app).await;
        assert!(count(&app, "SELECT COUNT(*) FROM rep_cycle_months WHERE won > 1").await > 0);
        assert_eq!(cycle().await, cycle_before);

        let region = count(&app, "SELECT id FROM regions WHERE code = 'EAST'").await;
        let version = count(&app, &format!("SELECT version FROM targets WHERE metric = 'SALES' AND scope_kind = 'REGION' AND scope_id = {region} AND period_kind = 'YEAR' AND year = 2026")).await;
        let file = format!(
            "metric,scope_kind,scope_id,period_kind,year,index,value\n\
         SALES,REGION,{region},YEAR,2026,,12345678.00\n\
         NEW_CUSTOMERS,COMPANY,,QUARTER,2026,4,40\n"
        );
        let (status, report) =
            import(&app, &director, "/api/import/targets", file.into_bytes()).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(
        count(&app, &format!("SELECT value FROM targets WHERE metric = 'SALES' AND scope_kind = 'REGION' AND scope_id = {region} AND period_kind = 'YEAR' AND year = 2026")).await,
        1_234_567_800
    );
        assert_eq!(
        count(&app, &format!("SELECT version FROM targets WHERE metric = 'SALES' AND scope_kind = 'REGION' AND scope_id = {region} AND period_kind = 'YEAR' AND year = 2026")).await,
        version + 1,
        "an updated target gets a new version"
    );
        assert_eq!(
        count(&app, "SELECT value FROM targets WHERE metric = 'NEW_CUSTOMERS' AND scope_kind = 'COMPANY' AND period_kind = 'QUARTER' AND year = 2026 AND idx = 4").await,
        40
    );
        // The imported figures are in the targets' history, with who and why.
        let sales_changes = format!(
            "SELECT COUNT(*) FROM target_changes c JOIN targets t ON t.id = c.target_id \
             WHERE t.metric = 'SALES' AND t.scope_kind = 'REGION' AND t.scope_id = {region} AND t.period_kind = 'YEAR' \
               AND t.year = 2026 AND c.value_after = 1234567800 AND c.value_before IS NOT NULL \
               AND c.changed_by IS NOT NULL AND c.reason LIKE '%import%'"
        );
        assert_eq!(count(&app, &sales_changes).await, 1);
        let all_changes = count(&app, "SELECT COUNT(*) FROM target_changes").await;
        // The same file again changes no value, so it adds no history.
        let file = format!(
            "metric,scope_kind,scope_id,period_kind,year,index,value\n\
         SALES,REGION,{region},YEAR,2026,,12345678.00\n\
         NEW_CUSTOMERS,COMPANY,,QUARTER,2026,4,40\n"
        );
        let (status, report) =
            import(&app, &director, "/api/import/targets", file.into_bytes()).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM target_changes").await,
            all_changes
        );
    }
);

db_test!(
    alert_exports_are_the_inbox_with_every_page,
    |app: TestApp| async move {
        let total = "query($f: AlertFilter) { alerts(first: 1, filter: $f) { totalCount } }";
        for who in [DIRECTOR, SUPERVISOR_EAST, REP_EAST1] {
            let token = app.login(who).await;
            for (query, filter) in [
                ("", json!({})),
                ("?status=OPEN", json!({ "status": ["OPEN"] })),
                (
                    "?status=OPEN,RESOLVED&rule=OVERDUE_PAYMENT,CHURN_RISK",
                    json!({ "status": ["OPEN", "RESOLVED"], "rule": ["OVERDUE_PAYMENT", "CHURN_RISK"] }),
                ),
                ("?mine=true&format=csv", json!({ "assignedToMe": true })),
            ] {
                let (status, body) =
                    export(&app, &token, &format!("/api/export/alerts{query}")).await;
                assert_eq!(status, 200, "{who} {query}");
                let lines = csv_lines(&body);
                assert_eq!(
                    lines[0],
                    "id,rule,status,region_name,rep_name,customer_id,customer_name,subject_on,observed,expected,score,raised_on,acknowledged_at,resolved_at,note"
                );
                let v = app.gql(Some(&token), total, json!({ "f": filter })).await;
                assert_eq!(
                    Some(lines.len() as i64 - 1),
                    data(&v)["alerts"]["totalCount"].as_i64(),
                    "{who} {query}: the export and the inbox disagree"
                );
            }
        }
        // Money is written in yuan, as imports read it.
        let director = app.login(DIRECTOR).await;
        let (_, body) = export(&app, &director, "/api/export/alerts?rule=OVERDUE_PAYMENT").await;
        let lines = csv_lines(&body);
        let first = lines.get(1).cloned().unwrap_or_default();
        let observed = first.split(',').nth(8).unwrap_or_default().to_owned();
        assert!(
            observed.contains('.') && observed.parse::<f64>().is_ok(),
            "observed {observed:?} in {first}"
        );
        let (status, body) = export(&app, &director, "/api/export/alerts?format=xlsx").await;
        assert_eq!(status, 200);
        assert!(body.starts_with(b"PK"), "an XLSX file is a zip");
        let (status, body) = export(&app, &director, "/api/export/alerts?status=LATE").await;
        assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
    }
);

db_test!(
    imports_take_the_keys_other_systems_have,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        // A customer with the ERP's number, its owner named by the employee number.
        let (rep, employee_no) = {
            let id = scalar(
                &app,
                "SELECT MIN(id) FROM reps WHERE employee_no IS NOT NULL",
            )
            .await;
            let no = app
                .gql(
                    Some(&director),
                    "query($id: ID!) { node(id: $id) { ... on Rep { employeeNo } } }",
                    json!({ "id": gid("Rep", id) }),
                )
                .await;
            (
                id,
                data(&no)["node"]["employeeNo"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        };
        assert!(!employee_no.is_empty(), "demo reps have employee numbers");
        let csv = format!(
            "name,industry,owner_employee_no,external_code\n\
             华东新材料,制造业,{employee_no},ERP-0001\n\
             华东新能源,能源,{employee_no},ERP-0002\n"
        );
        let (status, report) =
            import(&app, &director, "/api/import/customers", csv.into_bytes()).await;
        assert_eq!(status, 200, "{report}");
        let customer = scalar(
            &app,
            "SELECT id FROM customers WHERE external_code = 'ERP-0001'",
        )
        .await;
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT owner_rep_id FROM customers WHERE id = {customer}")
            )
            .await,
            rep
        );
        // The same code again, or twice in one file, is refused with its line.
        let again = format!(
            "name,industry,owner_employee_no,external_code\n\
             甲,制造业,{employee_no},ERP-0001\n\
             乙,制造业,{employee_no},ERP-0003\n\
             丙,制造业,{employee_no},ERP-0003\n"
        );
        let (status, report) =
            import(&app, &director, "/api/import/customers", again.into_bytes()).await;
        assert_eq!(status, 422, "{report}");
        let lines: Vec<i64> = report["errors"]
            .as_array()
            .map(|e| e.iter().filter_map(|x| x["line"].as_i64()).collect())
            .unwrap_or_default();
        assert_eq!(lines, vec![2, 4], "{report}");

        // Orders by customer code and employee number, by API ids, and by internal ids;
        // an unknown code names its line and the code.
        let orders_before = count(&app, "SELECT COUNT(*) FROM orders").await;
        let bad = format!(
            "customer_code,rep_employee_no,ordered_on,amount\n\
             ERP-0001,{employee_no},2026-11-02,¥1200.00\n\
             ERP-9999,{employee_no},2026-11-02,100\n\
             ERP-0002,E-NOBODY,2026-11-02,100\n"
        );
        let (status, report) =
            import(&app, &director, "/api/import/orders", bad.into_bytes()).await;
        assert_eq!(status, 422, "{report}");
        let reasons: Vec<(i64, String)> = report["errors"]
            .as_array()
            .map(|e| {
                e.iter()
                    .map(|x| {
                        (
                            x["line"].as_i64().unwrap_or(0),
                            x["reason"].as_str().unwrap_or("").to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            reasons
                .iter()
                .any(|(l, r)| *l == 3 && r.contains("ERP-9999") && r.contains("customer_code")),
            "{reasons:?}"
        );
        assert!(
            reasons
                .iter()
                .any(|(l, r)| *l == 4 && r.contains("E-NOBODY") && r.contains("rep_employee_no")),
            "{reasons:?}"
        );
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM orders").await,
            orders_before
        );
        let good = format!(
            "customer_code,rep_employee_no,customer_id,rep_id,ordered_on,amount\n\
             ERP-0001,{employee_no},,,2026-11-02,1200.00\n\
             ,,{},{},2026-11-03,300.00\n\
             ,,{customer},{rep},2026-11-04,50\n",
            gid("Customer", customer),
            gid("Rep", rep)
        );
        let (status, report) =
            import(&app, &director, "/api/import/orders", good.into_bytes()).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(
            count(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM orders WHERE customer_id = {customer} AND rep_id = {rep}"
                )
            )
            .await,
            3
        );
        // Exports write the keys and the names beside the ids.
        let (_, body) = export(&app, &director, "/api/export/orders").await;
        let lines = csv_lines(&body);
        assert!(
            lines[0].ends_with("customer_code,customer_name,rep_employee_no,rep_name"),
            "{}",
            lines[0]
        );
        assert!(
            lines
                .iter()
                .any(|l| l.contains("ERP-0001,华东新材料") && l.contains(&employee_no)),
            "an exported order names its customer and rep"
        );
    }
);

/// The first worksheet of an XLSX file, typed as Excel reads it.
fn xlsx_rows(bytes: &[u8]) -> (Vec<String>, Vec<calamine::Data>, Vec<Vec<calamine::Data>>) {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec()))
        .unwrap_or_else(|e| panic!("xlsx: {e}"));
    let names = book.sheet_names();
    let range = book
        .worksheet_range_at(0)
        .unwrap_or_else(|| panic!("no worksheet"))
        .unwrap_or_else(|e| panic!("xlsx: {e}"));
    let mut rows = range.rows().map(<[calamine::Data]>::to_vec);
    let header = rows.next().unwrap_or_default();
    (names, header, rows.collect())
}

fn text(d: &calamine::Data) -> String {
    match d {
        calamine::Data::String(s) => s.clone(),
        calamine::Data::Empty => String::new(),
        other => other.to_string(),
    }
}

db_test!(
    spreadsheets_in_the_readers_language_go_back_in,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        // An XLSX export in Chinese: headers and statuses as words, amounts as numbers
        // that add up, dates as dates, the name a person would give the file.
        let resp = app
            .http
            .get(app.url("/api/export/orders?format=xlsx&lang=zh"))
            .bearer_auth(&director)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(resp.status().as_u16(), 200);
        let disposition = resp
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            disposition.contains("filename=\"dudao-orders.xlsx\"")
                && disposition
                    .contains("filename*=UTF-8''%E7%9D%A3%E5%AF%BC-%E8%AE%A2%E5%8D%95.xlsx"),
            "{disposition}"
        );
        let xlsx = resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
        let (_, header, rows) = xlsx_rows(&xlsx);
        let header: Vec<String> = header.iter().map(text).collect();
        assert_eq!(
            header,
            [
                "编号",
                "客户编号",
                "销售代表编号",
                "下单日期",
                "金额",
                "状态",
                "应收日期",
                "客户编码",
                "客户名称",
                "销售代表工号",
                "销售代表"
            ]
        );
        let mut sum = 0.0;
        let mut words = std::collections::BTreeSet::new();
        for r in &rows {
            match &r[4] {
                calamine::Data::Float(v) => sum += v,
                other => panic!("an amount is not a number: {other:?}"),
            }
            assert!(
                matches!(r[3], calamine::Data::DateTime(_)),
                "a date is not a date: {:?}",
                r[3]
            );
            words.insert(text(&r[5]));
        }
        let cents = count(&app, "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM orders").await;
        assert!(
            (sum * 100.0 - cents as f64).abs() < 1.0,
            "SUM of the column {sum} vs {cents} cents"
        );
        assert!(
            words.iter().all(|w| w == "已确认" || w == "已取消") && words.contains("已确认"),
            "{words:?}"
        );
        // The same file goes back in as it is: Chinese headers, status words.
        let before = count(&app, "SELECT COUNT(*) FROM orders").await;
        let cancelled = count(
            &app,
            "SELECT COUNT(*) FROM orders WHERE status = 'CANCELLED'",
        )
        .await;
        let (status, report) =
            import(&app, &director, "/api/import/orders?format=xlsx", xlsx).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM orders").await, 2 * before);
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM orders WHERE status = 'CANCELLED'"
            )
            .await,
            2 * cancelled
        );
        // English headers in CSV too.
        let (_, csv) = export(&app, &director, "/api/export/payments?lang=en").await;
        assert_eq!(csv_lines(&csv)[0], "ID,Order ID,Paid on,Amount");
        let (status, body) = export(&app, &director, "/api/export/payments?lang=fr").await;
        assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));

        // A template per kind: headers in the language asked, required ones marked, a
        // reference's code beside its id, and a sheet of notes.
        let (status, template) = export(
            &app,
            &director,
            "/api/import/orders/template?format=xlsx&lang=en",
        )
        .await;
        assert_eq!(status, 200);
        let (sheets, header, rows) = xlsx_rows(&template);
        assert_eq!(sheets, ["orders", "Notes"]);
        assert!(rows.is_empty());
        assert_eq!(
            header.iter().map(text).collect::<Vec<_>>(),
            [
                "Customer ID",
                "Customer code",
                "Rep ID",
                "Rep employee no.",
                "Ordered on*",
                "Amount*",
                "Status",
                "Due on"
            ]
        );
        // Filled in by hand in Chinese: dates with slashes, amounts with ¥ and separators,
        // a status word, the customer and rep by their codes.
        let (status, template) = export(
            &app,
            &director,
            "/api/import/orders/template?format=csv&lang=zh",
        )
        .await;
        assert_eq!(status, 200);
        let head = csv_lines(&template)[0].clone();
        assert_eq!(
            head,
            "客户编号,客户编码,销售代表编号,销售代表工号,下单日期*,金额*,状态,应收日期"
        );
        let (customer_code, employee_no) = {
            let db = &app.running.db;
            let r = db
                .query_one_raw(Statement::from_string(
                    db.get_database_backend(),
                    "SELECT c.external_code, r.employee_no FROM customers c JOIN reps r ON r.id = c.owner_rep_id \
                     WHERE c.external_code IS NOT NULL AND r.employee_no IS NOT NULL ORDER BY c.id LIMIT 1"
                        .to_owned(),
                ))
                .await
                .ok()
                .flatten()
                .unwrap_or_else(|| panic!("a customer with a code"));
            (
                r.try_get_by_index::<String>(0).unwrap_or_default(),
                r.try_get_by_index::<String>(1).unwrap_or_default(),
            )
        };
        let file = format!(
            "{head}\n,{customer_code},,{employee_no},2026/11/30,\"¥1,234.50\",已确认,2026年12月30日\n\
             ,{customer_code},,{employee_no},2026.11.29,\"￥ 2,000\",cancelled,\n"
        );
        let (status, report) =
            import(&app, &director, "/api/import/orders", file.into_bytes()).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM orders o JOIN receivables r ON r.order_id = o.id \
                 WHERE o.amount_cents = 123450 AND o.status = 'CONFIRMED' \
                   AND o.ordered_on = '2026-11-30' AND r.due_on = '2026-12-30'"
            )
            .await,
            1
        );
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM orders o WHERE o.amount_cents = 200000 AND o.status = 'CANCELLED' \
                   AND o.ordered_on = '2026-11-29'"
            )
            .await,
            1
        );
        // A missing column is named in both languages.
        let (status, report) = import(
            &app,
            &director,
            "/api/import/orders",
            "客户编号,销售代表编号,下单日期\n1,1,2026-11-30\n"
                .as_bytes()
                .to_vec(),
        )
        .await;
        assert_eq!(status, 400, "{report}");
        let message = report["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("金额 (amount)") && message.contains("Amount (amount)"),
            "{message}"
        );
        // Templates are for those who import.
        let rep = app.login(REP_EAST1).await;
        let (status, _) = export(&app, &rep, "/api/import/orders/template").await;
        assert_eq!(status, 403);
    }
);

db_test!(
    surveys_import_all_or_nothing_and_export_by_row_filter,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let rep = app.login(REP_EAST1).await;
        let before = count(&app, "SELECT COUNT(*) FROM surveys").await;
        let cust = count(&app, "SELECT MIN(id) FROM customers").await;
        // One bad row (a score of 11, a day in the future, an unknown customer): nothing.
        let bad = format!(
            "customer_id,surveyed_on,score,comment\n{cust},2026-11-02,9,好\n{cust},2026-11-03,11,\n{cust},2999-01-01,5,\n99999999,2026-11-04,5,\n"
        );
        let (status, report) =
            import(&app, &director, "/api/import/surveys", bad.into_bytes()).await;
        assert_eq!(status, 422, "{report}");
        assert_eq!(report["errorCount"], 3, "{report}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM surveys").await, before);
        // A rep may not import.
        let good = format!(
            "customer_id,surveyed_on,score,comment\n{cust},2026-11-02,9,交付准时\n{cust},2026-11-03,4,价格偏高\n"
        );
        let (status, _) =
            import(&app, &rep, "/api/import/surveys", good.clone().into_bytes()).await;
        assert_eq!(status, 403);
        let (status, report) =
            import(&app, &director, "/api/import/surveys", good.into_bytes()).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM surveys").await,
            before + 2
        );
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM surveys WHERE source = 'IMPORT' AND comment = '价格偏高'"
            )
            .await,
            1
        );
        // The monthly copies include them.
        assert_copies_current(&app).await;
        // Exports: the director all, the rep their customers' only.
        let (status, all) = export(&app, &director, "/api/export/surveys").await;
        assert_eq!(status, 200);
        let (_, mine) = export(&app, &rep, "/api/export/surveys").await;
        let mine_rows = csv_lines(&mine).len() as i64 - 1;
        let rep_id = count(&app, "SELECT r.id FROM reps r JOIN users u ON u.id = r.user_id WHERE u.email = 'rep.east1@dudao.demo'").await;
        assert_eq!(
            mine_rows,
            count(
                &app,
                &format!("SELECT COUNT(*) FROM surveys WHERE rep_id = {rep_id}")
            )
            .await
        );
        assert_eq!(csv_lines(&all).len() as i64 - 1, before + 2);
        // The evaluations list exports as the list reads.
        let (status, evals) = export(&app, &rep, "/api/export/evaluations?lang=zh").await;
        assert_eq!(status, 200);
        let lines = csv_lines(&evals);
        assert!(lines[0].contains("被评估人"), "{lines:?}");
        assert_eq!(
            lines.len() as i64 - 1,
            count(&app, "SELECT COUNT(*) FROM evaluations e JOIN users u ON u.id = e.subject_id WHERE u.email = 'rep.east1@dudao.demo' AND e.status = 'FINALIZED'").await
        );
        let (status, _) = export(&app, &director, "/api/export/evaluations?status=NOPE").await;
        assert_eq!(status, 400);
    }
);
