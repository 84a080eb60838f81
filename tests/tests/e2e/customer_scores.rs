//! Customer scores: tiers, churn warnings and health scores computed in SQL agree with the
//! plain-Rust reference (`dudao_domain::customers::{tiers, health}`) on the demo data for
//! several as-of days; lists filter by them and follow the row rules.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, Utc};
use dudao::domain::customers::{self, HealthInputs, Tier, TierThresholds};
use dudao::service::customer_scores;
use dudao_tests::*;
use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult, Statement};
use serde_json::json;

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

fn day(r: &QueryResult, i: usize) -> Option<NaiveDate> {
    r.try_get_by_index::<Option<NaiveDate>>(i)
        .unwrap_or_else(|e| panic!("column {i}: {e}"))
}

#[derive(Default)]
struct Facts {
    orders: Vec<(NaiveDate, i64)>,
    surveys: Vec<(NaiveDate, i64)>,
    complaints: Vec<(chrono::DateTime<Utc>, Option<chrono::DateTime<Utc>>)>,
    chain: Option<NaiveDate>,
}

async fn facts(db: &DatabaseConnection) -> HashMap<i64, Facts> {
    let mut f: HashMap<i64, Facts> = HashMap::new();
    for r in rows(db, "SELECT id, decision_chain_changed_on FROM customers").await {
        f.entry(int(&r, 0)).or_default().chain = day(&r, 1);
    }
    for r in rows(
        db,
        "SELECT customer_id, ordered_on, amount_cents FROM orders WHERE status <> 'CANCELLED'",
    )
    .await
    {
        let on = day(&r, 1).unwrap_or_default();
        f.entry(int(&r, 0))
            .or_default()
            .orders
            .push((on, int(&r, 2)));
    }
    for r in rows(db, "SELECT customer_id, surveyed_on, score FROM surveys").await {
        let on = day(&r, 1).unwrap_or_default();
        f.entry(int(&r, 0))
            .or_default()
            .surveys
            .push((on, int(&r, 2)));
    }
    for r in rows(
        db,
        "SELECT customer_id, opened_at, resolved_at FROM complaints",
    )
    .await
    {
        let opened = r
            .try_get_by_index::<chrono::DateTime<Utc>>(1)
            .unwrap_or_default();
        let resolved = r
            .try_get_by_index::<Option<chrono::DateTime<Utc>>>(2)
            .unwrap_or_default();
        f.entry(int(&r, 0))
            .or_default()
            .complaints
            .push((opened, resolved));
    }
    f
}

db_test!(
    sql_scores_agree_with_the_reference,
    |app: TestApp| async move {
        let db = app.running.db.clone();
        let all = facts(&db).await;
        let today = dudao::clock::today();
        for as_of in [
            today,
            today - Duration::days(45),
            today - Duration::days(200),
        ] {
            let n = customer_scores::refresh(&db, as_of)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"));
            // The demo seed scored everyone as of today; any other day changes every row.
            if as_of != today {
                assert_eq!(n as usize, all.len());
            }
            // The hourly re-run on the same day writes nothing: the figures are the same.
            let again = customer_scores::refresh(&db, as_of)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(again, 0, "a re-run as of {as_of} rewrote unchanged scores");
            let from = customer_scores::year_before(as_of);
            let sales: Vec<(i32, i64)> = all
                .iter()
                .map(|(id, f)| {
                    let s = f
                        .orders
                        .iter()
                        .filter(|(d, _)| *d > from && *d <= as_of)
                        .map(|(_, c)| c)
                        .sum();
                    (*id as i32, s)
                })
                .collect();
            let tiers: HashMap<i32, Tier> = customers::tiers(&sales, TierThresholds::default())
                .into_iter()
                .collect();
            // The end of the business day (+08:00), as the refresh counts open complaints.
            let end = dudao::clock::day_start(as_of + Duration::days(1));
            let stored = rows(
                &db,
                "SELECT customer_id, tier, churn_risk, health, sales_year FROM customer_scores",
            )
            .await;
            assert_eq!(stored.len(), all.len());
            let mut churned = 0;
            for r in stored {
                let id = int(&r, 0);
                let f = &all[&id];
                let tier = tiers[&(id as i32)];
                let t: String = r.try_get_by_index(1).unwrap_or_default();
                assert_eq!(t, format!("{tier:?}"), "customer {id} as of {as_of}: tier");
                let in_year: Vec<_> = f
                    .orders
                    .iter()
                    .filter(|(d, _)| *d > from && *d <= as_of)
                    .collect();
                assert_eq!(int(&r, 4), in_year.iter().map(|(_, c)| c).sum::<i64>());
                let last = f
                    .orders
                    .iter()
                    .map(|(d, _)| *d)
                    .filter(|d| *d <= as_of)
                    .max();
                let surveys: Vec<_> = f
                    .surveys
                    .iter()
                    .filter(|(d, _)| *d > from && *d <= as_of)
                    .collect();
                let inputs = HealthInputs {
                    days_since_order: last.map(|d| (as_of - d).num_days()),
                    orders_12m: in_year.len() as i64,
                    tier,
                    survey_sum: surveys.iter().map(|(_, s)| s).sum(),
                    survey_count: surveys.len() as i64,
                    open_complaints: f
                        .complaints
                        .iter()
                        .filter(|(o, r)| *o < end && r.is_none_or(|r| r >= end))
                        .count() as i64,
                    chain_changed: f
                        .chain
                        .is_some_and(|d| d > as_of - Duration::days(90) && d <= as_of),
                };
                assert_eq!(
                    int(&r, 3),
                    customers::health(&inputs),
                    "customer {id} as of {as_of}: health from {inputs:?}"
                );
                let churn = f.orders.iter().any(|(d, _)| {
                    *d >= as_of - Duration::days(365) && *d < as_of - Duration::days(90)
                }) && !f
                    .orders
                    .iter()
                    .any(|(d, _)| *d >= as_of - Duration::days(90) && *d <= as_of);
                assert_eq!(int(&r, 2) == 1, churn, "customer {id} as of {as_of}: churn");
                churned += i64::from(churn);
            }
            let _ = churned;
        }
        drop(app);
    }
);

const LIST: &str = "query($f: CustomerFilter) { customers(first: 100, filter: $f) { totalCount edges { node { id score { tier health churnRisk components { part score weight } } } } } }";

db_test!(
    lists_filter_by_tier_churn_and_health,
    |app: TestApp| async move {
        let db = app.running.db.clone();
        let sup = app.login(SUPERVISOR_EAST).await;
        for (filter, sql) in [
            (json!({ "tier": "A" }), "s.tier = 'A'"),
            (json!({ "churnRisk": true }), "s.churn_risk = 1"),
            (json!({ "healthBelow": 50 }), "s.health < 50"),
        ] {
            let expected = int(
            &rows(
                &db,
                &format!(
                    "SELECT COUNT(*) FROM customer_scores s JOIN customers c ON c.id = s.customer_id \
                     JOIN reps r ON r.id = c.owner_rep_id JOIN supervisor_regions x ON x.region_id = r.region_id \
                     JOIN users u ON u.id = x.supervisor_id WHERE u.email = '{SUPERVISOR_EAST}' AND {sql}"
                ),
            )
            .await[0],
            0,
        );
            let v = app.gql(Some(&sup), LIST, json!({ "f": filter })).await;
            let c = &data(&v)["customers"];
            assert_eq!(c["totalCount"].as_i64(), Some(expected), "{filter}");
            for e in c["edges"].as_array().into_iter().flatten() {
                let s = &e["node"]["score"];
                let parts = s["components"].as_array().cloned().unwrap_or_default();
                assert_eq!(parts.len(), 5);
                let weighted: i64 = parts
                    .iter()
                    .map(|p| p["score"].as_i64().unwrap_or(0) * p["weight"].as_i64().unwrap_or(0))
                    .sum();
                assert_eq!(
                    s["health"].as_i64(),
                    Some(weighted / 100),
                    "components add up"
                );
            }
        }
        // Some of each tier exist in the demo, and some churn warnings.
        for t in ["A", "B", "C"] {
            let n = int(
                &rows(
                    &db,
                    &format!("SELECT COUNT(*) FROM customer_scores WHERE tier = '{t}'"),
                )
                .await[0],
                0,
            );
            assert!(n > 0, "no tier {t} customers in the demo");
        }
        // A decision-chain change is recorded on the customer and lowers the score.
        let v = app
        .gql(Some(&sup), "{ customers(first: 1, filter: { tier: A }) { edges { node { id version score { health } } } } }", json!({}))
        .await;
        let c = data(&v)["customers"]["edges"][0]["node"].clone();
        let today = dudao::clock::today();
        let v = app
        .gql(
            Some(&sup),
            "mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { decisionChainChangedOn } }",
            json!({ "i": { "id": c["id"], "version": c["version"], "decisionChainChangedOn": (today + Duration::days(1)).to_string() } }),
        )
        .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        let v = app
        .gql(
            Some(&sup),
            "mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { decisionChainChangedOn } }",
            json!({ "i": { "id": c["id"], "version": c["version"], "decisionChainChangedOn": today.to_string() } }),
        )
        .await;
        assert_eq!(
            data(&v)["updateCustomer"]["decisionChainChangedOn"],
            today.to_string()
        );
        customer_scores::refresh(&db, today)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let v = app
        .gql(Some(&sup), "query($id: ID!) { node(id: $id) { ... on Customer { score { health components { part score } } } } }", json!({ "id": c["id"] }))
        .await;
        let s = &data(&v)["node"]["score"];
        let chain = s["components"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["part"] == "DECISION_CHAIN")
            .map(|p| p["score"].clone());
        assert_eq!(chain, Some(json!(0)));
        drop(app);
    }
);
