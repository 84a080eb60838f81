//! Row-level access, table-driven: every role on every list, `node`, and mutation.
//! Expected visibility is computed with plain SQL joins, independently of the row
//! filters under test.

use std::collections::BTreeSet;

use dudao_tests::*;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

async fn ids_sql(app: &TestApp, sql: &str) -> BTreeSet<i32> {
    let db = &app.running.db;
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.iter()
        .map(|r| {
            r.try_get_by_index::<i32>(0)
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
        })
        .collect()
}

/// What `email` may read, per list, as SQL over names and emails.
fn expected_sql(email: &str, list: &str) -> String {
    let everything = email == ADMIN || email == DIRECTOR;
    let me = format!("(SELECT id FROM users WHERE email = '{email}')");
    let sup_regions =
        format!("(SELECT region_id FROM supervisor_regions WHERE supervisor_id = {me})");
    let own_rep = format!("(SELECT id FROM reps WHERE user_id = {me})");
    let is_sup = email.starts_with("supervisor.");
    match (list, everything, is_sup) {
        (l, true, _) if l != "orders" => format!("SELECT id FROM {list}"),
        ("alerts", _, true) => format!("SELECT id FROM alerts WHERE region_id IN {sup_regions}"),
        ("alerts", _, false) => format!("SELECT id FROM alerts WHERE rep_id IN {own_rep}"),
        ("coaching_sessions", _, true) => format!(
            "SELECT x.id FROM coaching_sessions x JOIN reps r ON r.id = x.rep_id WHERE r.region_id IN {sup_regions}"
        ),
        ("coaching_sessions", _, false) => {
            format!("SELECT id FROM coaching_sessions WHERE rep_id IN {own_rep}")
        }
        ("action_items", _, true) => format!(
            "SELECT x.id FROM action_items x LEFT JOIN reps r ON r.id = x.rep_id WHERE r.region_id IN {sup_regions} OR x.owner_id = {me}"
        ),
        ("action_items", _, false) => {
            format!("SELECT id FROM action_items WHERE rep_id IN {own_rep} OR owner_id = {me}")
        }
        ("evaluations", _, true) => format!(
            "SELECT x.id FROM evaluations x LEFT JOIN reps r ON r.id = x.rep_id \
             WHERE r.region_id IN {sup_regions} OR x.evaluator_id = {me} \
             OR (x.subject_id = {me} AND x.status = 'FINALIZED')"
        ),
        ("evaluations", _, false) => {
            format!("SELECT id FROM evaluations WHERE subject_id = {me} AND status = 'FINALIZED'")
        }
        ("surveys", _, true) => format!(
            "SELECT x.id FROM surveys x JOIN reps r ON r.id = x.rep_id WHERE r.region_id IN {sup_regions}"
        ),
        ("surveys", _, false) => format!("SELECT id FROM surveys WHERE rep_id IN {own_rep}"),
        ("review_meetings", _, true) => {
            format!("SELECT id FROM review_meetings WHERE region_id IN {sup_regions}")
        }
        ("review_meetings", _, false) => format!(
            "SELECT id FROM review_meetings WHERE region_id IN (SELECT region_id FROM reps WHERE id IN {own_rep})"
        ),
        ("activities" | "complaints", _, true) => format!(
            "SELECT x.id FROM {list} x JOIN reps r ON r.id = x.rep_id WHERE r.region_id IN {sup_regions}"
        ),
        ("activities" | "complaints", _, false) => {
            format!("SELECT id FROM {list} WHERE rep_id IN {own_rep}")
        }
        ("regions", _, true) => format!("SELECT id FROM regions WHERE id IN {sup_regions}"),
        ("regions", _, false) => format!("SELECT region_id FROM reps WHERE id IN {own_rep}"),
        ("reps", _, true) => format!(
            "SELECT r.id FROM reps r JOIN supervisor_regions s ON s.region_id = r.region_id WHERE s.supervisor_id = {me}"
        ),
        ("reps", _, false) => format!("SELECT id FROM reps WHERE id IN {own_rep}"),
        ("customers", _, true) => format!(
            "SELECT c.id FROM customers c JOIN reps r ON r.id = c.owner_rep_id WHERE r.region_id IN {sup_regions}"
        ),
        ("customers", _, false) => {
            format!("SELECT id FROM customers WHERE owner_rep_id IN {own_rep}")
        }
        ("users", _, true) => format!(
            "SELECT id FROM users WHERE id = {me} UNION SELECT r.user_id FROM reps r WHERE r.region_id IN {sup_regions} AND r.user_id IS NOT NULL \
             UNION SELECT r.supervisor_id FROM reps r WHERE r.region_id IN {sup_regions} AND r.supervisor_id IS NOT NULL \
             UNION SELECT s.supervisor_id FROM coaching_sessions s JOIN reps r ON r.id = s.rep_id WHERE r.region_id IN {sup_regions}"
        ),
        ("orders", true, _) => "SELECT id FROM orders WHERE status <> 'CANCELLED'".to_owned(),
        ("orders", _, true) => format!(
            "SELECT o.id FROM orders o JOIN reps r ON r.id = o.rep_id WHERE o.status <> 'CANCELLED' AND r.region_id IN {sup_regions}"
        ),
        ("orders", _, false) => {
            format!("SELECT id FROM orders WHERE status <> 'CANCELLED' AND rep_id IN {own_rep}")
        }
        ("users", _, false) => format!(
            "SELECT id FROM users WHERE id = {me} UNION SELECT supervisor_id FROM reps WHERE id IN {own_rep} AND supervisor_id IS NOT NULL \
             UNION SELECT supervisor_id FROM coaching_sessions WHERE rep_id IN {own_rep}"
        ),
        ("articles", _, _) => "SELECT id FROM articles WHERE archived = false".to_owned(),
        ("courses", _, _) => "SELECT id FROM courses WHERE active = true".to_owned(),
        ("training_sessions", _, _) => "SELECT id FROM training_sessions".to_owned(),
        ("contributions", _, true) => format!(
            "SELECT id FROM contributions WHERE author_id = {me} OR author_id IN \
             (SELECT r.user_id FROM reps r WHERE r.region_id IN {sup_regions} AND r.user_id IS NOT NULL)"
        ),
        ("contributions", _, false) => {
            format!("SELECT id FROM contributions WHERE author_id = {me}")
        }
        _ => unreachable!("unknown list {list}"),
    }
}

/// Reads a whole list through GraphQL, page by page; returns (ids, totalCount).
async fn read_all(app: &TestApp, token: &str, list: &str) -> (BTreeSet<i32>, u64) {
    let mut ids = BTreeSet::new();
    let mut after = Value::Null;
    let mut total;
    loop {
        let q = format!(
            "query($after: String) {{ {list}(first: 100, after: $after) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ id }} }} }} }}"
        );
        let v = app.gql(Some(token), &q, json!({ "after": after })).await;
        let conn = &data(&v)[list];
        total = conn["totalCount"].as_u64().unwrap_or(0);
        for e in conn["edges"].as_array().into_iter().flatten() {
            let id = e["node"]["id"].as_str().unwrap_or_default();
            let (_, n) = dudao::api::ids::parse(id).unwrap_or_else(|_| panic!("bad id {id}"));
            assert!(ids.insert(n), "{list}: id {n} returned twice");
        }
        if conn["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
    (ids, total)
}

const ROLES: [&str; 5] = [
    ADMIN,
    DIRECTOR,
    SUPERVISOR_EAST,
    SUPERVISOR_SOUTH,
    REP_EAST1,
];
/// (GraphQL list, table, node type).
const LISTS: [(&str, &str, &str); 17] = [
    ("regions", "regions", "Region"),
    ("reps", "reps", "Rep"),
    ("customers", "customers", "Customer"),
    ("users", "users", "User"),
    ("alerts", "alerts", "Alert"),
    ("activities", "activities", "Activity"),
    ("complaints", "complaints", "Complaint"),
    ("orders", "orders", "Order"),
    ("coachingSessions", "coaching_sessions", "CoachingSession"),
    ("actionItems", "action_items", "ActionItem"),
    ("evaluations", "evaluations", "Evaluation"),
    ("surveys", "surveys", "Survey"),
    ("reviewMeetings", "review_meetings", "ReviewMeeting"),
    ("articles", "articles", "Article"),
    ("contributions", "contributions", "Contribution"),
    ("courses", "courses", "Course"),
    ("trainingSessions", "training_sessions", "TrainingSession"),
];

db_test!(
    every_role_sees_exactly_its_rows_in_every_list_and_node,
    |app: TestApp| async move {
        for email in ROLES {
            let token = app.login(email).await;
            for (field, list, kind) in LISTS {
                let expected = ids_sql(&app, &expected_sql(email, list)).await;
                assert!(
                    !expected.is_empty()
                        || matches!(list, "alerts" | "complaints" | "contributions"),
                    "{email} should see some {list}"
                );
                let (seen, total) = read_all(&app, &token, field).await;
                assert_eq!(seen, expected, "{email} on {list}");
                assert_eq!(
                    total,
                    expected.len() as u64,
                    "{email}: totalCount of {list}"
                );

                // node(id) for every row of this type: visible ones resolve, the rest are FORBIDDEN.
                // (The orders list leaves out cancelled orders; they are still readable.)
                let expected = if list == "orders" {
                    let sql = expected_sql(email, list)
                        .replace("o.status <> 'CANCELLED'", "1 = 1")
                        .replace("status <> 'CANCELLED'", "1 = 1");
                    ids_sql(&app, &sql).await
                } else {
                    expected
                };
                let all = ids_sql(&app, &format!("SELECT id FROM {list}")).await;
                for id in all.iter().step_by(match list {
                    "activities" | "orders" | "surveys" => 97,
                    "customers" | "alerts" | "complaints" | "coaching_sessions"
                    | "action_items" | "evaluations" => 7,
                    _ => 1,
                }) {
                    let gid = dudao::api::ids::encode(kind, *id).0;
                    let v = app
                        .gql(
                            Some(&token),
                            "query($id: ID!) { node(id: $id) { id } }",
                            json!({ "id": gid }),
                        )
                        .await;
                    if expected.contains(id) {
                        assert_eq!(
                            data(&v)["node"]["id"],
                            json!(gid),
                            "{email} node {kind}:{id}"
                        );
                    } else {
                        assert_eq!(
                            error_code(&v),
                            Some("FORBIDDEN"),
                            "{email} node {kind}:{id}: {v}"
                        );
                        assert!(v["data"].is_null(), "a forbidden node leaks data: {v}");
                    }
                }
            }
            // Nested references never show what the list itself would hide.
            let v = app
                .gql(
                    Some(&token),
                    "{ customers(first: 100) { edges { node { owner { id region { id } } } } } }",
                    json!({}),
                )
                .await;
            let reps = ids_sql(&app, &expected_sql(email, "reps")).await;
            for e in data(&v)["customers"]["edges"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let (_, rep) =
                    dudao::api::ids::parse(e["node"]["owner"]["id"].as_str().unwrap_or_default())
                        .unwrap_or_default();
                assert!(
                    reps.contains(&rep),
                    "{email} sees owner {rep} of a customer"
                );
            }
        }
    }
);

db_test!(
    unknown_and_malformed_ids_are_told_apart,
    |app: TestApp| async move {
        let token = app.login(ADMIN).await;
        let q = "query($id: ID!) { node(id: $id) { id } }";
        let missing = dudao::api::ids::encode("Rep", 999_999).0;
        assert_eq!(
            error_code(&app.gql(Some(&token), q, json!({ "id": missing })).await),
            Some("NOT_FOUND")
        );
        assert_eq!(
            error_code(&app.gql(Some(&token), q, json!({ "id": "not-an-id" })).await),
            Some("BAD_USER_INPUT")
        );
        let anon = app.gql(None, "{ reps { totalCount } }", json!({})).await;
        assert_eq!(error_code(&anon), Some("UNAUTHENTICATED"));
    }
);

db_test!(every_role_on_every_mutation, |app: TestApp| async move {
    let east = scalar(&app, "SELECT id FROM regions WHERE code = 'EAST'").await;
    let east1_user = scalar(
        &app,
        &format!("SELECT id FROM users WHERE email = '{REP_EAST1}'"),
    )
    .await;
    let east1_rep = scalar(
        &app,
        &format!("SELECT id FROM reps WHERE user_id = {east1_user}"),
    )
    .await;
    let east1_customer = scalar(
        &app,
        &format!("SELECT MIN(id) FROM customers WHERE owner_rep_id = {east1_rep}"),
    )
    .await;
    let is_pg = app.running.db.get_database_backend() == DbBackend::Postgres;
    let _ = is_pg;

    // (mutation, roles allowed); everyone else must get FORBIDDEN and change nothing.
    let table: [(&str, &[&str]); 52] = [
        ("createRegion", &[ADMIN]),
        ("updateRegion", &[ADMIN]),
        ("createRep", &[ADMIN, DIRECTOR]),
        ("updateRep", &[ADMIN, DIRECTOR]),
        (
            "createCustomer",
            &[ADMIN, DIRECTOR, SUPERVISOR_EAST, REP_EAST1],
        ),
        (
            "updateCustomer",
            &[ADMIN, DIRECTOR, SUPERVISOR_EAST, REP_EAST1],
        ),
        ("createUser", &[ADMIN]),
        ("updateUser", &[ADMIN]),
        ("acknowledgeAlert", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        ("resolveAlert", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        ("reopenAlert", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        (
            "openComplaint",
            &[ADMIN, DIRECTOR, SUPERVISOR_EAST, REP_EAST1],
        ),
        (
            "resolveComplaint",
            &[ADMIN, DIRECTOR, SUPERVISOR_EAST, REP_EAST1],
        ),
        ("updateAlertThresholds", &[ADMIN, DIRECTOR]),
        ("setTargets", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        ("proposeTarget", &[REP_EAST1]),
        (
            "logActivity",
            &[ADMIN, DIRECTOR, SUPERVISOR_EAST, REP_EAST1],
        ),
        ("updateVisitStandard", &[ADMIN, DIRECTOR]),
        ("logCoachingSession", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        ("updateCoachingSession", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        ("respondToCoachingSession", &[REP_EAST1]),
        ("addActionItem", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        (
            "updateActionItem",
            &[ADMIN, DIRECTOR, SUPERVISOR_EAST, REP_EAST1],
        ),
        ("setCoachingDimension", &[ADMIN, DIRECTOR]),
        ("createEvaluation", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        ("scoreIndicator", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        (
            "updateEvaluationFeedback",
            &[ADMIN, DIRECTOR, SUPERVISOR_EAST],
        ),
        ("inviteEvaluator", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        (
            "addEvaluationActionItem",
            &[ADMIN, DIRECTOR, SUPERVISOR_EAST],
        ),
        ("submitEvaluation", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        ("finalizeEvaluation", &[ADMIN, DIRECTOR]),
        ("returnEvaluation", &[ADMIN, DIRECTOR]),
        ("reopenEvaluation", &[ADMIN, DIRECTOR]),
        ("saveEvaluationTemplate", &[ADMIN, DIRECTOR]),
        ("setGradeScale", &[ADMIN, DIRECTOR]),
        ("openEvaluationCycle", &[ADMIN, DIRECTOR]),
        (
            "recordSurvey",
            &[ADMIN, DIRECTOR, SUPERVISOR_EAST, REP_EAST1],
        ),
        (
            "createSurveyLink",
            &[ADMIN, DIRECTOR, SUPERVISOR_EAST, REP_EAST1],
        ),
        ("createReviewMeeting", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        ("addRootCause", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        ("addReviewAction", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        ("handOverCustomers", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        ("savePromotionRule", &[ADMIN, DIRECTOR]),
        (
            "saveArticle",
            &[ADMIN, DIRECTOR, SUPERVISOR_EAST, SUPERVISOR_SOUTH],
        ),
        (
            "restoreArticleVersion",
            &[ADMIN, DIRECTOR, SUPERVISOR_EAST, SUPERVISOR_SOUTH],
        ),
        ("viewArticle", &ROLES),
        ("voteArticle", &ROLES),
        ("proposeContribution", &ROLES),
        ("decideContribution", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
        ("saveCourse", &[ADMIN, DIRECTOR]),
        (
            "scheduleTrainingSession",
            &[ADMIN, DIRECTOR, SUPERVISOR_EAST],
        ),
        (
            "recordTrainingAttendance",
            &[ADMIN, DIRECTOR, SUPERVISOR_EAST],
        ),
    ];
    let east_session = scalar(
        &app,
        &format!("SELECT MIN(id) FROM training_sessions WHERE region_id = {east}"),
    )
    .await;
    let any_course = scalar(&app, "SELECT MIN(id) FROM courses").await;
    // Reading counters, not changes of record: not audited.
    const UNAUDITED: [&str; 2] = ["viewArticle", "voteArticle"];
    let price_article = scalar(&app, "SELECT MIN(id) FROM articles").await;
    let east_meeting = scalar(
        &app,
        &format!("SELECT MIN(id) FROM review_meetings WHERE region_id = {east}"),
    )
    .await;
    let east2_rep = scalar(&app, "SELECT id FROM reps WHERE user_id = (SELECT id FROM users WHERE email = 'rep.east2@dudao.demo')").await;
    // An evaluation of east1 for a month of its own (a counter of months from 2001), made
    // by the director and taken to `to`: DRAFT, SUBMITTED (every indicator scored) or
    // FINALIZED.
    let director = app.login(DIRECTOR).await;
    let months = std::sync::atomic::AtomicI32::new(0);
    let fresh_eval = |to: &'static str| {
        let n = months.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let director = director.clone();
        let app = &app;
        async move {
            let v = app
                .gql(
                    Some(&director),
                    "mutation($i: CreateEvaluationInput!) { createEvaluation(input: $i) { id version indicators { key } } }",
                    json!({ "i": { "subjectId": gid("User", east1_user), "period": { "kind": "MONTH", "year": 2001 + n / 12, "index": n % 12 + 1 } } }),
                )
                .await;
            let e = data(&v)["createEvaluation"].clone();
            let mut version = e["version"].clone();
            if to != "DRAFT" {
                for i in e["indicators"].as_array().into_iter().flatten() {
                    let v = app
                        .gql(
                            Some(&director),
                            "mutation($i: ScoreIndicatorInput!) { scoreIndicator(input: $i) { version } }",
                            json!({ "i": { "evaluationId": e["id"], "key": i["key"], "score": 80, "version": version } }),
                        )
                        .await;
                    version = data(&v)["scoreIndicator"]["version"].clone();
                }
                let v = app
                    .gql(Some(&director), "mutation($id: ID!, $v: Int!) { submitEvaluation(id: $id, version: $v) { version } }", json!({ "id": e["id"], "v": version }))
                    .await;
                version = data(&v)["submitEvaluation"]["version"].clone();
            }
            if to == "FINALIZED" {
                let v = app
                    .gql(Some(&director), "mutation($id: ID!, $v: Int!) { finalizeEvaluation(id: $id, version: $v) { version } }", json!({ "id": e["id"], "v": version }))
                    .await;
                version = data(&v)["finalizeEvaluation"]["version"].clone();
            }
            (e["id"].clone(), version)
        }
    };
    let east2_user = scalar(
        &app,
        "SELECT id FROM users WHERE email = 'rep.east2@dudao.demo'",
    )
    .await;
    // A session supervisor.east holds with east1 for each try, with an item east1 owns.
    let sup_east = app.login(SUPERVISOR_EAST).await;
    let fresh_session = || async {
        let v = app
            .gql(
                Some(&sup_east),
                "mutation($i: LogCoachingSessionInput!) { logCoachingSession(input: $i) { id version actionItems { id version } } }",
                json!({ "i": { "repId": gid("Rep", east1_rep), "type": "RIDE_ALONG", "date": "2026-01-05", "nextStep": "回访", "actionItems": [{ "title": "准备报价" }] } }),
            )
            .await;
        data(&v)["logCoachingSession"].clone()
    };
    for (n, (mutation, allowed)) in table.iter().enumerate() {
        for (k, email) in ROLES.iter().enumerate() {
            let token = app.login(email).await;
            let tag = format!("{n}{k}");
            let (query, vars) = match *mutation {
                "createRegion" => (
                    "mutation($i: CreateRegionInput!) { createRegion(input: $i) { id } }",
                    json!({ "i": { "name": format!("测试{tag}"), "code": format!("T{tag}") } }),
                ),
                "updateRegion" => (
                    "mutation($i: UpdateRegionInput!) { updateRegion(input: $i) { id } }",
                    json!({ "i": { "id": gid("Region", east), "version": scalar(&app, &format!("SELECT version FROM regions WHERE id = {east}")).await, "name": "华东" } }),
                ),
                "createRep" => (
                    "mutation($i: CreateRepInput!) { createRep(input: $i) { id } }",
                    json!({ "i": { "name": format!("新人{tag}"), "level": 1, "hireDate": "2026-01-05", "regionId": gid("Region", east) } }),
                ),
                "updateRep" => (
                    "mutation($i: UpdateRepInput!) { updateRep(input: $i) { id } }",
                    json!({ "i": { "id": gid("Rep", east1_rep), "version": scalar(&app, &format!("SELECT version FROM reps WHERE id = {east1_rep}")).await, "level": 2 } }),
                ),
                "createCustomer" => (
                    "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id owner { id } } }",
                    json!({ "i": { "name": format!("客户{tag}"), "industry": "制造业", "ownerId": gid("Rep", east1_rep) } }),
                ),
                "updateCustomer" => (
                    "mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { id } }",
                    json!({ "i": { "id": gid("Customer", east1_customer), "version": scalar(&app, &format!("SELECT version FROM customers WHERE id = {east1_customer}")).await, "city": "上海" } }),
                ),
                "createUser" => (
                    "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
                    json!({ "i": { "email": format!("new{tag}@dudao.demo"), "name": "新用户", "role": "REP", "password": "long-enough" } }),
                ),
                "updateUser" => (
                    "mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }",
                    json!({ "i": { "id": gid("User", east1_user), "version": scalar(&app, &format!("SELECT version FROM users WHERE id = {east1_user}")).await, "name": "改名" } }),
                ),
                "acknowledgeAlert" | "resolveAlert" | "reopenAlert" => {
                    // An alert about east1 (every role can read it), open again each time
                    // (resolved, to be reopened).
                    let id = scalar(
                        &app,
                        &format!("SELECT MIN(id) FROM alerts WHERE rep_id = {east1_rep}"),
                    )
                    .await;
                    let db = &app.running.db;
                    db.execute_raw(Statement::from_string(
                        db.get_database_backend(),
                        format!(
                            "UPDATE alerts SET status = '{}' WHERE id = {id}",
                            if *mutation == "reopenAlert" {
                                "RESOLVED"
                            } else {
                                "OPEN"
                            }
                        ),
                    ))
                    .await
                    .unwrap_or_else(|e| panic!("reopen: {e}"));
                    (
                        match *mutation {
                            "acknowledgeAlert" => {
                                "mutation($i: AlertStatusInput!) { acknowledgeAlert(input: $i) { id } }"
                            }
                            "resolveAlert" => {
                                "mutation($i: AlertStatusInput!) { resolveAlert(input: $i) { id } }"
                            }
                            _ => {
                                "mutation($i: AlertStatusInput!) { reopenAlert(input: $i) { id } }"
                            }
                        },
                        json!({ "i": { "id": gid("Alert", id), "version": scalar(&app, &format!("SELECT version FROM alerts WHERE id = {id}")).await } }),
                    )
                }
                "openComplaint" => (
                    "mutation($i: OpenComplaintInput!) { openComplaint(input: $i) { id } }",
                    json!({ "i": { "customerId": gid("Customer", east1_customer), "subject": format!("投诉{tag}") } }),
                ),
                "resolveComplaint" => {
                    // A complaint about east1's customer, opened by the admin for each try.
                    let admin = app.login(ADMIN).await;
                    let v = app
                        .gql(
                            Some(&admin),
                            "mutation($i: OpenComplaintInput!) { openComplaint(input: $i) { id version } }",
                            json!({ "i": { "customerId": gid("Customer", east1_customer), "subject": format!("待处理{tag}") } }),
                        )
                        .await;
                    let c = &data(&v)["openComplaint"];
                    (
                        "mutation($i: ResolveComplaintInput!) { resolveComplaint(input: $i) { id } }",
                        json!({ "i": { "id": c["id"], "version": c["version"], "resolution": "已处理 / handled" } }),
                    )
                }
                "updateAlertThresholds" => (
                    "mutation($i: AlertThresholdsInput!) { updateAlertThresholds(input: $i) { overdueDays } }",
                    json!({ "i": { "shortfallRatio": 0.8, "satisfaction": 8.5, "overdueDays": 20 + k, "surveyLookbackDays": 30 } }),
                ),
                "setTargets" => (
                    "mutation($i: SetTargetsInput!) { setTargets(input: $i) { id } }",
                    json!({ "i": { "targets": [{ "scope": { "kind": "REP", "id": gid("Rep", east1_rep) }, "period": { "kind": "QUARTER", "year": 2090 + k, "index": 1 }, "value": "100.00" }] } }),
                ),
                "proposeTarget" => {
                    let id = scalar(
                        &app,
                        &format!("SELECT MIN(id) FROM targets WHERE scope_kind = 'REP' AND scope_id = {east1_rep}"),
                    )
                    .await;
                    (
                        "mutation($i: ProposeTargetInput!) { proposeTarget(input: $i) { id } }",
                        json!({ "i": { "targetId": gid("Target", id), "value": "1.00", "reason": "测试 / test" } }),
                    )
                }
                "logActivity" => (
                    "mutation($i: LogActivityInput!) { logActivity(input: $i) { id } }",
                    json!({ "i": { "customerId": gid("Customer", east1_customer), "kind": "VISIT", "occurredOn": "2026-01-05", "outcome": "测试" } }),
                ),
                "updateVisitStandard" => (
                    "mutation($n: Int!) { updateVisitStandard(visitsPerWeek: $n) }",
                    json!({ "n": 8 + k }),
                ),
                "logCoachingSession" => (
                    "mutation($i: LogCoachingSessionInput!) { logCoachingSession(input: $i) { id } }",
                    json!({ "i": { "repId": gid("Rep", east1_rep), "type": "ONE_ON_ONE", "date": "2026-01-05", "scores": [{ "key": "closing", "score": 4 }] } }),
                ),
                "updateCoachingSession" => {
                    let s = fresh_session().await;
                    (
                        "mutation($i: UpdateCoachingSessionInput!) { updateCoachingSession(input: $i) { id } }",
                        json!({ "i": { "id": s["id"], "version": s["version"], "feedback": format!("反馈{tag}") } }),
                    )
                }
                "respondToCoachingSession" => {
                    let s = fresh_session().await;
                    (
                        "mutation($i: RespondToCoachingInput!) { respondToCoachingSession(input: $i) { id } }",
                        json!({ "i": { "id": s["id"], "confirm": true } }),
                    )
                }
                "addActionItem" => {
                    let s = fresh_session().await;
                    (
                        "mutation($i: AddActionItemInput!) { addActionItem(input: $i) { id } }",
                        json!({ "i": { "sessionId": s["id"], "title": format!("事项{tag}") } }),
                    )
                }
                "updateActionItem" => {
                    let s = fresh_session().await;
                    let a = &s["actionItems"][0];
                    (
                        "mutation($i: UpdateActionItemInput!) { updateActionItem(input: $i) { id } }",
                        json!({ "i": { "id": a["id"], "version": a["version"], "status": "DONE" } }),
                    )
                }
                "setCoachingDimension" => (
                    "mutation($i: SetCoachingDimensionInput!) { setCoachingDimension(input: $i) { key } }",
                    json!({ "i": { "key": format!("dim_{tag}"), "nameZh": "维度", "nameEn": "Dimension" } }),
                ),
                "createEvaluation" => (
                    "mutation($i: CreateEvaluationInput!) { createEvaluation(input: $i) { id } }",
                    json!({ "i": { "subjectId": gid("User", east1_user), "period": { "kind": "MONTH", "year": 2050 + n, "index": k + 1 } } }),
                ),
                "scoreIndicator" => {
                    let (id, v) = fresh_eval("DRAFT").await;
                    (
                        "mutation($i: ScoreIndicatorInput!) { scoreIndicator(input: $i) { id } }",
                        json!({ "i": { "evaluationId": id, "key": "process_compliance", "score": 75, "version": v } }),
                    )
                }
                "updateEvaluationFeedback" => {
                    let (id, v) = fresh_eval("DRAFT").await;
                    (
                        "mutation($i: UpdateEvaluationFeedbackInput!) { updateEvaluationFeedback(input: $i) { id } }",
                        json!({ "i": { "id": id, "version": v, "fact": format!("事实{tag}") } }),
                    )
                }
                "inviteEvaluator" => {
                    let (id, _) = fresh_eval("DRAFT").await;
                    (
                        "mutation($i: InviteEvaluatorInput!) { inviteEvaluator(input: $i) { id } }",
                        json!({ "i": { "evaluationId": id, "group": "PEER", "userId": gid("User", east2_user) } }),
                    )
                }
                "addEvaluationActionItem" => {
                    let (id, _) = fresh_eval("DRAFT").await;
                    (
                        "mutation($i: AddEvaluationActionItemInput!) { addEvaluationActionItem(input: $i) { id } }",
                        json!({ "i": { "evaluationId": id, "title": format!("改进{tag}") } }),
                    )
                }
                "submitEvaluation" => {
                    let (id, _) = fresh_eval("DRAFT").await;
                    // Score it complete as the director, then try to submit.
                    let v = app.gql(Some(&director), "query($id: ID!) { node(id: $id) { ... on Evaluation { version indicators { key } } } }", json!({ "id": id })).await;
                    let mut version = data(&v)["node"]["version"].clone();
                    for i in data(&v)["node"]["indicators"]
                        .as_array()
                        .into_iter()
                        .flatten()
                    {
                        let r = app
                            .gql(Some(&director), "mutation($i: ScoreIndicatorInput!) { scoreIndicator(input: $i) { version } }",
                                json!({ "i": { "evaluationId": id, "key": i["key"], "score": 70, "version": version } }))
                            .await;
                        version = data(&r)["scoreIndicator"]["version"].clone();
                    }
                    (
                        "mutation($id: ID!, $v: Int!) { submitEvaluation(id: $id, version: $v) { id } }",
                        json!({ "id": id, "v": version }),
                    )
                }
                "finalizeEvaluation" => {
                    let (id, v) = fresh_eval("SUBMITTED").await;
                    (
                        "mutation($id: ID!, $v: Int!) { finalizeEvaluation(id: $id, version: $v) { id } }",
                        json!({ "id": id, "v": v }),
                    )
                }
                "returnEvaluation" => {
                    let (id, v) = fresh_eval("SUBMITTED").await;
                    (
                        "mutation($id: ID!, $v: Int!) { returnEvaluation(id: $id, version: $v, reason: \"补充材料\") { id } }",
                        json!({ "id": id, "v": v }),
                    )
                }
                "reopenEvaluation" => {
                    let (id, v) = fresh_eval("FINALIZED").await;
                    (
                        "mutation($id: ID!, $v: Int!) { reopenEvaluation(id: $id, version: $v, reason: \"复核\") { id } }",
                        json!({ "id": id, "v": v }),
                    )
                }
                "saveEvaluationTemplate" => (
                    "mutation($i: SaveEvaluationTemplateInput!) { saveEvaluationTemplate(input: $i) { id } }",
                    json!({ "i": { "nameZh": format!("模板{tag}"), "nameEn": format!("T{tag}"), "subjectKind": "REP", "periodKind": "MONTH",
                        "indicators": [{ "key": "effort", "nameZh": "投入", "nameEn": "Effort", "category": "PROCESS", "weight": 100, "source": "MANUAL" }] } }),
                ),
                "savePromotionRule" => (
                    "mutation($i: SavePromotionRuleInput!) { savePromotionRule(input: $i) { id } }",
                    json!({ "i": { "track": "EXPERT", "level": format!("级别{tag}"), "nameZh": format!("规则{tag}"), "nameEn": format!("R{tag}"),
                        "criteriaJson": "[{\"kind\":\"MIN_TENURE\",\"months\":12}]" } }),
                ),
                "setGradeScale" => (
                    "mutation { setGradeScale(a: 90, b: 80, c: 60, anonymityThreshold: 3) { a } }",
                    json!({}),
                ),
                "openEvaluationCycle" => (
                    "mutation($i: OpenEvaluationCycleInput!) { openEvaluationCycle(input: $i) { created } }",
                    json!({ "i": { "period": { "kind": "MONTH", "year": 2030 + n, "index": k + 1 }, "subjectKind": "REP", "subjectIds": [gid("User", east1_user)] } }),
                ),
                "recordSurvey" => (
                    "mutation($i: RecordSurveyInput!) { recordSurvey(input: $i) { id } }",
                    json!({ "i": { "customerId": gid("Customer", east1_customer), "date": "2026-01-05", "score": 8 } }),
                ),
                "createReviewMeeting" => (
                    "mutation($i: CreateReviewMeetingInput!) { createReviewMeeting(input: $i) { id } }",
                    json!({ "i": { "regionId": gid("Region", east), "period": { "kind": "MONTH", "year": 2040 + n, "index": k + 1 }, "heldOn": "2026-01-05" } }),
                ),
                "addRootCause" => (
                    "mutation($i: AddRootCauseInput!) { addRootCause(input: $i) { id } }",
                    json!({ "i": { "meetingId": gid("ReviewMeeting", east_meeting), "problem": format!("问题{tag}"), "whys": ["为什么一", "为什么二"] } }),
                ),
                "addReviewAction" => (
                    "mutation($i: AddReviewActionInput!) { addReviewAction(input: $i) { id } }",
                    json!({ "i": { "meetingId": gid("ReviewMeeting", east_meeting), "title": format!("行动{tag}"), "ownerId": gid("User", east1_user),
                        "measure": "拜访 ≥ 3 次/周", "dueOn": (dudao::clock::today() + chrono::Duration::days(10)).to_string() } }),
                ),
                "handOverCustomers" => {
                    // A customer of east2's made for this try, handed to east1.
                    let admin = app.login(ADMIN).await;
                    let v = app
                        .gql(
                            Some(&admin),
                            "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }",
                            json!({ "i": { "name": format!("交接{tag}"), "industry": "制造业", "ownerId": gid("Rep", east2_rep) } }),
                        )
                        .await;
                    (
                        "mutation($i: HandOverCustomersInput!) { handOverCustomers(input: $i) { id } }",
                        json!({ "i": { "fromRepId": gid("Rep", east2_rep), "toRepId": gid("Rep", east1_rep), "customerIds": [data(&v)["createCustomer"]["id"]], "handedOn": "2026-11-20" } }),
                    )
                }
                "createSurveyLink" => (
                    "mutation($c: ID!) { createSurveyLink(customerId: $c) { link } }",
                    json!({ "c": gid("Customer", east1_customer) }),
                ),
                "saveArticle" => (
                    "mutation($i: SaveArticleInput!) { saveArticle(input: $i) { id } }",
                    json!({ "i": { "title": format!("文章{tag}"), "body": "正文", "category": "PROCESS", "tags": ["测试"] } }),
                ),
                "restoreArticleVersion" => (
                    "mutation($id: ID!, $c: Int!) { restoreArticleVersion(id: $id, version: 1, currentVersion: $c) { id } }",
                    json!({ "id": gid("Article", price_article), "c": scalar(&app, &format!("SELECT version FROM articles WHERE id = {price_article}")).await }),
                ),
                "viewArticle" => (
                    "mutation($id: ID!) { viewArticle(id: $id) { views } }",
                    json!({ "id": gid("Article", price_article) }),
                ),
                "voteArticle" => (
                    "mutation($id: ID!) { voteArticle(id: $id, helpful: true) { helpfulVotes } }",
                    json!({ "id": gid("Article", price_article) }),
                ),
                "proposeContribution" => (
                    "mutation($i: ProposeContributionInput!) { proposeContribution(input: $i) { id } }",
                    json!({ "i": { "kind": "IDEA", "title": format!("想法{tag}"), "body": "内容" } }),
                ),
                "decideContribution" => {
                    // A fresh idea of east2's (a rep of supervisor.east) for each try.
                    let east2 = app.login("rep.east2@dudao.demo").await;
                    let v = app
                        .gql(
                            Some(&east2),
                            "mutation($i: ProposeContributionInput!) { proposeContribution(input: $i) { id version } }",
                            json!({ "i": { "kind": "IDEA", "title": format!("点子{tag}"), "body": "内容" } }),
                        )
                        .await;
                    (
                        "mutation($i: DecideContributionInput!) { decideContribution(input: $i) { id status } }",
                        json!({ "i": { "id": data(&v)["proposeContribution"]["id"], "version": 1, "adopt": true, "reason": "好" } }),
                    )
                }
                "saveCourse" => (
                    "mutation($i: SaveCourseInput!) { saveCourse(input: $i) { id } }",
                    json!({ "i": { "title": format!("课程{tag}"), "topic": "测试", "format": "ONLINE" } }),
                ),
                "scheduleTrainingSession" => (
                    "mutation($i: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $i) { id } }",
                    json!({ "i": { "courseId": gid("Course", any_course), "heldOn": "2026-01-05", "regionId": gid("Region", east), "inviteeIds": [gid("User", east1_user)] } }),
                ),
                "recordTrainingAttendance" => (
                    "mutation($i: RecordTrainingAttendanceInput!) { recordTrainingAttendance(input: $i) { id } }",
                    json!({ "i": { "sessionId": gid("TrainingSession", east_session), "version": scalar(&app, &format!("SELECT version FROM training_sessions WHERE id = {east_session}")).await,
                        "entries": [{ "userId": gid("User", east1_user), "attended": true, "preScore": 60, "postScore": 70 }] } }),
                ),
                _ => unreachable!(),
            };
            let audits_before = scalar(&app, "SELECT COUNT(*) FROM audit_log").await;
            let v = app.gql(Some(&token), query, vars).await;
            let audits_after = scalar(&app, "SELECT COUNT(*) FROM audit_log").await;
            if allowed.contains(email) {
                assert!(
                    v["errors"].is_null(),
                    "{email} {mutation} should succeed: {v}"
                );
                let audited = i64::from(!UNAUDITED.contains(mutation));
                assert_eq!(
                    audits_after,
                    audits_before + audited,
                    "{email} {mutation} is audited once"
                );
            } else {
                assert_eq!(error_code(&v), Some("FORBIDDEN"), "{email} {mutation}: {v}");
                assert_eq!(
                    audits_after, audits_before,
                    "{email} {mutation} changed something"
                );
            }
        }
    }
});

db_test!(
    every_role_on_proposal_answers_alert_runs_and_sessions,
    |app: TestApp| async move {
        // The mutations the table above cannot try with one fixed row: each attempt gets a
        // fresh pending proposal (a target of its own, proposed by the rep).
        let east1_rep = scalar(
            &app,
            &format!(
                "SELECT r.id FROM reps r JOIN users u ON u.id = r.user_id WHERE u.email = '{REP_EAST1}'"
            ),
        )
        .await;
        let admin = app.login(ADMIN).await;
        let rep = app.login(REP_EAST1).await;
        let table: [(&str, &[&str]); 3] = [
            ("acceptTargetProposal", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
            ("decideTargetProposal", &[ADMIN, DIRECTOR, SUPERVISOR_EAST]),
            ("withdrawTargetProposal", &[REP_EAST1]),
        ];
        for (n, (mutation, allowed)) in table.iter().enumerate() {
            for (k, email) in ROLES.iter().enumerate() {
                let year = 2060 + n * ROLES.len() + k;
                let v = app
                    .gql(
                        Some(&admin),
                        "mutation($i: SetTargetsInput!) { setTargets(input: $i) { id } }",
                        json!({ "i": { "targets": [{ "scope": { "kind": "REP", "id": gid("Rep", east1_rep) }, "period": { "kind": "QUARTER", "year": year, "index": 1 }, "value": "100.00" }] } }),
                    )
                    .await;
                let target = data(&v)["setTargets"][0]["id"].clone();
                let v = app
                    .gql(
                        Some(&rep),
                        "mutation($i: ProposeTargetInput!) { proposeTarget(input: $i) { id } }",
                        json!({ "i": { "targetId": target, "value": "80.00", "reason": "测试 / test" } }),
                    )
                    .await;
                let proposal = data(&v)["proposeTarget"]["id"].clone();
                let token = app.login(email).await;
                let v = app
                    .gql(
                        Some(&token),
                        &format!(
                            "mutation($i: AnswerTargetProposalInput!) {{ {mutation}(input: $i) {{ id status }} }}"
                        ),
                        json!({ "i": { "id": proposal, "version": 1, "value": "90.00" } }),
                    )
                    .await;
                let status = scalar(
                    &app,
                    "SELECT COUNT(*) FROM target_proposals WHERE status = 'PENDING' \
                     AND id = (SELECT MAX(id) FROM target_proposals)",
                )
                .await;
                if allowed.contains(email) {
                    assert!(
                        v["errors"].is_null(),
                        "{email} {mutation} should succeed: {v}"
                    );
                    assert_eq!(status, 0, "{email} {mutation} left it pending");
                } else {
                    assert!(
                        matches!(error_code(&v), Some("FORBIDDEN")),
                        "{email} {mutation}: {v}"
                    );
                    assert_eq!(status, 1, "{email} {mutation} changed the proposal");
                }
            }
        }
        // Running the rules: ADMIN and DIRECTOR.
        for email in ROLES {
            let token = app.login(email).await;
            let v = app
                .gql(Some(&token), "mutation { runAlerts { total } }", json!({}))
                .await;
            if [ADMIN, DIRECTOR].contains(&email) {
                assert!(v["errors"].is_null(), "{email} runAlerts: {v}");
            } else {
                assert_eq!(error_code(&v), Some("FORBIDDEN"), "{email} runAlerts: {v}");
            }
        }
        // Sessions are everyone's own: each role refreshes and signs out its own sign-in.
        for email in ROLES {
            let v = app.login_payload(email, "dudao-demo").await;
            let refresh = data(&v)["login"]["refreshToken"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let access = data(&v)["login"]["accessToken"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let r = app
                .gql(
                    None,
                    "mutation($t: String!) { refreshToken(refreshToken: $t) { refreshToken } }",
                    json!({ "t": refresh }),
                )
                .await;
            assert!(r["errors"].is_null(), "{email} refreshToken: {r}");
            let next = data(&r)["refreshToken"]["refreshToken"].clone();
            let r = app
                .gql(
                    Some(&access),
                    "mutation($t: String!) { logout(refreshToken: $t) }",
                    json!({ "t": next }),
                )
                .await;
            assert!(r["errors"].is_null(), "{email} logout: {r}");
        }
    }
);
