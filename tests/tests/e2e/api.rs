//! The GraphQL contract: paging, filters, sorting, validation, versions, limits, batching.

use dudao_tests::*;
use serde_json::{Value, json};

db_test!(paging_is_bounded_and_complete, |app: TestApp| async move {
    let token = app.login(DIRECTOR).await;
    let too_many = app
        .gql(
            Some(&token),
            "{ customers(first: 101) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&too_many), Some("BAD_USER_INPUT"));
    let bad_cursor = app
        .gql(
            Some(&token),
            "{ customers(after: \"zzz\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&bad_cursor), Some("BAD_USER_INPUT"));

    let mut names: Vec<String> = Vec::new();
    let mut after = Value::Null;
    let total = loop {
        let v = app
            .gql(Some(&token),
                "query($a: String) { customers(first: 37, after: $a, orderBy: { field: NAME, direction: DESC }) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }",
                json!({ "a": after }))
            .await;
        let c = &data(&v)["customers"];
        names.extend(
            c["edges"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| e["node"]["name"].as_str().unwrap_or_default().to_owned()),
        );
        if c["pageInfo"]["hasNextPage"] != json!(true) {
            break c["totalCount"].as_u64().unwrap_or(0);
        }
        after = c["pageInfo"]["endCursor"].clone();
    };
    assert!(
        total > 300,
        "demo data has hundreds of customers, got {total}"
    );
    assert_eq!(names.len() as u64, total);
    let mut sorted = names.clone();
    // Names sort by pinyin (both databases alike, `names_sort_by_pinyin`).
    sorted.sort_by(|a, b| dudao::domain::collate::pinyin_cmp(b, a));
    assert_eq!(names, sorted, "DESC by name across pages");
});

db_test!(filters_narrow_lists, |app: TestApp| async move {
    let token = app.login(ADMIN).await;
    let v = app
        .gql(
            Some(&token),
            "{ regions(filter: { search: \"east\" }) { edges { node { id name } } } }",
            json!({}),
        )
        .await;
    let east = data(&v)["regions"]["edges"][0]["node"].clone();
    assert_eq!(east["name"], json!("华东"));
    let v = app
        .gql(Some(&token), "query($r: ID!) { reps(first: 100, filter: { regionId: $r }) { totalCount edges { node { region { name } } } } }",
            json!({ "r": east["id"] }))
        .await;
    let reps = &data(&v)["reps"];
    assert_eq!(reps["totalCount"], json!(8));
    assert!(
        reps["edges"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|e| e["node"]["region"]["name"] == json!("华东"))
    );
    let v = app
        .gql(
            Some(&token),
            "{ customers(filter: { search: \"上海\" }) { totalCount edges { node { city } } } }",
            json!({}),
        )
        .await;
    assert!(data(&v)["customers"]["totalCount"].as_u64().unwrap_or(0) > 0);
    // `%` is a literal in searches, not a wildcard.
    let v = app
        .gql(
            Some(&token),
            "{ customers(filter: { search: \"%\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(data(&v)["customers"]["totalCount"], json!(0));
    let v = app
        .gql(
            Some(&token),
            "{ users(filter: { role: SUPERVISOR }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(data(&v)["users"]["totalCount"], json!(6));
});

db_test!(
    bad_input_is_coded_and_changes_nothing,
    |app: TestApp| async move {
        let token = app.login(ADMIN).await;
        let create =
            "mutation($i: CreateRegionInput!) { createRegion(input: $i) { id name code version } }";
        for bad in [
            json!({ "name": "  ", "code": "X1" }),
            json!({ "name": "新区", "code": "含中文" }),
        ] {
            let v = app.gql(Some(&token), create, json!({ "i": bad })).await;
            assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{v}");
        }
        let v = app
            .gql(Some(&token), "{ regions { totalCount } }", json!({}))
            .await;
        assert_eq!(data(&v)["regions"]["totalCount"], json!(6));
        // Duplicate codes are a conflict.
        let v = app
            .gql(
                Some(&token),
                create,
                json!({ "i": { "name": "东部二区", "code": "east" } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("CONFLICT"), "{v}");
        let v = app.gql(Some(&token), "mutation { createUser(input: { email: \"x\", name: \"x\", role: REP, password: \"long-enough\" }) { id } }", json!({})).await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        let v = app.gql(Some(&token), "mutation { createUser(input: { email: \"a@b.cn\", name: \"x\", role: REP, password: \"short\" }) { id } }", json!({})).await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        // A syntax error and an unknown field are BAD_USER_INPUT too.
        assert_eq!(
            error_code(&app.gql(Some(&token), "{ regions { ", json!({})).await),
            Some("BAD_USER_INPUT")
        );
        assert_eq!(
            error_code(&app.gql(Some(&token), "{ nope }", json!({})).await),
            Some("BAD_USER_INPUT")
        );
    }
);

db_test!(
    stale_writes_are_conflicts_and_lose_nothing,
    |app: TestApp| async move {
        let token = app.login(SUPERVISOR_EAST).await;
        let v = app
            .gql(
                Some(&token),
                "{ customers(first: 1) { edges { node { id version name } } } }",
                json!({}),
            )
            .await;
        let c = data(&v)["customers"]["edges"][0]["node"].clone();
        let update =
            "mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { version city } }";
        let first = app
            .gql(
                Some(&token),
                update,
                json!({ "i": { "id": c["id"], "version": c["version"], "city": "杭州" } }),
            )
            .await;
        assert_eq!(data(&first)["updateCustomer"]["city"], json!("杭州"));
        // A second editor still holding the old version is refused.
        let second = app
            .gql(
                Some(&token),
                update,
                json!({ "i": { "id": c["id"], "version": c["version"], "city": "南京" } }),
            )
            .await;
        assert_eq!(error_code(&second), Some("CONFLICT"));
        let v = app
            .gql(
                Some(&token),
                "query($id: ID!) { customer(id: $id) { city version } }",
                json!({ "id": c["id"] }),
            )
            .await;
        assert_eq!(data(&v)["customer"]["city"], json!("杭州"));
        // `null` clears an optional field; leaving it out keeps it.
        let version = data(&v)["customer"]["version"].clone();
        let v = app
            .gql(
                Some(&token),
                update,
                json!({ "i": { "id": c["id"], "version": version, "city": null } }),
            )
            .await;
        assert_eq!(data(&v)["updateCustomer"]["city"], Value::Null);
    }
);

db_test!(nested_fields_are_batched, |app: TestApp| async move {
    let token = app.login(DIRECTOR).await;
    let q = "query($n: Int) { reps(first: $n) { totalCount edges { node { id name region { name } supervisor { name } user { email } customerCount } } } }";
    let mut counts = Vec::new();
    for n in [2, 48] {
        let before = app.statements();
        let v = app.gql(Some(&token), q, json!({ "n": n })).await;
        assert_eq!(
            data(&v)["reps"]["edges"].as_array().map(Vec::len),
            Some(n as usize)
        );
        counts.push(app.statements() - before);
    }
    // count + page + regions + users (supervisor and account) + customer counts: one
    // statement per loader and level, whatever the page size. A loader may split a batch
    // in two when the machine is busy (its window is 1 ms), so allow one extra per loader,
    // far below the 48+ statements of an N+1.
    assert!(
        counts[1] <= counts[0] + 3,
        "statements grew with the page size: {counts:?}"
    );
    assert!(
        counts[1] <= 8,
        "a page of 48 reps costs {} statements",
        counts[1]
    );
});

db_test!(
    deep_or_costly_queries_are_refused,
    |app: TestApp| async move {
        let token = app.login(ADMIN).await;
        let deep = "{ me { rep { region { parent { parent { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } } } } } } }";
        assert_eq!(
            error_code(&app.gql(Some(&token), deep, json!({})).await),
            Some("QUERY_TOO_COMPLEX")
        );
        let heavy = "customers(first: 100) { edges { node { name owner { name region { name } supervisor { name regions { name } } } contacts { name phone email title } } } }";
        let costly = format!("{{ a: {heavy} b: {heavy} c: {heavy} d: {heavy} }}");
        let costly = costly.as_str();
        assert_eq!(
            error_code(&app.gql(Some(&token), costly, json!({})).await),
            Some("QUERY_TOO_COMPLEX")
        );
    }
);

db_test!(
    health_spa_and_graphiql_are_served,
    |app: TestApp| async move {
        let health = app
            .http
            .get(app.url("/healthz"))
            .send()
            .await
            .map(|r| r.status().as_u16())
            .ok();
        assert_eq!(health, Some(200));
        // Client-side routes answer with the app (or a notice when it is not built), never 404.
        let page = app.http.get(app.url("/reps/UmVwOjE")).send().await.ok();
        assert_eq!(page.as_ref().map(|r| r.status().as_u16()), Some(200));
        let body = match page {
            Some(p) => p.text().await.unwrap_or_default(),
            None => String::new(),
        };
        assert!(body.contains("Dudao"), "{body}");
        // GET /graphql works for queries.
        let get = app
            .http
            .get(app.url("/graphql?query=%7B__typename%7D"))
            .send()
            .await
            .ok();
        let body: Value = match get {
            Some(r) => r.json().await.unwrap_or_default(),
            None => Value::Null,
        };
        assert_eq!(body["data"]["__typename"], json!("Query"));
    }
);

db_test!(
    writes_are_audited_with_before_and_after,
    |app: TestApp| async move {
        use sea_orm::{ConnectionTrait, Statement};
        let token = app.login(ADMIN).await;
        let v = app
            .gql(
                Some(&token),
                "mutation { createRegion(input: { name: \"东北\", code: \"NE\" }) { id version } }",
                json!({}),
            )
            .await;
        let r = data(&v)["createRegion"].clone();
        app.gql(
            Some(&token),
            "mutation($i: UpdateRegionInput!) { updateRegion(input: $i) { id } }",
            json!({ "i": { "id": r["id"], "version": r["version"], "name": "东北区" } }),
        )
        .await;
        let db = &app.running.db;
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT action, before, after FROM audit_log WHERE entity = 'region' ORDER BY id"
                    .to_owned(),
            ))
            .await
            .unwrap_or_default();
        assert_eq!(rows.len(), 2);
        let action: String = rows[1].try_get_by_index(0).unwrap_or_default();
        let before: String = rows[1].try_get_by_index(1).unwrap_or_default();
        let after: String = rows[1].try_get_by_index(2).unwrap_or_default();
        assert_eq!(action, "update");
        assert!(before.contains("东北") && !before.contains("东北区"));
        assert!(after.contains("东北区"));
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_database_without_demo_gets_no_data_and_admin_create_works() {
    let Some(app) = TestApp::spawn_with(Backend::Sqlite, false).await else {
        return;
    };
    let v = app.login_payload(ADMIN, DEMO_PASSWORD).await;
    assert_eq!(error_code(&v), Some("UNAUTHENTICATED"));
    dudao::service::users::create(
        &app.running.db,
        None,
        dudao::service::users::NewUser {
            email: "boss@example.cn".into(),
            name: "老板".into(),
            role: dudao::domain::Role::Admin,
            password: "a-long-password".into(),
            region_ids: vec![],
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{}", e.message()));
    let v = app
        .login_payload("boss@example.cn", "a-long-password")
        .await;
    assert_eq!(data(&v)["login"]["user"]["role"], json!("ADMIN"));
}

db_test!(names_sort_by_pinyin, |app: TestApp| async move {
    let rep = app.login(REP_EAST1).await;
    let owner = scalar(
        &app,
        "SELECT r.id FROM reps r JOIN users u ON u.id = r.user_id WHERE u.email = 'rep.east1@dudao.demo'",
    )
    .await;
    let names = [
        "张氏五金",
        "李记商行",
        "Apple 专卖",
        "陈家食品",
        "阿里小店",
        "黎明电器",
        "李明书店",
        "bob 超市",
        "123 便利",
    ];
    for n in names {
        let v = app
            .gql(
                Some(&rep),
                "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }",
                json!({ "i": { "name": n, "industry": "零售", "city": "拼音城", "ownerId": gid("Rep", owner) } }),
            )
            .await;
        assert!(error_code(&v).is_none(), "{v}");
    }
    let list = |direction: &'static str| {
        let rep = rep.clone();
        let app = &app;
        async move {
            let v = app
                .gql(
                    Some(&rep),
                    "query($o: CustomerOrderBy) { customers(first: 50, filter: { search: \"拼音城\" }, orderBy: $o) { edges { node { name } } } }",
                    json!({ "o": { "field": "NAME", "direction": direction } }),
                )
                .await;
            data(&v)["customers"]["edges"]
                .as_array()
                .map(|es| {
                    es.iter()
                        .filter_map(|e| e["node"]["name"].as_str().map(str::to_owned))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        }
    };
    // ICU's zh-u-co-pinyin on PostgreSQL, dudao_domain::collate on SQLite: the same.
    let expected = [
        "123 便利",
        "阿里小店",
        "陈家食品",
        "黎明电器",
        "李记商行",
        "李明书店",
        "张氏五金",
        "Apple 专卖",
        "bob 超市",
    ];
    assert_eq!(list("ASC").await, expected);
    let mut reversed = expected;
    reversed.reverse();
    assert_eq!(list("DESC").await, reversed);
});
