//! Training through the API, on both databases: courses a director keeps, sessions a
//! region's supervisor runs with attendance and skill tests, who reads whose scores, the
//! course effect against counts taken here from the monthly sums row by row, and the
//! training indicators of an evaluation.

use chrono::{Datelike, Months, NaiveDate};
use dudao_tests::*;
use serde_json::{Value, json};

const SAVE_COURSE: &str = "mutation($i: SaveCourseInput!) { saveCourse(input: $i) { id version title format articles { title } } }";
const SCHEDULE: &str = "mutation($i: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $i) { id version companyWide region { id } attendance { userId attended } } }";
const RECORD: &str = "mutation($i: RecordTrainingAttendanceInput!) { recordTrainingAttendance(input: $i) { id version attendance { userId name attended preScore postScore } } }";
const EFFECT: &str = "query($id: ID!) { node(id: $id) { ... on Course { effect { sessions measuredSessions attendees tested scoreGain attendeesWinRateBefore attendeesWinRateAfter attendeesChange othersWinRateBefore othersWinRateAfter othersChange netEffect } } } }";

async fn user_id(app: &TestApp, email: &str) -> i64 {
    scalar(
        app,
        &format!("SELECT id FROM users WHERE email = '{email}'"),
    )
    .await
}

/// Won and closed of `reps` (rep ids) in [from, to), summed here row by row.
async fn counts(app: &TestApp, reps: &[i64], from: NaiveDate, to: NaiveDate) -> (i64, i64) {
    let (mut won, mut closed) = (0, 0);
    for r in reps {
        for (m, w, c) in [("won", &mut won, 0), ("closed", &mut closed, 1)] {
            let _ = c;
            *w += scalar(
                app,
                &format!(
                    "SELECT CAST(COALESCE(SUM({m}), 0) AS BIGINT) FROM rep_months WHERE rep_id = {r} AND month >= '{from}' AND month < '{to}'"
                ),
            )
            .await;
        }
    }
    (won, closed)
}

fn rate(w: i64, c: i64) -> Option<f64> {
    (c > 0).then(|| w as f64 / c as f64)
}

fn close(a: &Value, b: Option<f64>) -> bool {
    match (a.as_f64(), b) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        (None, None) => true,
        _ => false,
    }
}

db_test!(
    a_supervisor_runs_a_session_and_the_effect_is_measured,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let sup = app.login(SUPERVISOR_EAST).await;
        let south = app.login(SUPERVISOR_SOUTH).await;
        let rep = app.login(REP_EAST1).await;
        let price = scalar(&app, "SELECT MIN(id) FROM articles").await;
        let input = json!({ "i": { "title": "测试课程", "topic": "谈判", "format": "WORKSHOP", "articleIds": [gid("Article", price)] } });
        // Only a director keeps the catalogue.
        for t in [&sup, &rep] {
            assert_eq!(
                error_code(&app.gql(Some(t), SAVE_COURSE, input.clone()).await),
                Some("FORBIDDEN")
            );
        }
        let v = app.gql(Some(&director), SAVE_COURSE, input).await;
        let course = data(&v)["saveCourse"].clone();
        assert_eq!(course["articles"].as_array().map(Vec::len), Some(1));

        // A session in East half a year back, its reps invited.
        let east = scalar(&app, "SELECT id FROM regions WHERE code = 'EAST'").await;
        let reps: Vec<(i64, i64)> = {
            let mut v = Vec::new();
            let n = scalar(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM reps WHERE region_id = {east} AND user_id IS NOT NULL"
                ),
            )
            .await;
            for k in 0..n {
                let id = scalar(&app, &format!("SELECT id FROM reps WHERE region_id = {east} AND user_id IS NOT NULL ORDER BY id LIMIT 1 OFFSET {k}")).await;
                let u = scalar(&app, &format!("SELECT user_id FROM reps WHERE id = {id}")).await;
                v.push((id, u));
            }
            v
        };
        let held = dudao::clock::today()
            .checked_sub_months(Months::new(5))
            .unwrap_or_default();
        let schedule = |region: i64| {
            json!({ "i": { "courseId": course["id"], "heldOn": held.to_string(), "regionId": gid("Region", region),
            "inviteeIds": reps.iter().map(|(_, u)| gid("User", *u)).collect::<Vec<_>>() } })
        };
        // Not in another region's supervisor's power, nor a rep's.
        assert_eq!(
            error_code(&app.gql(Some(&south), SCHEDULE, schedule(east)).await),
            Some("FORBIDDEN")
        );
        assert_eq!(
            error_code(&app.gql(Some(&rep), SCHEDULE, schedule(east)).await),
            Some("FORBIDDEN")
        );
        let v = app.gql(Some(&sup), SCHEDULE, schedule(east)).await;
        let session = data(&v)["scheduleTrainingSession"].clone();
        assert_eq!(session["companyWide"], json!(false));
        assert_eq!(session["region"]["id"], json!(gid("Region", east)));
        assert_eq!(
            session["attendance"].as_array().map(Vec::len),
            Some(reps.len())
        );

        // The first half attend; tests 60 → 75 and 50 → 70 and so on.
        let attending: Vec<(i64, i64)> = reps.iter().take(reps.len() / 2 + 1).copied().collect();
        let entries: Vec<Value> = reps
            .iter()
            .enumerate()
            .map(|(i, (_, u))| {
                let came = attending.iter().any(|(_, a)| a == u);
                json!({ "userId": gid("User", *u), "attended": came,
                        "preScore": if came { json!(50 + i as i64) } else { json!(null) },
                        "postScore": if came { json!(60 + 2 * i as i64) } else { json!(null) } })
            })
            .collect();
        let record = |version: i64, entries: Vec<Value>| json!({ "i": { "sessionId": session["id"], "version": version, "entries": entries } });
        // Bad scores change nothing.
        let mut bad = entries.clone();
        bad[0]["postScore"] = json!(101);
        assert_eq!(
            error_code(&app.gql(Some(&sup), RECORD, record(1, bad)).await),
            Some("BAD_USER_INPUT")
        );
        let v = app
            .gql(Some(&sup), RECORD, record(1, entries.clone()))
            .await;
        assert_eq!(data(&v)["recordTrainingAttendance"]["version"], json!(2));
        // A second recorder with the old version is refused.
        assert_eq!(
            error_code(
                &app.gql(Some(&director), RECORD, record(1, entries.clone()))
                    .await
            ),
            Some("CONFLICT")
        );

        // The rep reads only their own line; the supervisor all of them.
        let read = "query($id: ID!) { node(id: $id) { ... on TrainingSession { attendance { userId preScore postScore } } } }";
        let v = app
            .gql(Some(&rep), read, json!({ "id": session["id"] }))
            .await;
        let rows = data(&v)["node"]["attendance"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0]["userId"],
            json!(gid("User", user_id(&app, REP_EAST1).await))
        );
        let v = app
            .gql(
                Some(&rep),
                "{ myTraining { attended postScore session { heldOn } } }",
                json!({}),
            )
            .await;
        assert!(
            data(&v)["myTraining"]
                .as_array()
                .is_some_and(|a| !a.is_empty())
        );

        // The effect, against counts summed here.
        let v = app
            .gql(Some(&director), EFFECT, json!({ "id": course["id"] }))
            .await;
        let eff = data(&v)["node"]["effect"].clone();
        let month = NaiveDate::from_ymd_opt(held.year(), held.month(), 1).unwrap_or_default();
        let before_from = month.checked_sub_months(Months::new(3)).unwrap_or_default();
        let after_from = month.checked_add_months(Months::new(1)).unwrap_or_default();
        let after_to = after_from
            .checked_add_months(Months::new(3))
            .unwrap_or_default();
        let came: Vec<i64> = attending.iter().map(|(r, _)| *r).collect();
        let mut others = Vec::new();
        let active = scalar(
            &app,
            &format!("SELECT COUNT(*) FROM reps WHERE region_id = {east} AND status = 'ACTIVE'"),
        )
        .await;
        for k in 0..active {
            let r = scalar(&app, &format!("SELECT id FROM reps WHERE region_id = {east} AND status = 'ACTIVE' ORDER BY id LIMIT 1 OFFSET {k}")).await;
            if !came.contains(&r) {
                others.push(r);
            }
        }
        let (awb, acb) = counts(&app, &came, before_from, month).await;
        let (awa, aca) = counts(&app, &came, after_from, after_to).await;
        let (owb, ocb) = counts(&app, &others, before_from, month).await;
        let (owa, oca) = counts(&app, &others, after_from, after_to).await;
        assert_eq!(eff["sessions"], json!(1));
        assert_eq!(eff["attendees"].as_i64(), Some(came.len() as i64));
        assert!(
            close(&eff["attendeesWinRateBefore"], rate(awb, acb)),
            "{eff} {awb}/{acb}"
        );
        assert!(
            close(&eff["attendeesWinRateAfter"], rate(awa, aca)),
            "{eff}"
        );
        assert!(close(&eff["othersWinRateBefore"], rate(owb, ocb)), "{eff}");
        assert!(close(&eff["othersWinRateAfter"], rate(owa, oca)), "{eff}");
        let change = |b: Option<f64>, a: Option<f64>| Some(a? - b?);
        let ac = change(rate(awb, acb), rate(awa, aca));
        let oc = change(rate(owb, ocb), rate(owa, oca));
        assert!(
            close(&eff["netEffect"], ac.zip(oc).map(|(a, o)| a - o)),
            "{eff}"
        );
        // Score gain: mean of (60 + 2i) − (50 + i) = 10 + i over the attendees.
        let n = came.len() as f64;
        let gain = (0..came.len()).map(|i| 10.0 + i as f64).sum::<f64>() / n;
        assert!(close(&eff["scoreGain"], Some(gain)), "{eff}");
        assert_eq!(eff["measuredSessions"], json!(1));

        // A session last month: its three months after are still running, so it counts
        // as a session and an attendance but the win rates stay those of the first one.
        let recent = dudao::clock::today()
            .checked_sub_months(Months::new(1))
            .unwrap_or_default();
        let v = app
            .gql(
                Some(&sup),
                SCHEDULE,
                json!({ "i": { "courseId": course["id"], "heldOn": recent.to_string(), "regionId": gid("Region", east),
                    "inviteeIds": reps.iter().map(|(_, u)| gid("User", *u)).collect::<Vec<_>>() } }),
            )
            .await;
        let second = data(&v)["scheduleTrainingSession"].clone();
        let all: Vec<Value> = reps
            .iter()
            .map(|(_, u)| json!({ "userId": gid("User", *u), "attended": true }))
            .collect();
        let v = app
            .gql(
                Some(&sup),
                RECORD,
                json!({ "i": { "sessionId": second["id"], "version": 1, "entries": all } }),
            )
            .await;
        assert_eq!(data(&v)["recordTrainingAttendance"]["version"], json!(2));
        let v = app
            .gql(Some(&director), EFFECT, json!({ "id": course["id"] }))
            .await;
        let later = data(&v)["node"]["effect"].clone();
        assert_eq!(later["sessions"], json!(2), "{later}");
        assert_eq!(later["measuredSessions"], json!(1), "{later}");
        assert_eq!(
            later["attendees"].as_i64(),
            Some((came.len() + reps.len()) as i64)
        );
        for k in [
            "attendeesWinRateBefore",
            "attendeesWinRateAfter",
            "othersWinRateBefore",
            "othersWinRateAfter",
            "netEffect",
        ] {
            assert_eq!(later[k], eff[k], "{k}: {later} against {eff}");
        }
    }
);

db_test!(
    training_feeds_an_evaluations_process_and_capability_indicators,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let sup_user = user_id(&app, SUPERVISOR_EAST).await;
        // A quarter long past, with no other training of supervisor.east in it.
        let (year, q) = (2024, 2);
        let v = app
            .gql(
                Some(&director),
                "mutation($i: SaveEvaluationTemplateInput!) { saveEvaluationTemplate(input: $i) { id } }",
                json!({ "i": { "nameZh": "培训考核", "nameEn": "Training", "subjectKind": "SUPERVISOR", "periodKind": "QUARTER", "indicators": [
                    { "key": "attend", "nameZh": "培训出勤", "nameEn": "Attendance", "category": "PROCESS", "weight": 40, "source": "TRAINING_ATTENDANCE" },
                    { "key": "results", "nameZh": "培训成绩", "nameEn": "Results", "category": "CAPABILITY", "weight": 60, "source": "TRAINING_RESULTS" } ] } }),
            )
            .await;
        let template = data(&v)["saveEvaluationTemplate"]["id"].clone();
        let v = app
            .gql(
                Some(&director),
                SAVE_COURSE,
                json!({ "i": { "title": "督导课", "topic": "辅导", "format": "MENTORING" } }),
            )
            .await;
        let course = data(&v)["saveCourse"]["id"].clone();
        // Invited to two sessions in the quarter, came to one, scored 84 after it.
        for (day, came) in [("2024-04-10", true), ("2024-05-20", false)] {
            let v = app
                .gql(Some(&director), SCHEDULE, json!({ "i": { "courseId": course, "heldOn": day, "inviteeIds": [gid("User", sup_user)] } }))
                .await;
            let s = data(&v)["scheduleTrainingSession"].clone();
            let v = app
                .gql(Some(&director), RECORD, json!({ "i": { "sessionId": s["id"], "version": s["version"], "entries": [
                    { "userId": gid("User", sup_user), "attended": came, "preScore": if came { json!(70) } else { json!(null) }, "postScore": if came { json!(84) } else { json!(null) } } ] } }))
                .await;
            data(&v);
        }
        let v = app
            .gql(
                Some(&director),
                "mutation($i: CreateEvaluationInput!) { createEvaluation(input: $i) { indicators { key score counts } } }",
                json!({ "i": { "subjectId": gid("User", sup_user), "period": { "kind": "QUARTER", "year": year, "index": q }, "templateId": template } }),
            )
            .await;
        let ind = data(&v)["createEvaluation"]["indicators"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let score = |k: &str| {
            ind.iter()
                .find(|i| i["key"] == json!(k))
                .map(|i| i["score"].clone())
        };
        assert_eq!(score("attend"), Some(json!(50.0)), "{ind:?}");
        assert_eq!(score("results"), Some(json!(84.0)), "{ind:?}");
    }
);
