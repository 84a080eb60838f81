//! Installs the tools the build and the tests need, once, skipping what is present:
//! the wasm32 target, wasm-bindgen-cli (the exact version in Cargo.lock), wasm-opt and
//! playwright-core (npm), Chromium and PostgreSQL (apt).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{cargo, sh};

pub struct WebToolchain {
    pub wasm_bindgen: PathBuf,
    pub wasm_opt: PathBuf,
    /// esbuild (npm), which minifies the glue script and the stylesheet.
    pub esbuild: PathBuf,
}

fn works(cmd: &mut Command) -> Option<String> {
    cmd.output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
}

pub fn web_toolchain(root: &Path) -> Result<WebToolchain> {
    let installed =
        works(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        sh(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let version = locked_version(root, "wasm-bindgen")?;
    let tools = root.join(".tools");
    let wasm_bindgen = tools.join("bin/wasm-bindgen");
    let have = works(Command::new(&wasm_bindgen).arg("--version")).unwrap_or_default();
    if !have.contains(&version) {
        eprintln!("installing wasm-bindgen-cli {version} (a few minutes, once)");
        sh(cargo()
            .args([
                "install",
                "wasm-bindgen-cli",
                "--version",
                &version,
                "--root",
            ])
            .arg(&tools))?;
    }
    let node = npm_packages(root)?;
    let wasm_opt = node.join("node_modules/.bin/wasm-opt");
    if works(Command::new(&wasm_opt).arg("--version")).is_none() {
        bail!(
            "wasm-opt from the npm package binaryen does not run: {}",
            wasm_opt.display()
        );
    }
    let esbuild = node.join("node_modules/.bin/esbuild");
    if works(Command::new(&esbuild).arg("--version")).is_none() {
        bail!("esbuild from npm does not run: {}", esbuild.display());
    }
    Ok(WebToolchain {
        wasm_bindgen,
        wasm_opt,
        esbuild,
    })
}

/// The version of `package` recorded in Cargo.lock.
fn locked_version(root: &Path, package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .context("wasm-bindgen is not in Cargo.lock")?
        + needle.len();
    let end = lock[start..].find('"').context("malformed Cargo.lock")? + start;
    Ok(lock[start..end].to_owned())
}

/// npm packages of the project (binaryen's wasm-opt, playwright-core), from the lock file.
pub fn npm_packages(root: &Path) -> Result<PathBuf> {
    let dir = root.join("tests/browser");
    let marker = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (marker.metadata(), lock.metadata()) {
        (Ok(m), Ok(l)) => m.modified()? >= l.modified()?,
        _ => false,
    };
    if !fresh {
        sh(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir))?;
    }
    Ok(dir)
}

fn apt_install(packages: &[&str]) -> Result<()> {
    let sudo = !is_root();
    let base = |args: &[&str]| {
        let mut c = if sudo {
            Command::new("sudo")
        } else {
            Command::new("apt-get")
        };
        if sudo {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    let mut install = base(&["install", "-y", "--no-install-recommends"]);
    install.args(packages);
    if sh(&mut install).is_err() {
        sh(&mut base(&["update"]))?;
        let mut again = base(&["install", "-y", "--no-install-recommends"]);
        again.args(packages);
        sh(&mut again)?;
    }
    Ok(())
}

pub fn is_root() -> bool {
    works(Command::new("id").arg("-u")).is_some_and(|s| s.trim() == "0")
}

pub fn chromium() -> Result<PathBuf> {
    let font = Path::new("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc").exists();
    for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(p).exists() && font {
            return Ok(PathBuf::from(p));
        }
    }
    // A CJK font, so that pages (and their screenshots) show Chinese, not boxes.
    apt_install(&["chromium", "fonts-wqy-microhei"])?;
    Ok(PathBuf::from("/usr/bin/chromium"))
}

/// The directory holding PostgreSQL's server programs (initdb, pg_ctl, postgres).
pub fn postgres_bin() -> Result<PathBuf> {
    let find = || -> Option<PathBuf> {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|p| p.join("initdb").exists())
            .collect();
        dirs.sort();
        dirs.pop()
    };
    if let Some(d) = find() {
        return Ok(d);
    }
    apt_install(&["postgresql"])?;
    find().context("PostgreSQL was installed but initdb was not found under /usr/lib/postgresql")
}
