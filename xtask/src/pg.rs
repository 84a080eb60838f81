//! A throwaway PostgreSQL cluster for the tests: its own data directory and port, fast
//! and unsafe settings (fsync off), stopped and removed when dropped.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::{sh, tools};

pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
}

pub fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Cluster {
    pub fn start(_root: &Path) -> Result<Cluster> {
        let bin = tools::postgres_bin()?;
        // initdb refuses to run as root: run the cluster as the postgres user then.
        let as_postgres = tools::is_root();
        let dir = std::env::temp_dir().join(format!("dudao-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        if as_postgres {
            sh(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir))?;
        }
        let port = free_port()?;
        let c = Cluster {
            bin,
            dir,
            port,
            as_postgres,
        };
        let data = c.dir.join("data");
        sh(c.cmd("initdb")
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data))
        .context("initdb")?;
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            c.port,
            c.dir.display()
        );
        sh(c.cmd("pg_ctl")
            .args(["-w", "-t", "60", "-l"])
            .arg(c.dir.join("log"))
            .arg("-D")
            .arg(&data)
            .args(["-o", &opts, "start"]))
        .context("starting PostgreSQL")?;
        eprintln!("PostgreSQL is up at {}", c.url());
        Ok(c)
    }

    fn cmd(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .cmd("pg_ctl")
            .args(["-m", "fast", "-w", "-D"])
            .arg(self.dir.join("data"))
            .arg("stop")
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
