//! `cargo xtask bench` runs this against one database (SQLite or PostgreSQL) holding the
//! large data set: it starts the release server, measures, and prints a Markdown section.
//! Every timing is reported with a baseline measured in the same run, as a ratio.
//!
//! Environment: `BENCH_DB` (database URL), `BENCH_LABEL` (SQLite / PostgreSQL),
//! `DUDAO_BIN` (the release `dudao`).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use dudao::domain::{Period, PeriodKind};
use dudao::service::scorecard::{Scope, figures};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

/// Runs per measure after a warm-up, fewer for slow ones: stop after `RUNS` or once
/// `BUDGET` has passed with at least `MIN_RUNS`.
const RUNS: usize = 25;
const MIN_RUNS: usize = 3;
const BUDGET: Duration = Duration::from_secs(60);

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn p50(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

async fn gql(
    http: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    query: &str,
    vars: Value,
) -> Result<(Value, Option<u64>)> {
    let mut req = http
        .post(format!("{url}/graphql"))
        .json(&json!({ "query": query, "variables": vars }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await?;
    let statements = resp
        .headers()
        .get("x-dudao-statements")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let v: Value = resp.json().await?;
    if !v["errors"].is_null() {
        bail!("{query}: {}", v["errors"]);
    }
    Ok((v, statements))
}

async fn timed<F, Fut>(mut f: F) -> Result<f64>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    f().await?; // warm-up
    let mut times = Vec::with_capacity(RUNS);
    let started = Instant::now();
    while times.len() < RUNS && (times.len() < MIN_RUNS || started.elapsed() < BUDGET) {
        let t = Instant::now();
        f().await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(p50(times))
}

#[tokio::main]
async fn main() -> Result<()> {
    let db_url = std::env::var("BENCH_DB").context("BENCH_DB")?;
    let label = std::env::var("BENCH_LABEL").unwrap_or_else(|_| "database".into());
    let bin = std::env::var("DUDAO_BIN").context("DUDAO_BIN")?;
    let (db, _) = dudao::db::connect(&db_url).await?;
    dudao::db::migrate(&db).await?;

    // The data set: seeded once per database (deterministic), timed when seeded here.
    let users = count(&db, "SELECT COUNT(*) FROM users").await?;
    let seed_time = if users == 0 {
        eprintln!("[{label}] seeding the large data set…");
        let t = Instant::now();
        let status = Command::new(&bin)
            .args(["seed", "--scale", "large"])
            .env("DUDAO_DATABASE_URL", &db_url)
            .status()?;
        if !status.success() {
            bail!("seeding failed");
        }
        Some(t.elapsed().as_secs_f64())
    } else {
        None
    };
    // Fresh statistics and a vacuumed heap before measuring (PostgreSQL): right after
    // seeding, autovacuum would otherwise be working through 3M rows during the timings.
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        eprintln!("[{label}] VACUUM ANALYZE…");
        let t = Instant::now();
        db.execute_unprepared("VACUUM ANALYZE").await?;
        eprintln!(
            "[{label}] VACUUM ANALYZE took {:.0} s",
            t.elapsed().as_secs_f64()
        );
    }
    // The hourly run inside every server (alert rules, then every customer's score), as
    // `dudao alerts run`, twice: on a new data set the first raises its backlog of alerts;
    // the second is what each hour costs. Before the cockpit timings, so that the alert
    // inbox is measured with those alerts in it.
    let as_of_day = dudao::seed::large::as_of().format("%Y-%m-%d").to_string();
    let mut hourly = Vec::new();
    for run in 1..=2 {
        eprintln!("[{label}] alert rules and customer scores, run {run}…");
        let t = Instant::now();
        let out = Command::new(&bin)
            .args(["alerts", "run", "--as-of", &as_of_day])
            .env("DUDAO_DATABASE_URL", &db_url)
            .output()?;
        if !out.status.success() {
            bail!(
                "alerts run failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let raised = String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|l| l.contains("new alert"))
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or("?")
            .to_owned();
        hourly.push((t.elapsed().as_secs_f64(), raised));
    }
    // What a person's inbox holds after those runs, by rule (one overdue-payment alert
    // per customer, one shortfall per scope).
    let alerts: Vec<(String, i64)> = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT rule, COUNT(*) FROM alerts GROUP BY rule ORDER BY rule".to_owned(),
        ))
        .await?
        .iter()
        .filter_map(|r| {
            Some((
                r.try_get_by_index::<String>(0).ok()?,
                r.try_get_by_index::<i64>(1).ok()?,
            ))
        })
        .collect();
    let sizes = [
        ("regions", count(&db, "SELECT COUNT(*) FROM regions").await?),
        ("reps", count(&db, "SELECT COUNT(*) FROM reps").await?),
        (
            "customers",
            count(&db, "SELECT COUNT(*) FROM customers").await?,
        ),
        ("orders", count(&db, "SELECT COUNT(*) FROM orders").await?),
        (
            "payments",
            count(&db, "SELECT COUNT(*) FROM payments").await?,
        ),
        (
            "opportunities",
            count(&db, "SELECT COUNT(*) FROM opportunities").await?,
        ),
    ];

    // The knowledge base of the large set (older seeds lack it): topped up to 20,000.
    let articles = count(&db, "SELECT COUNT(*) FROM articles").await?;
    let wanted = dudao::seed::large::ARTICLES as i64;
    if articles < wanted {
        eprintln!(
            "[{label}] writing {} knowledge-base articles…",
            wanted - articles
        );
        dudao::seed::knowledge::generate(
            &db,
            usize::try_from(wanted - articles)?,
            20_000 + articles as u64,
            &dudao::seed::Progress::stderr(),
        )
        .await?;
    }

    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = Command::new(&bin)
        .args(["serve", "--no-demo", "--addr", &format!("127.0.0.1:{port}")])
        .env("DUDAO_DATABASE_URL", &db_url)
        .env("DUDAO_ALERT_INTERVAL_MINUTES", "0")
        .env("DUDAO_COUNT_STATEMENTS", "1")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()?;
    let server = Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let http = reqwest::Client::new();
    for _ in 0..300 {
        if http
            .get(format!("{}/healthz", server.url))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let pid = server.child.id();
    let idle_rss = rss_kb(pid);
    let login = |email: &'static str| {
        let http = http.clone();
        let url = server.url.clone();
        async move {
            let (v, _) = gql(
                &http,
                &url,
                None,
                "mutation($e: String!) { login(email: $e, password: \"dudao-demo\") { accessToken } }",
                json!({ "e": email }),
            )
            .await?;
            Ok::<_, anyhow::Error>(
                v["data"]["login"]["accessToken"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        }
    };
    // Access tokens last 15 minutes: sign in again before each measure.
    let mut supervisor = login("supervisor.east@dudao.demo").await?;

    let as_of = dudao::seed::large::as_of();
    let quarter = Period::containing(PeriodKind::Quarter, as_of).previous();
    let period = json!({ "kind": "QUARTER", "year": quarter.year, "index": quarter.index });
    let east = count(&db, "SELECT id FROM regions WHERE code = 'EAST'").await? as i32;
    let east_gid = dudao::api::ids::encode("Region", east).0;
    let card = "query($s: ScopeInput!, $p: PeriodInput!) { scorecard(scope: $s, period: $p) { salesAmount salesTarget attainment orderCount averageOrderValue collectionRate customerGrowthRate winRate satisfaction } }";

    // 1. A region's quarter scorecard through GraphQL against the same aggregate as SQL.
    let region_gql = timed(|| {
        let (http, url, t) = (http.clone(), server.url.clone(), supervisor.clone());
        let vars = json!({ "s": { "kind": "REGION", "id": east_gid }, "p": period });
        async move { gql(&http, &url, Some(&t), card, vars).await.map(|_| ()) }
    })
    .await?;
    let region_sql = timed(|| {
        let db = db.clone();
        async move {
            figures(&db, Scope::Region(east), quarter)
                .await
                .map(|_| ())
                .map_err(|e| anyhow::anyhow!(e.message()))
        }
    })
    .await?;

    // 2. The company's quarter scorecard, against the cheapest authenticated request.
    let mut director = login("director@dudao.demo").await?;
    let company = timed(|| {
        let (http, url, t) = (http.clone(), server.url.clone(), director.clone());
        let vars = json!({ "s": { "kind": "COMPANY" }, "p": period });
        async move { gql(&http, &url, Some(&t), card, vars).await.map(|_| ()) }
    })
    .await?;
    director = login("director@dudao.demo").await?;
    let me = timed(|| {
        let (http, url, t) = (http.clone(), server.url.clone(), director.clone());
        async move {
            gql(&http, &url, Some(&t), "{ me { id } }", json!({}))
                .await
                .map(|_| ())
        }
    })
    .await?;

    // 2b. Each figure of a region's quarter asked alone, against the best hand-written SQL
    //     over the raw facts (orders, payments, opportunities) through their covering
    //     indexes, without HTTP; then the cockpit tile (sales, order count, collected) at
    //     16 concurrent clients over all regions, against those statements at 16.
    director = login("director@dudao.demo").await?;
    let (qs, qe) = (
        quarter.start().format("%Y-%m-%d").to_string(),
        quarter.end_exclusive().format("%Y-%m-%d").to_string(),
    );
    let pg = db.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
    let baseline = |region: i32, figure: &str| -> String {
        let reps = format!("SELECT id FROM reps WHERE region_id = {region}");
        match figure {
            "sales" => format!(
                "SELECT CAST(SUM(o.amount_cents) AS BIGINT), COUNT(*) FROM orders o \
                 WHERE o.rep_id IN ({reps}) AND o.ordered_on >= '{qs}' AND o.ordered_on < '{qe}' AND o.status <> 'CANCELLED'"
            ),
            "collected" => format!(
                "SELECT CAST(SUM(p.amount_cents) AS BIGINT) FROM payments p \
                 WHERE p.rep_id IN ({reps}) AND p.due_on >= '{qs}' AND p.due_on < '{qe}' AND p.paid_on < '{qe}'"
            ),
            "new" => format!(
                "SELECT COUNT(*) FROM (SELECT o.customer_id FROM orders o \
                 WHERE o.rep_id IN ({reps}) AND o.status <> 'CANCELLED' AND o.ordered_on < '{qe}' \
                 GROUP BY o.customer_id HAVING MIN(o.ordered_on) >= '{qs}') f"
            ),
            _ if pg => format!(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x.closed_on - x.created_on) FROM opportunities x \
                 WHERE x.stage = 'WON' AND x.closed_on >= '{qs}' AND x.closed_on < '{qe}' AND x.rep_id IN ({reps})"
            ),
            _ => format!(
                "WITH d AS (SELECT julianday(x.closed_on) - julianday(x.created_on) AS d FROM opportunities x \
                 WHERE x.stage = 'WON' AND x.closed_on >= '{qs}' AND x.closed_on < '{qe}' AND x.rep_id IN ({reps})) \
                 SELECT AVG(d) FROM (SELECT d FROM d ORDER BY d LIMIT 2 - (SELECT COUNT(*) FROM d) % 2 \
                 OFFSET ((SELECT COUNT(*) FROM d) - 1) / 2)"
            ),
        }
    };
    let region_scope = json!({ "kind": "REGION", "id": east_gid });
    let mut per_figure = Vec::new();
    for (label, fields, figure) in [
        ("sales and order count", "salesAmount orderCount", "sales"),
        ("collected", "collected", "collected"),
        ("new customers", "newCustomers", "new"),
        ("sales cycle (median)", "salesCycleDays", "cycle"),
    ] {
        let q = format!(
            "query($s: ScopeInput!, $p: PeriodInput!) {{ scorecard(scope: $s, period: $p) {{ {fields} }} }}"
        );
        let gql_ms = timed(|| {
            let (http, url, t, q) = (
                http.clone(),
                server.url.clone(),
                director.clone(),
                q.clone(),
            );
            let vars = json!({ "s": region_scope, "p": period });
            async move { gql(&http, &url, Some(&t), &q, vars).await.map(|_| ()) }
        })
        .await?;
        let sql = baseline(east, figure);
        let sql_ms = timed(|| {
            let (db, sql) = (db.clone(), sql.clone());
            async move {
                db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
                    .await
                    .map(|_| ())
                    .map_err(anyhow::Error::from)
            }
        })
        .await?;
        per_figure.push((label, gql_ms, sql_ms));
    }
    let regions: Vec<i32> = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM regions ORDER BY id".to_owned(),
        ))
        .await?
        .iter()
        .filter_map(|r| r.try_get_by_index::<i32>(0).ok())
        .collect();
    director = login("director@dudao.demo").await?;
    let tile = "query($s: ScopeInput!, $p: PeriodInput!) { scorecard(scope: $s, period: $p) { salesAmount orderCount collected } }";
    let load = |through_graphql: bool| {
        let (http, url, t, db, regions, period) = (
            http.clone(),
            server.url.clone(),
            director.clone(),
            db.clone(),
            regions.clone(),
            period.clone(),
        );
        let statements: Vec<(String, String)> = regions
            .iter()
            .map(|r| (baseline(*r, "sales"), baseline(*r, "collected")))
            .collect();
        async move {
            let stop = Instant::now() + Duration::from_secs(10);
            let mut tasks = Vec::new();
            for k in 0..16usize {
                let (http, url, t, db, regions, statements, period) = (
                    http.clone(),
                    url.clone(),
                    t.clone(),
                    db.clone(),
                    regions.clone(),
                    statements.clone(),
                    period.clone(),
                );
                tasks.push(tokio::spawn(async move {
                    let mut times = Vec::new();
                    let mut i = k;
                    while Instant::now() < stop {
                        let r = i % regions.len().max(1);
                        i += 1;
                        let started = Instant::now();
                        let ok = if through_graphql {
                            let vars = json!({ "s": { "kind": "REGION", "id": dudao::api::ids::encode("Region", regions[r]).0 }, "p": period });
                            gql(&http, &url, Some(&t), tile, vars).await.is_ok()
                        } else {
                            let b = db.get_database_backend();
                            let (a, c) = &statements[r];
                            db.query_one_raw(Statement::from_string(b, a.clone())).await.is_ok()
                                && db.query_one_raw(Statement::from_string(b, c.clone())).await.is_ok()
                        };
                        if ok {
                            times.push(started.elapsed().as_secs_f64() * 1000.0);
                        }
                    }
                    times
                }));
            }
            let mut all = Vec::new();
            for t in tasks {
                all.extend(t.await.unwrap_or_default());
            }
            (all.len() as f64 / 10.0, p50(all))
        }
    };
    let (gql_rps, gql_p50) = load(true).await;
    let (sql_rps, sql_p50) = load(false).await;

    director = login("director@dudao.demo").await?;
    supervisor = login("supervisor.east@dudao.demo").await?;
    // 3. SQL statements per request of the cockpit page (as the SPA sends them).
    let scope = json!({ "kind": "REGION", "id": east_gid });
    let cockpit: Vec<(&str, String, Value)> = vec![
        ("scorecard + trend", "query($s: ScopeInput!, $p: PeriodInput!) { scorecardTrend(scope: $s, period: $p, last: 8) { salesAmount salesTarget attainment orderCount } }".into(), json!({ "s": scope, "p": period })),
        ("funnel", "query($s: ScopeInput!, $p: PeriodInput!) { funnel(scope: $s, period: $p) { stage reached conversion } }".into(), json!({ "s": scope, "p": period })),
        ("ranking", "query($s: ScopeInput!, $p: PeriodInput!) { ranking(scope: $s, period: $p) { id name attainment } }".into(), json!({ "s": scope, "p": period })),
        ("heatmap", "query($p: PeriodInput!) { attainmentHeatmap(period: $p, last: 8) { regionName cells { attainment } } }".into(), json!({ "p": period })),
        // The SPA's own inbox query, on its first screen (open alerts, counts per status).
        ("alert inbox", include_str!("../../../frontend/queries/alerts.graphql").into(), json!({ "first": 25, "filter": { "status": ["OPEN"] }, "counts": {} })),
    ];
    let mut statements = Vec::new();
    for (name, q, vars) in &cockpit {
        let (_, n) = gql(&http, &server.url, Some(&supervisor), q, vars.clone()).await?;
        statements.push((*name, n.unwrap_or(0)));
    }

    // 3a. Knowledge-base search through GraphQL, p50 and p99 over a mix of Chinese and
    //    English queries (some with a typo), against the same index queried with tantivy
    //    itself in this process (its query parser, top 10 and a count; no snippets, no
    //    HTTP). The bench's copy of the index is built from the table as a server does.
    let queries = [
        "价格太贵",
        "客户说太贵怎么办",
        "回款",
        "决策链",
        "竞品 报价",
        "试用 演示",
        "专业版 折扣",
        "续约",
        "招标 验收",
        "预算",
        "pricing",
        "discount approval",
        "trial demo",
        "competitor",
        "renewal",
        "budget",
        "paymnet",
        "procurment",
        "total cost of ownership",
        "价格 pricing",
    ];
    let t = Instant::now();
    let local = dudao::service::search::Search::new()?;
    let indexed = local
        .sync(&db)
        .await
        .map_err(|e| anyhow::anyhow!(e.message()))?;
    let index_build = t.elapsed().as_secs_f64();
    let rep_token = login("rep.east1@dudao.demo").await?;
    let search_q = "query($q: String!) { searchArticles(query: $q, first: 10) { totalCount edges { node { id title titleHighlight snippet } } } }";
    for q in queries {
        gql(
            &http,
            &server.url,
            Some(&rep_token),
            search_q,
            json!({ "q": q }),
        )
        .await?;
    }
    let mut search_gql = Vec::new();
    for round in 0..10 {
        for q in queries {
            let t = Instant::now();
            gql(
                &http,
                &server.url,
                Some(&rep_token),
                search_q,
                json!({ "q": q }),
            )
            .await?;
            search_gql.push(t.elapsed().as_secs_f64() * 1000.0);
            let _ = round;
        }
    }
    let direct = {
        use tantivy::collector::{Count, TopDocs};
        use tantivy::query::QueryParser;
        let index = local.index();
        let schema = index.schema();
        let fields = ["title", "tags", "body"]
            .iter()
            .filter_map(|f| schema.get_field(f).ok())
            .collect();
        let parser = QueryParser::for_index(index, fields);
        let searcher = index.reader()?.searcher();
        let mut times = Vec::new();
        for _ in 0..11 {
            for q in queries {
                let t = Instant::now();
                let (query, _) = parser.parse_query_lenient(q);
                let (top, n) =
                    searcher.search(&query, &(TopDocs::with_limit(10).order_by_score(), Count))?;
                std::hint::black_box((top, n));
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        times.split_off(queries.len()) // the first round warms up
    };
    let pct = |mut v: Vec<f64>, q: f64| {
        v.sort_by(f64::total_cmp);
        v.get(((v.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    let search_rows = (
        pct(search_gql.clone(), 0.5),
        pct(search_gql, 0.99),
        pct(direct.clone(), 0.5),
        pct(direct, 0.99),
    );

    // 3b. Promotion eligibility of every rep against the default management rule (the
    //    whole list judged, one page returned), with its statement count; beside
    //    `{ me { id } }`.
    let (rules, _) = gql(
        &http,
        &server.url,
        Some(&director),
        "{ promotionRules { id track } }",
        json!({}),
    )
    .await?;
    let rule = rules["data"]["promotionRules"][0]["id"].clone();
    let cand_q = "query($r: ID!) { promotionCandidates(ruleId: $r, first: 20) { totalCount edges { node { failed eligibility { eligible } } } } }";
    let (c, cand_statements) = gql(
        &http,
        &server.url,
        Some(&director),
        cand_q,
        json!({ "r": rule }),
    )
    .await?;
    let judged = c["data"]["promotionCandidates"]["totalCount"]
        .as_i64()
        .unwrap_or(0);
    let eligibility = timed(|| {
        let (http, url, t, rule) = (
            http.clone(),
            server.url.clone(),
            director.clone(),
            rule.clone(),
        );
        async move {
            gql(&http, &url, Some(&t), cand_q, json!({ "r": rule }))
                .await
                .map(|_| ())
        }
    })
    .await?;
    let me_ms = timed(|| {
        let (http, url, t) = (http.clone(), server.url.clone(), director.clone());
        async move {
            gql(&http, &url, Some(&t), "{ me { id } }", json!({}))
                .await
                .map(|_| ())
        }
    })
    .await?;

    // 4. Memory under load: four clients on the cockpit for ten seconds.
    let stop = Instant::now() + Duration::from_secs(10);
    let mut tasks = Vec::new();
    for k in 0..4 {
        let (http, url, t) = (
            http.clone(),
            server.url.clone(),
            if k % 2 == 0 {
                director.clone()
            } else {
                supervisor.clone()
            },
        );
        let cockpit = cockpit.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < stop {
                for (_, q, vars) in &cockpit {
                    if gql(&http, &url, Some(&t), q, vars.clone()).await.is_ok() {
                        n += 1;
                    }
                }
            }
            n
        }));
    }
    let mut peak = idle_rss;
    while Instant::now() < stop {
        peak = peak.max(rss_kb(pid));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut served = 0;
    for t in tasks {
        served += t.await.unwrap_or(0);
    }
    drop(server);

    // 5. Import throughput: 100,000 orders through `dudao import`, against writing the
    //    same rows with hand-written multi-row INSERTs; both removed again afterwards.
    let rows = 100_000;
    let max_order = count(&db, "SELECT MAX(id) FROM orders").await?;
    let max_receivable = count(&db, "SELECT MAX(id) FROM receivables").await?;
    let dir = std::env::temp_dir().join(format!("dudao-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("orders.csv");
    let mut csv = String::from("customer_id,rep_id,ordered_on,amount,status,due_on\n");
    let mut values = Vec::with_capacity(rows);
    let mut receivables = Vec::with_capacity(rows);
    for i in 0..rows {
        let customer = i % 300_000 + 1;
        let rep = customer / 100 + 1;
        csv.push_str(&format!(
            "{customer},{rep},2026-11-0{},{}.00,CONFIRMED,2026-12-15\n",
            i % 9 + 1,
            100 + i % 5000
        ));
        values.push(format!(
            "({}, {customer}, {rep}, '2026-11-0{}', {}, 'CONFIRMED', '2026-11-20T00:00:00+00:00')",
            max_order as usize + 1 + i,
            i % 9 + 1,
            (100 + i % 5000) * 100
        ));
        receivables.push(format!(
            "({}, {}, {customer}, {rep}, '2026-12-15', {})",
            max_receivable as usize + 1 + i,
            max_order as usize + 1 + i,
            (100 + i % 5000) * 100
        ));
    }
    std::fs::write(&file, csv)?;
    let t = Instant::now();
    let out = Command::new(&bin)
        .args(["import", "orders"])
        .arg(&file)
        .env("DUDAO_DATABASE_URL", &db_url)
        .output()?;
    let import_secs = t.elapsed().as_secs_f64();
    if !out.status.success() {
        bail!("import failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    cleanup(&db, max_order, max_receivable).await?;
    // The baseline: the same orders and receivables as multi-row INSERTs of literals in
    // one transaction, with nothing checked, no monthly sums and no audit.
    let t = Instant::now();
    {
        use sea_orm::TransactionTrait;
        let txn = db.begin().await?;
        for chunk in values.chunks(1000) {
            txn.execute_unprepared(&format!(
                "INSERT INTO orders (id, customer_id, rep_id, ordered_on, amount_cents, status, created_at) VALUES {}",
                chunk.join(",")
            ))
            .await?;
        }
        for chunk in receivables.chunks(1000) {
            txn.execute_unprepared(&format!(
                "INSERT INTO receivables (id, order_id, customer_id, rep_id, due_on, amount_cents) VALUES {}",
                chunk.join(",")
            ))
            .await?;
        }
        txn.commit().await?;
    }
    let raw_secs = t.elapsed().as_secs_f64();
    cleanup(&db, max_order, max_receivable).await?;
    // The import added its orders to the monthly sums: rebuild them without those.
    eprintln!("[{label}] rebuilding the monthly sums…");
    let t = Instant::now();
    dudao::service::rollups::rebuild(&db)
        .await
        .map_err(|e| anyhow::anyhow!(e.message()))?;
    eprintln!("[{label}] rebuilt in {:.0} s", t.elapsed().as_secs_f64());
    let _ = std::fs::remove_dir_all(&dir);

    // Report.
    println!("### {label}\n");
    println!(
        "Data: {}.",
        sizes
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    match seed_time {
        Some(s) => println!("`dudao seed --scale large` took **{s:.0} s**.\n"),
        None => println!("(The data set was already seeded; its time is in an earlier run.)\n"),
    }
    println!("| measure | result | baseline (same run) | ratio | goal |");
    println!("|---|---|---|---|---|");
    println!(
        "| region quarter scorecard, GraphQL p50 | {region_gql:.1} ms | same aggregate as SQL, no HTTP: {region_sql:.1} ms | {:.2}× | ≤ 1.2× |",
        region_gql / region_sql
    );
    println!(
        "| company quarter scorecard, GraphQL p50 | {company:.1} ms | `{{ me {{ id }} }}`: {me:.1} ms | {:.1}× | p50 < 150 ms |",
        company / me
    );
    for (label, gql_ms, sql_ms) in &per_figure {
        println!(
            "| region quarter, {label} alone, GraphQL p50 | {gql_ms:.1} ms | hand-written SQL over the raw facts, no HTTP: {sql_ms:.1} ms | {:.2}× | ≤ 1.2× |",
            gql_ms / sql_ms
        );
    }
    println!(
        "| region quarter tile (sales, order count, collected), 16 clients for 10 s over {} regions | {gql_rps:.0} requests/s, p50 {gql_p50:.1} ms | the two hand-written statements at 16 clients, no HTTP: {sql_rps:.0} requests/s, p50 {sql_p50:.1} ms | {:.2}× | ≥ 1× |",
        regions.len(),
        gql_rps / sql_rps
    );
    for (name, n) in &statements {
        println!("| SQL statements, cockpit request: {name} | {n} | — | — | ≤ 4 |");
    }
    println!(
        "| import 100,000 orders (`dudao import`, incl. receivables) | {:.0} rows/s ({import_secs:.2} s) | hand-written INSERTs of the same orders and receivables, one transaction: {:.0} rows/s | {:.2}× | ≥ 100,000 rows/s |",
        rows as f64 / import_secs,
        rows as f64 / raw_secs,
        raw_secs / import_secs
    );
    println!(
        "| server memory, 4 clients on the cockpit for 10 s ({served} requests) | {:.0} MB peak RSS | idle after start: {:.0} MB | {:.2}× | ≤ 100 MB |",
        peak as f64 / 1024.0,
        idle_rss as f64 / 1024.0,
        peak as f64 / idle_rss.max(1) as f64
    );
    println!(
        "| knowledge search ({indexed} articles, 20 Chinese and English queries × 10), GraphQL p50 / p99 | {:.1} / {:.1} ms | tantivy queried directly on the same index, no snippets, no HTTP: p50 {:.2} / p99 {:.2} ms | {:.1}× | p50 < 10 ms, p99 < 50 ms |",
        search_rows.0,
        search_rows.1,
        search_rows.2,
        search_rows.3,
        search_rows.0 / search_rows.2
    );
    println!(
        "| search index built from the table ({indexed} articles, at server start) | {index_build:.1} s | — | — | — |"
    );
    println!(
        "| promotion eligibility of all {judged} reps (`promotionCandidates`, first page), GraphQL p50 | {eligibility:.0} ms ({} SQL statements) | `{{ me {{ id }} }}`: {me_ms:.1} ms | {:.0}× | bounded statements |",
        cand_statements.unwrap_or(0),
        eligibility / me_ms
    );
    println!(
        "| hourly run: alert rules + every customer's score (`dudao alerts run`) | {:.1} s ({} new alerts), again {:.1} s ({} new) | — | — | — |",
        hourly[0].0, hourly[0].1, hourly[1].0, hourly[1].1
    );
    println!(
        "| alerts after the hourly runs | {} in all: {} | — | — | — |",
        alerts.iter().map(|a| a.1).sum::<i64>(),
        alerts
            .iter()
            .map(|(rule, n)| format!("{rule} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!();
    Ok(())
}

async fn count(db: &sea_orm::DatabaseConnection, sql: &str) -> Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await?
        .context("no row")?;
    Ok(row
        .try_get_by_index::<Option<i64>>(0)
        .or_else(|_| {
            row.try_get_by_index::<Option<i32>>(0)
                .map(|v| v.map(i64::from))
        })?
        .unwrap_or(0))
}

async fn cleanup(
    db: &sea_orm::DatabaseConnection,
    max_order: i64,
    max_receivable: i64,
) -> Result<()> {
    db.execute_unprepared(&format!(
        "DELETE FROM receivables WHERE id > {max_receivable}"
    ))
    .await?;
    db.execute_unprepared(&format!("DELETE FROM orders WHERE id > {max_order}"))
        .await?;
    Ok(())
}
