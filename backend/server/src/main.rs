use clap::Parser;
use tracing_subscriber::EnvFilter;

fn main() -> std::process::ExitCode {
    tune_malloc();
    actix_web::rt::System::new().block_on(run())
}

/// Two glibc defaults that made the server's memory grow and stay grown
/// (docs/benchmarks.md, memory):
/// - each thread that contends for the heap gets its own arena (up to 8 per core), and each
///   keeps what it freed: two arenas, at the same throughput under the cockpit load;
/// - the mmap threshold adapts upwards when a large block is freed, so the password hash's
///   19 MB working memory lands in an arena from the second sign-in on and is never given
///   back (ten sign-ins: +150 MB RSS). A fixed 1 MB threshold keeps large blocks mmapped,
///   returned to the system on free.
///
/// Set before any thread starts; `MALLOC_ARENA_MAX` / `MALLOC_MMAP_THRESHOLD_` still win.
#[allow(unsafe_code)]
fn tune_malloc() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
            // SAFETY: mallopt only sets an allocator parameter; called before other threads.
            unsafe {
                libc::mallopt(libc::M_ARENA_MAX, 2);
            }
        }
        if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
            // SAFETY: as above.
            unsafe {
                libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
            }
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
