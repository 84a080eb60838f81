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
    /// Alert rules (预警).
    Alerts {
        #[command(subcommand)]
        command: AlertsCommand,
    },
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
        Command::Seed {
            scale: Scale::Small,
        } => {
            let (conn, _) = db::connect(&url).await?;
            db::migrate(&conn).await?;
            if entity::user::Entity::find().count(&conn).await? > 0 {
                bail!("the database already has data; seed needs an empty one");
            }
            seed::demo(&conn, &seed::Progress::stderr()).await?;
            eprintln!("demo data loaded");
            Ok(())
        }
        Command::Alerts {
            command: AlertsCommand::Run { as_of },
        } => {
            let (conn, _) = db::connect(&url).await?;
            db::migrate(&conn).await?;
            let as_of = as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
            let report = service::alerts::run(&conn, as_of)
                .await
                .map_err(crate::error::AppError::into_anyhow)?;
            for (rule, n) in &report.raised {
                println!("{:<18} {n}", rule.as_str());
            }
            println!("{} new alert(s) as of {as_of}", report.total());
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
