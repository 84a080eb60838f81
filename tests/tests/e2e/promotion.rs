//! Promotion eligibility through the API, on both databases: rules a director edits
//! (versioned, checked, concurrent edits refused), a rep's eligibility against figures
//! computed here with plain SQL over the raw facts, who may read whose, and a region's
//! candidates in a fixed number of statements.

use chrono::{Datelike, Months, NaiveDate};
use dudao_tests::*;
use serde_json::{Value, json};

const RULES: &str = "{ promotionRules(includeInactive: true) { id track level nameZh active version criteria criteriaJson } }";
const SAVE: &str = "mutation($i: SavePromotionRuleInput!) { savePromotionRule(input: $i) { id version criteriaJson versions { version note } } }";
const ELIGIBILITY: &str = "query($r: ID!, $d: Date, $rule: ID) { promotionEligibility(repId: $r, asOf: $d, ruleId: $rule) { eligible nearlyEligible asOf ruleName criteria { name passed evidence missing items { text met period evaluationId } } } }";

async fn rep_of(app: &TestApp, email: &str) -> i64 {
    scalar(
        app,
        &format!(
            "SELECT r.id FROM reps r JOIN users u ON u.id = r.user_id WHERE u.email = '{email}'"
        ),
    )
    .await
}

async fn save(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql(Some(token), SAVE, json!({ "i": input })).await
}

fn rule_input(criteria: &Value) -> Value {
    json!({ "track": "MANAGEMENT", "level": "测试级别 Test level", "nameZh": "测试规则", "nameEn": "Test rule",
            "criteriaJson": criteria.to_string(), "note": "e2e" })
}

/// Hire date of a rep as stored.
async fn hire_date(app: &TestApp, rep: i64) -> NaiveDate {
    let days = scalar(
        app,
        &format!(
            "SELECT CAST({} AS BIGINT) FROM reps WHERE id = {rep}",
            match app.backend {
                Backend::Postgres => "hire_date - DATE '2000-01-01'",
                Backend::Sqlite => "julianday(hire_date) - julianday('2000-01-01')",
            }
        ),
    )
    .await;
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN) + chrono::Duration::days(days)
}

db_test!(
    the_shipped_rules_of_both_tracks_are_there_and_a_director_edits_them_with_history,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let sup = app.login(SUPERVISOR_EAST).await;
        let rep = app.login(REP_EAST1).await;
        let v = app.gql(Some(&rep), RULES, json!({})).await;
        let rules = data(&v)["promotionRules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(rules.iter().any(|r| r["track"] == "MANAGEMENT"), "{v}");
        assert!(rules.iter().any(|r| r["track"] == "EXPERT"), "{v}");
        let first = rules[0].clone();
        // Only a director (or admin) changes a rule; bad criteria change nothing.
        let mut input = rule_input(&json!([{ "kind": "MIN_TENURE", "months": 6 }]));
        input["id"] = first["id"].clone();
        input["version"] = first["version"].clone();
        for token in [&sup, &rep] {
            let v = save(&app, token, input.clone()).await;
            assert_eq!(error_code(&v), Some("FORBIDDEN"), "{v}");
        }
        for bad in [
            json!("not json"),
            json!([]),
            json!([{ "kind": "LATEST_GRADE", "category": "CAPABILITY", "min_grade": "S" }]),
            json!([{ "kind": "METRIC_STREAK", "metric": "SALES_ATTAINMENT", "min": 1.0, "periods": 40, "period_kind": "QUARTER" }]),
            json!([{ "kind": "MIN_TENURE", "months": 6000 }]),
        ] {
            let mut i = input.clone();
            i["criteriaJson"] = json!(if bad.is_string() {
                bad.as_str().unwrap_or_default().to_owned()
            } else {
                bad.to_string()
            });
            let v = save(&app, &director, i).await;
            assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{bad}: {v}");
        }
        let v = app.gql(Some(&director), RULES, json!({})).await;
        assert_eq!(
            data(&v)["promotionRules"][0]["version"],
            first["version"],
            "a refused save changed the rule"
        );
        // A save moves the version and keeps the history; the stale version is a CONFLICT.
        let v = save(&app, &director, input.clone()).await;
        let saved = data(&v)["savePromotionRule"].clone();
        assert_eq!(
            saved["version"].as_i64(),
            first["version"].as_i64().map(|n| n + 1),
            "{v}"
        );
        let versions = saved["versions"].as_array().cloned().unwrap_or_default();
        assert_eq!(versions.len(), 2, "{v}");
        assert_eq!(versions[0]["note"], "e2e");
        let v = save(&app, &director, input).await;
        assert_eq!(error_code(&v), Some("CONFLICT"), "{v}");
        let audited = scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'promotion rule'",
        )
        .await;
        assert!(audited >= 1, "no audit entry");
    }
);

db_test!(
    a_reps_eligibility_is_decided_criterion_by_criterion_against_plain_sql,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let rep_id = rep_of(&app, REP_EAST1).await;
        let rep = json!(gid("Rep", rep_id));
        let hired = hire_date(&app, rep_id).await;
        // Tenure: on the day 12 months after hiring it holds, the day before it does not.
        let v = save(
            &app,
            &director,
            rule_input(&json!([{ "kind": "MIN_TENURE", "months": 12 }])),
        )
        .await;
        let tenure_rule = data(&v)["savePromotionRule"]["id"].clone();
        let on_the_day = hired.checked_add_months(Months::new(12)).unwrap_or(hired);
        let v = app
            .gql(
                Some(&director),
                ELIGIBILITY,
                json!({ "r": rep, "d": on_the_day.to_string(), "rule": tenure_rule }),
            )
            .await;
        assert_eq!(data(&v)["promotionEligibility"]["eligible"], true, "{v}");
        let before = on_the_day.pred_opt().unwrap_or(on_the_day);
        let v = app
            .gql(
                Some(&director),
                ELIGIBILITY,
                json!({ "r": rep, "d": before.to_string(), "rule": tenure_rule }),
            )
            .await;
        let e = data(&v)["promotionEligibility"].clone();
        assert_eq!(e["eligible"], false, "{v}");
        assert_eq!(e["nearlyEligible"], true, "{v}");
        assert_eq!(
            e["criteria"][0]["missing"], "司龄 11 个月，需要 12 个月 / tenure 11 months, needs 12",
            "{v}"
        );

        // Sales attainment ≥ 100% in each of the last 4 quarters, and coaching received,
        // against figures computed here from raw orders, targets and sessions.
        let today = dudao::clock::today();
        let v = save(&app, &director, rule_input(&json!([
            { "kind": "METRIC_STREAK", "metric": "SALES_ATTAINMENT", "min": 1.0, "periods": 4, "period_kind": "QUARTER" },
            { "kind": "MIN_COACHING", "sessions": 1 }
        ]))).await;
        let rule = data(&v)["savePromotionRule"]["id"].clone();
        let v = app
            .gql(
                Some(&director),
                ELIGIBILITY,
                json!({ "r": rep, "rule": rule }),
            )
            .await;
        let e = data(&v)["promotionEligibility"].clone();
        assert_eq!(e["asOf"], today.to_string(), "{v}");
        let quarter = (today.month0() / 3) as i32;
        let mut q = (today.year(), quarter); // the running quarter, 0-based index
        let mut expected = Vec::new();
        for _ in 0..4 {
            q = if q.1 == 0 {
                (q.0 - 1, 3)
            } else {
                (q.0, q.1 - 1)
            };
            let start =
                NaiveDate::from_ymd_opt(q.0, (q.1 * 3 + 1) as u32, 1).unwrap_or(NaiveDate::MIN);
            let end = start.checked_add_months(Months::new(3)).unwrap_or(start);
            let sales = scalar(&app, &format!(
                "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM orders WHERE rep_id = {rep_id} \
                 AND status <> 'CANCELLED' AND ordered_on >= '{start}' AND ordered_on < '{end}'"
            )).await;
            let has_target = scalar(&app, &format!(
                "SELECT COUNT(*) FROM targets WHERE scope_kind = 'REP' AND scope_id = {rep_id} AND metric = 'SALES' \
                 AND period_kind = 'QUARTER' AND year = {} AND idx = {}", q.0, q.1 + 1
            )).await;
            let target = if has_target > 0 {
                Some(scalar(&app, &format!(
                    "SELECT value FROM targets WHERE scope_kind = 'REP' AND scope_id = {rep_id} AND metric = 'SALES' \
                     AND period_kind = 'QUARTER' AND year = {} AND idx = {}", q.0, q.1 + 1
                )).await)
            } else {
                None
            };
            expected.push((format!("{} Q{}", q.0, q.1 + 1), sales, target));
        }
        expected.reverse();
        let items = e["criteria"][0]["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(items.len(), 4, "{v}");
        for (item, (label, sales, target)) in items.iter().zip(&expected) {
            assert_eq!(item["period"], label.as_str(), "{v}");
            let met = target.is_some_and(|t| t > 0 && sales >= &t);
            assert_eq!(
                item["met"], met,
                "{label}: sales {sales} target {target:?}: {item}"
            );
            if target.is_none() {
                assert!(
                    item["text"]
                        .as_str()
                        .unwrap_or_default()
                        .contains("no target"),
                    "{item}"
                );
            }
        }
        let all_met = expected
            .iter()
            .all(|(_, s, t)| t.is_some_and(|t| t > 0 && s >= &t));
        assert_eq!(e["criteria"][0]["passed"], all_met, "{v}");
        let (from, to) = dudao::domain::promotion::coaching_window(today);
        let sessions = scalar(&app, &format!(
            "SELECT COUNT(*) FROM coaching_sessions WHERE rep_id = {rep_id} AND held_on >= '{from}' AND held_on <= '{to}'"
        )).await;
        assert_eq!(e["criteria"][1]["passed"], sessions >= 1, "{v}");
        assert!(
            e["criteria"][1]["evidence"]
                .as_str()
                .unwrap_or_default()
                .contains(&format!("{sessions} coaching session")),
            "{v}"
        );
        assert_eq!(e["eligible"], all_met && sessions >= 1);

        // The latest capability grade links to the evaluation that decided it.
        let v = save(
            &app,
            &director,
            rule_input(&json!([
                { "kind": "LATEST_GRADE", "category": "CAPABILITY", "min_grade": "D" }
            ])),
        )
        .await;
        let rule = data(&v)["savePromotionRule"]["id"].clone();
        let finalized = scalar(&app, &format!("SELECT COUNT(*) FROM evaluations WHERE rep_id = {rep_id} AND status = 'FINALIZED' AND capability_score IS NOT NULL")).await;
        let v = app
            .gql(
                Some(&director),
                ELIGIBILITY,
                json!({ "r": rep, "rule": rule }),
            )
            .await;
        let c = data(&v)["promotionEligibility"]["criteria"][0].clone();
        assert_eq!(c["passed"], finalized > 0, "{v}");
        if finalized > 0 {
            let eid = c["items"][0]["evaluationId"].clone();
            let n = app
                .gql(
                    Some(&director),
                    "query($id: ID!) { node(id: $id) { ... on Evaluation { status } } }",
                    json!({ "id": eid }),
                )
                .await;
            assert_eq!(data(&n)["node"]["status"], "FINALIZED", "{n}");
        }
    }
);

db_test!(who_reads_whose_eligibility, |app: TestApp| async move {
    let me = rep_of(&app, REP_EAST1).await;
    let south_rep = scalar(
        &app,
        "SELECT MIN(r.id) FROM reps r JOIN supervisor_regions s ON s.region_id = r.region_id \
            JOIN users u ON u.id = s.supervisor_id WHERE u.email = 'supervisor.south@dudao.demo'",
    )
    .await;
    let q = "query($r: ID!) { promotionPaths(repId: $r) { eligible track criteria { name passed missing } } }";
    let rep = app.login(REP_EAST1).await;
    let v = app.gql(Some(&rep), q, json!({ "r": gid("Rep", me) })).await;
    let paths = data(&v)["promotionPaths"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(paths.len() >= 3, "both tracks' rules: {v}");
    for (token, other, code) in [
        (&rep, south_rep, Some("FORBIDDEN")),
        (
            &app.login(SUPERVISOR_EAST).await,
            south_rep,
            Some("FORBIDDEN"),
        ),
        (&app.login(SUPERVISOR_SOUTH).await, south_rep, None),
        (&app.login(DIRECTOR).await, south_rep, None),
    ] {
        let v = app
            .gql(Some(token), q, json!({ "r": gid("Rep", other) }))
            .await;
        assert_eq!(error_code(&v), code, "{v}");
    }
    let v = app.gql(None, q, json!({ "r": gid("Rep", me) })).await;
    assert_eq!(error_code(&v), Some("UNAUTHENTICATED"), "{v}");
    let v = app.gql(Some(&rep), q, json!({ "r": "nonsense" })).await;
    assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{v}");
});

db_test!(
    a_directors_rule_change_moves_the_candidates_list_judged_in_a_fixed_number_of_statements,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let v = save(
            &app,
            &director,
            rule_input(&json!([{ "kind": "MIN_TENURE", "months": 0 }])),
        )
        .await;
        let rule = data(&v)["savePromotionRule"].clone();
        let q = "query($rule: ID!, $s: CandidateStatus, $n: Int) { promotionCandidates(ruleId: $rule, status: $s, first: $n) { totalCount edges { node { failed rep { name region { name } } eligibility { eligible criteria { passed } } } } } }";
        let reps = scalar(&app, "SELECT COUNT(*) FROM reps").await;
        let v = app
            .gql(
                Some(&director),
                q,
                json!({ "rule": rule["id"], "s": "ELIGIBLE", "n": 5 }),
            )
            .await;
        assert_eq!(
            data(&v)["promotionCandidates"]["totalCount"].as_i64(),
            Some(reps),
            "{v}"
        );
        // The director raises the bar: nobody has 50 years.
        let mut input = rule_input(&json!([{ "kind": "MIN_TENURE", "months": 600 }]));
        input["id"] = rule["id"].clone();
        input["version"] = rule["version"].clone();
        save(&app, &director, input).await;
        let v = app
            .gql(
                Some(&director),
                q,
                json!({ "rule": rule["id"], "s": "ELIGIBLE", "n": 5 }),
            )
            .await;
        assert_eq!(
            data(&v)["promotionCandidates"]["totalCount"].as_i64(),
            Some(0),
            "{v}"
        );
        let v = app
            .gql(
                Some(&director),
                q,
                json!({ "rule": rule["id"], "s": "NEARLY_ELIGIBLE", "n": 5 }),
            )
            .await;
        assert_eq!(
            data(&v)["promotionCandidates"]["totalCount"].as_i64(),
            Some(reps),
            "{v}"
        );
        // A supervisor sees their regions' reps only.
        let sup = app.login(SUPERVISOR_EAST).await;
        let theirs = scalar(
            &app,
            "SELECT COUNT(*) FROM reps r JOIN supervisor_regions s ON s.region_id = r.region_id \
            JOIN users u ON u.id = s.supervisor_id WHERE u.email = 'supervisor.east@dudao.demo'",
        )
        .await;
        let v = app
            .gql(Some(&sup), q, json!({ "rule": rule["id"], "n": 5 }))
            .await;
        assert_eq!(
            data(&v)["promotionCandidates"]["totalCount"].as_i64(),
            Some(theirs),
            "{v}"
        );
        // The shipped rule (every kind of criterion) over every rep: the same statements
        // for 2 reps as for all of them.
        let v = app.gql(Some(&director), RULES, json!({})).await;
        let shipped = data(&v)["promotionRules"][0]["id"].clone();
        let mut counts = Vec::new();
        for n in [2, 100] {
            let before = app.statements();
            let v = app
                .gql(Some(&director), q, json!({ "rule": shipped, "n": n }))
                .await;
            assert!(v["errors"].is_null(), "{v}");
            counts.push(app.statements() - before);
        }
        // (A busy machine may split a loader's batch — the reps' regions, their names —
        // one extra each; an N+1 would add a hundred.)
        assert!(
            counts[1] <= counts[0] + 3,
            "statements grew with the list: {counts:?}"
        );
        assert!(counts[1] <= 16, "{counts:?}");
    }
);

db_test!(
    the_candidates_list_is_exported_as_the_caller_reads_it,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let v = app.gql(Some(&director), RULES, json!({})).await;
        let rule = data(&v)["promotionRules"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let get = |token: String, query: String| {
            let app = &app;
            async move {
                let r = app
                    .http
                    .get(app.url(&format!("/api/export/promotion-candidates?{query}")))
                    .bearer_auth(token)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                let status = r.status().as_u16();
                (status, r.text().await.unwrap_or_default())
            }
        };
        let (status, csv) = get(director.clone(), format!("rule={rule}&lang=en")).await;
        assert_eq!(status, 200, "{csv}");
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert!(
            lines[0].starts_with("Employee no.,Name,Region,Status,Criteria failed,"),
            "{}",
            lines[0]
        );
        assert_eq!(
            lines.len() as i64 - 1,
            scalar(&app, "SELECT COUNT(*) FROM reps").await
        );
        // Sorted by criteria failed.
        let failed: Vec<i64> = lines[1..]
            .iter()
            .filter_map(|l| l.split(',').nth(4).and_then(|n| n.parse().ok()))
            .collect();
        assert!(failed.windows(2).all(|w| w[0] <= w[1]), "{failed:?}");
        // A status filter, and a rep's own row only.
        let (_, csv) = get(
            director.clone(),
            format!("rule={rule}&status=NOT_ELIGIBLE&lang=en"),
        )
        .await;
        assert!(
            csv.lines().skip(1).all(|l| l.contains("not eligible")),
            "{csv}"
        );
        let rep = app.login(REP_EAST1).await;
        let (_, csv) = get(rep, format!("rule={rule}&format=xlsx")).await;
        assert!(!csv.is_empty());
        let rep = app.login(REP_EAST1).await;
        let (_, csv) = get(rep, format!("rule={rule}")).await;
        assert_eq!(csv.lines().count(), 2, "{csv}");
        // Bad input is refused with its code.
        let (status, body) = get(director.clone(), format!("rule={rule}&status=MAYBE")).await;
        assert_eq!(status, 400, "{body}");
        let (status, _) = get(director, String::new()).await;
        assert_eq!(status, 400);
    }
);
