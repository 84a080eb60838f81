//! The knowledge base through the API, on both databases: search in Chinese and English
//! (segmented, typo-tolerant, highlighted, filtered), articles with versions, diff,
//! restore and concurrent edits refused, bodies rendered without anything that runs,
//! views and votes, contributions (金点子) from proposal to reward, the usage report, and
//! the index kept in step across two servers on one database.

use dudao_tests::*;
use serde_json::{Value, json};

const SEARCH: &str = "query($q: String!, $f: ArticleFilter, $n: Int) { searchArticles(query: $q, filter: $f, first: $n) { totalCount edges { node { id title titleHighlight snippet scenario category } } } }";
const SAVE: &str = "mutation($i: SaveArticleInput!) { saveArticle(input: $i) { id version title bodyHtml tags versions { version note } } }";

async fn search(app: &TestApp, token: &str, q: &str, filter: Value) -> Value {
    let v = app
        .gql(Some(token), SEARCH, json!({ "q": q, "f": filter, "n": 10 }))
        .await;
    data(&v)["searchArticles"].clone()
}

fn titles(r: &Value) -> Vec<String> {
    r["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["node"]["title"].as_str().unwrap_or_default().to_owned())
        .collect()
}

const PRICE: &str = "价格异议应对话术（客户说“价格太贵”）";

db_test!(
    a_rep_finds_the_price_script_in_chinese_and_english,
    |app: TestApp| async move {
        let rep = app.login(REP_EAST1).await;
        for q in [
            "价格太贵",
            "客户说太贵怎么办",
            "too expensive",
            "price objection",
            "Price",
        ] {
            let r = search(&app, &rep, q, json!(null)).await;
            assert_eq!(
                titles(&r).first().map(String::as_str),
                Some(PRICE),
                "{q}: {r}"
            );
        }
        // Highlighted: the matched words in <mark>, the rest escaped.
        let r = search(&app, &rep, "价格太贵", json!(null)).await;
        let first = &r["edges"][0]["node"];
        assert!(
            first["titleHighlight"]
                .as_str()
                .unwrap_or_default()
                .contains("<mark>价格</mark>"),
            "{first}"
        );
        assert!(
            first["snippet"]
                .as_str()
                .unwrap_or_default()
                .contains("<mark>"),
            "{first}"
        );
        assert_eq!(first["scenario"], json!("PRICE_SENSITIVE"));
        // One typo in an English word is forgiven; a transposition too.
        for q in ["too expensve", "expnesive"] {
            assert!(
                titles(&search(&app, &rep, q, json!(null)).await).contains(&PRICE.to_owned()),
                "{q}"
            );
        }
        // Filters: the cases about price, only.
        let r = search(&app, &rep, "价格", json!({ "category": "CASE" })).await;
        assert!(r["totalCount"].as_i64().unwrap_or(0) >= 2, "{r}");
        assert!(
            r["edges"]
                .as_array()
                .into_iter()
                .flatten()
                .all(|e| e["node"]["category"] == json!("CASE"))
        );
        let r = search(
            &app,
            &rep,
            "价格",
            json!({ "scenario": "COMPLEX_DECISION_CHAIN" }),
        )
        .await;
        assert!(!titles(&r).contains(&PRICE.to_owned()));
        let r = search(&app, &rep, "价格", json!({ "tag": "PRICE" })).await;
        assert_eq!(titles(&r), [PRICE]);
        // Nothing found is an empty page; a blank query is bad input.
        let r = search(&app, &rep, "量子纠缠 xylophone", json!(null)).await;
        assert_eq!(r["totalCount"], json!(0));
        let v = app.gql(Some(&rep), SEARCH, json!({ "q": "  " })).await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
        // Signed out: nothing.
        let v = app.gql(None, SEARCH, json!({ "q": "价格" })).await;
        assert_eq!(error_code(&v), Some("UNAUTHENTICATED"));
    }
);

db_test!(
    articles_keep_versions_refuse_stale_edits_and_render_safely,
    |app: TestApp| async move {
        let sup = app.login(SUPERVISOR_EAST).await;
        let rep = app.login(REP_EAST1).await;
        let v = app
            .gql(
                Some(&sup),
                SAVE,
                json!({ "i": { "title": "报价单模板", "body": "第一行\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[点我](javascript:alert(1))", "category": "PROCESS", "tags": ["报价", " 报价 ", "#模板"] } }),
            )
            .await;
        let a = data(&v)["saveArticle"].clone();
        let html = a["bodyHtml"].as_str().unwrap_or_default();
        for bad in ["<script", "onerror", "javascript:"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert_eq!(a["tags"], json!(["报价", "模板"]));
        assert_eq!(a["version"], json!(1));
        // Found at once on this server.
        assert_eq!(
            titles(&search(&app, &rep, "报价单模板", json!(null)).await)
                .first()
                .map(String::as_str),
            Some("报价单模板")
        );

        let edit = |version: i64, body: &str| json!({ "i": { "id": a["id"], "version": version, "title": "报价单模板", "body": body, "category": "PROCESS", "tags": ["报价"], "note": "改" } });
        let v = app.gql(Some(&sup), SAVE, edit(1, "第一行\n第二行")).await;
        assert_eq!(data(&v)["saveArticle"]["version"], json!(2));
        // Someone who saw version 1 cannot overwrite it.
        let v = app.gql(Some(&sup), SAVE, edit(1, "覆盖")).await;
        assert_eq!(error_code(&v), Some("CONFLICT"));
        // A rep proposes instead of editing.
        let v = app.gql(Some(&rep), SAVE, edit(2, "我来改")).await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));

        let v = app
            .gql(
                Some(&rep),
                "query($id: ID!) { node(id: $id) { ... on Article { versions { version note } diff(from: 1, to: 2) { kind text } } } }",
                json!({ "id": a["id"] }),
            )
            .await;
        let n = &data(&v)["node"];
        assert_eq!(n["versions"][0]["version"], json!(2));
        assert_eq!(n["versions"][0]["note"], json!("改"));
        let diff = n["diff"].as_array().cloned().unwrap_or_default();
        assert!(
            diff.contains(&json!({ "kind": "ADDED", "text": "第二行" })),
            "{diff:?}"
        );
        assert!(
            diff.contains(&json!({ "kind": "REMOVED", "text": "<script>alert(1)</script>" })),
            "{diff:?}"
        );

        // Restoring version 1 is version 3 with version 1's text.
        let v = app
            .gql(
                Some(&sup),
                "mutation($id: ID!) { restoreArticleVersion(id: $id, version: 1, currentVersion: 2) { version body versions { version note } } }",
                json!({ "id": a["id"] }),
            )
            .await;
        let r = &data(&v)["restoreArticleVersion"];
        assert_eq!(r["version"], json!(3));
        assert!(
            r["body"]
                .as_str()
                .unwrap_or_default()
                .starts_with("第一行\n\n<script>")
        );
        assert_eq!(
            r["versions"][0]["note"],
            json!("恢复第 1 版 / restored version 1")
        );
        // Bad input changes nothing.
        for (field, i) in [
            (
                "title",
                json!({ "title": " ", "body": "x", "category": "PROCESS" }),
            ),
            (
                "body",
                json!({ "title": "x", "body": "x".repeat(100_001), "category": "PROCESS" }),
            ),
            (
                "tags",
                json!({ "title": "x", "body": "x", "category": "PROCESS", "tags": ["a,b"] }),
            ),
        ] {
            let before = scalar(&app, "SELECT COUNT(*) FROM articles").await;
            let v = app.gql(Some(&sup), SAVE, json!({ "i": i })).await;
            assert_eq!(error_code(&v), Some("BAD_USER_INPUT"), "{field}: {v}");
            assert_eq!(scalar(&app, "SELECT COUNT(*) FROM articles").await, before);
        }
    }
);

db_test!(
    views_count_once_a_day_and_votes_are_one_per_person,
    |app: TestApp| async move {
        let rep = app.login(REP_EAST1).await;
        let id = scalar(&app, "SELECT MIN(id) FROM articles").await;
        let before = scalar(&app, &format!("SELECT views FROM articles WHERE id = {id}")).await;
        exec(&app, &format!("DELETE FROM article_views WHERE article_id = {id} AND user_id = (SELECT id FROM users WHERE email = '{REP_EAST1}')")).await;
        exec(
            &app,
            &format!("UPDATE articles SET views = views - 0 WHERE id = {id}"),
        )
        .await;
        for _ in 0..3 {
            let v = app
                .gql(
                    Some(&rep),
                    "mutation($id: ID!) { viewArticle(id: $id) { views } }",
                    json!({ "id": gid("Article", id) }),
                )
                .await;
            assert_eq!(data(&v)["viewArticle"]["views"], json!(before + 1));
        }
        let vote = |h: Value| {
            app.gql(Some(&rep), "mutation($id: ID!, $h: Boolean) { voteArticle(id: $id, helpful: $h) { helpfulVotes notHelpfulVotes myVote } }", json!({ "id": gid("Article", id), "h": h }))
        };
        let base = scalar(&app, &format!("SELECT COUNT(*) FROM article_votes WHERE article_id = {id} AND helpful = true AND user_id <> (SELECT id FROM users WHERE email = '{REP_EAST1}')")).await;
        let v = vote(json!(true)).await;
        assert_eq!(data(&v)["voteArticle"]["helpfulVotes"], json!(base + 1));
        assert_eq!(data(&v)["voteArticle"]["myVote"], json!(true));
        let v = vote(json!(true)).await;
        assert_eq!(
            data(&v)["voteArticle"]["helpfulVotes"],
            json!(base + 1),
            "twice is once"
        );
        let v = vote(json!(false)).await;
        assert_eq!(data(&v)["voteArticle"]["helpfulVotes"], json!(base));
        assert_eq!(data(&v)["voteArticle"]["myVote"], json!(false));
        let v = vote(json!(null)).await;
        assert_eq!(data(&v)["voteArticle"]["myVote"], json!(null));
        // An unknown article is NOT_FOUND, not a crash.
        let v = app
            .gql(
                Some(&rep),
                "mutation($id: ID!) { viewArticle(id: $id) { views } }",
                json!({ "id": gid("Article", 999_999) }),
            )
            .await;
        assert_eq!(error_code(&v), Some("NOT_FOUND"));
    }
);

const PROPOSE: &str = "mutation($i: ProposeContributionInput!) { proposeContribution(input: $i) { id version status } }";
const DECIDE: &str = "mutation($i: DecideContributionInput!) { decideContribution(input: $i) { id status rewardPoints reason article { id version body } diff { kind text } } }";
const MINE: &str = "{ contributionSummary { proposed adopted declined rewardPoints } contributions(filter: { mine: true }) { totalCount edges { node { title status rewardPoints reason } } } }";

db_test!(
    a_reps_improvement_is_adopted_and_rewarded,
    |app: TestApp| async move {
        let rep = app.login(REP_EAST1).await;
        let sup = app.login(SUPERVISOR_EAST).await;
        let south = app.login(SUPERVISOR_SOUTH).await;
        let director = app.login(DIRECTOR).await;
        let before =
            data(&app.gql(Some(&rep), MINE, json!({})).await)["contributionSummary"].clone();

        // The rep finds the script and proposes a better text for it.
        let price =
            search(&app, &rep, "价格太贵", json!(null)).await["edges"][0]["node"]["id"].clone();
        let v = app
            .gql(
                Some(&rep),
                PROPOSE,
                json!({ "i": { "kind": "EDIT", "articleId": price, "title": PRICE, "body": "先认同，再问比较对象。\n新增：用三年总成本表格。" } }),
            )
            .await;
        let c = data(&v)["proposeContribution"].clone();
        assert_eq!(c["status"], json!("PROPOSED"));
        // An edit without its article is refused.
        let v = app
            .gql(
                Some(&rep),
                PROPOSE,
                json!({ "i": { "kind": "EDIT", "title": "x", "body": "y" } }),
            )
            .await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));

        let decide = |token: String, adopt: bool, reason: &'static str, version: i64| {
            let app = &app;
            let id = c["id"].clone();
            async move {
                app.gql(Some(&token), DECIDE, json!({ "i": { "id": id, "version": version, "adopt": adopt, "reason": reason } })).await
            }
        };
        // Not the rep's own call, not another region's supervisor's; a reason is needed.
        assert_eq!(
            error_code(&decide(rep.clone(), true, "好", 1).await),
            Some("FORBIDDEN")
        );
        assert_eq!(
            error_code(&decide(south.clone(), true, "好", 1).await),
            Some("FORBIDDEN")
        );
        assert_eq!(
            error_code(&decide(sup.clone(), true, " ", 1).await),
            Some("BAD_USER_INPUT")
        );
        // supervisor.south does not even see it.
        let v = app
            .gql(
                Some(&south),
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": c["id"] }),
            )
            .await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));

        let v = decide(sup.clone(), true, "采纳：表格很实用", 1).await;
        let d = &data(&v)["decideContribution"];
        assert_eq!(d["status"], json!("ADOPTED"));
        assert_eq!(d["rewardPoints"], json!(20));
        assert!(
            d["article"]["body"]
                .as_str()
                .unwrap_or_default()
                .contains("三年总成本表格")
        );
        assert!(
            d["diff"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|l| l["kind"] == json!("ADDED"))
        );
        // Decided once: a second decision is refused, by anyone.
        assert_eq!(
            error_code(&decide(director.clone(), false, "不", 2).await),
            Some("BAD_USER_INPUT")
        );
        assert_eq!(
            error_code(&decide(director.clone(), false, "不", 1).await),
            Some("CONFLICT")
        );

        // The rep sees the reward, and the new text is what search finds.
        let mine = data(&app.gql(Some(&rep), MINE, json!({})).await).clone();
        let after = &mine["contributionSummary"];
        assert_eq!(
            after["adopted"].as_i64(),
            before["adopted"].as_i64().map(|n| n + 1)
        );
        assert_eq!(
            after["rewardPoints"].as_i64(),
            before["rewardPoints"].as_i64().map(|n| n + 20)
        );
        assert_eq!(
            mine["contributions"]["edges"][0]["node"]["reason"],
            json!("采纳：表格很实用")
        );
        assert!(
            titles(&search(&app, &rep, "三年总成本表格", json!(null)).await)
                .contains(&PRICE.to_owned())
        );

        // A new article proposed and adopted by the director is published, its author the rep.
        let v = app
            .gql(Some(&rep), PROPOSE, json!({ "i": { "kind": "NEW_ARTICLE", "title": "客户要求先发货后付款", "body": "先确认信用额度。", "category": "PROCESS", "tags": ["回款"] } }))
            .await;
        let n = data(&v)["proposeContribution"].clone();
        let v = app
            .gql(Some(&director), DECIDE, json!({ "i": { "id": n["id"], "version": 1, "adopt": true, "reason": "好", "rewardPoints": 80 } }))
            .await;
        assert_eq!(data(&v)["decideContribution"]["rewardPoints"], json!(80));
        let v = app
            .gql(
                Some(&rep),
                "query($id: ID!) { node(id: $id) { ... on Article { title author { email } } } }",
                json!({ "id": data(&v)["decideContribution"]["article"]["id"] }),
            )
            .await;
        assert_eq!(data(&v)["node"]["author"]["email"], json!(REP_EAST1));
        // Rewards are bounded.
        let v = app
            .gql(
                Some(&rep),
                PROPOSE,
                json!({ "i": { "kind": "IDEA", "title": "点子", "body": "内容" } }),
            )
            .await;
        let i = data(&v)["proposeContribution"].clone();
        let v = app.gql(Some(&director), DECIDE, json!({ "i": { "id": i["id"], "version": 1, "adopt": true, "reason": "好", "rewardPoints": -5 } })).await;
        assert_eq!(error_code(&v), Some("BAD_USER_INPUT"));
    }
);

db_test!(
    versions_and_diffs_of_a_list_are_batched,
    |app: TestApp| async move {
        let director = app.login(DIRECTOR).await;
        let q = "query($n: Int) { contributions(first: $n) { edges { node { diff { kind } article { versions { version } diff(from: 1, to: 1) { kind } } } } } }";
        let total = data(
            &app.gql(
                Some(&director),
                "{ contributions { totalCount } }",
                json!({}),
            )
            .await,
        )["contributions"]["totalCount"]
            .as_i64()
            .unwrap_or(0);
        assert!(total >= 3, "the demo has contributions: {total}");
        let mut counts = Vec::new();
        for n in [1, total] {
            let before = app.statements();
            let v = app.gql(Some(&director), q, json!({ "n": n })).await;
            assert!(v.get("errors").is_none(), "{v}");
            counts.push(app.statements() - before);
        }
        // One statement per loader and level whatever the page size (a loader may split a
        // batch on a busy machine: one extra each).
        assert!(counts[1] <= counts[0] + 3, "grew with the page: {counts:?}");
    }
);

db_test!(
    article_counts_list_every_category_and_scenario_in_one_statement,
    |app: TestApp| async move {
        let rep = app.login(REP_EAST1).await;
        let v = app
            .gql(
                Some(&rep),
                "{ articleCounts { categories { category count } scenarios { scenario count } } }",
                json!({}),
            )
            .await;
        let c = data(&v)["articleCounts"].clone();
        let categories = c["categories"].as_array().cloned().unwrap_or_default();
        let scenarios = c["scenarios"].as_array().cloned().unwrap_or_default();
        assert_eq!(categories.len(), 4, "{c}");
        assert_eq!(scenarios.len(), 6, "{c}");
        for k in &categories {
            let code = k["category"].as_str().unwrap_or("");
            let n = scalar(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM articles WHERE archived = false AND category = '{code}'"
                ),
            )
            .await;
            assert_eq!(k["count"].as_i64(), Some(n), "{code}");
        }
        for k in &scenarios {
            let code = k["scenario"].as_str().unwrap_or("");
            let n = scalar(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM articles WHERE archived = false AND scenario = '{code}'"
                ),
            )
            .await;
            assert_eq!(k["count"].as_i64(), Some(n), "{code}");
        }
        assert!(scenarios.iter().any(|k| k["count"].as_i64() > Some(0)));
        let before = app.statements();
        let v = app
            .gql(
                Some(&rep),
                "{ articleCounts { categories { count } scenarios { count } } }",
                json!({}),
            )
            .await;
        assert!(v.get("errors").is_none(), "{v}");
        // The caller's account check and the one statement of counts.
        let n = app.statements() - before;
        assert!(n <= 3, "{n} statements");
        assert_eq!(
            error_code(
                &app.gql(
                    None,
                    "{ articleCounts { categories { count } } }",
                    json!({})
                )
                .await
            ),
            Some("UNAUTHENTICATED")
        );
    }
);

db_test!(
    usage_sits_beside_results_for_those_who_read_region_figures,
    |app: TestApp| async move {
        const USAGE: &str = "query($p: PeriodInput!) { knowledgeUsage(period: $p) { region { name } reps activeReaders views viewsPerRep helpfulVotes winRate attainment } }";
        let today = dudao::clock::today();
        use chrono::Datelike;
        let p = json!({ "kind": "YEAR", "year": today.year() });
        let director = app.login(DIRECTOR).await;
        let v = app.gql(Some(&director), USAGE, json!({ "p": p })).await;
        let rows = data(&v)["knowledgeUsage"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            rows.len() as i64,
            scalar(&app, "SELECT COUNT(*) FROM regions").await
        );
        // Views counted in SQL here the same way: per region's reps, in the year.
        let east_views = scalar(&app, &format!(
            "SELECT COUNT(*) FROM article_views v JOIN reps r ON r.user_id = v.user_id JOIN regions g ON g.id = r.region_id \
             WHERE g.code = 'EAST' AND v.day >= '{}-01-01' AND v.day < '{}-01-01'", today.year(), today.year() + 1)).await;
        let east = rows
            .iter()
            .find(|r| r["region"]["name"] == json!("华东"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(east["views"].as_i64(), Some(east_views));
        assert!(rows.iter().any(|r| r["views"].as_i64().unwrap_or(0) > 0));
        // Readers are counted among the reps, also those who read and then left.
        for r in &rows {
            assert!(r["activeReaders"].as_i64() <= r["reps"].as_i64(), "{r}");
        }
        let sup = app.login(SUPERVISOR_EAST).await;
        let v = app.gql(Some(&sup), USAGE, json!({ "p": p })).await;
        assert_eq!(data(&v)["knowledgeUsage"].as_array().map(Vec::len), Some(1));
        let rep = app.login(REP_EAST1).await;
        let v = app.gql(Some(&rep), USAGE, json!({ "p": p })).await;
        assert_eq!(error_code(&v), Some("FORBIDDEN"));
    }
);

db_test!(
    a_write_on_one_server_is_found_through_another,
    |app: TestApp| async move {
        let second = app.second_server().await;
        let sup = app.login(SUPERVISOR_EAST).await;
        let v = app
            .gql(Some(&sup), SAVE, json!({ "i": { "title": "跨服务器同步测试 cross-server sync", "body": "两台服务器共用一个数据库。", "category": "PROCESS" } }))
            .await;
        let id = data(&v)["saveArticle"]["id"].clone();
        let http = reqwest::Client::new();
        let found = async || -> Value {
            http.post(format!("{}/graphql", second.url()))
                .bearer_auth(&sup)
                .json(&json!({ "query": SEARCH, "variables": { "q": "跨服务器同步", "n": 5 } }))
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .json::<Value>()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let started = std::time::Instant::now();
        loop {
            let v = found().await;
            if data(&v)["searchArticles"]["edges"][0]["node"]["id"] == id {
                break;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(15),
                "not found through the second server: {v}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        // An edit is followed too: the old words are gone from the other server's index.
        let v = app
            .gql(Some(&sup), SAVE, json!({ "i": { "id": id, "version": 1, "title": "已改名 renamed", "body": "新的正文。", "category": "PROCESS" } }))
            .await;
        data(&v);
        let started = std::time::Instant::now();
        loop {
            let v = found().await;
            let edges = data(&v)["searchArticles"]["edges"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if !edges.iter().any(|e| e["node"]["id"] == id) {
                break;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(15),
                "stale on the second server: {v}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        second.stop().await;
    }
);
