//! Targets: the split grid (children, history, the helper's shares, whether it adds up),
//! setting targets with versions and roles, and the negotiation of a figure with its
//! history — on the demo data, on both databases.

use chrono::Datelike;
use dudao_tests::*;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const SPLIT: &str = "query($m: TargetMetric, $s: ScopeInput!, $p: PeriodInput!) { targetSplit(metric: $m, scope: $s, period: $p) { \
    parent { id value version } parentPendingProposal { id version } childKind periods { index } \
    rows { scope { id name } cells { period { index } target { id value version } history suggested pendingProposal { id } } } \
    columnTotals childrenTotal missing difference addsUp canSet canSetChildren canPropose } }";

const SET: &str = "mutation($t: [TargetValueInput!]!, $r: String) { setTargets(input: { targets: $t, reason: $r }) { id value version } }";

const PROPOSE: &str = "mutation($id: ID!, $v: Decimal!, $r: String!) { proposeTarget(input: { targetId: $id, value: $v, reason: $r }) { id status value version } }";

fn cents(v: &Value) -> i64 {
    let s = v.as_str().unwrap_or_else(|| panic!("not a decimal: {v}"));
    let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
    let neg = whole.starts_with('-');
    let w: i64 = whole.trim_start_matches('-').parse().unwrap_or(0);
    let f: i64 = format!("{frac:0<2}")[..2].parse().unwrap_or(0);
    let c = w * 100 + f;
    if neg { -c } else { c }
}

fn decimal(c: i64) -> String {
    format!(
        "{}{}.{:02}",
        if c < 0 { "-" } else { "" },
        c.abs() / 100,
        c.abs() % 100
    )
}

fn quarter_now() -> Value {
    let t = dudao::clock::today();
    json!({ "kind": "QUARTER", "year": t.year(), "index": (t.month() - 1) / 3 + 1 })
}

async fn first_id(app: &TestApp, token: &str, q: &str) -> Value {
    let v = app.gql(Some(token), q, json!({})).await;
    let edges = &data(&v);
    let list = edges
        .as_object()
        .and_then(|o| o.values().next())
        .cloned()
        .unwrap_or_default();
    list["edges"][0]["node"]["id"].clone()
}

db_test!(
    a_company_year_splits_into_regions_and_quarters,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let year = dudao::clock::today().year();
        let v = app
            .gql(
                Some(&director),
                SPLIT,
                json!({ "s": { "kind": "COMPANY" }, "p": { "kind": "YEAR", "year": year } }),
            )
            .await;
        let s = &data(&v)["targetSplit"];
        assert_eq!(s["childKind"], "REGION");
        assert_eq!(s["periods"].as_array().map(Vec::len), Some(4));
        let regions = app
            .gql(
                Some(&director),
                "{ regions(first: 100) { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(
            s["rows"].as_array().map(|r| r.len() as i64),
            data(&regions)["regions"]["totalCount"].as_i64()
        );
        // The demo's region quarters are the sums of its reps' and add up to the company year.
        let parent = cents(&s["parent"]["value"]);
        assert_eq!(cents(&s["childrenTotal"]), parent, "{s}");
        assert_eq!(s["difference"], "0.00");
        assert_eq!(s["addsUp"], true);
        // The helper's shares add up to the parent exactly.
        let suggested: i64 = s["rows"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|r| r["cells"].as_array().cloned().unwrap_or_default())
            .map(|c| cents(&c["suggested"]))
            .sum();
        assert_eq!(suggested, parent);
        let column: i64 = s["columnTotals"]
            .as_array()
            .into_iter()
            .flatten()
            .map(cents)
            .sum();
        assert_eq!(column, parent);
        assert_eq!(
            (s["canSet"].clone(), s["canSetChildren"].clone()),
            (json!(true), json!(true))
        );

        // Last year's figure of a collection split is what the scorecard shows as collected
        // for that child and period a year earlier (paid by its end on amounts due in it).
        let v = app
            .gql(
                Some(&director),
                SPLIT,
                json!({ "m": "COLLECTION", "s": { "kind": "COMPANY" }, "p": { "kind": "YEAR", "year": year } }),
            )
            .await;
        let split = &data(&v)["targetSplit"];
        for row in split["rows"].as_array().into_iter().flatten().take(2) {
            for cell in row["cells"].as_array().into_iter().flatten() {
                let v = app
                    .gql(
                        Some(&director),
                        "query($s: ScopeInput!, $p: PeriodInput!) { scorecard(scope: $s, period: $p) { collected } }",
                        json!({
                            "s": { "kind": "REGION", "id": row["scope"]["id"] },
                            "p": { "kind": "QUARTER", "year": year - 1, "index": cell["period"]["index"] }
                        }),
                    )
                    .await;
                assert_eq!(
                    cents(&cell["history"]),
                    cents(&data(&v)["scorecard"]["collected"]),
                    "{row}"
                );
            }
        }

        // A supervisor may not read the company's targets; a rep not the region's.
        let sup = app.login(SUPERVISOR_EAST).await;
        let v = app
            .gql(
                Some(&sup),
                SPLIT,
                json!({ "s": { "kind": "COMPANY" }, "p": { "kind": "YEAR", "year": year } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let east = first_id(
            &app,
            &sup,
            "{ regions(first: 1) { edges { node { id } } } }",
        )
        .await;
        let rep = app.login(REP_EAST1).await;
        let v = app
            .gql(
                Some(&rep),
                SPLIT,
                json!({ "s": { "kind": "REGION", "id": east }, "p": quarter_now() }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
    }
);

db_test!(
    setting_a_split_checks_roles_versions_and_values,
    |app: TestApp| async move {
        let sup = app.login(SUPERVISOR_EAST).await;
        let east = first_id(
            &app,
            &sup,
            "{ regions(first: 1) { edges { node { id } } } }",
        )
        .await;
        let q = quarter_now();
        let v = app
            .gql(
                Some(&sup),
                SPLIT,
                json!({ "s": { "kind": "REGION", "id": east }, "p": q }),
            )
            .await;
        let s = data(&v)["targetSplit"].clone();
        assert_eq!(s["childKind"], "REP");
        assert_eq!(
            (
                s["canSet"].clone(),
                s["canSetChildren"].clone(),
                s["canPropose"].clone()
            ),
            (json!(false), json!(true), json!(true))
        );
        let row = &s["rows"][0];
        let cell = &row["cells"][0]["target"];
        let before = cents(&cell["value"]);
        let input = |value: i64, version: &Value| json!([{ "scope": { "kind": "REP", "id": row["scope"]["id"] }, "period": q, "value": decimal(value), "version": version }]);
        // Raising one rep's target by 1,000.00 breaks the split by exactly that much.
        let v = app
        .gql(Some(&sup), SET, json!({ "t": input(before + 100_000, &cell["version"]), "r": "新客户签约 / new account" }))
        .await;
        let set = &data(&v)["setTargets"][0];
        assert_eq!(cents(&set["value"]), before + 100_000);
        let v = app
            .gql(
                Some(&sup),
                SPLIT,
                json!({ "s": { "kind": "REGION", "id": east }, "p": q }),
            )
            .await;
        let s2 = &data(&v)["targetSplit"];
        assert_eq!(s2["addsUp"], false);
        assert_eq!(cents(&s2["difference"]) - cents(&s["difference"]), 100_000);

        // The old version is stale now: CONFLICT, nothing written.
        let v = app
            .gql(Some(&sup), SET, json!({ "t": input(1, &cell["version"]) }))
            .await;
        assert_eq!(error_code(&v), Some("CONFLICT"));
        // A target that exists needs its version.
        let v = app
            .gql(Some(&sup), SET, json!({ "t": input(1, &Value::Null) }))
            .await;
        assert_eq!(error_code(&v), Some("CONFLICT"));
        // Negative: bad input.
        let v = app
            .gql(Some(&sup), SET, json!({ "t": input(-5, &set["version"]) }))
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        // The same target twice in one split: which value would win? Bad input.
        let mut twice = input(2, &set["version"]);
        if let (Some(list), Some(first)) = (
            twice.as_array_mut(),
            input(3, &set["version"]).get(0).cloned(),
        ) {
            list.push(first);
        }
        let v = app.gql(Some(&sup), SET, json!({ "t": twice })).await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        // A supervisor does not set their region's own target, nor a rep elsewhere.
        let v = app
        .gql(Some(&sup), SET, json!({ "t": [{ "scope": { "kind": "REGION", "id": east }, "period": q, "value": "1.00", "version": s["parent"]["version"] }] }))
        .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let south_sup = app.login(SUPERVISOR_SOUTH).await;
        let v = app
            .gql(
                Some(&south_sup),
                SET,
                json!({ "t": input(1, &set["version"]) }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let rep = app.login(REP_EAST1).await;
        let v = app
            .gql(Some(&rep), SET, json!({ "t": input(1, &set["version"]) }))
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        // The value is unchanged after all the refusals, and its history has one change.
        let v = app
        .gql(
            Some(&sup),
            "query($id: ID!) { node(id: $id) { ... on Target { value changes { before after reason fromProposal changedBy { email } } } } }",
            json!({ "id": set["id"] }),
        )
        .await;
        let t = &data(&v)["node"];
        assert_eq!(cents(&t["value"]), before + 100_000);
        assert_eq!(t["changes"].as_array().map(Vec::len), Some(1));
        assert_eq!(cents(&t["changes"][0]["before"]), before);
        assert_eq!(t["changes"][0]["changedBy"]["email"], SUPERVISOR_EAST);

        // The rep leaves: they keep their row in the split while their target is there.
        let rep_id = row["scope"]["id"].clone();
        let v = app
            .gql(
                Some(&sup),
                "query($id: ID!) { node(id: $id) { ... on Rep { version } } }",
                json!({ "id": rep_id }),
            )
            .await;
        let version = data(&v)["node"]["version"].clone();
        let director = app.login(DIRECTOR).await;
        let v = app
            .gql(
                Some(&director),
                "mutation($i: UpdateRepInput!) { updateRep(input: $i) { status } }",
                json!({ "i": { "id": rep_id, "version": version, "status": "LEFT" } }),
            )
            .await;
        assert_eq!(data(&v)["updateRep"]["status"], "LEFT");
        let v = app
            .gql(
                Some(&sup),
                SPLIT,
                json!({ "s": { "kind": "REGION", "id": east }, "p": q }),
            )
            .await;
        let rows = data(&v)["targetSplit"]["rows"].clone();
        assert!(
            rows.as_array()
                .into_iter()
                .flatten()
                .any(|r| r["scope"]["id"] == rep_id),
            "{rows}"
        );

        // A whole number of new customers; fractions are bad input.
        let director = app.login(DIRECTOR).await;
        let next = json!({ "kind": "YEAR", "year": dudao::clock::today().year() + 2 });
        let nc = |value: &str| json!([{ "metric": "NEW_CUSTOMERS", "scope": { "kind": "COMPANY" }, "period": next, "value": value }]);
        let v = app
            .gql(Some(&director), SET, json!({ "t": nc("12.50") }))
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        let v = app
            .gql(Some(&director), SET, json!({ "t": nc("12") }))
            .await;
        assert_eq!(data(&v)["setTargets"][0]["value"], "12.00");
        // Without children's targets the split is not complete; the helper still proposes.
        let v = app
            .gql(
                Some(&director),
                SPLIT,
                json!({ "m": "NEW_CUSTOMERS", "s": { "kind": "COMPANY" }, "p": next }),
            )
            .await;
        let s = &data(&v)["targetSplit"];
        assert_eq!(s["addsUp"], false);
        assert!(s["missing"].as_i64().unwrap_or(0) > 0);
        assert_eq!(cents(&s["difference"]), -1200);
    }
);

db_test!(
    a_proposal_is_answered_and_kept_in_the_history,
    |app: TestApp| async move {
        let rep = app.login(REP_EAST1).await;
        let me = first_id(&app, &rep, "{ reps(first: 1) { edges { node { id } } } }").await;
        let q = quarter_now();
        let v = app
            .gql(
                Some(&rep),
                SPLIT,
                json!({ "s": { "kind": "REP", "id": me }, "p": q }),
            )
            .await;
        let s = data(&v)["targetSplit"].clone();
        assert_eq!(s["childKind"], Value::Null);
        assert_eq!(s["canPropose"], true);
        let target = s["parent"].clone();
        let id = target["id"].clone();
        // The demo has a proposal of this rep waiting: they take it back first.
        let demo = &s["parentPendingProposal"];
        assert!(demo["id"].is_string(), "the demo's pending proposal: {s}");
        let v = app
            .gql(
                Some(&rep),
                "mutation($i: AnswerTargetProposalInput!) { withdrawTargetProposal(input: $i) { status } }",
                json!({ "i": { "id": demo["id"], "version": demo["version"] } }),
            )
            .await;
        assert_eq!(data(&v)["withdrawTargetProposal"]["status"], "WITHDRAWN");

        // A reason is required.
        let v = app
            .gql(
                Some(&rep),
                PROPOSE,
                json!({ "id": id, "v": "1000.00", "r": "  " }),
            )
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        let v = app
            .gql(
                Some(&rep),
                PROPOSE,
                json!({ "id": id, "v": "1000.00", "r": "大客户项目推迟 / a key project moved" }),
            )
            .await;
        let p = data(&v)["proposeTarget"].clone();
        assert_eq!(p["status"], "PENDING");
        // One pending proposal per target.
        let v = app
            .gql(
                Some(&rep),
                PROPOSE,
                json!({ "id": id, "v": "900.00", "r": "again" }),
            )
            .await;
        assert_eq!(error_code(&v), Some("CONFLICT"));
        // The database holds the rule too, for two proposals racing past the check: a
        // second pending row for the same target is refused.
        let db = &app.running.db;
        let raw = "INSERT INTO target_proposals (target_id, proposed_by, proposed_value, reason, status, created_at, version) \
             SELECT target_id, proposed_by, proposed_value, 'race', 'PENDING', created_at, 1 FROM target_proposals \
             WHERE status = 'PENDING' ORDER BY id DESC LIMIT 1";
        let Err(err) = db.execute_unprepared(raw).await else {
            panic!("a second pending proposal must be refused");
        };
        assert!(
            matches!(
                err.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ),
            "{err}"
        );
        // Another rep's target cannot be proposed for (nor read).
        let sup = app.login(SUPERVISOR_EAST).await;
        let v = app
            .gql(
                Some(&sup),
                PROPOSE,
                json!({ "id": id, "v": "1.00", "r": "x" }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));

        // The owner sees it waiting; the south supervisor does not.
        let pending = "{ pendingTargetProposals { id value reason target { id } } }";
        let v = app.gql(Some(&sup), pending, json!({})).await;
        assert!(
            data(&v)["pendingTargetProposals"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|x| x["id"] == p["id"])
        );
        let south = app.login(SUPERVISOR_SOUTH).await;
        let v = app.gql(Some(&south), pending, json!({})).await;
        // … and may not read the target by id.
        let v2 = app
            .gql(
                Some(&south),
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(error_code(&v2), Some("FORBIDDEN"));
        assert!(
            !data(&v)["pendingTargetProposals"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|x| x["id"] == p["id"])
        );

        let answer = |op: &str| {
            format!(
                "mutation($i: AnswerTargetProposalInput!) {{ {op}(input: $i) {{ status decidedValue version target {{ value version }} }} }}"
            )
        };
        // The rep cannot answer their own proposal; the south supervisor cannot see it.
        let v = app
            .gql(
                Some(&rep),
                &answer("acceptTargetProposal"),
                json!({ "i": { "id": p["id"], "version": p["version"] } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let v = app
            .gql(
                Some(&south),
                &answer("acceptTargetProposal"),
                json!({ "i": { "id": p["id"], "version": p["version"] } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        // Deciding needs a value.
        let v = app
            .gql(
                Some(&sup),
                &answer("decideTargetProposal"),
                json!({ "i": { "id": p["id"], "version": p["version"] } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        // The supervisor settles between the two figures.
        let v = app
        .gql(
            Some(&sup),
            &answer("decideTargetProposal"),
            json!({ "i": { "id": p["id"], "version": p["version"], "value": "1500.00", "note": "折中 / halfway" } }),
        )
        .await;
        let d = &data(&v)["decideTargetProposal"];
        assert_eq!(d["status"], "DECIDED");
        assert_eq!(d["target"]["value"], "1500.00");
        // Answered once: answering again is CONFLICT (stale version or status).
        let v = app
            .gql(
                Some(&sup),
                &answer("acceptTargetProposal"),
                json!({ "i": { "id": p["id"], "version": d["version"] } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("CONFLICT"));

        // The rep sees the history: the change came from the proposal, with its reason.
        let v = app
        .gql(
            Some(&rep),
            "query($id: ID!) { node(id: $id) { ... on Target { value changes { before after reason fromProposal } proposals { status value decidedValue note proposedBy { email } decidedBy { email } } } } }",
            json!({ "id": id }),
        )
        .await;
        let t = &data(&v)["node"];
        assert_eq!(t["value"], "1500.00");
        assert_eq!(t["changes"][0]["fromProposal"], true);
        assert_eq!(t["changes"][0]["after"], "1500.00");
        assert_eq!(cents(&t["changes"][0]["before"]), cents(&target["value"]));
        assert_eq!(t["proposals"][0]["decidedValue"], "1500.00");
        assert_eq!(t["proposals"][0]["proposedBy"]["email"], REP_EAST1);

        // A new proposal can be withdrawn by its author only.
        let v = app
            .gql(
                Some(&rep),
                PROPOSE,
                json!({ "id": id, "v": "1400.00", "r": "再议 / once more" }),
            )
            .await;
        let p2 = data(&v)["proposeTarget"].clone();
        let v = app
            .gql(
                Some(&sup),
                &answer("withdrawTargetProposal"),
                json!({ "i": { "id": p2["id"], "version": p2["version"] } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let v = app
            .gql(
                Some(&rep),
                &answer("withdrawTargetProposal"),
                json!({ "i": { "id": p2["id"], "version": p2["version"] } }),
            )
            .await;
        assert_eq!(data(&v)["withdrawTargetProposal"]["status"], "WITHDRAWN");
        assert_eq!(
            data(&v)["withdrawTargetProposal"]["target"]["value"],
            "1500.00"
        );
    }
);
