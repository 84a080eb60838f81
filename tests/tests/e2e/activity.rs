//! Activity: the SQL process figures (visit compliance, record completeness, complaint
//! response time) agree with the plain-Rust reference (`dudao_domain::activity`) on
//! generated data, including timestamps on period boundaries; visits and complaints
//! follow the row rules; bad input and stale writes change nothing.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use dudao::domain::Period;
use dudao::domain::activity::{self, ActivityFact, ActivityKind, ComplaintFact};
use dudao::entity::{activity as activity_e, complaint, customer, region, rep};
use dudao::service::scorecard::Scope;
use dudao_tests::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};
use serde_json::{Value, json};

async fn insert<A: ActiveModelTrait + sea_orm::ActiveModelBehavior + Send>(
    db: &DatabaseConnection,
    am: A,
) -> <A::Entity as sea_orm::EntityTrait>::Model
where
    <A::Entity as sea_orm::EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
{
    am.insert(db)
        .await
        .unwrap_or_else(|e| panic!("insert: {e}"))
}

fn instant(rng: &mut StdRng) -> DateTime<Utc> {
    // Business midnights (+08:00 unless DUDAO_UTC_OFFSET says otherwise), not UTC ones.
    let midnight = |d: NaiveDate| dudao::clock::day_start(d);
    let jan1 = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    match rng.random_range(0..3) {
        // Exactly at a midnight, where period bounds bite.
        0 => midnight(jan1 + Duration::days(rng.random_range(0..300))),
        // Within half a day of a month's start, on either side: the hours where the
        // business day and the UTC day fall in different months.
        1 => {
            let month =
                NaiveDate::from_ymd_opt(2026, rng.random_range(2..=11), 1).unwrap_or_default();
            midnight(month) + Duration::seconds(rng.random_range(-43_200..43_200))
        }
        _ => {
            midnight(jan1 + Duration::days(rng.random_range(0..300)))
                + Duration::seconds(rng.random_range(0..86_400))
        }
    }
}

#[derive(Default)]
struct Facts {
    acts: Vec<ActivityFact>,
    complaints: Vec<ComplaintFact>,
}

async fn generate(
    db: &DatabaseConnection,
    rng: &mut StdRng,
    region_id: i32,
    name: &str,
    status: &str,
) -> (i32, Facts) {
    let now = Utc::now();
    let r = insert(
        db,
        rep::ActiveModel {
            name: Set(name.into()),
            level: Set(1),
            hire_date: Set(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default()),
            region_id: Set(region_id),
            status: Set(code(status)),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        },
    )
    .await;
    let c = insert(
        db,
        customer::ActiveModel {
            name: Set(format!("{name}-客户")),
            owner_rep_id: Set(r.id),
            industry: Set("制造业".into()),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        },
    )
    .await;
    let mut f = Facts::default();
    let texts = [None, Some(""), Some("  "), Some("回访")];
    for _ in 0..rng.random_range(20..60) {
        let kind = if rng.random_bool(0.7) {
            ActivityKind::Visit
        } else {
            ActivityKind::Call
        };
        let on = instant(rng).date_naive();
        let outcome = texts[rng.random_range(0..texts.len())].map(str::to_owned);
        let next = texts[rng.random_range(0..texts.len())].map(str::to_owned);
        insert(
            db,
            activity_e::ActiveModel {
                rep_id: Set(r.id),
                customer_id: Set(c.id),
                kind: Set(code(kind.as_str())),
                occurred_on: Set(on),
                outcome: Set(outcome.clone()),
                next_step: Set(next.clone()),
                created_at: Set(now),
                ..Default::default()
            },
        )
        .await;
        f.acts.push(ActivityFact {
            kind,
            occurred_on: on,
            outcome,
            next_step: next,
        });
    }
    for _ in 0..rng.random_range(3..12) {
        let opened = instant(rng);
        let resolved = rng.random_bool(0.7).then(|| {
            if rng.random_bool(0.3) {
                // Resolved exactly at a (business) midnight.
                dudao::clock::day_start(
                    dudao::clock::local(opened + Duration::days(rng.random_range(1..20)))
                        .date_naive(),
                )
            } else {
                opened + Duration::minutes(rng.random_range(1..20 * 24 * 60))
            }
        });
        insert(
            db,
            complaint::ActiveModel {
                customer_id: Set(c.id),
                rep_id: Set(r.id),
                subject: Set("交货延迟".into()),
                opened_at: Set(opened),
                resolved_at: Set(resolved),
                version: Set(1),
                ..Default::default()
            },
        )
        .await;
        f.complaints.push(ComplaintFact {
            opened_at: dudao::clock::local(opened),
            resolved_at: resolved.map(dudao::clock::local),
        });
    }
    (r.id, f)
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() <= 1e-6 * x.abs().max(1.0),
        _ => false,
    }
}

db_test!(
    sql_process_figures_agree_with_the_reference,
    |app: TestApp| async move {
        let db = app.running.db.clone();
        let now = Utc::now();
        let mut rng = StdRng::seed_from_u64(11);
        let region = insert(
            &db,
            region::ActiveModel {
                name: Set("过程区".into()),
                code: Set("PROC".into()),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            },
        )
        .await;
        let (a, fa) = generate(&db, &mut rng, region.id, "甲", "ACTIVE").await;
        let (b, fb) = generate(&db, &mut rng, region.id, "乙", "LEFT").await;
        let mut all = Facts::default();
        for f in [&fa, &fb] {
            all.acts.extend(f.acts.iter().cloned());
            all.complaints.extend(f.complaints.iter().cloned());
        }
        let mut periods = vec![Period::year(2026), Period::quarter(2026, 2)];
        for m in 1..=12 {
            periods.push(Period::month(2026, m));
        }
        for p in periods {
            // The left rep needs no visits; the region counts its active reps only.
            for (scope, facts, reps) in [
                (Scope::Rep(a), &fa, 1),
                (Scope::Rep(b), &fb, 0),
                (Scope::Region(region.id), &all, 1),
                (Scope::Company, &all, 1),
            ] {
                let today = dudao::clock::today();
                let reference =
                    activity::process(p, &facts.acts, &facts.complaints, 10, reps, today);
                let sql = dudao::service::activity::figures(&db, scope, p)
                    .await
                    .unwrap_or_else(|e| panic!("{e:?}"));
                let what = format!("{scope:?} {p:?}");
                assert_eq!(
                    (sql.visits, sql.calls),
                    (reference.visits, reference.calls),
                    "{what}: counts"
                );
                assert_eq!(
                    (
                        sql.complaints_opened,
                        sql.complaints_resolved,
                        sql.complaints_open
                    ),
                    (
                        reference.complaints_opened,
                        reference.complaints_resolved,
                        reference.complaints_open
                    ),
                    "{what}: complaints"
                );
                for (name, x, y) in [
                    (
                        "compliance",
                        sql.visit_compliance,
                        reference.visit_compliance,
                    ),
                    (
                        "completeness",
                        sql.record_completeness,
                        reference.record_completeness,
                    ),
                    (
                        "response",
                        sql.complaint_response_hours,
                        reference.complaint_response_hours,
                    ),
                ] {
                    assert!(close(x, y), "{what}: {name} SQL {x:?} vs reference {y:?}");
                }
            }
        }
        drop(app);
    },
    demo = false
);

const LOG: &str = "mutation($i: LogActivityInput!) { logActivity(input: $i) { id kind complete rep { id } customer { id } } }";

async fn first_customer(app: &TestApp, token: &str) -> Value {
    let v = app
        .gql(
            Some(token),
            "{ customers(first: 1) { edges { node { id owner { id } } } } }",
            json!({}),
        )
        .await;
    data(&v)["customers"]["edges"][0]["node"].clone()
}

db_test!(
    visits_and_complaints_follow_the_row_rules,
    |app: TestApp| async move {
        let rep = app.login(REP_EAST1).await;
        let south = app.login(SUPERVISOR_SOUTH).await;
        let east = app.login(SUPERVISOR_EAST).await;
        let mine = first_customer(&app, &rep).await;
        let today = dudao::clock::today();

        // A rep logs a visit with their customer; it counts for them.
        let v = app
        .gql(
            Some(&rep),
            LOG,
            json!({ "i": { "customerId": mine["id"], "kind": "VISIT", "occurredOn": today.to_string(), "outcome": "报价", "nextStep": "回访" } }),
        )
        .await;
        let logged = data(&v)["logActivity"].clone();
        assert_eq!(logged["complete"], true);
        assert_eq!(logged["rep"]["id"], mine["owner"]["id"]);
        // In the future: bad input. Another region's supervisor: FORBIDDEN.
        let tomorrow = (today + Duration::days(1)).to_string();
        let v = app
        .gql(Some(&rep), LOG, json!({ "i": { "customerId": mine["id"], "kind": "CALL", "occurredOn": tomorrow } }))
        .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        let v = app
        .gql(Some(&south), LOG, json!({ "i": { "customerId": mine["id"], "kind": "CALL", "occurredOn": today.to_string() } }))
        .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let v = app
            .gql(
                Some(&south),
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": logged["id"] }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        // The east supervisor sees it in the rep's list; the south one does not.
        let list = "query($f: ActivityFilter) { activities(first: 100, filter: $f) { totalCount edges { node { id rep { id } } } } }";
        let f = json!({ "f": { "repId": mine["owner"]["id"], "from": today.to_string(), "to": today.to_string() } });
        let v = app.gql(Some(&east), list, f.clone()).await;
        assert!(
            data(&v)["activities"]["edges"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|e| e["node"]["id"] == logged["id"])
        );
        let v = app.gql(Some(&south), list, f).await;
        assert_eq!(data(&v)["activities"]["totalCount"], 0);

        // Complaints: opened by the rep, resolved once by the supervisor with a reason.
        let v = app
        .gql(
            Some(&rep),
            "mutation($i: OpenComplaintInput!) { openComplaint(input: $i) { id open version } }",
            json!({ "i": { "customerId": mine["id"], "subject": "交货延迟" } }),
        )
        .await;
        let c = data(&v)["openComplaint"].clone();
        assert_eq!(c["open"], true);
        let resolve = "mutation($i: ResolveComplaintInput!) { resolveComplaint(input: $i) { open resolution responseHours version } }";
        let v = app
            .gql(
                Some(&east),
                resolve,
                json!({ "i": { "id": c["id"], "version": c["version"], "resolution": " " } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        let v = app
            .gql(
                Some(&south),
                resolve,
                json!({ "i": { "id": c["id"], "version": c["version"], "resolution": "x" } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let v = app
            .gql(
                Some(&east),
                resolve,
                json!({ "i": { "id": c["id"], "version": c["version"], "resolution": "已补发" } }),
            )
            .await;
        let r = &data(&v)["resolveComplaint"];
        assert_eq!(r["open"], false);
        assert!(r["responseHours"].as_f64().is_some_and(|h| h >= 0.0));
        let v = app
            .gql(
                Some(&east),
                resolve,
                json!({ "i": { "id": c["id"], "version": c["version"], "resolution": "again" } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("CONFLICT"));

        // The process figures follow the scorecard's access rules; the standard is a setting.
        let q = "query($s: ScopeInput!, $p: PeriodInput!) { process(scope: $s, period: $p) { visits visitsRequired visitCompliance recordCompleteness complaintsOpen visitsPerWeek } }";
        let month = json!({ "kind": "MONTH", "year": today.format("%Y").to_string().parse::<i32>().unwrap_or(2026), "index": today.format("%m").to_string().parse::<i32>().unwrap_or(1) });
        let v = app
            .gql(
                Some(&rep),
                q,
                json!({ "s": { "kind": "REP", "id": mine["owner"]["id"] }, "p": month }),
            )
            .await;
        let p = &data(&v)["process"];
        assert!(p["visits"].as_i64().unwrap_or(0) >= 1, "{p}");
        assert_eq!(p["visitsPerWeek"], 10);
        let v = app
            .gql(
                Some(&rep),
                q,
                json!({ "s": { "kind": "COMPANY" }, "p": month }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let std = "mutation($n: Int!) { updateVisitStandard(visitsPerWeek: $n) }";
        let v = app.gql(Some(&east), std, json!({ "n": 5 })).await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
        let director = app.login(DIRECTOR).await;
        let v = app.gql(Some(&director), std, json!({ "n": 101 })).await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        let v = app.gql(Some(&director), std, json!({ "n": 5 })).await;
        assert_eq!(data(&v)["updateVisitStandard"], 5);
        let v = app
            .gql(
                Some(&rep),
                q,
                json!({ "s": { "kind": "REP", "id": mine["owner"]["id"] }, "p": month }),
            )
            .await;
        let p2 = &data(&v)["process"];
        let half = p["visitsRequired"].as_f64().unwrap_or(0.0) / 2.0;
        assert!((p2["visitsRequired"].as_f64().unwrap_or(0.0) - half).abs() < 1e-9);
    }
);

db_test!(
    open_complaints_follow_the_customer_to_its_new_owner,
    |app: TestApp| async move {
        let rep = app.login(REP_EAST1).await;
        let south = app.login(SUPERVISOR_SOUTH).await;
        let director = app.login(DIRECTOR).await;
        let mine = first_customer(&app, &rep).await;
        let open = "mutation($i: OpenComplaintInput!) { openComplaint(input: $i) { id } }";
        let mut ids = Vec::new();
        for subject in ["已解决的投诉", "未解决的投诉"] {
            let v = app
                .gql(
                    Some(&rep),
                    open,
                    json!({ "i": { "customerId": mine["id"], "subject": subject } }),
                )
                .await;
            ids.push(data(&v)["openComplaint"]["id"].clone());
        }
        // The first is resolved before the handover.
        let v = app
            .gql(
                Some(&director),
                "query($id: ID!) { node(id: $id) { ... on Complaint { version } } }",
                json!({ "id": ids[0] }),
            )
            .await;
        let version = data(&v)["node"]["version"].clone();
        let v = app
            .gql(
                Some(&director),
                "mutation($i: ResolveComplaintInput!) { resolveComplaint(input: $i) { open } }",
                json!({ "i": { "id": ids[0], "version": version, "resolution": "已处理" } }),
            )
            .await;
        assert_eq!(data(&v)["resolveComplaint"]["open"], false);
        // The director hands the customer to a rep of the south region.
        let v = app
            .gql(
                Some(&south),
                "{ reps(first: 1) { edges { node { id } } } }",
                json!({}),
            )
            .await;
        let new_owner = data(&v)["reps"]["edges"][0]["node"]["id"].clone();
        let v = app
            .gql(
                Some(&director),
                "query($id: ID!) { node(id: $id) { ... on Customer { version } } }",
                json!({ "id": mine["id"] }),
            )
            .await;
        let version = data(&v)["node"]["version"].clone();
        let v = app
            .gql(
                Some(&director),
                "mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { owner { id } } }",
                json!({ "i": { "id": mine["id"], "version": version, "ownerId": new_owner } }),
            )
            .await;
        assert_eq!(data(&v)["updateCustomer"]["owner"]["id"], new_owner);
        // The open complaint moved with the customer: the south supervisor sees and can
        // resolve it; the rep who handed over no longer sees it. The resolved one stays.
        let list = "query($f: ComplaintFilter) { complaints(first: 50, filter: $f) { edges { node { id rep { id } } } } }";
        let f = json!({ "f": { "customerId": mine["id"] } });
        let ids_of = |v: &Value| -> Vec<Value> {
            data(v)["complaints"]["edges"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| e["node"]["id"].clone())
                .collect()
        };
        let v = app.gql(Some(&south), list, f.clone()).await;
        let seen = ids_of(&v);
        assert!(seen.contains(&ids[1]) && !seen.contains(&ids[0]), "{v}");
        let v = app.gql(Some(&rep), list, f).await;
        let seen = ids_of(&v);
        assert!(seen.contains(&ids[0]) && !seen.contains(&ids[1]), "{v}");
    }
);
