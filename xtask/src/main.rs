//! Project chores: `cargo xtask run | test | web | schema`. Everything a newcomer or CI
//! needs is installed from here, skipping what is already present, so no step lives in a
//! loose shell script.

mod pg;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

fn usage() -> ! {
    eprintln!(
        "usage: cargo xtask <command>

  run       install what is missing, build the SPA and the server, serve on SQLite with demo data
  test      every check: fmt, clippy, tests on SQLite and PostgreSQL, schema, SPA build, browser tests
  web       build the SPA into frontend/dist (size-optimised)
  schema    regenerate schema.graphql from the server
  bench     the large data set on SQLite and PostgreSQL; writes docs/benchmarks.md"
    );
    std::process::exit(2)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = root();
    std::env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("run") => run(&root),
        Some("test") => test(&root),
        Some("web") => web(&root).map(|_| ()),
        Some("schema") => schema(),
        Some("bench") => bench(&root),
        _ => usage(),
    }
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs a command, echoing it, and fails with its exit status.
pub fn sh(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("starting {}", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(cmd));
    }
    Ok(())
}

pub fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn step(name: &str) {
    match disk_free_gb() {
        Some(gb) => eprintln!("\n=== {name} === ({gb:.1} GB free on disk)"),
        None => eprintln!("\n=== {name} ==="),
    }
}

/// Free space where the build writes, so a run that fills the disk says where it stood
/// (a fresh CI machine once ran out in the middle of compiling the tests).
fn disk_free_gb() -> Option<f64> {
    let out = Command::new("df").args(["-Pk", "."]).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let kb: f64 = text
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(kb / 1024.0 / 1024.0)
}

fn run(root: &Path) -> Result<()> {
    web(root)?;
    step("server (release)");
    sh(cargo().args(["build", "--release", "-p", "dudao"]))?;
    step("serve");
    let err = exec(
        Command::new(root.join("target/release/dudao"))
            .arg("serve")
            .env("DUDAO_STATIC_DIR", root.join("frontend/dist")),
    );
    Err(err)
}

#[cfg(unix)]
fn exec(cmd: &mut Command) -> anyhow::Error {
    use std::os::unix::process::CommandExt;
    eprintln!("$ {}", describe(cmd));
    anyhow::Error::from(cmd.exec()).context("starting dudao")
}

/// What the SPA's first load (index.html, style, script, wasm) may weigh brotli-compressed:
/// a phone on a slow network downloads all of it before the first page. 2026-11-28: 702 KB
/// gzip and no brotli; 2026-12-02 with brotli: see docs/benchmarks.md.
const WASM_BROTLI_BUDGET_KB: usize = 300;

/// Builds the SPA into `frontend/dist` and reports the size of the wasm bundle, failing
/// over its budget.
fn web(root: &Path) -> Result<PathBuf> {
    step("SPA toolchain");
    let t = tools::web_toolchain(root)?;
    step("SPA build (wasm-release)");
    sh(cargo().args([
        "build",
        "-p",
        "dudao-web",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ]))?;
    let dist = root.join("frontend/dist");
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist)?;
    // Pages behind `#[lazy_route]` live in modules of their own, fetched when first
    // visited: the split runs on the linked wasm (it needs `--emit-relocs`, set for the
    // wasm target in .cargo/config.toml), before wasm-bindgen. Everything the page loads
    // goes in one directory (`app/`: glue, main module, loader, parts), which names its
    // files relative to itself and is renamed after its contents' hash below.
    let app = dist.join("app");
    std::fs::create_dir_all(&app)?;
    let linked = root.join("target/wasm32-unknown-unknown/wasm-release/dudao_web.wasm");
    let bytes = std::fs::read(&linked).with_context(|| format!("reading {}", linked.display()))?;
    let main_split = root.join("target/wasm32-unknown-unknown/wasm-release/dudao_web_split.wasm");
    let mut opts = wasm_split_cli_support::Options::new(&bytes);
    opts.output_dir = &app;
    opts.main_out_path = &main_split;
    opts.main_module = "./dudao.js";
    opts.link_name = "./__wasm_split.js";
    let split = wasm_split_cli_support::transform(opts)
        .map_err(|e| anyhow::anyhow!("splitting the wasm: {e:?}"))?;
    sh(Command::new(&t.wasm_bindgen)
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--keep-lld-exports",
            "--out-name",
            "dudao",
            "--out-dir",
        ])
        .arg(&app)
        .arg(&main_split))?;
    let wasm = app.join("dudao_bg.wasm");
    for module in std::iter::once(wasm.clone()).chain(split.split_modules.iter().cloned()) {
        // The main module owns the memory, fresh and zeroed when it starts; the parts
        // import it after the main module has written to it, so only the main module may
        // be optimised as if its memory were zero-filled.
        // `--converge` (a few KB off the first load) only there too: on every part it
        // doubles the build's time for a KB or two of what loads later.
        let main_only: &[&str] = if module == wasm {
            &["--zero-filled-memory", "--converge"]
        } else {
            &[]
        };
        sh(Command::new(&t.wasm_opt)
            .args(main_only)
            .args([
                "-Oz",
                "--low-memory-unused",
                "--enable-bulk-memory",
                "--enable-mutable-globals",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-reference-types",
                "--enable-multivalue",
            ])
            .arg(&module)
            .arg("-o")
            .arg(&module))?;
    }
    // The glue scripts and the stylesheet, minified (a fifth of their compressed size).
    for js in ["dudao.js", "__wasm_split.js"] {
        let f = app.join(js);
        sh(Command::new(&t.esbuild)
            .arg(&f)
            .args(["--minify", "--log-level=warning", "--allow-overwrite"])
            .arg(format!("--outfile={}", f.display())))?;
    }
    // Content-hashed names (`dudao_bg.1a2b3c4d.wasm`, `app.1a2b3c4d/`): the server lets
    // browsers keep them a year without asking again, and a new build is new names.
    // index.html, which names them, is never cached.
    let app_name = hashed_dir(&app)?;
    let wasm_name = format!("{app_name}/dudao_bg.wasm");
    let js_name = format!("{app_name}/dudao.js");
    sh(Command::new(&t.esbuild)
        .arg(root.join("frontend/style.css"))
        .args(["--minify", "--log-level=warning"])
        .arg(format!("--outfile={}", dist.join("style.css").display())))?;
    let css_name = hashed(&dist.join("style.css"))?;
    // The lazily loaded pages' styles: fetched by their modules when they first draw
    // (`pages::style`), named in index.html, not loaded with it.
    sh(Command::new(&t.esbuild)
        .arg(root.join("frontend/src/pages/pages.css"))
        .args(["--minify", "--log-level=warning"])
        .arg(format!("--outfile={}", dist.join("pages.css").display())))?;
    let pages_css = hashed(&dist.join("pages.css"))?;
    let boot = std::fs::read_to_string(root.join("frontend/boot.js"))?
        .replace("__JS__", &js_name)
        .replace("__WASM__", &wasm_name);
    std::fs::write(dist.join("boot.js"), boot)?;
    let boot_name = hashed(&dist.join("boot.js"))?;
    let index = std::fs::read_to_string(root.join("frontend/index.html"))?
        .replace("__CSS__", &css_name)
        .replace("__PAGES_CSS__", &pages_css)
        .replace("__JS__", &js_name)
        .replace("__WASM__", &wasm_name)
        .replace("__BOOT__", &boot_name);
    if let Some(left) = ["__CSS__", "__PAGES_CSS__", "__JS__", "__WASM__", "__BOOT__"]
        .into_iter()
        .find(|p| index.contains(p))
    {
        bail!("frontend/index.html still names {left} after the build filled in the file names");
    }
    std::fs::write(dist.join("index.html"), index)?;
    graphiql(root, &dist)?;
    // Precompressed copies (`.br`, `.gz`) of everything a browser loads, so the server
    // sends brotli to those who accept it without compressing per request.
    let mut files: Vec<PathBuf> = [&css_name, &pages_css, &boot_name, "index.html"]
        .iter()
        .map(|n| dist.join(n))
        .collect();
    for f in std::fs::read_dir(dist.join(&app_name))? {
        files.push(f?.path());
    }
    for f in std::fs::read_dir(dist.join("graphiql"))? {
        files.push(f?.path());
    }
    let node = tools::npm_packages(root)?;
    let out = Command::new("node")
        .arg(root.join("xtask/compress.mjs"))
        .args(&files)
        .current_dir(&node)
        .output()
        .context("node xtask/compress.mjs")?;
    if !out.status.success() {
        bail!(
            "compressing the SPA failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let sizes: Vec<(String, [usize; 3])> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let f = w.next()?.rsplit('/').next()?.to_owned();
            let n: Vec<usize> = w.filter_map(|x| x.parse().ok()).collect();
            Some((f, [*n.first()?, *n.get(1)?, *n.get(2)?]))
        })
        .collect();
    let of = |name: &str| {
        sizes
            .iter()
            .find(|(f, _)| f == name)
            .map_or([0; 3], |(_, s)| *s)
    };
    let [raw, br, gz] = of("dudao_bg.wasm");
    let first: [usize; 3] = [
        "dudao_bg.wasm",
        "dudao.js",
        "__wasm_split.js",
        &css_name,
        &boot_name,
        "index.html",
    ]
    .iter()
    .map(|n| of(n))
    .fold([0; 3], |a, s| [a[0] + s[0], a[1] + s[1], a[2] + s[2]]);
    let parts: [usize; 3] = sizes
        .iter()
        .filter(|(f, _)| f.ends_with(".wasm") && f != "dudao_bg.wasm")
        .fold([0; 3], |a, (_, s)| [a[0] + s[0], a[1] + s[1], a[2] + s[2]]);
    eprintln!(
        "SPA built in frontend/dist: main wasm {} KB, {} KB brotli, {} KB gzip; first load (html, css, js, main wasm) {} KB brotli, {} KB gzip (budget {WASM_BROTLI_BUDGET_KB} KB brotli); {} lazily loaded parts: {} KB, {} KB brotli",
        raw / 1024,
        br / 1024,
        gz / 1024,
        first[1] / 1024,
        first[2] / 1024,
        split.split_modules.len(),
        parts[0] / 1024,
        parts[1] / 1024,
    );
    if first[1] / 1024 > WASM_BROTLI_BUDGET_KB {
        bail!(
            "the SPA's first load is {} KB brotli, over its budget of {WASM_BROTLI_BUDGET_KB} KB: \
             every phone downloads it before the first page shows",
            first[1] / 1024
        );
    }
    Ok(dist)
}

/// Renames `dir/name.ext` to `dir/name.<content hash>.ext` and answers the new name.
fn hashed(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .context("a file name")?;
    let (stem, ext) = name.rsplit_once('.').context("a file extension")?;
    let new = format!("{stem}.{:08x}.{ext}", fnv1a(&bytes));
    std::fs::rename(path, path.with_file_name(&new))?;
    Ok(new)
}

/// Renames the directory `dir` to `dir.<hash of its files>` and answers the new name.
fn hashed_dir(dir: &Path) -> Result<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    files.sort();
    let mut all = Vec::new();
    for f in &files {
        all.extend_from_slice(
            f.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .as_bytes(),
        );
        all.extend_from_slice(&std::fs::read(f)?);
    }
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .context("a directory name")?;
    let new = format!("{name}.{:08x}", fnv1a(&all));
    std::fs::rename(dir, dir.with_file_name(&new))?;
    Ok(new)
}

/// GraphiQL's files from npm (tests/browser/package.json pins them) into `dist/graphiql/`,
/// so that `/graphiql` loads nothing from a CDN.
fn graphiql(root: &Path, dist: &Path) -> Result<()> {
    let modules = tools::npm_packages(root)?.join("node_modules");
    let out = dist.join("graphiql");
    std::fs::create_dir_all(&out)?;
    for (from, to) in [
        (
            "react/umd/react.production.min.js",
            "react.production.min.js",
        ),
        (
            "react-dom/umd/react-dom.production.min.js",
            "react-dom.production.min.js",
        ),
        ("graphiql/graphiql.min.js", "graphiql.min.js"),
        ("graphiql/graphiql.min.css", "graphiql.min.css"),
    ] {
        std::fs::copy(modules.join(from), out.join(to))
            .with_context(|| format!("copying {from} (npm packages of tests/browser)"))?;
    }
    std::fs::copy(root.join("frontend/graphiql.js"), out.join("boot.js"))?;
    Ok(())
}

fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

fn schema() -> Result<()> {
    let status = cargo()
        .args([
            "test",
            "-q",
            "-p",
            "dudao-tests",
            "--test",
            "e2e",
            "schema::",
        ])
        .status()?;
    if status.success() {
        eprintln!("schema.graphql is up to date");
    } else {
        eprintln!("schema.graphql was rewritten; review it with git diff");
    }
    Ok(())
}

fn test(root: &Path) -> Result<()> {
    let started = Instant::now();
    step("fmt");
    sh(cargo().args(["fmt", "--all", "--check"]))?;
    step("schema check");
    sh(cargo().args(["test", "-p", "dudao-tests", "--test", "e2e", "schema::"]))?;
    step("clippy (server, tests, xtask)");
    sh(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    step("SPA toolchain and clippy (wasm32)");
    tools::web_toolchain(root)?;
    sh(cargo().args([
        "clippy",
        "-p",
        "dudao-web",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    step("SPA unit tests (formatting, on the host)");
    sh(cargo().args(["test", "-p", "dudao-web", "--lib"]))?;
    step("PostgreSQL (throwaway cluster)");
    let pg = pg::Cluster::start(root)?;
    step("unit and integration tests (SQLite and PostgreSQL)");
    let result = sh(cargo()
        .args(["test", "--workspace", "--exclude", "dudao-web"])
        .env("DUDAO_TEST_POSTGRES_URL", pg.url())
        .env("DUDAO_TEST_REQUIRE_POSTGRES", "1"));
    drop(pg);
    result?;
    let dist = web(root)?;
    step("browser tests (headless Chromium)");
    browser_tests(root, &dist)?;
    eprintln!(
        "\nall checks passed in {:.1} min",
        started.elapsed().as_secs_f64() / 60.0
    );
    Ok(())
}

fn browser_tests(root: &Path, dist: &Path) -> Result<()> {
    let chromium = tools::chromium()?;
    let node_dir = tools::npm_packages(root)?;
    // Same package set as the test step, so features unify and nothing is rebuilt.
    sh(cargo().args(["build", "--workspace", "--exclude", "dudao-web"]))?;
    let data = tempdir("browser")?;
    let port = pg::free_port()?;
    let log = std::fs::File::create(data.join("server.log"))?;
    let mut server = Command::new(root.join("target/debug/dudao"))
        .arg("serve")
        .env("DUDAO_ADDR", format!("127.0.0.1:{port}"))
        .env(
            "DUDAO_DATABASE_URL",
            format!("sqlite://{}/dudao.sqlite?mode=rwc", data.display()),
        )
        .env("DUDAO_STATIC_DIR", dist)
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("starting dudao for the browser tests")?;
    let result = (|| {
        wait_healthy(port)?;
        sh(Command::new("node")
            .arg(root.join("tests/browser/run.mjs"))
            .current_dir(&node_dir)
            .env("BASE_URL", format!("http://127.0.0.1:{port}"))
            .env("CHROMIUM", &chromium)
            .env("SCREENSHOTS", root.join("tests/browser/screenshots")))?;
        step("GraphQL over HTTP audits (graphql-http)");
        sh(Command::new("node")
            .arg(root.join("tests/browser/audit.mjs"))
            .current_dir(&node_dir)
            .env("BASE_URL", format!("http://127.0.0.1:{port}")))
    })();
    let _ = server.kill();
    let _ = server.wait();
    if result.is_err() {
        let log = std::fs::read_to_string(data.join("server.log")).unwrap_or_default();
        eprintln!("--- server log (last lines) ---");
        for line in log
            .lines()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            eprintln!("{line}");
        }
    }
    let _ = std::fs::remove_dir_all(&data);
    result
}

fn wait_healthy(port: u16) -> Result<()> {
    use std::io::{Read, Write};
    let deadline = Instant::now() + std::time::Duration::from_secs(120);
    while Instant::now() < deadline {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.write_all(b"GET /healthz HTTP/1.0\r\n\r\n");
            let mut buf = String::new();
            let _ = s.read_to_string(&mut buf);
            if buf.starts_with("HTTP/1.0 200") || buf.starts_with("HTTP/1.1 200") {
                return Ok(());
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    bail!("dudao did not become healthy on port {port}")
}

pub fn tempdir(tag: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("dudao-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// `cargo xtask bench`: release builds, then the bench program against the large data set
/// on SQLite (kept in target/bench, seeded once) and on a throwaway PostgreSQL cluster
/// (seeded every run), or the PostgreSQL database `DUDAO_BENCH_POSTGRES_URL` names (seeded
/// when empty, kept). The report goes to stdout and docs/benchmarks.md.
fn bench(root: &Path) -> Result<()> {
    step("release builds");
    sh(cargo().args([
        "build",
        "--release",
        "-p",
        "dudao",
        "-p",
        "dudao-tests",
        "--bin",
        "dudao",
        "--bin",
        "bench",
    ]))?;
    let dudao = root.join("target/release/dudao");
    let bench = root.join("target/release/bench");
    let run = |label: &str, url: &str| -> Result<String> {
        step(&format!("bench on {label}"));
        let started = Instant::now();
        let out = Command::new(&bench)
            .env("BENCH_DB", url)
            .env("BENCH_LABEL", label)
            .env("DUDAO_BIN", &dudao)
            .stderr(Stdio::inherit())
            .output()
            .with_context(|| format!("running {}", bench.display()))?;
        if !out.status.success() {
            bail!("the benchmark on {label} failed");
        }
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        eprintln!(
            "{text}(bench on {label}: {:.0} s)",
            started.elapsed().as_secs_f64()
        );
        Ok(text)
    };
    std::fs::create_dir_all(root.join("target/bench"))?;
    let sqlite = run(
        "SQLite",
        &format!(
            "sqlite://{}?mode=rwc",
            root.join("target/bench/large.sqlite").display()
        ),
    )?;
    // A database already seeded with the large set (DUDAO_BENCH_POSTGRES_URL) saves the
    // ten minutes of seeding when figures are re-measured after a change.
    let postgres = match std::env::var("DUDAO_BENCH_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => {
            step("PostgreSQL (DUDAO_BENCH_POSTGRES_URL)");
            run("PostgreSQL", &url)?
        }
        _ => {
            step("PostgreSQL (throwaway cluster)");
            let pg = pg::Cluster::start(root)?;
            let postgres = run("PostgreSQL", &pg.url());
            drop(pg);
            postgres?
        }
    };
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let report = format!(
        "# Benchmarks\n\n\
         Measured by `cargo xtask bench` on {cores} cores with the large data set \
         (`dudao seed --scale large`) and the release build. Every timing is the median of up to 25 \
         requests after a warm-up (at least 3, at most a minute each), next to a baseline measured in the same run; statement \
         counts come from the server's own counter (`DUDAO_COUNT_STATEMENTS`).\n\n{sqlite}\n{postgres}"
    );
    // What people wrote about the figures ("## Reading the figures" on) is kept.
    let notes = std::fs::read_to_string(root.join("docs/benchmarks.md"))
        .ok()
        .and_then(|old| old.find("\n## ").map(|i| old[i..].to_owned()))
        .unwrap_or_default();
    std::fs::create_dir_all(root.join("docs"))?;
    std::fs::write(root.join("docs/benchmarks.md"), format!("{report}{notes}"))?;
    eprintln!("wrote docs/benchmarks.md");
    Ok(())
}
