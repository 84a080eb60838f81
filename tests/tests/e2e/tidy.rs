//! Tidy checks on the codebase itself: the boundaries ARCHITECTURE.md promises.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

#[test]
fn domain_crate_knows_no_database_http_or_graphql() {
    let manifest = read(&root().join("backend/domain/Cargo.toml"));
    for banned in ["sea-orm", "actix", "async-graphql", "sqlx", "tokio"] {
        assert!(
            !manifest.contains(banned),
            "backend/domain must not depend on {banned}"
        );
    }
}

#[test]
fn frontend_never_depends_on_the_server() {
    let manifest = read(&root().join("frontend/Cargo.toml"));
    for banned in ["dudao =", "dudao-domain", "sea-orm", "actix"] {
        assert!(
            !manifest.contains(banned),
            "frontend must not depend on {banned}"
        );
    }
}

#[test]
fn graphql_and_actix_stay_in_their_layers() {
    let src = root().join("backend/server/src");
    for file in rust_files(&src) {
        let rel = file
            .strip_prefix(&src)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        let text = read(&file);
        let graphql_ok = rel.starts_with("api/") || rel == "http.rs";
        let actix_ok = rel == "http.rs" || rel == "lib.rs" || rel == "main.rs";
        assert!(
            graphql_ok || !text.contains("async_graphql"),
            "{rel} uses async_graphql outside api/"
        );
        assert!(
            actix_ok || !text.contains("actix_"),
            "{rel} uses actix outside http.rs"
        );
        let sql_ok = rel.starts_with("service/")
            || rel.starts_with("entity/")
            || rel == "db.rs"
            || rel.starts_with("seed/")
            || rel == "lib.rs"
            || rel == "cli.rs"
            || rel == "api/loaders.rs";
        let builds_queries = ["QueryFilter", "EntityTrait", "sea_query"]
            .iter()
            .any(|t| text.contains(t));
        assert!(
            sql_ok || !builds_queries,
            "{rel} builds queries outside the service layer"
        );
    }
}

#[test]
fn no_unwrap_or_expect_in_server_code() {
    for dir in ["backend/server/src", "backend/domain/src", "migrations/src"] {
        for file in rust_files(&root().join(dir)) {
            let text = read(&file);
            // Unit tests sit after `#[cfg(test)]` at the end of a file.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (n, line) in code.lines().enumerate() {
                assert!(
                    !line.contains(".unwrap()") && !line.contains(".expect("),
                    "{}:{}: unwrap/expect on something that can fail",
                    file.display(),
                    n + 1
                );
            }
        }
    }
}

#[test]
fn write_transactions_take_the_write_lock_first() {
    // A deferred SQLite transaction that reads and then writes fails at once, whatever
    // the busy timeout, when another writer got in meanwhile: transactions begin with
    // `db::write_txn` (BEGIN IMMEDIATE on SQLite).
    for file in rust_files(&root().join("backend/server/src")) {
        let text = read(&file);
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            assert!(
                !line.contains(".begin().await") && !line.contains(".transaction("),
                "{}:{}: start write transactions with crate::db::write_txn",
                file.display(),
                n + 1
            );
        }
    }
}

#[test]
fn the_access_log_never_writes_query_strings() {
    // GET /graphql carries the operation and its variables (a password, once) in the
    // query string: the log format writes the path only.
    let lib = read(&root().join("backend/server/src/lib.rs"));
    let format = lib
        .split("Logger::new(\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("lib.rs configures the access log with Logger::new"));
    for leaky in ["%r", "%q", "%{QUERY"] {
        assert!(
            !format.contains(leaky),
            "the access log writes {leaky}: {format}"
        );
    }
}
