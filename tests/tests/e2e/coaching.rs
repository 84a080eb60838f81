//! Coaching: quick entry (sent twice, or twice at once, stored once), the row rules for
//! sessions and action items, the rep's confirmation, versions, bad input that changes
//! nothing, the coaching load and the growth record against hand-computed figures.

use chrono::Duration;
use dudao_tests::*;
use serde_json::{Value, json};

const LOG: &str = "mutation($i: LogCoachingSessionInput!) { logCoachingSession(input: $i) { id version type date nextStep meanScore repConfirmedAt rep { id } supervisor { name } scores { key score } actionItems { id title status version owner { id } } } }";

async fn own_rep(app: &TestApp, token: &str) -> (Value, Value) {
    let v = app
        .gql(Some(token), "{ me { id rep { id } } }", json!({}))
        .await;
    (
        data(&v)["me"]["id"].clone(),
        data(&v)["me"]["rep"]["id"].clone(),
    )
}

fn sessions(app: &TestApp) -> impl std::future::Future<Output = i64> + '_ {
    scalar(app, "SELECT COUNT(*) FROM coaching_sessions")
}

db_test!(
    quick_entry_is_stored_once_however_often_it_is_sent,
    |app: TestApp| async move {
        let sup = app.login(SUPERVISOR_EAST).await;
        let rep = app.login(REP_EAST1).await;
        let (rep_user, rep_id) = own_rep(&app, &rep).await;
        let today = dudao::clock::today().to_string();
        let before = sessions(&app).await;
        let input = json!({ "i": {
            "repId": rep_id, "type": "RIDE_ALONG", "date": today,
            "scores": [{ "key": "opening", "score": 4 }, { "key": "objection_handling", "score": 2 }],
            "nextStep": "下周带报价单回访", "clientKey": "offline-2026-12-02-0001",
            "actionItems": [{ "title": "整理竞品对比表", "dueOn": today }]
        }});
        let first = app.gql(Some(&sup), LOG, input.clone()).await;
        let s = data(&first)["logCoachingSession"].clone();
        assert_eq!(s["type"], "RIDE_ALONG", "{first}");
        assert_eq!(s["meanScore"], 3.0);
        assert_eq!(s["scores"][0]["key"], "opening");
        assert_eq!(
            s["actionItems"][0]["owner"]["id"], rep_user,
            "owned by the rep's account"
        );
        // The same entry again (the network came back), and twice at once: the same session.
        let again = app.gql(Some(&sup), LOG, input.clone()).await;
        assert_eq!(data(&again)["logCoachingSession"]["id"], s["id"]);
        let (a, b) = tokio::join!(
            app.gql(Some(&sup), LOG, input.clone()),
            app.gql(Some(&sup), LOG, input.clone())
        );
        assert_eq!(data(&a)["logCoachingSession"]["id"], s["id"], "{a}");
        assert_eq!(data(&b)["logCoachingSession"]["id"], s["id"], "{b}");
        assert_eq!(sessions(&app).await, before + 1);
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM action_items WHERE title = '整理竞品对比表'"
            )
            .await,
            1
        );
        // A different key is a different session.
        let mut other = input.clone();
        other["i"]["clientKey"] = json!("offline-2026-12-02-0002");
        let v = app.gql(Some(&sup), LOG, other).await;
        assert_ne!(data(&v)["logCoachingSession"]["id"], s["id"]);
        assert_eq!(sessions(&app).await, before + 2);
    }
);

db_test!(coaching_follows_the_row_rules, |app: TestApp| async move {
    let sup = app.login(SUPERVISOR_EAST).await;
    let south = app.login(SUPERVISOR_SOUTH).await;
    let director = app.login(DIRECTOR).await;
    let rep = app.login(REP_EAST1).await;
    let (_, rep_id) = own_rep(&app, &rep).await;
    let today = dudao::clock::today().to_string();
    let v = app
        .gql(
            Some(&director),
            LOG,
            json!({ "i": { "repId": rep_id, "type": "ONE_ON_ONE", "date": today, "nextStep": "每天 3 个电话" } }),
        )
        .await;
    let s = data(&v)["logCoachingSession"].clone();
    assert!(s["id"].is_string(), "{v}");
    // Another region's supervisor: may not log for this rep, list nothing, node FORBIDDEN.
    let v = app
        .gql(
            Some(&south),
            LOG,
            json!({ "i": { "repId": rep_id, "type": "ONE_ON_ONE", "date": today } }),
        )
        .await;
    assert_eq!(error_code(&v), Some("FORBIDDEN"));
    let list = "query($f: CoachingSessionFilter) { coachingSessions(first: 50, filter: $f) { totalCount edges { node { id supervisor { name } } } } }";
    let mine = json!({ "f": { "repId": rep_id } });
    let v = app.gql(Some(&south), list, mine.clone()).await;
    assert_eq!(data(&v)["coachingSessions"]["totalCount"], 0);
    let node = "query($id: ID!) { node(id: $id) { id } }";
    let v = app.gql(Some(&south), node, json!({ "id": s["id"] })).await;
    assert_eq!(error_code(&v), Some("FORBIDDEN"));
    // The rep's own supervisor and the rep see it, and the rep sees who coached them.
    let v = app.gql(Some(&sup), list, mine.clone()).await;
    assert!(data(&v)["coachingSessions"]["totalCount"].as_i64() >= Some(1));
    let v = app.gql(Some(&rep), list, mine.clone()).await;
    let edges = data(&v)["coachingSessions"]["edges"].clone();
    assert!(
        edges
            .as_array()
            .into_iter()
            .flatten()
            .any(|e| e["node"]["id"] == s["id"] && e["node"]["supervisor"]["name"].is_string()),
        "{v}"
    );
    // A rep may not log sessions, nor edit one; they confirm the next step.
    let v = app
        .gql(
            Some(&rep),
            LOG,
            json!({ "i": { "repId": rep_id, "type": "ONE_ON_ONE", "date": today } }),
        )
        .await;
    assert_eq!(error_code(&v), Some("FORBIDDEN"));
    let upd = "mutation($i: UpdateCoachingSessionInput!) { updateCoachingSession(input: $i) { id version nextStep repConfirmedAt } }";
    let v = app
        .gql(
            Some(&rep),
            upd,
            json!({ "i": { "id": s["id"], "version": s["version"], "feedback": "x" } }),
        )
        .await;
    assert_eq!(error_code(&v), Some("FORBIDDEN"));
    // The east supervisor did not hold it: only its author or a director edits it.
    let v = app
        .gql(
            Some(&sup),
            upd,
            json!({ "i": { "id": s["id"], "version": s["version"], "feedback": "x" } }),
        )
        .await;
    assert_eq!(error_code(&v), Some("FORBIDDEN"));
    let respond = "mutation($i: RespondToCoachingInput!) { respondToCoachingSession(input: $i) { id version repConfirmedAt repComment } }";
    let v = app
        .gql(
            Some(&sup),
            respond,
            json!({ "i": { "id": s["id"], "confirm": true } }),
        )
        .await;
    assert_eq!(error_code(&v), Some("FORBIDDEN"), "only the rep answers");
    let v = app
        .gql(
            Some(&rep),
            respond,
            json!({ "i": { "id": s["id"], "confirm": true, "comment": "好的" } }),
        )
        .await;
    let r = data(&v)["respondToCoachingSession"].clone();
    assert!(r["repConfirmedAt"].is_string(), "{v}");
    assert_eq!(r["repComment"], "好的");
    // A stale version is a CONFLICT; a new next step asks the rep again.
    let v = app
        .gql(
            Some(&director),
            upd,
            json!({ "i": { "id": s["id"], "version": s["version"], "nextStep": "改" } }),
        )
        .await;
    assert_eq!(error_code(&v), Some("CONFLICT"));
    let v = app
        .gql(
            Some(&director),
            upd,
            json!({ "i": { "id": s["id"], "version": r["version"], "nextStep": "每天 5 个电话" } }),
        )
        .await;
    let u = data(&v)["updateCoachingSession"].clone();
    assert_eq!(u["nextStep"], "每天 5 个电话", "{v}");
    assert!(u["repConfirmedAt"].is_null());
});

db_test!(
    bad_coaching_input_changes_nothing,
    |app: TestApp| async move {
        let sup = app.login(SUPERVISOR_EAST).await;
        let rep = app.login(REP_EAST1).await;
        let (_, rep_id) = own_rep(&app, &rep).await;
        let today = dudao::clock::today();
        let before = sessions(&app).await;
        let base = json!({ "repId": rep_id, "type": "ROLE_PLAY", "date": today.to_string() });
        let with = |k: &str, v: Value| {
            let mut i = base.clone();
            i[k] = v;
            json!({ "i": i })
        };
        for (what, input) in [
            (
                "a score of 6",
                with("scores", json!([{ "key": "closing", "score": 6 }])),
            ),
            (
                "a score of 0",
                with("scores", json!([{ "key": "closing", "score": 0 }])),
            ),
            (
                "an unknown dimension",
                with("scores", json!([{ "key": "charm", "score": 3 }])),
            ),
            (
                "a dimension twice",
                with(
                    "scores",
                    json!([{ "key": "closing", "score": 3 }, { "key": "closing", "score": 4 }]),
                ),
            ),
            (
                "tomorrow",
                with("date", json!((today + Duration::days(1)).to_string())),
            ),
            ("year 9999", with("date", json!("9999-01-01"))),
            (
                "a javascript: link",
                with("links", json!(["javascript:alert(1)"])),
            ),
            ("a short client key", with("clientKey", json!("abc"))),
            (
                "a client key with spaces",
                with("clientKey", json!("abc def ghi jkl")),
            ),
            (
                "an empty action item",
                with("actionItems", json!([{ "title": "  " }])),
            ),
            (
                "a 5,000-character observation",
                with("observation", json!("观".repeat(5000))),
            ),
        ] {
            let v = app.gql(Some(&sup), LOG, input).await;
            assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{what}: {v}");
        }
        assert_eq!(sessions(&app).await, before);
    }
);

db_test!(
    action_items_move_with_their_owner,
    |app: TestApp| async move {
        let sup = app.login(SUPERVISOR_EAST).await;
        let rep = app.login(REP_EAST1).await;
        let (_, rep_id) = own_rep(&app, &rep).await;
        let today = dudao::clock::today();
        let yesterday = (today - Duration::days(1)).to_string();
        let v = app
            .gql(
                Some(&sup),
                LOG,
                json!({ "i": { "repId": rep_id, "type": "CALL_REVIEW", "date": today.to_string(),
                "actionItems": [{ "title": "重听录音，列出三个异议", "dueOn": yesterday }] } }),
            )
            .await;
        let item = data(&v)["logCoachingSession"]["actionItems"][0].clone();
        let list = "query($f: ActionItemFilter) { actionItems(first: 50, filter: $f) { totalCount edges { node { id overdue status } } } }";
        let v = app
            .gql(Some(&rep), list, json!({ "f": { "overdue": true } }))
            .await;
        assert!(
            data(&v)["actionItems"]["edges"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|e| e["node"]["id"] == item["id"] && e["node"]["overdue"] == true),
            "{v}"
        );
        let south = app.login(SUPERVISOR_SOUTH).await;
        let v = app
            .gql(Some(&south), list, json!({ "f": { "repId": rep_id } }))
            .await;
        assert_eq!(data(&v)["actionItems"]["totalCount"], 0);
        let upd = "mutation($i: UpdateActionItemInput!) { updateActionItem(input: $i) { id status version doneAt overdue } }";
        // The owner may not drop it or move its day; they mark it done.
        let v = app
        .gql(Some(&rep), upd, json!({ "i": { "id": item["id"], "version": item["version"], "status": "DROPPED" } }))
        .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let v = app
            .gql(
                Some(&rep),
                upd,
                json!({ "i": { "id": item["id"], "version": item["version"], "status": "DONE" } }),
            )
            .await;
        let done = data(&v)["updateActionItem"].clone();
        assert_eq!(done["status"], "DONE", "{v}");
        assert!(done["doneAt"].is_string());
        assert_eq!(done["overdue"], false);
        let v = app
            .gql(
                Some(&sup),
                upd,
                json!({ "i": { "id": item["id"], "version": item["version"], "status": "OPEN" } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("CONFLICT"));
        let v = app
            .gql(
                Some(&south),
                upd,
                json!({ "i": { "id": item["id"], "version": done["version"], "status": "OPEN" } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
    }
);

db_test!(
    coaching_load_and_growth_record_add_up,
    |app: TestApp| async move {
        let admin = app.login(ADMIN).await;
        let sup = app.login(SUPERVISOR_EAST).await;
        let rep = app.login(REP_EAST1).await;
        let (_, rep_id) = own_rep(&app, &rep).await;
        // Three sessions on known days of a past month, scored on two dimensions.
        let days = ["2025-03-03", "2025-03-10", "2025-04-02"];
        let scores = [[2, 3], [3, 3], [5, 4]];
        for (d, [o, c]) in days.iter().zip(scores) {
            let v = app
                .gql(
                    Some(&sup),
                    LOG,
                    json!({ "i": { "repId": rep_id, "type": "RIDE_ALONG", "date": d,
                        "scores": [{ "key": "opening", "score": o }, { "key": "closing", "score": c }] } }),
                )
                .await;
            assert!(data(&v)["logCoachingSession"]["id"].is_string(), "{v}");
        }
        let q = "query($r: ID!) { growthRecord(repId: $r) { sessions dimensions { key mean trend points { date score } } milestones { kind date } } }";
        let v = app.gql(Some(&rep), q, json!({ "r": rep_id })).await;
        let g = data(&v)["growthRecord"].clone();
        assert!(g["sessions"].as_i64() >= Some(3), "{v}");
        let dim = |k: &str| {
            g["dimensions"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|d| d["key"] == k)
                .cloned()
                .unwrap_or_default()
        };
        // Only these sessions are scored in this fresh database before 2026: opening
        // 2, 3, 5 → mean 10/3, trend 5 − 2 = 3 (the middle one in neither half).
        let opening = dim("opening");
        let pts: Vec<&Value> = opening["points"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["date"].as_str().is_some_and(|d| d.starts_with("2025")))
            .collect();
        assert_eq!(pts.len(), 3, "{opening}");
        assert_eq!(pts[0]["score"], 2);
        assert_eq!(pts[2]["score"], 5);
        assert!(
            g["milestones"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|m| m["kind"] == "FIRST_RIDE_ALONG"),
            "{g}"
        );
        // The load as of 2025-04-15: one session this month (04-02), two last month.
        let load = "query($a: Date) { coachingLoad(asOf: $a) { rep { id } sessionsThisMonth sessionsLastMonth lastSessionOn daysSinceLastSession notCoached } }";
        let v = app
            .gql(Some(&sup), load, json!({ "a": "2025-04-15" }))
            .await;
        let rows = data(&v)["coachingLoad"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mine = rows
            .iter()
            .find(|r| r["rep"]["id"] == rep_id)
            .cloned()
            .unwrap_or_default();
        assert_eq!(mine["sessionsThisMonth"], 1, "{mine}");
        assert_eq!(mine["sessionsLastMonth"], 2);
        assert_eq!(mine["lastSessionOn"], "2025-04-02");
        assert_eq!(mine["daysSinceLastSession"], 13);
        assert_eq!(mine["notCoached"], false);
        // The supervisor's load lists only their reps; the never-coached ones first.
        let v = app
            .gql(Some(&admin), load, json!({ "a": "2025-04-15" }))
            .await;
        let all = data(&v)["coachingLoad"].as_array().map_or(0, Vec::len);
        assert!(all > rows.len(), "admin {all}, supervisor {}", rows.len());
        assert!(rows.first().is_some_and(|r| r["notCoached"] == true));
    }
);

db_test!(directors_edit_the_dimensions, |app: TestApp| async move {
    let director = app.login(DIRECTOR).await;
    let sup = app.login(SUPERVISOR_EAST).await;
    let set = "mutation($i: SetCoachingDimensionInput!) { setCoachingDimension(input: $i) { key nameZh active position } }";
    let v = app
        .gql(
            Some(&sup),
            set,
            json!({ "i": { "key": "follow_up", "nameZh": "跟进", "nameEn": "Follow-up" } }),
        )
        .await;
    assert_eq!(error_code(&v), Some("FORBIDDEN"));
    let v = app
        .gql(
            Some(&director),
            set,
            json!({ "i": { "key": "Follow Up", "nameZh": "跟进", "nameEn": "Follow-up" } }),
        )
        .await;
    assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
    let v = app
        .gql(
            Some(&director),
            set,
            json!({ "i": { "key": "follow_up", "nameZh": "跟进", "nameEn": "Follow-up" } }),
        )
        .await;
    assert_eq!(data(&v)["setCoachingDimension"]["position"], 6, "{v}");
    let v = app
        .gql(Some(&director), set, json!({ "i": { "key": "opening", "nameZh": "开场白", "nameEn": "Opening", "active": false } }))
        .await;
    assert_eq!(data(&v)["setCoachingDimension"]["active"], false);
    let v = app
        .gql(Some(&sup), "{ coachingDimensions { key } }", json!({}))
        .await;
    let keys: Vec<&str> = data(&v)["coachingDimensions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["key"].as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "needs_understanding",
            "solution_presentation",
            "objection_handling",
            "closing",
            "follow_up"
        ]
    );
    // A retired dimension is no longer scored.
    let rep = app.login(REP_EAST1).await;
    let (_, rep_id) = own_rep(&app, &rep).await;
    let v = app
        .gql(
            Some(&sup),
            LOG,
            json!({ "i": { "repId": rep_id, "type": "ONE_ON_ONE", "date": dudao::clock::today().to_string(),
                "scores": [{ "key": "opening", "score": 3 }] } }),
        )
        .await;
    assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
});

db_test!(a_page_of_sessions_is_batched, |app: TestApp| async move {
    let token = app.login(DIRECTOR).await;
    let q = "query($n: Int) { coachingSessions(first: $n) { totalCount edges { node { id type rep { name } supervisor { name } customer { name } scores { key score } meanScore actionItems { title owner { name } } } } } }";
    let mut counts = Vec::new();
    for n in [2, 60] {
        let before = app.statements();
        let v = app.gql(Some(&token), q, json!({ "n": n })).await;
        assert_eq!(
            data(&v)["coachingSessions"]["edges"]
                .as_array()
                .map(Vec::len),
            Some(n as usize),
            "{v}"
        );
        counts.push(app.statements() - before);
    }
    // count + page + reps + users + customers + scores + dimensions + action items: one
    // statement per loader and level (a busy machine may split a batch: one extra each).
    assert!(
        counts[1] <= counts[0] + 4,
        "statements grew with the page size: {counts:?}"
    );
    assert!(
        counts[1] <= 14,
        "a page of 60 sessions costs {} statements",
        counts[1]
    );
});

db_test!(
    a_busy_monday_of_parallel_coaching_writes_answers_no_internal,
    |app: TestApp| async move {
        let sup = app.login(SUPERVISOR_EAST).await;
        let rep = app.login(REP_EAST1).await;
        let (_, rep_id) = own_rep(&app, &rep).await;
        let today = dudao::clock::today().to_string();
        let before = sessions(&app).await;
        // Twelve supervisors' phones coming back online at once, each with its own entry.
        let answers = futures_util::future::join_all((0..12).map(|n| {
            app.gql(
                Some(&sup),
                LOG,
                json!({ "i": { "repId": rep_id, "type": "RIDE_ALONG", "date": today,
                "nextStep": format!("并发 {n}"), "clientKey": format!("monday-rush-{n:04}"),
                "actionItems": [{ "title": format!("事项 {n}") }] } }),
            )
        }))
        .await;
        for a in &answers {
            assert!(a["errors"].is_null(), "{a}");
        }
        assert_eq!(sessions(&app).await, before + 12);
        // Their items ticked at once by the rep, and the same item twice: one wins, one CONFLICT.
        let items: Vec<Value> = answers
            .iter()
            .map(|a| data(a)["logCoachingSession"]["actionItems"][0].clone())
            .collect();
        let upd =
            "mutation($i: UpdateActionItemInput!) { updateActionItem(input: $i) { id status } }";
        let mut calls: Vec<Value> = items
            .iter()
            .map(|i| json!({ "i": { "id": i["id"], "version": i["version"], "status": "DONE" } }))
            .collect();
        calls.push(calls[0].clone());
        let answers =
            futures_util::future::join_all(calls.into_iter().map(|v| app.gql(Some(&rep), upd, v)))
                .await;
        let conflicts = answers
            .iter()
            .filter(|a| error_code(a) == Some("CONFLICT"))
            .count();
        let done = answers.iter().filter(|a| a["errors"].is_null()).count();
        assert!(
            answers
                .iter()
                .all(|a| a["errors"].is_null() || error_code(a) == Some("CONFLICT")),
            "{answers:?}"
        );
        assert_eq!((done, conflicts), (12, 1));
    }
);
