use clap::Parser;
use tracing_subscriber::EnvFilter;

fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
    actix_web::rt::System::new().block_on(run())
}

/// glibc gives each thread that contends for the heap its own arena (up to 8 per core),
/// and each keeps the memory it freed: under four clients on the cockpit the server's RSS
/// peaked near 100 MB on SQLite, 74 MB with two arenas at the same throughput
/// (docs/benchmarks.md). Set before any thread starts; `MALLOC_ARENA_MAX` still wins.
#[allow(unsafe_code)]
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; called before other threads.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

async fn run() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                EnvFilter::new("info,sqlx=warn,sea_orm=warn,actix_server=warn")
            }),
        )
        .with_writer(std::io::stderr)
        .init();
    match dudao::cli::run(dudao::cli::Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
