//! Evaluations and surveys through the API, on both databases: RESULT filled from the
//! scorecard, 360° input by invitation and one-time link (rescaled when a group is
//! missing, anonymity for the person evaluated), the workflow to FINALIZED with its
//! history, versions, who may do what, bad input that changes nothing, templates whose
//! weights do not sum to 100, calibration and survey links (forged, reused, expired).

use dudao_tests::*;
use serde_json::{Value, json};

const EVAL: &str = "id version status totalScore grade partialScore notes canEdit \
    indicators { key category weight effectiveWeight score counts actual target manual } \
    groups { group weight score raters hidden } categories { category score grade } \
    invitations { id group score } history { step toStatus reason } subject { id } rep { id }";

fn create_q() -> String {
    format!("mutation($i: CreateEvaluationInput!) {{ createEvaluation(input: $i) {{ {EVAL} }} }}")
}

fn score_q() -> String {
    format!("mutation($i: ScoreIndicatorInput!) {{ scoreIndicator(input: $i) {{ {EVAL} }} }}")
}

fn node_q() -> String {
    format!("query($id: ID!) {{ node(id: $id) {{ ... on Evaluation {{ {EVAL} }} }} }}")
}

const INVITE: &str =
    "mutation($i: InviteEvaluatorInput!) { inviteEvaluator(input: $i) { id group link } }";
const ANSWER: &str = "mutation($i: EvaluatorInputInput!) { submitEvaluatorInput(input: $i) }";
const SUBMIT: &str =
    "mutation($id: ID!, $v: Int!) { submitEvaluation(id: $id, version: $v) { id status version } }";
const FINALIZE: &str = "mutation($id: ID!, $v: Int!) { finalizeEvaluation(id: $id, version: $v) { id status version } }";

async fn me(app: &TestApp, token: &str) -> (Value, Value) {
    let v = app
        .gql(Some(token), "{ me { id rep { id } } }", json!({}))
        .await;
    (
        data(&v)["me"]["id"].clone(),
        data(&v)["me"]["rep"]["id"].clone(),
    )
}

fn indicator<'a>(e: &'a Value, key: &str) -> &'a Value {
    e["indicators"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["key"] == key))
        .unwrap_or(&Value::Null)
}

fn group<'a>(e: &'a Value, g: &str) -> &'a Value {
    e["groups"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["group"] == g))
        .unwrap_or(&Value::Null)
}

fn close(a: &Value, b: f64) {
    let a = a.as_f64().unwrap_or(f64::NAN);
    assert!((a - b).abs() < 1e-6, "{a} != {b}");
}

/// A user id by e-mail, through the director's view.
async fn user_id(app: &TestApp, email: &str) -> Value {
    let id = scalar(
        app,
        &format!("SELECT id FROM users WHERE email = '{email}'"),
    )
    .await;
    json!(gid("User", id))
}

db_test!(
    a_rep_is_evaluated_with_360_input_and_finalized,
    |app: TestApp| async move {
        let sup = app.login(SUPERVISOR_EAST).await;
        let director = app.login(DIRECTOR).await;
        let rep = app.login(REP_EAST1).await;
        let (rep_user, rep_id) = me(&app, &rep).await;
        // A year: the default template (RESULT + PROCESS + CAPABILITY).
        // The demo holds last year's annual evaluations; this year's is free.
        let year =
            json!({ "kind": "YEAR", "year": chrono::Datelike::year(&dudao::clock::today()) });
        let v = app
            .gql(
                Some(&sup),
                &create_q(),
                json!({ "i": { "subjectId": rep_user, "period": year } }),
            )
            .await;
        let e = data(&v)["createEvaluation"].clone();
        assert_eq!(e["status"], "DRAFT", "{v}");
        assert_eq!(e["rep"]["id"], rep_id);
        assert_eq!(e["history"][0]["step"], "CREATE");
        // RESULT filled from the scorecard: sales attainment = min(100, 100 × attainment).
        let card = app
            .gql(
                Some(&sup),
                "query($s: ScopeInput!, $p: PeriodInput!) { scorecard(scope: $s, period: $p) { attainment collectionRate satisfaction } }",
                json!({ "s": { "kind": "REP", "id": rep_id }, "p": year }),
            )
            .await;
        let card = data(&card)["scorecard"].clone();
        let sales = indicator(&e, "sales_attainment");
        match card["attainment"].as_f64() {
            Some(a) => {
                close(&sales["score"], (100.0 * a).min(100.0));
                assert_eq!(sales["counts"], true);
            }
            None => assert_eq!(sales["counts"], false, "no target: left out"),
        }
        if let Some(r) = card["collectionRate"].as_f64() {
            close(
                &indicator(&e, "collection_rate")["score"],
                (100.0 * r / 0.95).min(100.0),
            );
        }
        if let Some(s) = card["satisfaction"].as_f64() {
            close(
                &indicator(&e, "satisfaction")["score"],
                (100.0 * s / 8.5).min(100.0),
            );
        }
        // Filled indicators cannot be scored by hand; PROCESS can, 0–100.
        let id = e["id"].clone();
        let version = e["version"].as_i64().unwrap_or(0);
        let v = app
            .gql(Some(&sup), &score_q(), json!({ "i": { "evaluationId": id, "key": "sales_attainment", "score": 50, "version": version } }))
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        for bad in [-1.0, 100.5, 1e308] {
            let v = app
                .gql(Some(&sup), &score_q(), json!({ "i": { "evaluationId": id, "key": "process_compliance", "score": bad, "version": version } }))
                .await;
            assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{bad}: {v}");
        }
        let v = app
            .gql(Some(&sup), &score_q(), json!({ "i": { "evaluationId": id, "key": "process_compliance", "score": 70, "version": version } }))
            .await;
        let e = data(&v)["scoreIndicator"].clone();
        assert_eq!(indicator(&e, "process_compliance")["score"], 70.0, "{v}");
        // The old version is stale now: CONFLICT, nothing changed.
        let v = app
            .gql(Some(&sup), &score_q(), json!({ "i": { "evaluationId": id, "key": "process_compliance", "score": 10, "version": version } }))
            .await;
        assert_eq!(error_code(&v), Some("CONFLICT"));
        // Submitting needs the 360° input too (capability counts once it has some):
        // without any, capability is left out and the evaluation says so.
        assert_eq!(indicator(&e, "capability_360")["counts"], false);
        assert!(e["notes"].to_string().contains("360"), "{}", e["notes"]);
        // 360°: the director as SUPERIOR, rep.east2 as PEER, a customer by link, SELF.
        let peer = app.login("rep.east2@dudao.demo").await;
        let (peer_user, _) = me(&app, &peer).await;
        let dir_user = user_id(&app, DIRECTOR).await;
        let invite = |g: &str, user: Option<&Value>, customer: Option<&Value>| json!({ "i": { "evaluationId": id, "group": g, "userId": user, "customerId": customer } });
        let sup_inv = app
            .gql(
                Some(&sup),
                INVITE,
                invite("SUPERIOR", Some(&dir_user), None),
            )
            .await;
        let peer_inv = app
            .gql(Some(&sup), INVITE, invite("PEER", Some(&peer_user), None))
            .await;
        let self_inv = app
            .gql(Some(&sup), INVITE, invite("SELF", Some(&rep_user), None))
            .await;
        // A rep may not be SUPERIOR, the subject not PEER; the same rater twice is CONFLICT.
        let v = app
            .gql(
                Some(&sup),
                INVITE,
                invite("SUPERIOR", Some(&peer_user), None),
            )
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        let v = app
            .gql(Some(&sup), INVITE, invite("PEER", Some(&rep_user), None))
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        let v = app
            .gql(Some(&sup), INVITE, invite("PEER", Some(&peer_user), None))
            .await;
        assert_eq!(error_code(&v), Some("CONFLICT"));
        let cust = scalar(
            &app,
            &format!(
                "SELECT MIN(id) FROM customers WHERE owner_rep_id = {}",
                rep_id_num(&rep_id)
            ),
        )
        .await;
        let cust_inv = app
            .gql(
                Some(&sup),
                INVITE,
                invite("CUSTOMER", None, Some(&json!(gid("Customer", cust)))),
            )
            .await;
        let link = data(&cust_inv)["inviteEvaluator"]["link"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        assert!(link.starts_with("/form/rating/"), "{cust_inv}");
        let token = link.trim_start_matches("/form/rating/").to_owned();
        // An invited rater sees only their form, never the evaluation.
        let v = app.gql(Some(&peer), &node_q(), json!({ "id": id })).await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let v = app
            .gql(
                Some(&peer),
                "{ myEvaluatorInvitations { invitationId group subjectName } }",
                json!({}),
            )
            .await;
        assert_eq!(
            data(&v)["myEvaluatorInvitations"][0]["group"],
            "PEER",
            "{v}"
        );
        // Someone else's invitation is FORBIDDEN.
        let v = app
            .gql(Some(&peer), ANSWER, json!({ "i": { "invitationId": data(&sup_inv)["inviteEvaluator"]["id"], "score": 99 } }))
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        // Answers: superior 85, peer 80, self 100, customer 60 (without signing in).
        let answer = |inv: &Value, s: f64| json!({ "i": { "invitationId": data(inv)["inviteEvaluator"]["id"], "score": s } });
        let v = app
            .gql(Some(&director), ANSWER, answer(&sup_inv, 85.0))
            .await;
        assert_eq!(data(&v)["submitEvaluatorInput"], true, "{v}");
        app.gql(Some(&peer), ANSWER, answer(&peer_inv, 80.0)).await;
        app.gql(Some(&rep), ANSWER, answer(&self_inv, 100.0)).await;
        let form = app.gql(None, "query($t: String!) { evaluatorForm(token: $t) { group subjectName period { year } } }", json!({ "t": token })).await;
        assert_eq!(data(&form)["evaluatorForm"]["group"], "CUSTOMER", "{form}");
        let v = app
            .gql(
                None,
                ANSWER,
                json!({ "i": { "token": token, "score": 60, "comment": "响应及时" } }),
            )
            .await;
        assert_eq!(data(&v)["submitEvaluatorInput"], true, "{v}");
        // The link works once; a forged one is refused the same way.
        let again = app
            .gql(
                None,
                ANSWER,
                json!({ "i": { "token": token, "score": 10 } }),
            )
            .await;
        let forged = app
            .gql(
                None,
                ANSWER,
                json!({ "i": { "token": "AAAAforged", "score": 10 } }),
            )
            .await;
        assert_eq!(error_code(&again), Some("FORBIDDEN"));
        assert_eq!(error_code(&forged), Some("FORBIDDEN"));
        assert_eq!(
            again["errors"][0]["message"],
            forged["errors"][0]["message"]
        );
        // 360° = 60%×85 + 20%×80 + 20%×60 = 51 + 16 + 12 = 79.
        let v = app.gql(Some(&sup), &node_q(), json!({ "id": id })).await;
        let e = data(&v)["node"].clone();
        close(&indicator(&e, "capability_360")["score"], 79.0);
        close(&group(&e, "SUPERIOR")["weight"], 60.0);
        close(&group(&e, "SELF")["weight"], 0.0);
        assert_eq!(group(&e, "SELF")["score"], 100.0);
        assert_eq!(e["invitations"].as_array().map(Vec::len), Some(4));
        // The total is Σ effective weight × score / 100 over what counts.
        let mut total = 0.0;
        for i in e["indicators"].as_array().into_iter().flatten() {
            if i["counts"] == true {
                total += i["effectiveWeight"].as_f64().unwrap_or(0.0)
                    * i["score"].as_f64().unwrap_or(0.0)
                    / 100.0;
            }
        }
        close(&e["totalScore"], total);
        let grade = if total >= 90.0 {
            "A"
        } else if total >= 80.0 {
            "B"
        } else if total >= 60.0 {
            "C"
        } else {
            "D"
        };
        assert_eq!(e["grade"], grade);
        // The rep does not see it before it is final; a director may not finalize a draft.
        let v = app.gql(Some(&rep), &node_q(), json!({ "id": id })).await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let version = e["version"].as_i64().unwrap_or(0);
        let v = app
            .gql(Some(&director), FINALIZE, json!({ "id": id, "v": version }))
            .await;
        assert_eq!(error_code(&v), Some("CONFLICT"));
        // The rep may not submit; the supervisor does; then it is read-only for them.
        let v = app
            .gql(Some(&rep), SUBMIT, json!({ "id": id, "v": version }))
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let v = app
            .gql(Some(&sup), SUBMIT, json!({ "id": id, "v": version }))
            .await;
        assert_eq!(data(&v)["submitEvaluation"]["status"], "SUBMITTED", "{v}");
        let version = data(&v)["submitEvaluation"]["version"]
            .as_i64()
            .unwrap_or(0);
        let v = app
            .gql(Some(&sup), &score_q(), json!({ "i": { "evaluationId": id, "key": "process_compliance", "score": 90, "version": version } }))
            .await;
        assert_eq!(error_code(&v), Some("CONFLICT"));
        // Only a director finalizes.
        let v = app
            .gql(Some(&sup), FINALIZE, json!({ "id": id, "v": version }))
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let v = app
            .gql(Some(&director), FINALIZE, json!({ "id": id, "v": version }))
            .await;
        assert_eq!(data(&v)["finalizeEvaluation"]["status"], "FINALIZED", "{v}");
        let version = data(&v)["finalizeEvaluation"]["version"]
            .as_i64()
            .unwrap_or(0);
        // Now the rep sees it: group means only, the PEER and CUSTOMER groups (1 rater,
        // below the threshold of 3) only inside the total, and no invitations.
        let v = app.gql(Some(&rep), &node_q(), json!({ "id": id })).await;
        let mine = data(&v)["node"].clone();
        assert_eq!(mine["status"], "FINALIZED", "{v}");
        assert_eq!(mine["totalScore"], e["totalScore"]);
        assert_eq!(group(&mine, "SUPERIOR")["score"], 85.0);
        assert_eq!(group(&mine, "PEER")["score"], Value::Null);
        assert_eq!(group(&mine, "PEER")["hidden"], true);
        assert_eq!(group(&mine, "CUSTOMER")["score"], Value::Null);
        assert_eq!(mine["invitations"], json!([]));
        assert_eq!(mine["canEdit"], false);
        // Reopening needs a reason and goes back to SUBMITTED, recorded.
        let reopen = "mutation($id: ID!, $v: Int!, $r: String!) { reopenEvaluation(id: $id, version: $v, reason: $r) { status history { step reason } } }";
        let v = app
            .gql(
                Some(&director),
                reopen,
                json!({ "id": id, "v": version, "r": "  " }),
            )
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        let v = app
            .gql(
                Some(&director),
                reopen,
                json!({ "id": id, "v": version, "r": "客户评分录错" }),
            )
            .await;
        let r = data(&v)["reopenEvaluation"].clone();
        assert_eq!(r["status"], "SUBMITTED", "{v}");
        let steps: Vec<&str> = r["history"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|h| h["step"].as_str())
            .collect();
        assert_eq!(steps, ["CREATE", "SUBMIT", "FINALIZE", "REOPEN"]);
        // One evaluation per person and period.
        let v = app
            .gql(
                Some(&sup),
                &create_q(),
                json!({ "i": { "subjectId": rep_user, "period": year } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("CONFLICT"));
    }
);

fn rep_id_num(id: &Value) -> i64 {
    dudao::service::global_id(id.as_str().unwrap_or("")).map_or(0, |(_, n)| i64::from(n))
}

db_test!(
    a_supervisor_is_evaluated_by_the_director_with_peer_input,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let east = app.login(SUPERVISOR_EAST).await;
        let south = app.login(SUPERVISOR_SOUTH).await;
        let east_user = user_id(&app, SUPERVISOR_EAST).await;
        let south_user = user_id(&app, SUPERVISOR_SOUTH).await;
        // The demo holds last year's annual evaluations; this year's is free.
        let year =
            json!({ "kind": "YEAR", "year": chrono::Datelike::year(&dudao::clock::today()) });
        // A supervisor may not evaluate a supervisor (nor themselves).
        let v = app
            .gql(
                Some(&south),
                &create_q(),
                json!({ "i": { "subjectId": east_user, "period": year } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let v = app
            .gql(
                Some(&director),
                &create_q(),
                json!({ "i": { "subjectId": east_user, "period": year } }),
            )
            .await;
        let e = data(&v)["createEvaluation"].clone();
        assert_eq!(e["rep"], Value::Null, "{v}");
        let id = e["id"].clone();
        // RESULT is the east region's figures.
        let region = scalar(&app, "SELECT region_id FROM supervisor_regions WHERE supervisor_id = (SELECT id FROM users WHERE email = 'supervisor.east@dudao.demo')").await;
        let card = app
            .gql(Some(&director), "query($s: ScopeInput!, $p: PeriodInput!) { scorecard(scope: $s, period: $p) { attainment } }",
                json!({ "s": { "kind": "REGION", "id": gid("Region", region) }, "p": year }))
            .await;
        if let Some(a) = data(&card)["scorecard"]["attainment"].as_f64() {
            close(
                &indicator(&e, "sales_attainment")["score"],
                (100.0 * a).min(100.0),
            );
        }
        // PROCESS comes from the region's activity where it can: visits against the
        // standard, complete records, complaint response against 24 h.
        let figs = app
            .gql(Some(&director), "query($s: ScopeInput!, $p: PeriodInput!) { process(scope: $s, period: $p) { visitCompliance recordCompleteness complaintResponseHours } }",
                json!({ "s": { "kind": "REGION", "id": gid("Region", region) }, "p": year }))
            .await;
        let f = data(&figs)["process"].clone();
        match f["visitCompliance"].as_f64() {
            Some(v) => close(
                &indicator(&e, "visit_compliance")["score"],
                (100.0 * v).min(100.0),
            ),
            None => assert_eq!(indicator(&e, "visit_compliance")["counts"], false),
        }
        match f["recordCompleteness"].as_f64() {
            Some(v) => close(&indicator(&e, "record_completeness")["score"], 100.0 * v),
            None => assert_eq!(indicator(&e, "record_completeness")["counts"], false),
        }
        match f["complaintResponseHours"].as_f64() {
            Some(h) if h > 0.0 => close(
                &indicator(&e, "complaint_response")["score"],
                (100.0 * 24.0 / h).min(100.0),
            ),
            Some(_) => close(&indicator(&e, "complaint_response")["score"], 100.0),
            None => assert_eq!(indicator(&e, "complaint_response")["counts"], false),
        }
        // Peer input from supervisor.south; a rep may not be a supervisor's peer.
        let rep_user = user_id(&app, REP_EAST1).await;
        let v = app
            .gql(
                Some(&director),
                INVITE,
                json!({ "i": { "evaluationId": id, "group": "PEER", "userId": rep_user } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        let v = app
            .gql(
                Some(&director),
                INVITE,
                json!({ "i": { "evaluationId": id, "group": "PEER", "userId": south_user } }),
            )
            .await;
        let inv = data(&v)["inviteEvaluator"]["id"].clone();
        let v = app
            .gql(
                Some(&south),
                ANSWER,
                json!({ "i": { "invitationId": inv, "score": 88 } }),
            )
            .await;
        assert_eq!(data(&v)["submitEvaluatorInput"], true, "{v}");
        // Only PEER input: it carries the whole 360° weight (rescaled, and said so).
        let v = app
            .gql(Some(&director), &node_q(), json!({ "id": id }))
            .await;
        let e = data(&v)["node"].clone();
        close(&group(&e, "PEER")["weight"], 100.0);
        close(&indicator(&e, "capability_360")["score"], 88.0);
        assert!(
            e["notes"].to_string().contains("SUPERIOR"),
            "{}",
            e["notes"]
        );
        // The supervisor evaluated sees nothing before it is final.
        let v = app.gql(Some(&east), &node_q(), json!({ "id": id })).await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        // Score the PROCESS indicator and take it to FINALIZED; then they see it.
        let version = e["version"].as_i64().unwrap_or(0);
        let v = app.gql(Some(&director), &score_q(), json!({ "i": { "evaluationId": id, "key": "team_management", "score": 75, "version": version } })).await;
        let version = data(&v)["scoreIndicator"]["version"].as_i64().unwrap_or(0);
        let v = app
            .gql(Some(&director), SUBMIT, json!({ "id": id, "v": version }))
            .await;
        assert_eq!(data(&v)["submitEvaluation"]["status"], "SUBMITTED", "{v}");
        let version = data(&v)["submitEvaluation"]["version"]
            .as_i64()
            .unwrap_or(0);
        app.gql(Some(&director), FINALIZE, json!({ "id": id, "v": version }))
            .await;
        let v = app.gql(Some(&east), &node_q(), json!({ "id": id })).await;
        assert_eq!(data(&v)["node"]["status"], "FINALIZED", "{v}");
        // Calibration: the director only.
        let cal = "query($p: PeriodInput!) { calibration(period: $p, subjectKind: SUPERVISOR) { count mean supervisors { name count mean leniency a b c d } nineBox { resultBand capabilityBand count } } }";
        let v = app.gql(Some(&east), cal, json!({ "p": year })).await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let v = app.gql(Some(&director), cal, json!({ "p": year })).await;
        let c = data(&v)["calibration"].clone();
        assert!(c["count"].as_i64() >= Some(1), "{v}");
        assert_eq!(c["nineBox"].as_array().map(Vec::len), Some(9));
    }
);

db_test!(
    a_supervisor_of_two_regions_is_scored_on_their_pooled_figures_and_hands_in_a_self_report,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let south = app.login(SUPERVISOR_SOUTH).await;
        let east = app.login(SUPERVISOR_EAST).await;
        let south_id = scalar(
            &app,
            "SELECT id FROM users WHERE email = 'supervisor.south@dudao.demo'",
        )
        .await;
        let mine = scalar(
            &app,
            &format!(
                "SELECT MIN(region_id) FROM supervisor_regions WHERE supervisor_id = {south_id}"
            ),
        )
        .await;
        let other = scalar(
            &app,
            &format!(
                "SELECT MIN(region_id) FROM reps WHERE region_id NOT IN \
             (SELECT region_id FROM supervisor_regions WHERE supervisor_id = {south_id})"
            ),
        )
        .await;
        exec(&app, &format!("INSERT INTO supervisor_regions (supervisor_id, region_id) VALUES ({south_id}, {other})")).await;
        // Twelve poor surveys in the second region: a mean of the regions' means would
        // weigh them as much as the whole first region; the pooled mean does not.
        let customer = scalar(&app, &format!(
            "SELECT MIN(c.id) FROM customers c JOIN reps r ON r.id = c.owner_rep_id WHERE r.region_id = {other}"
        )).await;
        let today = dudao::clock::today();
        for _ in 0..12 {
            let v = app
                .gql(Some(&director), "mutation($i: RecordSurveyInput!) { recordSurvey(input: $i) { id } }",
                    json!({ "i": { "customerId": gid("Customer", customer), "date": today.to_string(), "score": 2 } }))
                .await;
            assert!(v["errors"].is_null(), "{v}");
        }
        let year = chrono::Datelike::year(&today);
        let v = app
            .gql(
                Some(&director),
                &create_q(),
                json!({ "i": { "subjectId": gid("User", south_id), "period": { "kind": "YEAR", "year": year } } }),
            )
            .await;
        let e = data(&v)["createEvaluation"].clone();
        let id = e["id"].clone();
        let reps = format!("(SELECT id FROM reps WHERE region_id IN ({mine}, {other}))");
        let months = format!(
            "m.month >= '{year}-01-01' AND m.month < '{}-01-01'",
            year + 1
        );
        let sum = |col: &str| {
            format!(
                "SELECT CAST(COALESCE(SUM(m.{col}), 0) AS BIGINT) FROM rep_months m WHERE m.rep_id IN {reps} AND {months}"
            )
        };
        let surveys = scalar(&app, &sum("surveys")).await;
        let score_sum = scalar(&app, &sum("score_sum")).await;
        assert!(surveys >= 12, "{surveys}");
        let sat = score_sum as f64 / surveys as f64;
        let i = indicator(&e, "satisfaction");
        close(&i["score"], (100.0 * sat / 8.5).min(100.0));
        assert_eq!(i["actual"], format!("{sat:.2}"), "{i}");
        let due = scalar(&app, &sum("due_cents")).await;
        let paid = scalar(&app, &format!(
            "SELECT CAST(COALESCE(SUM(pm.cents), 0) AS BIGINT) FROM rep_paid_months pm WHERE pm.rep_id IN {reps} \
             AND pm.due_month >= '{year}-01-01' AND pm.due_month < '{y1}-01-01' AND pm.paid_month < '{y1}-01-01'",
            y1 = year + 1
        )).await;
        if due > 0 {
            close(
                &indicator(&e, "collection_rate")["score"],
                (100.0 * paid as f64 / due as f64 / 0.95).min(100.0),
            );
        }

        // The 述职 report is the SELF input: the supervisor writes highlights and a plan.
        let v = app
            .gql(Some(&director), INVITE, json!({ "i": { "evaluationId": id, "group": "SELF", "userId": gid("User", south_id) } }))
            .await;
        let own = data(&v)["inviteEvaluator"]["id"].clone();
        let east_id = user_id(&app, SUPERVISOR_EAST).await;
        let v = app
            .gql(
                Some(&director),
                INVITE,
                json!({ "i": { "evaluationId": id, "group": "PEER", "userId": east_id } }),
            )
            .await;
        let peer = data(&v)["inviteEvaluator"]["id"].clone();
        // A peer's answer carries no self report: refused, and nothing is stored.
        let v = app
            .gql(
                Some(&east),
                ANSWER,
                json!({ "i": { "invitationId": peer, "score": 80, "highlights": "不是我的述职" } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{v}");
        let answered = scalar(&app, "SELECT COUNT(*) FROM evaluation_invitations WHERE answered_at IS NOT NULL AND highlights IS NOT NULL AND rater_group = 'PEER'").await;
        assert_eq!(answered, 0);
        let highlights = "回款率稳定在 95% 以上\n每位代表每月至少陪访一次";
        let v = app
            .gql(
                Some(&south),
                ANSWER,
                json!({ "i": { "invitationId": own, "score": 85, "comment": "本年度述职",
                "highlights": highlights, "improvementPlan": "新客户开发：每周梳理名单" } }),
            )
            .await;
        assert_eq!(data(&v)["submitEvaluatorInput"], true, "{v}");
        // Control characters stay refused here too.
        let v = app
            .gql(
                Some(&south),
                ANSWER,
                json!({ "i": { "invitationId": own, "score": 85, "improvementPlan": "a\u{0}b" } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{v}");
        // The rater sees what they wrote so far; the director sees the report on the evaluation.
        let v = app
            .gql(
                Some(&south),
                "{ myEvaluatorInvitations { group answered highlights improvementPlan } }",
                json!({}),
            )
            .await;
        let forms = data(&v)["myEvaluatorInvitations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mine_form = forms
            .iter()
            .find(|f| f["group"] == "SELF")
            .cloned()
            .unwrap_or_default();
        assert_eq!(mine_form["highlights"], highlights, "{v}");
        let q = "query($id: ID!) { node(id: $id) { ... on Evaluation { selfReport { score comment highlights improvementPlan } groups { group weight } } } }";
        let v = app.gql(Some(&director), q, json!({ "id": id })).await;
        let r = data(&v)["node"]["selfReport"].clone();
        assert_eq!(r["highlights"], highlights, "{v}");
        assert_eq!(r["improvementPlan"], "新客户开发：每周梳理名单");
        close(&r["score"], 85.0);
        close(&group(&data(&v)["node"], "SELF")["weight"], 0.0);
        // Another supervisor sees neither the evaluation nor the report.
        let v = app.gql(Some(&east), q, json!({ "id": id })).await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"), "{v}");
    }
);

db_test!(
    shipped_templates_nobody_edited_follow_the_release_and_edited_ones_stay,
    |app: TestApp| async move {
        let sup = scalar(&app, "SELECT MIN(id) FROM evaluation_templates WHERE subject_kind = 'SUPERVISOR' AND version = 1").await;
        let rep = scalar(&app, "SELECT MIN(id) FROM evaluation_templates WHERE subject_kind = 'REP' AND period_kind = 'YEAR'").await;
        let shipped = scalar(&app, &format!("SELECT CAST(LENGTH(indicators) AS BIGINT) FROM evaluation_templates WHERE id = {sup}")).await;
        // An older release's supervisor template (one indicator), and a rep template a
        // director changed (version 2).
        let old = r#"[{"key":"team","name_zh":"团队","name_en":"Team","category":"PROCESS","weight":100.0,"source":"MANUAL"}]"#;
        exec(
            &app,
            &format!("UPDATE evaluation_templates SET indicators = '{old}' WHERE id = {sup}"),
        )
        .await;
        exec(
            &app,
            &format!(
                "UPDATE evaluation_templates SET indicators = '{old}', version = 2 WHERE id = {rep}"
            ),
        )
        .await;
        dudao::service::evaluations::ensure_templates(&app.running.db)
            .await
            .unwrap_or_else(|e| panic!("{}", e.message()));
        let now = scalar(&app, &format!("SELECT CAST(LENGTH(indicators) AS BIGINT) FROM evaluation_templates WHERE id = {sup}")).await;
        assert_eq!(
            now, shipped,
            "the unedited shipped template was not brought up to date"
        );
        let kept = scalar(&app, &format!("SELECT COUNT(*) FROM evaluation_templates WHERE id = {rep} AND indicators = '{old}' AND version = 2")).await;
        assert_eq!(kept, 1, "a template a director changed was overwritten");
        let all = scalar(&app, "SELECT COUNT(*) FROM evaluation_templates").await;
        dudao::service::evaluations::ensure_templates(&app.running.db)
            .await
            .unwrap_or_else(|e| panic!("{}", e.message()));
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM evaluation_templates").await,
            all,
            "templates were added twice"
        );
    }
);

db_test!(
    submitting_checks_completeness_and_drafts_cannot_be_overwritten,
    |app: TestApp| async move {
        let sup = app.login(SUPERVISOR_EAST).await;
        let south = app.login(SUPERVISOR_SOUTH).await;
        let rep_user = user_id(&app, REP_EAST1).await;
        let month = json!({ "kind": "MONTH", "year": 2025, "index": 3 });
        // Another region's supervisor may not evaluate this rep.
        let v = app
            .gql(
                Some(&south),
                &create_q(),
                json!({ "i": { "subjectId": rep_user, "period": month } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let before = scalar(&app, "SELECT COUNT(*) FROM evaluations").await;
        for bad in [
            json!({ "kind": "MONTH", "year": 2026, "index": 13 }),
            json!({ "kind": "MONTH", "year": 1850, "index": 1 }),
        ] {
            let v = app
                .gql(
                    Some(&sup),
                    &create_q(),
                    json!({ "i": { "subjectId": rep_user, "period": bad } }),
                )
                .await;
            assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{v}");
        }
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM evaluations").await,
            before
        );
        // The monthly template: PROCESS only, three indicators scored by hand.
        let v = app
            .gql(
                Some(&sup),
                &create_q(),
                json!({ "i": { "subjectId": rep_user, "period": month } }),
            )
            .await;
        let e = data(&v)["createEvaluation"].clone();
        assert_eq!(e["indicators"].as_array().map(Vec::len), Some(3), "{v}");
        let id = e["id"].clone();
        let version = e["version"].as_i64().unwrap_or(0);
        let v = app.gql(Some(&sup), &score_q(), json!({ "i": { "evaluationId": id, "key": "process_compliance", "score": 90, "version": version } })).await;
        let e = data(&v)["scoreIndicator"].clone();
        // Partial: 50 × 90 / 100 = 45, no total yet.
        close(&e["partialScore"], 45.0);
        assert_eq!(e["totalScore"], Value::Null);
        let version = e["version"].as_i64().unwrap_or(0);
        let v = app
            .gql(Some(&sup), SUBMIT, json!({ "id": id, "v": version }))
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "incomplete: {v}");
        assert!(
            v["errors"][0]["message"]
                .as_str()
                .unwrap_or("")
                .contains("visit_execution")
        );
        // Two people editing one draft: the second write with the same version loses.
        let a = json!({ "i": { "evaluationId": id, "key": "visit_execution", "score": 80, "version": version } });
        let b = json!({ "i": { "evaluationId": id, "key": "record_completeness", "score": 70, "version": version } });
        let director = app.login(DIRECTOR).await;
        let sq = score_q();
        let (ra, rb) = tokio::join!(
            app.gql(Some(&sup), &sq, a),
            app.gql(Some(&director), &sq, b)
        );
        let codes = [error_code(&ra), error_code(&rb)];
        assert!(
            codes.contains(&None) && codes.contains(&Some("CONFLICT")),
            "{ra} {rb}"
        );
        let stored = scalar(&app, &format!("SELECT COUNT(*) FROM evaluation_indicators WHERE evaluation_id = {} AND score IS NOT NULL", rep_id_num(&id))).await;
        assert_eq!(stored, 2, "one of the two racing scores is stored");
        // The grade just under 80: 50×90 + 30×70 + 20×69.9 = 4500 + 2100 + 1398 = 7998
        // → 79.98, grade C (decided on the unrounded total).
        let v = app.gql(Some(&sup), &node_q(), json!({ "id": id })).await;
        let e = data(&v)["node"].clone();
        let mut version = e["version"].as_i64().unwrap_or(0);
        for (k, s) in [("visit_execution", 70.0), ("record_completeness", 69.9)] {
            let v = app.gql(Some(&sup), &score_q(), json!({ "i": { "evaluationId": id, "key": k, "score": s, "version": version } })).await;
            version = data(&v)["scoreIndicator"]["version"].as_i64().unwrap_or(0);
            if k == "record_completeness" {
                let e = data(&v)["scoreIndicator"].clone();
                close(&e["totalScore"], 79.98);
                assert_eq!(e["grade"], "C");
            }
        }
        let v = app
            .gql(Some(&sup), SUBMIT, json!({ "id": id, "v": version }))
            .await;
        assert_eq!(data(&v)["submitEvaluation"]["status"], "SUBMITTED", "{v}");
    }
);

db_test!(
    templates_must_weigh_100_and_belong_to_a_director,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let sup = app.login(SUPERVISOR_EAST).await;
        let save = "mutation($i: SaveEvaluationTemplateInput!) { saveEvaluationTemplate(input: $i) { id version indicators { key weight } } }";
        let ind = |w: f64| {
            json!([
                { "key": "sales_attainment", "nameZh": "销售", "nameEn": "Sales", "category": "RESULT", "weight": w, "source": "SALES_ATTAINMENT" },
                { "key": "coaching", "nameZh": "辅导", "nameEn": "Coaching", "category": "PROCESS", "weight": 40, "source": "MANUAL" }
            ])
        };
        let input = |w: f64| json!({ "i": { "nameZh": "试用", "nameEn": "Trial", "subjectKind": "REP", "periodKind": "QUARTER", "indicators": ind(w) } });
        let before = scalar(&app, "SELECT COUNT(*) FROM evaluation_templates").await;
        let v = app.gql(Some(&director), save, input(59.0)).await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        assert!(
            v["errors"][0]["message"]
                .as_str()
                .unwrap_or("")
                .contains("99"),
            "{v}"
        );
        let v = app.gql(Some(&sup), save, input(60.0)).await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM evaluation_templates").await,
            before
        );
        let v = app.gql(Some(&director), save, input(60.0)).await;
        assert_eq!(
            data(&v)["saveEvaluationTemplate"]["indicators"][0]["weight"],
            60.0,
            "{v}"
        );
        // A source in the wrong category is refused.
        let mut wrong = input(60.0);
        wrong["i"]["indicators"][0]["category"] = json!("PROCESS");
        let v = app.gql(Some(&director), save, wrong).await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        // The shipped templates are there.
        let v = app.gql(Some(&sup), "{ evaluationTemplates { nameEn subjectKind periodKind indicators { key weight } } }", json!({})).await;
        let names: Vec<&str> = data(&v)["evaluationTemplates"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["nameEn"].as_str())
            .collect();
        assert!(
            names.contains(&"Rep annual (default)") && names.contains(&"Supervisor annual"),
            "{v}"
        );
    }
);

db_test!(
    a_cycle_opens_for_everyone_in_one_action,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let sup = app.login(SUPERVISOR_EAST).await;
        let open = "mutation($i: OpenEvaluationCycleInput!) { openEvaluationCycle(input: $i) { created kept cycle { id total drafts dueOn } } }";
        let p = json!({ "kind": "MONTH", "year": 2025, "index": 6 });
        let v = app
            .gql(
                Some(&sup),
                open,
                json!({ "i": { "period": p, "subjectKind": "REP" } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let reps = scalar(&app, "SELECT COUNT(*) FROM users WHERE role = 'REP' AND active = TRUE AND id IN (SELECT user_id FROM reps)").await;
        let existing = scalar(&app, "SELECT COUNT(*) FROM evaluations WHERE period_kind = 'MONTH' AND period_start = '2025-06-01'").await;
        let v = app
            .gql(
                Some(&director),
                open,
                json!({ "i": { "period": p, "subjectKind": "REP" } }),
            )
            .await;
        let r = data(&v)["openEvaluationCycle"].clone();
        assert_eq!(r["created"].as_i64(), Some(reps - existing), "{v}");
        assert_eq!(r["cycle"]["dueOn"], "2025-07-05");
        // Opening it again keeps everyone's.
        let v = app
            .gql(
                Some(&director),
                open,
                json!({ "i": { "period": p, "subjectKind": "REP" } }),
            )
            .await;
        assert_eq!(data(&v)["openEvaluationCycle"]["created"], 0, "{v}");
        // The supervisor writes their reps' (their reminders say so: overdue since 2025-07-05).
        let v = app
            .gql(
                Some(&sup),
                "{ evaluationReminders { kind overdue } }",
                json!({}),
            )
            .await;
        let list = data(&v)["evaluationReminders"].clone();
        assert!(
            list.as_array()
                .into_iter()
                .flatten()
                .any(|r| r["kind"] == "EVALUATION_DUE" && r["overdue"] == true),
            "{v}"
        );
        let v = app
            .gql(
                Some(&director),
                "query { evaluations(first: 5, filter: { overdue: true }) { totalCount } }",
                json!({}),
            )
            .await;
        assert!(
            data(&v)["evaluations"]["totalCount"].as_i64() >= Some(reps - existing),
            "{v}"
        );
    }
);

db_test!(
    surveys_flow_into_the_scorecard_and_links_work_once,
    |app: TestApp| async move {
        let rep = app.login(REP_EAST1).await;
        let south = app.login(SUPERVISOR_SOUTH).await;
        let (_, rep_id) = me(&app, &rep).await;
        let cust = scalar(
            &app,
            &format!(
                "SELECT MIN(id) FROM customers WHERE owner_rep_id = {}",
                rep_id_num(&rep_id)
            ),
        )
        .await;
        let cust = json!(gid("Customer", cust));
        let today = dudao::clock::today();
        let month = json!({ "kind": "MONTH", "year": chrono::Datelike::year(&today), "index": chrono::Datelike::month(&today) });
        let card = "query($s: ScopeInput!, $p: PeriodInput!) { scorecard(scope: $s, period: $p) { satisfaction } }";
        let scope = json!({ "s": { "kind": "REP", "id": rep_id }, "p": month });
        let sums_sql = format!(
            "SELECT CAST(COALESCE(SUM(surveys), 0) AS INTEGER) FROM rep_months WHERE rep_id = {}",
            rep_id_num(&rep_id)
        );
        let sums = || scalar(&app, &sums_sql);
        let before = sums().await;
        let record =
            "mutation($i: RecordSurveyInput!) { recordSurvey(input: $i) { id score source } }";
        // Bad input changes nothing; another region's supervisor cannot see the customer.
        for bad in [json!(11), json!(-1)] {
            let v = app
                .gql(
                    Some(&rep),
                    record,
                    json!({ "i": { "customerId": cust, "date": today.to_string(), "score": bad } }),
                )
                .await;
            assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        }
        let v = app
            .gql(
                Some(&rep),
                record,
                json!({ "i": { "customerId": cust, "date": "2999-01-01", "score": 5 } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        let v = app
            .gql(
                Some(&south),
                record,
                json!({ "i": { "customerId": cust, "date": today.to_string(), "score": 5 } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        assert_eq!(sums().await, before);
        let alerts = || {
            scalar(
                &app,
                "SELECT COUNT(*) FROM alerts WHERE rule = 'LOW_SATISFACTION'",
            )
        };
        let low_before = alerts().await;
        let v = app.gql(Some(&rep), record, json!({ "i": { "customerId": cust, "date": today.to_string(), "score": 3, "comment": "交付慢" } })).await;
        assert_eq!(data(&v)["recordSurvey"]["source"], "MANUAL", "{v}");
        assert_eq!(sums().await, before + 1);
        assert_eq!(
            alerts().await,
            low_before + 1,
            "a low score raises its alert at once"
        );
        // A one-time link: no account, once, the same refusal for used, forged and expired.
        let v = app
            .gql(
                Some(&rep),
                "mutation($c: ID!) { createSurveyLink(customerId: $c) { link expiresAt } }",
                json!({ "c": cust }),
            )
            .await;
        let link = data(&v)["createSurveyLink"]["link"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        let token = link.trim_start_matches("/form/survey/").to_owned();
        assert!(token.len() >= 40, "{v}");
        let form = "query($t: String!) { surveyForm(token: $t) { expiresAt } }";
        let v = app.gql(None, form, json!({ "t": token })).await;
        assert!(data(&v)["surveyForm"]["expiresAt"].is_string(), "{v}");
        let answer = "mutation($t: String!, $s: Int!) { answerSurvey(token: $t, score: $s, comment: \"很好\") }";
        let v = app.gql(None, answer, json!({ "t": token, "s": 11 })).await;
        assert_eq!(
            error_code(&v),
            Some("BAD_USER_INPUT"),
            "a bad score does not use the link"
        );
        let (a, b) = tokio::join!(
            app.gql(None, answer, json!({ "t": token, "s": 9 })),
            app.gql(None, answer, json!({ "t": token, "s": 9 }))
        );
        let ok = [&a, &b].iter().filter(|v| error_code(v).is_none()).count();
        assert_eq!(ok, 1, "two answers at once store one: {a} {b}");
        assert_eq!(sums().await, before + 2);
        let v2 = app
            .gql(
                Some(&rep),
                "mutation($c: ID!) { createSurveyLink(customerId: $c, days: 1) { link } }",
                json!({ "c": cust }),
            )
            .await;
        let expired = data(&v2)["createSurveyLink"]["link"]
            .as_str()
            .unwrap_or("")
            .trim_start_matches("/form/survey/")
            .to_owned();
        exec(
            &app,
            "UPDATE survey_links SET expires_at = created_at WHERE used_at IS NULL",
        )
        .await;
        let used = app.gql(None, form, json!({ "t": token })).await;
        let gone = app.gql(None, form, json!({ "t": expired })).await;
        let forged = app.gql(None, form, json!({ "t": "forged-token" })).await;
        for v in [&used, &gone, &forged] {
            assert_eq!(error_code(v), Some("FORBIDDEN"), "{v}");
            assert_eq!(v["errors"][0]["message"], used["errors"][0]["message"]);
        }
        // The scorecard's satisfaction includes both (rollups kept in step).
        let v = app.gql(Some(&rep), card, scope).await;
        assert!(data(&v)["scorecard"]["satisfaction"].is_number(), "{v}");
        let v = app
            .gql(
                Some(&south),
                "query($c: ID!) { surveys(first: 5, filter: { customerId: $c }) { totalCount } }",
                json!({ "c": cust }),
            )
            .await;
        assert_eq!(data(&v)["surveys"]["totalCount"], 0);
        let v = app.gql(Some(&rep), "query($c: ID!) { surveys(first: 5, filter: { customerId: $c }) { totalCount edges { node { source } } } }", json!({ "c": cust })).await;
        assert!(data(&v)["surveys"]["totalCount"].as_i64() >= Some(2), "{v}");
    }
);

db_test!(
    a_page_of_evaluations_takes_a_bounded_number_of_statements,
    |app: TestApp| async move {
        let token = app.login(DIRECTOR).await;
        let q = "query($n: Int) { evaluations(first: $n) { totalCount edges { node { id status totalScore grade partialScore \
             subject { name } rep { name } evaluator { name } period { year } notes \
             indicators { key score effectiveWeight } categories { category grade } groups { group score raters } \
             invitations { group rater { name } score } history { step actor { name } } actionItems { title } } } } }";
        let mut counts = Vec::new();
        for n in [2, 60] {
            let before = app.statements();
            let v = app.gql(Some(&token), q, json!({ "n": n })).await;
            assert_eq!(
                data(&v)["evaluations"]["edges"].as_array().map(Vec::len),
                Some(n as usize),
                "{v}"
            );
            counts.push(app.statements() - before);
        }
        // One statement per loader and level, and the grade scale once (a busy machine may
        // split a batch: one extra each).
        assert!(
            counts[1] <= counts[0] + 6,
            "statements grew with the page size: {counts:?}"
        );
        assert!(counts[1] <= 24, "{counts:?}");
    }
);

db_test!(
    reminders_reach_the_alert_inbox_of_whoever_owes_the_work,
    |app: TestApp| async move {
        let db = app.running.db.clone();
        let today = dudao::clock::today();
        let run = || async {
            dudao::service::alerts::run(&db, today)
                .await
                .unwrap_or_else(|e| panic!("alert run: {e:?}"))
        };
        let q = "query($r: [AlertRule!]) { alerts(first: 100, filter: { rule: $r, status: [OPEN, ACKNOWLEDGED] }) { totalCount edges { node { items subjectOn assignee { email } region { name } } } } }";
        let due = json!({ "r": ["EVALUATIONS_DUE"] });
        let input = json!({ "r": ["EVALUATION_INPUT_DUE"] });
        run().await;
        // Every supervisor's drafts due within 3 days or overdue, per region, against
        // plain SQL over the evaluations.
        let soon = today + chrono::Duration::days(3);
        let expected = scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM (SELECT e.evaluator_id, r.region_id FROM evaluations e \
                 JOIN reps r ON r.id = e.rep_id JOIN users u ON u.id = e.evaluator_id \
                 WHERE e.status = 'DRAFT' AND e.due_on <= '{soon}' AND u.role = 'SUPERVISOR' \
                 GROUP BY e.evaluator_id, r.region_id) x"
            ),
        )
        .await;
        let director = app.login(DIRECTOR).await;
        let v = app.gql(Some(&director), q, due.clone()).await;
        assert_eq!(
            data(&v)["alerts"]["totalCount"].as_i64(),
            Some(expected),
            "{v}"
        );
        let east = app.login(SUPERVISOR_EAST).await;
        let mine = scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM evaluations e JOIN users u ON u.id = e.evaluator_id \
                 WHERE u.email = '{SUPERVISOR_EAST}' AND e.status = 'DRAFT' AND e.due_on <= '{soon}'"
            ),
        )
        .await;
        let v = app.gql(Some(&east), q, due.clone()).await;
        let items: i64 = data(&v)["alerts"]["edges"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["node"]["items"].as_i64()).sum())
            .unwrap_or(0);
        assert_eq!(items, mine, "{v}");
        // The rep evaluated sees nothing of it.
        let rep = app.login(REP_EAST1).await;
        let v = app.gql(Some(&rep), q, due.clone()).await;
        assert_eq!(data(&v)["alerts"]["totalCount"].as_i64(), Some(0), "{v}");
        // An invitation left unanswered for a week reaches the rater's inbox (a rep asked
        // for peer input), not the inbox of the one evaluated.
        let rep_user = scalar(
            &app,
            &format!("SELECT id FROM users WHERE email = '{REP_EAST1}'"),
        )
        .await;
        let draft = scalar(&app, &format!(
            "SELECT MIN(e.id) FROM evaluations e JOIN reps r ON r.id = e.rep_id JOIN users u ON u.id = e.evaluator_id \
             WHERE e.status = 'DRAFT' AND u.email = '{SUPERVISOR_EAST}' AND r.user_id <> {rep_user}")).await;
        let subject = scalar(
            &app,
            &format!("SELECT subject_id FROM evaluations WHERE id = {draft}"),
        )
        .await;
        let v = app
            .gql(
                Some(&east),
                INVITE,
                json!({ "i": { "evaluationId": gid("Evaluation", draft), "group": "PEER", "userId": gid("User", rep_user) } }),
            )
            .await;
        let inv = data(&v)["inviteEvaluator"]["id"].clone();
        assert!(inv.is_string(), "{v}");
        exec(&app, &format!(
            "UPDATE evaluation_invitations SET invited_at = '{}' WHERE rater_id = {rep_user} AND answered_at IS NULL",
            match sea_orm::ConnectionTrait::get_database_backend(&app.running.db) {
                sea_orm::DatabaseBackend::Postgres => format!("{} 09:00:00+00", today - chrono::Duration::days(8)),
                _ => format!("{}T09:00:00+00:00", today - chrono::Duration::days(8)),
            })).await;
        run().await;
        let v = app.gql(Some(&rep), q, input.clone()).await;
        let n = data(&v)["alerts"]["edges"][0]["node"]["items"].as_i64();
        assert!(n >= Some(1), "{v}");
        assert_eq!(
            data(&v)["alerts"]["edges"][0]["node"]["assignee"]["email"],
            REP_EAST1
        );
        let subject_email: String = {
            use sea_orm::ConnectionTrait;
            let r = app
                .running
                .db
                .query_one_raw(sea_orm::Statement::from_string(
                    app.running.db.get_database_backend(),
                    format!("SELECT email FROM users WHERE id = {subject}"),
                ))
                .await
                .ok()
                .flatten();
            r.and_then(|r| r.try_get_by_index::<String>(0).ok())
                .unwrap_or_default()
        };
        if !subject_email.is_empty() && subject_email != REP_EAST1 {
            let other = app.login(&subject_email).await;
            let v = app.gql(Some(&other), q, input.clone()).await;
            assert_eq!(data(&v)["alerts"]["totalCount"].as_i64(), Some(0), "{v}");
        }
        // Answered: the next run resolves it.
        let pending = scalar(&app, &format!("SELECT COUNT(*) FROM evaluation_invitations i JOIN evaluations e ON e.id = i.evaluation_id WHERE i.rater_id = {rep_user} AND i.answered_at IS NULL AND e.status = 'DRAFT'")).await;
        if pending == 1 {
            let v = app
                .gql(
                    Some(&rep),
                    ANSWER,
                    json!({ "i": { "invitationId": inv, "score": 80 } }),
                )
                .await;
            assert_eq!(data(&v)["submitEvaluatorInput"], true, "{v}");
            run().await;
            let v = app.gql(Some(&rep), q, input).await;
            assert_eq!(data(&v)["alerts"]["totalCount"].as_i64(), Some(0), "{v}");
        }
    }
);
