use clap::{Parser, Subcommand};
use tissu::config::Settings;
use tissu::startup::Application;

/// tissu: the participatory diagnostic of a territory's industrial fabric.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the web server.
    Serve,
    /// Seeds a demo territory (once) and runs the web server.
    Demo(tissu::demo::DemoArgs),
    /// Manages staff accounts.
    #[command(subcommand)]
    User(tissu::cli_user::UserCommand),
    /// Manages read-only API tokens.
    #[command(subcommand)]
    Token(tissu::cli_token::TokenCommand),
    /// Writes a consistent copy of the database, even while the server runs.
    Backup(tissu::cli_backup::BackupArgs),
    /// Puts a checked copy in place of the database (the server stopped).
    Restore(tissu::cli_backup::RestoreArgs),
    /// Email delivery.
    #[command(subcommand)]
    Mail(tissu::cli_mail::MailCommand),
    /// Generates a large synthetic campaign (benchmarks).
    Generate(tissu::demo::generate::GenerateArgs),
    /// Anonymises the campaigns whose retention period is over (`--now`).
    Retention(tissu::cli_retention::RetentionArgs),
    /// Prints the configuration problems it sees; exits non-zero if any.
    Doctor,
}

/// mimalloc, also in place of `malloc` (feature `override`, so SQLite's own
/// allocations use it too): sqlx's SQLite worker threads copy every value of
/// every row (`sqlite3_value_dup`) and the async workers free them; glibc's
/// arenas serialise those cross-thread frees behind a lock (about a third of
/// a streamed export's time).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tissu::telemetry::init_with(cli.settings.log_format);
    // Emails composed by any command show their dates in the territory's zone.
    tissu::domain::french_time::use_zone(cli.settings.time_zone).map_err(anyhow::Error::msg)?;
    match cli.command {
        Command::Serve => {
            let _serving = tissu::cli_backup::hold_serving_lock(&cli.settings)?;
            let app = Application::build(&cli.settings).await?;
            println!("url: {}", app.base_url);
            app.run_until_stopped().await?;
        }
        Command::Demo(args) => {
            let _serving = tissu::cli_backup::hold_serving_lock(&cli.settings)?;
            tissu::demo::run(&cli.settings, &args).await?
        }
        Command::User(command) => {
            let db = tissu::store::Db::connect(&cli.settings.database).await?;
            tissu::cli_user::run(&db, command).await?;
        }
        Command::Token(command) => {
            let db = tissu::store::Db::connect(&cli.settings.database).await?;
            tissu::cli_token::run(&db, command).await?;
        }
        Command::Backup(args) => tissu::cli_backup::backup(&cli.settings, args).await?,
        Command::Restore(args) => tissu::cli_backup::restore(&cli.settings, args).await?,
        Command::Mail(command) => tissu::cli_mail::run(&cli.settings, command).await?,
        Command::Generate(args) => {
            let db = tissu::store::Db::connect(&cli.settings.database).await?;
            tissu::demo::generate::run(&db, &args).await?;
        }
        Command::Retention(args) => tissu::cli_retention::run(&cli.settings, args).await?,
        Command::Doctor => {
            if !tissu::cli_doctor::run(&cli.settings).await {
                std::process::exit(1);
            }
        }
    }
    Ok(())
}
