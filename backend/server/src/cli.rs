//! The `dudao` command line.

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::{Config, DEFAULT_ADDR, DEFAULT_DATABASE_URL, db, entity, seed, service};

#[derive(Parser, Debug)]
#[command(
    name = "dudao",
    version,
    about = "督导 Dudao — sales supervision platform"
)]
pub struct Cli {
    /// Database URL: sqlite://path?mode=rwc or postgres://user@host/db
    #[arg(long, env = "DUDAO_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Migrate, load demo data into an empty database, and serve (the default).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load deterministic generated data into an empty database.
    Seed {
        #[arg(long, value_enum, default_value = "small")]
        scale: Scale,
    },
    /// Import a CSV or XLSX file (all rows or none; every bad row is reported).
    Import {
        /// customers, orders, payments, opportunities or targets
        kind: String,
        /// The file; its extension (.csv or .xlsx) says the format.
        file: PathBuf,
    },
    /// Export a list as CSV or XLSX (to stdout unless --out is given).
    Export {
        /// customers, orders, payments, opportunities, targets or alerts
        kind: String,
        /// csv or xlsx (default: from --out's extension, else csv)
        #[arg(long)]
        format: Option<String>,
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only this region's rows (id).
        #[arg(long)]
        region: Option<i32>,
        /// Only this rep's rows (id).
        #[arg(long)]
        rep: Option<i32>,
        /// First day (YYYY-MM-DD), inclusive.
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Last day (YYYY-MM-DD), inclusive.
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
    },
    /// Alert rules (预警).
    Alerts {
        #[command(subcommand)]
        command: AlertsCommand,
    },
    /// Rebuild the monthly sums and first orders the scorecards read from the orders,
    /// receivables, payments, opportunities and surveys — after changing those by hand
    /// (SQL); imports and seeds keep them current themselves.
    Rollups,
    /// Manage accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(clap::Args, Debug, Default)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "DUDAO_ADDR", default_value = DEFAULT_ADDR)]
    pub addr: String,
    /// Do not load demo data (production).
    #[arg(long)]
    pub no_demo: bool,
    /// Directory holding the built SPA.
    #[arg(long, env = "DUDAO_STATIC_DIR", default_value = "frontend/dist")]
    pub static_dir: PathBuf,
    /// Secret for signing access tokens (default: generated once, kept in the database).
    #[arg(long, env = "DUDAO_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Take client addresses from X-Forwarded-For (set only behind your own reverse proxy).
    #[arg(long, env = "DUDAO_TRUST_FORWARDED")]
    pub trust_forwarded: bool,
    /// Minutes between runs of the alert rules inside the server; 0 turns the schedule off.
    #[arg(long, env = "DUDAO_ALERT_INTERVAL_MINUTES", default_value_t = 60)]
    pub alert_interval_minutes: u64,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum Scale {
    /// The demo data set: 6 regions, 48 reps, about 430 customers.
    Small,
    /// The benchmark set: 30 regions, 3,000 reps, 300,000 customers, 3,000,000 orders.
    Large,
}

#[derive(Subcommand, Debug)]
pub enum AlertsCommand {
    /// Run the four rules once (idempotent: nothing already raised is raised again).
    Run {
        /// Evaluate as of this day (YYYY-MM-DD); default today.
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create an ADMIN account (the first real admin of a deployment).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Password; read from DUDAO_ADMIN_PASSWORD or, if unset, from the first line of stdin.
        #[arg(long, env = "DUDAO_ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

/// The command line acts with an administrator's reach (it runs on the server itself).
const SYSTEM: dudao_domain::Viewer = dudao_domain::Viewer {
    user_id: 0,
    role: dudao_domain::Role::Admin,
};

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let url = cli.database_url;
    match cli.command.unwrap_or(Command::Serve(ServeArgs {
        addr: std::env::var("DUDAO_ADDR").unwrap_or_else(|_| DEFAULT_ADDR.into()),
        static_dir: std::env::var("DUDAO_STATIC_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| PathBuf::from("frontend/dist")),
        jwt_secret: std::env::var("DUDAO_JWT_SECRET").ok(),
        no_demo: false,
        trust_forwarded: std::env::var("DUDAO_TRUST_FORWARDED")
            .is_ok_and(|v| v == "true" || v == "1"),
        alert_interval_minutes: std::env::var("DUDAO_ALERT_INTERVAL_MINUTES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(60),
    })) {
        Command::Serve(args) => {
            let config = Config {
                addr: args.addr,
                database_url: url,
                static_dir: args.static_dir,
                jwt_secret: args.jwt_secret,
                demo: !args.no_demo,
                workers: None,
                trust_forwarded: args.trust_forwarded,
                alert_interval: (args.alert_interval_minutes > 0)
                    .then(|| std::time::Duration::from_secs(args.alert_interval_minutes * 60)),
            };
            if config.demo {
                eprintln!("preparing the database (demo data is loaded into an empty one)…");
            }
            let running = crate::start(config).await?;
            eprintln!("督导 Dudao is serving at {}", running.url());
            running.wait().await
        }
        Command::Migrate => {
            let (conn, _) = db::connect(&url).await?;
            db::migrate(&conn).await?;
            eprintln!("migrations applied");
            Ok(())
        }
        Command::Seed { scale } => {
            let (conn, _) = db::connect(&url).await?;
            db::migrate(&conn).await?;
            if entity::user::Entity::find().count(&conn).await? > 0 {
                bail!("the database already has data; seed needs an empty one");
            }
            match scale {
                Scale::Small => {
                    seed::demo(&conn, &seed::Progress::stderr()).await?;
                    eprintln!("demo data loaded");
                }
                Scale::Large => seed::large::seed(&conn).await?,
            }
            Ok(())
        }
        Command::Import { kind, file } => {
            use crate::service::transfer;
            let kind = transfer::Kind::parse(&kind).map_err(crate::error::AppError::into_anyhow)?;
            let format = transfer::Format::of_path(&file.to_string_lossy())
                .map_err(crate::error::AppError::into_anyhow)?;
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let (conn, _) = db::connect(&url).await?;
            db::migrate(&conn).await?;
            let started = std::time::Instant::now();
            let sheet =
                transfer::read(&bytes, format).map_err(crate::error::AppError::into_anyhow)?;
            eprintln!("read {} rows from {}", sheet.rows.len(), file.display());
            let progress = |what: &str, done: usize, total: usize| {
                eprint!("\r  importing {what:<14} {done:>9}/{total}");
                if done == total {
                    eprintln!();
                }
            };
            let report = transfer::import(&conn, &SYSTEM, kind, sheet, &progress)
                .await
                .map_err(crate::error::AppError::into_anyhow)?;
            if report.error_count > 0 {
                for e in &report.errors {
                    eprintln!("line {}: {}", e.line, e.reason);
                }
                if report.error_count > report.errors.len() {
                    eprintln!("… and {} more", report.error_count - report.errors.len());
                }
                bail!(
                    "{} of {} rows are bad; nothing was imported",
                    report.error_count,
                    report.rows
                );
            }
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "imported {} {} in {secs:.2} s ({:.0} rows/s)",
                report.imported,
                kind.as_str(),
                report.imported as f64 / secs.max(1e-9)
            );
            Ok(())
        }
        Command::Export {
            kind,
            format,
            out,
            region,
            rep,
            from,
            to,
        } => {
            use crate::service::transfer;
            // Alerts export the inbox (`--region`, `--rep`); the rest are the import kinds.
            let kind = if kind == "alerts" {
                None
            } else {
                Some(transfer::Kind::parse(&kind).map_err(crate::error::AppError::into_anyhow)?)
            };
            let format = match (&format, &out) {
                (Some(f), _) => transfer::Format::parse(f),
                (None, Some(p)) => transfer::Format::of_path(&p.to_string_lossy()),
                (None, None) => Ok(transfer::Format::Csv),
            }
            .map_err(crate::error::AppError::into_anyhow)?;
            let (conn, _) = db::connect(&url).await?;
            db::migrate(&conn).await?;
            let filter = transfer::ExportFilter {
                region_id: region,
                rep_id: rep,
                from,
                to,
            };
            let mut sink: Box<dyn std::io::Write> = match &out {
                Some(p) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("creating {}", p.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let n = match kind {
                Some(kind) => {
                    transfer::export(&conn, &SYSTEM, kind, &filter, format, None, &mut sink).await
                }
                None => {
                    let f = service::alerts::Filter {
                        region_id: region,
                        rep_id: rep,
                        ..Default::default()
                    };
                    service::alerts::export(&conn, &SYSTEM, &f, format, None, &mut sink).await
                }
            }
            .map_err(crate::error::AppError::into_anyhow)?;
            sink.flush()?;
            eprintln!(
                "exported {n} {}",
                kind.map_or("alerts", transfer::Kind::as_str)
            );
            Ok(())
        }
        Command::Alerts {
            command: AlertsCommand::Run { as_of },
        } => {
            let (conn, _) = db::connect(&url).await?;
            db::migrate(&conn).await?;
            let as_of = as_of.unwrap_or_else(crate::clock::today);
            dudao_domain::sane_date(as_of)?;
            let report = service::alerts::run(&conn, as_of)
                .await
                .map_err(crate::error::AppError::into_anyhow)?;
            for (rule, n) in &report.raised {
                println!("{:<18} {n}", rule.as_str());
            }
            println!("{} new alert(s) as of {as_of}", report.total());
            let scored = service::customer_scores::refresh(&conn, as_of)
                .await
                .map_err(crate::error::AppError::into_anyhow)?;
            println!("customer scores refreshed as of {as_of}: {scored} changed");
            Ok(())
        }
        Command::Rollups => {
            let (conn, _) = db::connect(&url).await?;
            db::migrate(&conn).await?;
            let started = std::time::Instant::now();
            service::rollups::rebuild(&conn)
                .await
                .map_err(crate::error::AppError::into_anyhow)?;
            println!(
                "monthly sums and first orders rebuilt in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Admin {
            command:
                AdminCommand::Create {
                    email,
                    name,
                    password,
                },
        } => {
            let password = match password {
                Some(p) => p,
                None => {
                    eprintln!("password (one line on stdin):");
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .context("reading the password")?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let (conn, _) = db::connect(&url).await?;
            db::migrate(&conn).await?;
            let user = service::users::create(
                &conn,
                None,
                service::users::NewUser {
                    email,
                    name,
                    role: dudao_domain::Role::Admin,
                    password,
                    region_ids: vec![],
                },
            )
            .await
            .map_err(crate::error::AppError::into_anyhow)?;
            eprintln!("created ADMIN {} (id {})", user.email, user.id);
            Ok(())
        }
    }
}
