//! What an attacker and a busy Monday try: parallel refreshes, stale tokens after a role
//! change, parallel wrong passwords, parallel writers, huge bodies, absurd dates and
//! numbers, control characters, costly aliases, the standard introspection query. Each
//! answers a clear code, never `INTERNAL`, and the server stays up.

use dudao_tests::*;
use serde_json::{Value, json};

const REFRESH: &str =
    "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }";
const COMPANY_Q4: &str = "{ scorecard(scope: {kind: COMPANY}, period: {kind: QUARTER, year: 2026, index: 4}) { salesAmount } }";

async fn refresh_of(app: &TestApp, email: &str) -> (String, String) {
    let v = app.login_payload(email, DEMO_PASSWORD).await;
    let l = &data(&v)["login"];
    (
        l["accessToken"].as_str().unwrap_or_default().to_owned(),
        l["refreshToken"].as_str().unwrap_or_default().to_owned(),
    )
}

/// The first `n` ids of `table` (`where` narrows them), in order.
async fn first_ids(app: &TestApp, table: &str, filter: &str, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut after = 0;
    for _ in 0..n {
        after = scalar(
            app,
            &format!("SELECT MIN(id) FROM {table} WHERE id > {after} AND {filter}"),
        )
        .await;
        ids.push(after);
    }
    ids
}

fn codes(results: &[Value]) -> Vec<String> {
    results
        .iter()
        .map(|v| error_code(v).unwrap_or("OK").to_owned())
        .collect()
}

db_test!(
    parallel_refreshes_with_one_token_all_get_the_same_successor,
    |app: TestApp| async move {
        let (_, token) = refresh_of(&app, DIRECTOR).await;
        let calls = (0..6).map(|_| app.gql(None, REFRESH, json!({ "t": token })));
        let results = futures_util::future::join_all(calls).await;
        assert_eq!(codes(&results), vec!["OK"; 6], "{results:?}");
        let successors: std::collections::BTreeSet<&str> = results
            .iter()
            .map(|v| {
                v["data"]["refreshToken"]["refreshToken"]
                    .as_str()
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(successors.len(), 1, "one successor: {successors:?}");
        let successor = successors.into_iter().next().unwrap_or_default().to_owned();
        // Every access token handed out works, and the successor rotates normally.
        for v in &results {
            let access = v["data"]["refreshToken"]["accessToken"]
                .as_str()
                .unwrap_or_default();
            let me = app.gql(Some(access), "{ me { email } }", json!({})).await;
            assert_eq!(data(&me)["me"]["email"], json!(DIRECTOR));
        }
        let next = app.gql(None, REFRESH, json!({ "t": successor })).await;
        let next = data(&next)["refreshToken"]["refreshToken"]
            .as_str()
            .unwrap_or_default()
            .to_owned();

        // After the grace window the first token is a replay: the family is revoked.
        exec(
            &app,
            &format!(
                "UPDATE refresh_tokens SET revoked_at = {} WHERE revoked_at IS NOT NULL",
                if app.backend == Backend::Postgres {
                    "NOW() - INTERVAL '1 minute'"
                } else {
                    "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-1 minute')"
                }
            ),
        )
        .await;
        let replay = app.gql(None, REFRESH, json!({ "t": token })).await;
        assert_eq!(error_code(&replay), Some("UNAUTHENTICATED"));
        let after = app.gql(None, REFRESH, json!({ "t": next })).await;
        assert_eq!(
            error_code(&after),
            Some("UNAUTHENTICATED"),
            "family revoked"
        );
    }
);

db_test!(
    tokens_stop_working_when_the_account_or_session_changes,
    |app: TestApp| async move {
        let admin = app.login(ADMIN).await;
        let (director, _) = refresh_of(&app, DIRECTOR).await;
        assert!(error_code(&app.gql(Some(&director), COMPANY_Q4, json!({})).await).is_none());
        let export = |token: String| {
            let req = app
                .http
                .get(app.url("/api/export/orders"))
                .bearer_auth(token);
            async move { req.send().await.map(|r| r.status().as_u16()).unwrap_or(0) }
        };
        assert_eq!(export(director.clone()).await, 200);

        // Demoted to REP: the old token no longer reads company figures or exports.
        let id = scalar(
            &app,
            "SELECT id FROM users WHERE email = 'director@dudao.demo'",
        )
        .await;
        let version = scalar(&app, &format!("SELECT version FROM users WHERE id = {id}")).await;
        let v = app
            .gql(
                Some(&admin),
                "mutation($i: UpdateUserInput!) { updateUser(input: $i) { role } }",
                json!({ "i": { "id": gid("User", id), "version": version, "role": "REP" } }),
            )
            .await;
        assert_eq!(data(&v)["updateUser"]["role"], json!("REP"));
        let stale = app.gql(Some(&director), COMPANY_Q4, json!({})).await;
        assert_eq!(error_code(&stale), Some("UNAUTHENTICATED"), "{stale}");
        assert_eq!(export(director.clone()).await, 401);
        // Signed in again, the account is a REP now.
        let rep = app.login(DIRECTOR).await;
        let v = app.gql(Some(&rep), COMPANY_Q4, json!({})).await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));

        // Logout ends the access token of that sign-in, not of another one.
        let (a1, r1) = refresh_of(&app, SUPERVISOR_EAST).await;
        let (a2, _) = refresh_of(&app, SUPERVISOR_EAST).await;
        let out = app
            .gql(
                None,
                "mutation($t: String!) { logout(refreshToken: $t) }",
                json!({ "t": r1 }),
            )
            .await;
        assert_eq!(data(&out)["logout"], json!(true));
        let me = "{ me { email } }";
        assert_eq!(
            error_code(&app.gql(Some(&a1), me, json!({})).await),
            Some("UNAUTHENTICATED")
        );
        assert!(error_code(&app.gql(Some(&a2), me, json!({})).await).is_none());

        // A password change (or deactivation) ends every sign-in.
        let sid = scalar(
            &app,
            "SELECT id FROM users WHERE email = 'supervisor.east@dudao.demo'",
        )
        .await;
        let version = scalar(&app, &format!("SELECT version FROM users WHERE id = {sid}")).await;
        let v = app
            .gql(
                Some(&admin),
                "mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }",
                json!({ "i": { "id": gid("User", sid), "version": version, "password": "a-new-password" } }),
            )
            .await;
        assert!(error_code(&v).is_none(), "{v}");
        assert_eq!(
            error_code(&app.gql(Some(&a2), me, json!({})).await),
            Some("UNAUTHENTICATED")
        );
        assert_eq!(export(a2).await, 401);
    }
);

db_test!(
    a_query_run_ahead_of_the_account_check_answers_only_for_the_role_the_account_has,
    |app: TestApp| async move {
        // The session stays live while the account's role changes underneath it (an
        // operator's fix in the database, another server's write): the token still
        // claims DIRECTOR, the query runs ahead with that claim, and the answer is the
        // one the current role gets.
        let director = app.login(DIRECTOR).await;
        let ok = app.gql(Some(&director), COMPANY_Q4, json!({})).await;
        assert!(error_code(&ok).is_none(), "{ok}");
        exec(
            &app,
            "UPDATE users SET role = 'REP' WHERE email = 'director@dudao.demo'",
        )
        .await;
        for _ in 0..3 {
            let stale = app.gql(Some(&director), COMPANY_Q4, json!({})).await;
            assert_eq!(error_code(&stale), Some("FORBIDDEN"), "{stale}");
            assert!(
                stale["data"].is_null() || stale["data"]["scorecard"].is_null(),
                "{stale}"
            );
        }
        let me = app.gql(Some(&director), "{ me { role } }", json!({})).await;
        assert_eq!(data(&me)["me"]["role"], json!("REP"));
        // A batch likewise.
        let res = app
            .http
            .post(app.url("/graphql"))
            .bearer_auth(&director)
            .json(&json!([{ "query": COMPANY_Q4 }, { "query": "{ me { role } }" }]))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status().as_u16(), 200);
        let body: serde_json::Value = res.json().await.unwrap_or_default();
        assert_eq!(error_code(&body[0]), Some("FORBIDDEN"), "{body}");
        assert_eq!(body[1]["data"]["me"]["role"], json!("REP"), "{body}");
        // Deactivated: signed out, whatever the token claims.
        exec(
            &app,
            "UPDATE users SET active = false WHERE email = 'director@dudao.demo'",
        )
        .await;
        let gone = app.gql(Some(&director), "{ me { role } }", json!({})).await;
        assert_eq!(error_code(&gone), Some("UNAUTHENTICATED"), "{gone}");
    }
);

db_test!(
    parallel_wrong_passwords_are_counted_before_they_are_checked,
    |app: TestApp| async move {
        let attempts = (0..10).map(|_| app.login_payload(REP_EAST1, "not-the-password"));
        let results = futures_util::future::join_all(attempts).await;
        let c = codes(&results);
        let checked = c.iter().filter(|c| *c == "UNAUTHENTICATED").count();
        let limited = c.iter().filter(|c| *c == "RATE_LIMITED").count();
        assert_eq!(checked + limited, 10, "{c:?}");
        assert!(
            checked <= 5,
            "at most 5 passwords checked, got {checked}: {c:?}"
        );
        // Refused attempts do not count, so one after the other the account gets exactly
        // its five checks in the window, then even the right password waits.
        let mut total = checked;
        for _ in 0..10 {
            let v = app.login_payload(REP_EAST1, "not-the-password").await;
            match error_code(&v) {
                Some("UNAUTHENTICATED") => total += 1,
                Some("RATE_LIMITED") => break,
                other => panic!("{other:?}: {v}"),
            }
        }
        assert_eq!(total, 5);
        let v = app.login_payload(REP_EAST1, DEMO_PASSWORD).await;
        assert_eq!(error_code(&v), Some("RATE_LIMITED"));
    }
);

db_test!(
    parallel_writers_on_different_rows_never_fail,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let customers = first_ids(&app, "customers", "1 = 1", 12).await;
        let first = customers[0];
        let edits = customers.iter().copied().enumerate().map(|(i, id)| {
            let director = director.clone();
            let app = &app;
            async move {
                let version =
                    scalar(app, &format!("SELECT version FROM customers WHERE id = {id}")).await;
                app.gql(
                    Some(&director),
                    "mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { version } }",
                    json!({ "i": { "id": gid("Customer", id), "version": version, "city": format!("城市{i}") } }),
                )
                .await
            }
        });
        let results = futures_util::future::join_all(edits).await;
        assert_eq!(codes(&results), vec!["OK"; 12], "{results:?}");

        // The same row twelve times: one wins, the others are CONFLICT, none INTERNAL.
        let id = first;
        let version = scalar(
            &app,
            &format!("SELECT version FROM customers WHERE id = {id}"),
        )
        .await;
        let same = (0..12).map(|i| {
            app.gql(
                Some(&director),
                "mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { version } }",
                json!({ "i": { "id": gid("Customer", id), "version": version, "city": format!("同{i}") } }),
            )
        });
        let c = codes(&futures_util::future::join_all(same).await);
        assert_eq!(c.iter().filter(|c| *c == "OK").count(), 1, "{c:?}");
        assert_eq!(c.iter().filter(|c| *c == "CONFLICT").count(), 11, "{c:?}");

        // Alerts acknowledged in parallel, and sign-ins refreshing at the same time.
        exec(&app, "UPDATE alerts SET status = 'OPEN'").await;
        let alert_ids = first_ids(&app, "alerts", "1 = 1", 12).await;
        let acks = alert_ids.iter().map(|id| {
            let app = &app;
            let director = director.clone();
            async move {
                let version =
                    scalar(app, &format!("SELECT version FROM alerts WHERE id = {id}")).await;
                app.gql(
                    Some(&director),
                    "mutation($i: AlertStatusInput!) { acknowledgeAlert(input: $i) { status } }",
                    json!({ "i": { "id": gid("Alert", *id), "version": version } }),
                )
                .await
            }
        });
        let mut tokens = Vec::new();
        for email in [ADMIN, SUPERVISOR_EAST, SUPERVISOR_SOUTH, REP_EAST1] {
            tokens.push(refresh_of(&app, email).await.1);
        }
        let refreshes = tokens
            .iter()
            .map(|t| app.gql(None, REFRESH, json!({ "t": t })));
        let (acked, refreshed) = futures_util::future::join(
            futures_util::future::join_all(acks),
            futures_util::future::join_all(refreshes),
        )
        .await;
        assert_eq!(codes(&acked), vec!["OK"; alert_ids.len()], "{acked:?}");
        assert_eq!(codes(&refreshed), vec!["OK"; tokens.len()], "{refreshed:?}");
    }
);

db_test!(
    bodies_over_the_limit_are_refused_unread,
    |app: TestApp| async move {
        // 2 MB of a valid-looking request, signed out.
        let big = format!(
            r#"{{"query":"{{ __typename }}","variables":{{"x":"{}"}}}}"#,
            "a".repeat(2 << 20)
        );
        let resp = app
            .http
            .post(app.url("/graphql"))
            .header("content-type", "application/json")
            .body(big.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(resp.status().as_u16(), 413);
        let v: Value = resp.json().await.unwrap_or(Value::Null);
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        // An import is refused for a caller without a token before its body matters.
        let resp = app
            .http
            .post(app.url("/api/import/customers"))
            .body(big)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(resp.status().as_u16(), 401);
        // Still up.
        let v = app.gql(None, "{ __typename }", json!({})).await;
        assert_eq!(data(&v)["__typename"], json!("Query"));
    }
);

db_test!(mutations_over_get_are_refused, |app: TestApp| async move {
    let url = app.url("/graphql");
    let get = |q: &str| app.http.get(&url).query(&[("query", q)]).send();
    let login = format!(
        "mutation {{ login(email: \"{REP_EAST1}\", password: \"{DEMO_PASSWORD}\") {{ accessToken }} }}"
    );
    let resp = get(&login).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status().as_u16(), 405);
    assert_eq!(
        resp.headers().get("allow").and_then(|h| h.to_str().ok()),
        Some("POST")
    );
    let resp = get("{ __typename }")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status().as_u16(), 200);
    assert!(
        resp.headers()
            .get("content-security-policy")
            .and_then(|h| h.to_str().ok())
            .is_some_and(|c| c.contains("script-src 'self'")),
        "every response carries the CSP"
    );
});

db_test!(
    a_batch_answers_each_query_on_its_own,
    |app: TestApp| async move {
        let rep = app.login(REP_EAST1).await;
        let other_region = gid("Region", 2);
        let post = |body: Value| {
            app.http
                .post(app.url("/graphql"))
                .bearer_auth(&rep)
                .json(&body)
                .send()
        };
        let before = app.statements();
        let resp = post(json!([
            { "query": COMPANY_Q4 },
            { "query": "query($id: ID!) { region(id: $id) { name } }", "variables": { "id": other_region } },
            { "query": "mutation { logout(refreshToken: \"x\") }" },
            { "query": 7 },
            { "query": "{ me { email } }" }
        ]))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let statements = app.statements() - before;
        assert_eq!(resp.status().as_u16(), 200);
        let v: Value = resp.json().await.unwrap_or(Value::Null);
        let answers = v.as_array().unwrap_or_else(|| panic!("an array: {v}"));
        assert_eq!(answers.len(), 5, "{v}");
        // In order, each with its own data or error: a rep may not read the company, nor
        // another region; a mutation and a malformed item are refused; `me` answers.
        assert_eq!(error_code(&answers[0]), Some("FORBIDDEN"), "{v}");
        assert_eq!(error_code(&answers[1]), Some("FORBIDDEN"), "{v}");
        assert_eq!(error_code(&answers[2]), Some("BAD_USER_INPUT"), "{v}");
        assert_eq!(error_code(&answers[3]), Some("BAD_USER_INPUT"), "{v}");
        assert_eq!(answers[4]["data"]["me"]["email"], json!(REP_EAST1), "{v}");
        // The caller was checked once for the five.
        assert!(statements <= 4, "{statements} statements");
        // Too many, or none, is refused as a whole.
        let many: Vec<Value> = (0..9)
            .map(|_| json!({ "query": "{ __typename }" }))
            .collect();
        for body in [json!(many), json!([])] {
            let resp = post(body).await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(resp.status().as_u16(), 400);
            let v: Value = resp.json().await.unwrap_or(Value::Null);
            assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{v}");
        }
    }
);

db_test!(
    absurd_dates_cursors_and_amounts_are_bad_input,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let rep = app.login(REP_EAST1).await;
        for token in [&director, &rep] {
            for to in ["+262142-12-31", "1899-12-31", "2201-01-01", "-0001-01-01"] {
                let v = app
                    .gql(
                        Some(token),
                        "query($f: ComplaintFilter) { complaints(filter: $f) { totalCount } }",
                        json!({ "f": { "to": to } }),
                    )
                    .await;
                assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{to}: {v}");
            }
            let huge = base64_cursor("o:18446744073709551615");
            let v = app
                .gql(
                    Some(token),
                    "query($a: String) { customers(after: $a) { totalCount } }",
                    json!({ "a": huge }),
                )
                .await;
            assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{v}");
        }
        // Two targets of the largest cents value: refused, not wrapped.
        let regions: Vec<i64> = vec![
            scalar(&app, "SELECT id FROM regions WHERE code = 'EAST'").await,
            scalar(&app, "SELECT id FROM regions WHERE code = 'SOUTH'").await,
        ];
        let targets: Vec<Value> = regions
        .iter()
        .map(|r| json!({ "scope": { "kind": "REGION", "id": gid("Region", *r) }, "period": { "kind": "QUARTER", "year": 2027, "index": 1 }, "value": "92233720368547758.07" }))
        .collect();
        let v = app
            .gql(
                Some(&director),
                "mutation($i: SetTargetsInput!) { setTargets(input: $i) { id } }",
                json!({ "i": { "targets": targets } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{v}");
        // The server is still up.
        let v = app.gql(Some(&rep), "{ me { email } }", json!({})).await;
        assert_eq!(data(&v)["me"]["email"], json!(REP_EAST1));
    }
);

fn base64_cursor(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

db_test!(
    control_characters_are_refused_on_every_text_path,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let id = scalar(&app, "SELECT MIN(id) FROM customers").await;
        let version = scalar(
            &app,
            &format!("SELECT version FROM customers WHERE id = {id}"),
        )
        .await;
        let name_before = scalar(
            &app,
            &format!("SELECT version FROM customers WHERE id = {id}"),
        )
        .await;
        for bad in ["甲\u{0}乙", "\u{1b}[31m红", "x\u{7f}"] {
            // In a variable…
            let v = app
                .gql(
                    Some(&director),
                    "mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { id } }",
                    json!({ "i": { "id": gid("Customer", id), "version": version, "name": bad } }),
                )
                .await;
            assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{bad:?}: {v}");
            // …and as a literal in the document.
            let literal = serde_json::to_string(bad).unwrap_or_default();
            let q = format!(
                "mutation {{ updateCustomer(input: {{id: \"{}\", version: {version}, name: {literal}}}) {{ id }} }}",
                gid("Customer", id)
            );
            let v = app.gql(Some(&director), &q, json!({})).await;
            assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{q}: {v}");
        }
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT version FROM customers WHERE id = {id}")
            )
            .await,
            name_before,
            "nothing changed"
        );
        // Line breaks and tabs are text.
        let v = app
        .gql(
            Some(&director),
            "mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { address } }",
            json!({ "i": { "id": gid("Customer", id), "version": version, "address": "一号楼\n二层\t东" } }),
        )
        .await;
        assert!(error_code(&v).is_none(), "{v}");
    }
);

db_test!(every_error_has_a_code, |app: TestApp| async move {
    let rep = app.login(REP_EAST1).await;
    let cases = [
        "fragment A on Query { ...B } fragment B on Query { ...A } { ...A }",
        "{ me { nosuchfield } }",
        "{ me { id ",
        "query Q($x: Int!) { me { id } }",
    ];
    for q in cases {
        let v = app.gql(Some(&rep), q, json!({})).await;
        let errors = v["errors"].as_array().cloned().unwrap_or_default();
        assert!(!errors.is_empty(), "{q}: {v}");
        for e in errors {
            assert!(e["extensions"]["code"].is_string(), "{q}: {e}");
            let m = e["message"].as_str().unwrap_or_default();
            assert!(
                !m.contains("dudao::") && !m.contains("async_graphql"),
                "{q}: {m}"
            );
        }
    }
});

/// The query GraphiQL, graphql-codegen, Apollo and Postman send (graphql-js's
/// `getIntrospectionQuery()` with descriptions, deprecations and `specifiedByURL`).
const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL
  fields(includeDeprecated: true) {
    name description
    args { ...InputValue }
    type { ...TypeRef }
    isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}
"#;

db_test!(
    introspection_works_for_callers_while_costly_data_queries_stay_refused,
    |app: TestApp| async move {
        let rep = app.login(REP_EAST1).await;
        let v = app.gql(Some(&rep), INTROSPECTION, json!({})).await;
        let types = data(&v)["__schema"]["types"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            types.iter().any(|t| t["name"] == json!("Scorecard")),
            "the schema's types are listed"
        );
        // Signed out, the whole schema is not described (sign in, says the error), while
        // a small lookup works.
        let v = app.gql(None, INTROSPECTION, json!({})).await;
        assert_eq!(error_code(&v), Some("UNAUTHENTICATED"), "{v}");
        let v = app
            .gql(None, "{ __type(name: \"Scorecard\") { name } }", json!({}))
            .await;
        assert_eq!(data(&v)["__type"]["name"], json!("Scorecard"));
        // Data hidden behind an introspection-looking start still runs on the limited schema.
        let deep = format!(
            "{{ __typename me {{ {}id{} }} }}",
            "rep { supervisor { ".repeat(7),
            " } }".repeat(7)
        );
        let v = app.gql(Some(&rep), &deep, json!({})).await;
        assert_eq!(error_code(&v), Some("QUERY_TOO_COMPLEX"), "{v}");
        // 2,400 aliases of a 12-period trend are far over the cost limit.
        let aliases: String = (0..2400)
            .map(|i| format!(
                "t{i}: scorecardTrend(scope: {{kind: COMPANY}}, period: {{kind: MONTH, year: 2026, index: 11}}, last: 12) {{ salesAmount }} "
            ))
            .collect();
        let v = app
            .gql(Some(&rep), &format!("{{ {aliases} }}"), json!({}))
            .await;
        assert_eq!(
            error_code(&v),
            Some("QUERY_TOO_COMPLEX"),
            "{}",
            &v.to_string()[..200.min(v.to_string().len())]
        );
    }
);

db_test!(exports_neutralise_formulas, |app: TestApp| async move {
    let rep = app.login(REP_EAST1).await;
    let owner = scalar(
        &app,
        "SELECT r.id FROM reps r JOIN users u ON u.id = r.user_id WHERE u.email = 'rep.east1@dudao.demo'",
    )
    .await;
    let v = app
        .gql(
            Some(&rep),
            "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }",
            json!({ "i": { "name": "=HYPERLINK(\"http://evil.example\",\"点我\")", "industry": "@SUM(1+1)", "ownerId": gid("Rep", owner) } }),
        )
        .await;
    assert!(error_code(&v).is_none(), "{v}");
    let sup = app.login(SUPERVISOR_EAST).await;
    let body = app
        .http
        .get(app.url("/api/export/customers"))
        .bearer_auth(&sup)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    let line = body
        .lines()
        .find(|l| l.contains("HYPERLINK"))
        .unwrap_or_else(|| panic!("the customer is exported: {body}"));
    assert!(line.contains(r#""'=HYPERLINK("#), "{line}");
    assert!(line.contains("'@SUM(1+1)"), "{line}");
    assert!(!line.contains(",=") && !line.contains(",\"="), "{line}");
});

db_test!(
    imported_text_is_bound_not_spliced,
    |app: TestApp| async move {
        // Text that would break hand-escaped SQL (quotes, backslashes, a statement) lands as
        // written, on both databases, and a bad file changes nothing.
        let director = app.login(DIRECTOR).await;
        let owner = scalar(&app, "SELECT MIN(id) FROM reps").await;
        let name = r#"O'Brien "\" 华东\'); DROP TABLE customers; --"#;
        let csv = format!(
            "name,industry,owner_rep_id,city,address\n\"{}\",制造业,{owner},,\"a\\b '' c\"\n",
            name.replace('"', "\"\"")
        );
        let resp = app
            .http
            .post(app.url("/api/import/customers"))
            .bearer_auth(&director)
            .body(csv)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(resp.status().as_u16(), 200, "{:?}", resp.text().await);
        let v = app
        .gql(
            Some(&director),
            "query($q: String) { customers(first: 5, filter: { search: $q }) { edges { node { name address city } } } }",
            json!({ "q": "O'Brien" }),
        )
        .await;
        let node = &data(&v)["customers"]["edges"][0]["node"];
        assert_eq!(node["name"], json!(name), "{v}");
        assert_eq!(node["address"], json!(r"a\b '' c"));
        assert_eq!(node["city"], Value::Null, "an empty cell is NULL");
    }
);

db_test!(
    knowledge_and_training_writes_in_parallel_never_fail,
    |app: TestApp| async move {
        // Eight reps open and vote on one article at once: every call answers, each view
        // and vote counts once, and the counters equal the rows behind them.
        let id = scalar(&app, "SELECT MIN(id) FROM articles WHERE archived = false").await;
        let mut reps = Vec::new();
        for n in 1..=8 {
            reps.push(app.login(&format!("rep.east{n}@dudao.demo")).await);
        }
        exec(
            &app,
            &format!("DELETE FROM article_views WHERE article_id = {id}"),
        )
        .await;
        let views = reps.iter().map(|t| {
            app.gql(
                Some(t),
                "mutation($id: ID!) { viewArticle(id: $id) { views } }",
                json!({ "id": gid("Article", id) }),
            )
        });
        let votes = reps.iter().enumerate().map(|(i, t)| {
            app.gql(
                Some(t),
                "mutation($id: ID!, $h: Boolean) { voteArticle(id: $id, helpful: $h) { helpfulVotes } }",
                json!({ "id": gid("Article", id), "h": i % 2 == 0 }),
            )
        });
        let (viewed, voted) = futures_util::future::join(
            futures_util::future::join_all(views),
            futures_util::future::join_all(votes),
        )
        .await;
        assert_eq!(codes(&viewed), vec!["OK"; 8], "{viewed:?}");
        assert_eq!(codes(&voted), vec!["OK"; 8], "{voted:?}");
        let rows = scalar(
            &app,
            &format!("SELECT COUNT(*) FROM article_views WHERE article_id = {id}"),
        )
        .await;
        assert_eq!(rows, 8);
        let helpful = scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM article_votes WHERE article_id = {id} AND helpful = true"
            ),
        )
        .await;
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT helpful FROM articles WHERE id = {id}")
            )
            .await,
            helpful
        );

        // One article saved eight times on the same version: one wins, the rest CONFLICT.
        let sup = app.login(SUPERVISOR_EAST).await;
        let version = scalar(
            &app,
            &format!("SELECT version FROM articles WHERE id = {id}"),
        )
        .await;
        let category = "PRODUCT";
        let saves = (0..8).map(|i| {
            app.gql(
                Some(&sup),
                "mutation($i: SaveArticleInput!) { saveArticle(input: $i) { version } }",
                json!({ "i": { "id": gid("Article", id), "version": version, "title": format!("并发标题{i}"), "body": format!("正文{i}"), "category": category, "tags": [] } }),
            )
        });
        let c = codes(&futures_util::future::join_all(saves).await);
        assert_eq!(c.iter().filter(|c| *c == "OK").count(), 1, "{c:?}");
        assert_eq!(c.iter().filter(|c| *c == "CONFLICT").count(), 7, "{c:?}");
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT COUNT(*) FROM article_versions WHERE article_id = {id}")
            )
            .await,
            scalar(
                &app,
                &format!("SELECT version FROM articles WHERE id = {id}")
            )
            .await
        );

        // A proposal decided by its supervisor and the director at once: one decision,
        // one reward.
        let rep = reps[0].clone();
        let v = app
            .gql(
                Some(&rep),
                "mutation($i: ProposeContributionInput!) { proposeContribution(input: $i) { id version } }",
                json!({ "i": { "kind": "IDEA", "title": "并发点子", "body": "同时决定" } }),
            )
            .await;
        let proposal = data(&v)["proposeContribution"].clone();
        let director = app.login(DIRECTOR).await;
        let deciders: Vec<String> = (0..6)
            .map(|i| {
                if i % 2 == 0 {
                    sup.clone()
                } else {
                    director.clone()
                }
            })
            .collect();
        let decisions = deciders.iter().enumerate().map(|(i, t)| {
            app.gql(
                Some(t),
                "mutation($i: DecideContributionInput!) { decideContribution(input: $i) { status } }",
                json!({ "i": { "id": proposal["id"], "version": proposal["version"], "adopt": i % 3 != 2, "reason": format!("理由{i}") } }),
            )
        });
        let c = codes(&futures_util::future::join_all(decisions).await);
        assert_eq!(c.iter().filter(|c| *c == "OK").count(), 1, "{c:?}");
        assert!(c.iter().all(|c| c == "OK" || c == "CONFLICT"), "{c:?}");

        // A session's attendance recorded six times on one version: one wins.
        let session = scalar(&app, "SELECT MIN(s.id) FROM training_sessions s JOIN training_attendance a ON a.session_id = s.id").await;
        let version = scalar(
            &app,
            &format!("SELECT version FROM training_sessions WHERE id = {session}"),
        )
        .await;
        let user = scalar(
            &app,
            &format!("SELECT MIN(user_id) FROM training_attendance WHERE session_id = {session}"),
        )
        .await;
        let records = (0..6).map(|i| {
            app.gql(
                Some(&director),
                "mutation($i: RecordTrainingAttendanceInput!) { recordTrainingAttendance(input: $i) { version } }",
                json!({ "i": { "sessionId": gid("TrainingSession", session), "version": version,
                    "entries": [{ "userId": gid("User", user), "attended": true, "preScore": 50 + i, "postScore": 70 + i }] } }),
            )
        });
        let c = codes(&futures_util::future::join_all(records).await);
        assert_eq!(c.iter().filter(|c| *c == "OK").count(), 1, "{c:?}");
        assert_eq!(c.iter().filter(|c| *c == "CONFLICT").count(), 5, "{c:?}");
    }
);
