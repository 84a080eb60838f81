//! Review meetings and handovers through the API, on both databases: a meeting per region
//! and period with the region's figures, 5-Why chains, SMART actions (refused when not
//! SMART) followed into the next meeting; who may hold them; a departing rep's customers
//! handed over with their list, ownership history kept and past figures left with the rep
//! who earned them.

use dudao_tests::*;
use serde_json::{Value, json};

const CREATE: &str = "mutation($i: CreateReviewMeetingInput!) { createReviewMeeting(input: $i) { id version period { kind year index } scorecard { salesAmount } } }";
const CAUSE: &str =
    "mutation($i: AddRootCauseInput!) { addRootCause(input: $i) { id whys rootCause } }";
const ACTION: &str =
    "mutation($i: AddReviewActionInput!) { addReviewAction(input: $i) { id status dueOn } }";
const NODE: &str = "query($id: ID!) { node(id: $id) { ... on ReviewMeeting { id summary rootCauses { problem whys } actionItems { id title } carriedOver { id title } scorecard { salesAmount } } } }";

async fn east(app: &TestApp) -> Value {
    json!(gid(
        "Region",
        scalar(app, "SELECT id FROM regions WHERE code = 'EAST'").await
    ))
}

db_test!(
    a_review_meeting_finds_root_causes_and_follows_smart_actions,
    |app: TestApp| async move {
        let sup = app.login(SUPERVISOR_EAST).await;
        let south = app.login(SUPERVISOR_SOUTH).await;
        let rep = app.login(REP_EAST1).await;
        let region = east(&app).await;
        let today = dudao::clock::today();
        let p = json!({ "kind": "MONTH", "year": 2025, "index": 3 });
        let input = json!({ "i": { "regionId": region, "period": p, "heldOn": "2025-04-03", "summary": "三月复盘" } });
        // Another region's supervisor and a rep may not hold it; a year is not reviewed.
        assert_eq!(
            error_code(&app.gql(Some(&south), CREATE, input.clone()).await),
            Some("FORBIDDEN")
        );
        assert_eq!(
            error_code(&app.gql(Some(&rep), CREATE, input.clone()).await),
            Some("FORBIDDEN")
        );
        let year = json!({ "i": { "regionId": region, "period": { "kind": "YEAR", "year": 2025 }, "heldOn": "2026-01-05" } });
        assert_eq!(
            error_code(&app.gql(Some(&sup), CREATE, year).await),
            Some("BAD_USER_INPUT")
        );
        let v = app.gql(Some(&sup), CREATE, input.clone()).await;
        let m = data(&v)["createReviewMeeting"].clone();
        assert!(
            m["scorecard"]["salesAmount"].is_string(),
            "the region's figures: {v}"
        );
        assert_eq!(
            error_code(&app.gql(Some(&sup), CREATE, input.clone()).await),
            Some("CONFLICT")
        );
        // 5-Why: one to five answers.
        let six: Vec<String> = (0..6).map(|i| format!("因为{i}")).collect();
        let v = app
            .gql(
                Some(&sup),
                CAUSE,
                json!({ "i": { "meetingId": m["id"], "problem": "回款慢", "whys": six } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        let v = app.gql(Some(&sup), CAUSE, json!({ "i": { "meetingId": m["id"], "problem": "回款慢", "whys": ["尾款逾期", "合同没写付款节点", "审批清单缺这一项"], "rootCause": "审批清单过时" } })).await;
        assert_eq!(
            data(&v)["addRootCause"]["whys"].as_array().map(Vec::len),
            Some(3),
            "{v}"
        );
        // SMART: without a measurable target, or with a past due day, refused.
        let rep_user = json!(gid(
            "User",
            scalar(
                &app,
                "SELECT id FROM users WHERE email = 'rep.east1@dudao.demo'"
            )
            .await
        ));
        let due = (today + chrono::Duration::days(10)).to_string();
        let bad = app.gql(Some(&sup), ACTION, json!({ "i": { "meetingId": m["id"], "title": "催收", "ownerId": rep_user, "dueOn": due } })).await;
        assert_eq!(error_code(&bad), Some("BAD_USER_INPUT"));
        assert!(
            bad["errors"][0]["message"]
                .as_str()
                .unwrap_or("")
                .contains("measure"),
            "{bad}"
        );
        let past = app.gql(Some(&sup), ACTION, json!({ "i": { "meetingId": m["id"], "title": "催收", "ownerId": rep_user, "measure": "逾期 60 天以上为 0", "dueOn": "2025-01-01" } })).await;
        assert_eq!(error_code(&past), Some("BAD_USER_INPUT"));
        let v = app.gql(Some(&sup), ACTION, json!({ "i": { "meetingId": m["id"], "title": "催收三家尾款", "ownerId": rep_user, "measure": "逾期 60 天以上为 0", "dueOn": due } })).await;
        let item = data(&v)["addReviewAction"].clone();
        assert_eq!(item["status"], "OPEN", "{v}");
        // The rep reads the meeting (their region) without the region's figures, and their
        // item is among their action items.
        let v = app.gql(Some(&rep), NODE, json!({ "id": m["id"] })).await;
        assert_eq!(data(&v)["node"]["scorecard"], Value::Null, "{v}");
        assert_eq!(data(&v)["node"]["actionItems"][0]["id"], item["id"]);
        let v = app.gql(Some(&south), NODE, json!({ "id": m["id"] })).await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        // The next meeting shows it until it is done.
        let next = json!({ "i": { "regionId": region, "period": { "kind": "MONTH", "year": 2025, "index": 4 }, "heldOn": "2025-05-06" } });
        let v = app.gql(Some(&sup), CREATE, next).await;
        let n = data(&v)["createReviewMeeting"]["id"].clone();
        let v = app.gql(Some(&sup), NODE, json!({ "id": n })).await;
        let carried: Vec<Value> = data(&v)["node"]["carriedOver"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(carried.iter().any(|c| c["id"] == item["id"]), "{v}");
        let version = scalar(
            &app,
            &format!(
                "SELECT version FROM action_items WHERE id = {}",
                dudao::service::global_id(item["id"].as_str().unwrap_or("")).map_or(0, |x| x.1)
            ),
        )
        .await;
        let v = app
            .gql(
                Some(&rep),
                "mutation($i: UpdateActionItemInput!) { updateActionItem(input: $i) { status } }",
                json!({ "i": { "id": item["id"], "version": version, "status": "DONE" } }),
            )
            .await;
        assert_eq!(data(&v)["updateActionItem"]["status"], "DONE", "{v}");
        let v = app.gql(Some(&sup), NODE, json!({ "id": n })).await;
        let carried: Vec<Value> = data(&v)["node"]["carriedOver"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            !carried.iter().any(|c| c["id"] == item["id"]),
            "a done item is still carried over: {v}"
        );
        // The list: by region, the demo's and these.
        let v = app
            .gql(
                Some(&rep),
                "{ reviewMeetings(first: 50) { totalCount edges { node { region { name } } } } }",
                json!({}),
            )
            .await;
        assert!(
            data(&v)["reviewMeetings"]["totalCount"].as_i64() >= Some(4),
            "{v}"
        );
    }
);

db_test!(
    a_departing_reps_customers_are_handed_over_with_their_history,
    |app: TestApp| async move {
        let sup = app.login(SUPERVISOR_EAST).await;
        let south = app.login(SUPERVISOR_SOUTH).await;
        let rep = app.login(REP_EAST1).await;
        let (from, to) = {
            let ids: Vec<i64> = {
                let a = scalar(&app, "SELECT MIN(r.id) FROM reps r JOIN regions g ON g.id = r.region_id WHERE g.code = 'EAST' AND r.user_id IS NOT NULL AND r.id NOT IN (SELECT id FROM reps WHERE user_id = (SELECT id FROM users WHERE email = 'rep.east1@dudao.demo'))").await;
                let b = scalar(&app, "SELECT id FROM reps WHERE user_id = (SELECT id FROM users WHERE email = 'rep.east1@dudao.demo')").await;
                vec![a, b]
            };
            (ids[0], ids[1])
        };
        let list = "query($r: ID!) { handoverList(repId: $r) { customerId name contacts openOpportunities openPipeline outstanding lastVisitOn } }";
        assert_eq!(
            error_code(
                &app.gql(Some(&rep), list, json!({ "r": gid("Rep", from) }))
                    .await
            ),
            Some("FORBIDDEN")
        );
        assert_eq!(
            error_code(
                &app.gql(Some(&south), list, json!({ "r": gid("Rep", from) }))
                    .await
            ),
            Some("FORBIDDEN")
        );
        let v = app
            .gql(Some(&sup), list, json!({ "r": gid("Rep", from) }))
            .await;
        let rows = data(&v)["handoverList"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let owned = scalar(
            &app,
            &format!("SELECT COUNT(*) FROM customers WHERE owner_rep_id = {from}"),
        )
        .await;
        assert_eq!(rows.len() as i64, owned, "{v}");
        let open = scalar(&app, &format!("SELECT COUNT(*) FROM opportunities o JOIN customers c ON c.id = o.customer_id WHERE c.owner_rep_id = {from} AND o.stage NOT IN ('WON','LOST')")).await;
        assert_eq!(
            rows.iter()
                .map(|r| r["openOpportunities"].as_i64().unwrap_or(0))
                .sum::<i64>(),
            open
        );
        // What the departing rep earned before stays theirs.
        let sales_before = scalar(&app, &format!("SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM orders WHERE rep_id = {from}")).await;
        let hand = "mutation($i: HandOverCustomersInput!) { handOverCustomers(input: $i) { id handedOn openOpportunities rideAlongId toRep { id } fromRep { id } } }";
        let input = json!({ "i": { "fromRepId": gid("Rep", from), "toRepId": gid("Rep", to), "handedOn": dudao::clock::today().to_string(), "notes": "离职交接" } });
        assert_eq!(
            error_code(&app.gql(Some(&rep), hand, input.clone()).await),
            Some("FORBIDDEN")
        );
        assert_eq!(
            error_code(&app.gql(Some(&south), hand, input.clone()).await),
            Some("FORBIDDEN")
        );
        let same = json!({ "i": { "fromRepId": gid("Rep", from), "toRepId": gid("Rep", from), "handedOn": "2026-11-01" } });
        assert_eq!(
            error_code(&app.gql(Some(&sup), hand, same).await),
            Some("BAD_USER_INPUT")
        );
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT COUNT(*) FROM customers WHERE owner_rep_id = {from}")
            )
            .await,
            owned,
            "refusals changed nothing"
        );
        let v = app.gql(Some(&sup), hand, input).await;
        let done = data(&v)["handOverCustomers"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(done.len() as i64, owned, "{v}");
        assert!(done.iter().all(|h| h["rideAlongId"].is_string()));
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT COUNT(*) FROM customers WHERE owner_rep_id = {from}")
            )
            .await,
            0
        );
        assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM opportunities WHERE rep_id = {from} AND stage NOT IN ('WON','LOST')")).await, 0);
        assert_eq!(
        scalar(&app, &format!("SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM orders WHERE rep_id = {from}")).await,
        sales_before,
        "past figures stay with the rep who earned them"
    );
        // The new owner (rep.east1) sees the customer and its history.
        let cust = done[0]["id"].clone();
        let _ = cust;
        let c = scalar(
            &app,
            &format!("SELECT MIN(customer_id) FROM customer_handovers WHERE to_rep_id = {to}"),
        )
        .await;
        let v = app.gql(Some(&rep), "query($c: ID) { handovers(customerId: $c) { handedOn fromRep { id } toRep { id } notes } }", json!({ "c": gid("Customer", c) })).await;
        assert_eq!(data(&v)["handovers"][0]["notes"], "离职交接", "{v}");
        assert_eq!(
            data(&v)["handovers"][0]["toRep"]["id"],
            json!(gid("Rep", to))
        );
        // Nothing left to hand over.
        let again = json!({ "i": { "fromRepId": gid("Rep", from), "toRepId": gid("Rep", to), "handedOn": "2026-11-01" } });
        assert_eq!(
            error_code(&app.gql(Some(&sup), hand, again).await),
            Some("BAD_USER_INPUT")
        );
    }
);

db_test!(
    a_page_of_review_meetings_takes_a_bounded_number_of_statements,
    |app: TestApp| async move {
        let token = app.login(DIRECTOR).await;
        let all = scalar(&app, "SELECT COUNT(*) FROM review_meetings").await;
        assert!(all >= 6, "the demo has {all} meetings");
        let q = "query($n: Int) { reviewMeetings(first: $n) { totalCount edges { node { id region { name } period { year } \
             rootCauses { problem whys } actionItems { title owner { name } } carriedOver { title dueOn } } } } }";
        let mut counts = Vec::new();
        for n in [2, all.min(100)] {
            let before = app.statements();
            let v = app.gql(Some(&token), q, json!({ "n": n })).await;
            assert_eq!(
                data(&v)["reviewMeetings"]["edges"].as_array().map(Vec::len),
                Some(n as usize),
                "{v}"
            );
            counts.push(app.statements() - before);
        }
        // One statement per loader and level (a busy machine may split a batch).
        assert!(
            counts[1] <= counts[0] + 4,
            "statements grew with the page size: {counts:?}"
        );
    }
);
