use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::ffi::OsString;
use tissu::config::{DatabaseArg, Settings, SiteArgs};
use tissu::mail::MailSettings;
use tissu::startup::Application;

/// tissu : le diagnostic participatif du tissu industriel d'un territoire.
#[derive(Parser)]
#[command(
    version,
    about = "tissu\u{a0}: le diagnostic participatif du tissu industriel d'un territoire."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Each command declares the settings it reads, so that its `--help` lists
/// them and only them: the server's settings belong to `serve`, `demo` and
/// `doctor` (which checks them).
#[derive(Subcommand)]
enum Command {
    /// Lance le serveur web.
    Serve {
        #[command(flatten)]
        settings: Settings,
    },
    /// Installe un territoire de démonstration (une fois) et lance le serveur web.
    Demo {
        #[command(flatten)]
        settings: Settings,
        #[command(flatten)]
        args: tissu::demo::DemoArgs,
    },
    /// Gère les comptes de l'équipe.
    User {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(subcommand)]
        command: tissu::cli::user::UserCommand,
    },
    /// Gère les jetons d'API en lecture seule.
    Token {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(subcommand)]
        command: tissu::cli::token::TokenCommand,
    },
    /// Gère l'annuaire des entreprises d'un territoire.
    Firms {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(subcommand)]
        command: tissu::cli::firms::FirmsCommand,
    },
    /// Écrit une copie cohérente de la base, même pendant que le serveur tourne.
    Backup {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(flatten)]
        args: tissu::cli::backup::BackupArgs,
    },
    /// Met une copie vérifiée à la place de la base (serveur arrêté).
    Restore {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(flatten)]
        args: tissu::cli::backup::RestoreArgs,
    },
    /// Envoi des courriels.
    Mail {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        mail: MailSettings,
        #[command(subcommand)]
        command: tissu::cli::mail::MailCommand,
    },
    /// Crée une grande campagne synthétique (mesures de performance).
    Generate {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(flatten)]
        args: tissu::demo::generate::GenerateArgs,
    },
    /// Anonymise les campagnes dont la durée de conservation est passée (avec --now).
    Retention {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        args: tissu::cli::retention::RetentionArgs,
    },
    /// Dit les problèmes de configuration qu'il voit ; sort en erreur s'il y en a.
    Doctor {
        #[command(flatten)]
        settings: Settings,
    },
}

impl Command {
    /// The settings the command runs with (defaults for those it does not read).
    fn settings(&self) -> Settings {
        match self {
            Self::Serve { settings } | Self::Demo { settings, .. } | Self::Doctor { settings } => {
                settings.clone()
            }
            Self::User { database, .. }
            | Self::Token { database, .. }
            | Self::Firms { database, .. }
            | Self::Backup { database, .. }
            | Self::Restore { database, .. }
            | Self::Generate { database, .. } => database.settings(),
            Self::Mail {
                database,
                site,
                mail,
                ..
            } => site.settings(database, Some(mail)),
            Self::Retention { database, site, .. } => site.settings(database, None),
        }
    }
}

/// The help of a command and of its subcommands, headings and all, in French.
fn in_french(command: clap::Command) -> clap::Command {
    command
        .help_template("{about-with-newline}\nUtilisation\u{a0}: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("Commandes")
        .disable_help_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help("Affiche cette aide"),
        )
        .mut_subcommands(in_french)
}

/// The settings were options of `tissu` itself before each command had its
/// own (`tissu --database X serve`): scripts and service files written that
/// way keep working, the options before the command moving right after its
/// name. Every setting takes a value (`--name value` or `--name=value`).
fn options_after_command(args: Vec<OsString>) -> Vec<OsString> {
    let mut before = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let arg = args[i].to_string_lossy();
        if !arg.starts_with("--") || matches!(arg.as_ref(), "--" | "--help" | "--version") {
            break;
        }
        before.push(args[i].clone());
        if !arg.contains('=') && i + 1 < args.len() {
            before.push(args[i + 1].clone());
            i += 1;
        }
        i += 1;
    }
    if before.is_empty() || i >= args.len() {
        return args;
    }
    let mut moved = vec![args[0].clone(), args[i].clone()];
    moved.extend(before);
    moved.extend(args[i + 1..].iter().cloned());
    moved
}

/// mimalloc, also in place of `malloc` (feature `override`, so SQLite's own
/// allocations use it too): sqlx's SQLite worker threads copy every value of
/// every row (`sqlite3_value_dup`) and the async workers free them; glibc's
/// arenas serialise those cross-thread frees behind a lock (about a third of
/// a streamed export's time).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() {
    if let Err(e) = run().await {
        // In French, with what to do, never the bare OS text.
        eprintln!("Erreur\u{a0}: {}", tissu::os_errors::explain_any(&e));
        std::process::exit(1);
    }
}

async fn run() -> anyhow::Result<()> {
    let matches = in_french(Cli::command())
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help("Affiche la version"),
        )
        .disable_help_subcommand(true)
        .get_matches_from(options_after_command(std::env::args_os().collect()));
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let settings = cli.command.settings();
    tissu::telemetry::init_with(settings.log_format);
    // Emails composed by any command show their dates in the territory's zone.
    tissu::domain::french_time::use_zone(settings.site.time_zone).map_err(anyhow::Error::msg)?;
    match cli.command {
        Command::Serve { .. } => {
            let _serving = tissu::cli::backup::hold_serving_lock(&settings)?;
            let app = Application::build(&settings).await?;
            println!("adresse\u{a0}: {}", app.base_url);
            app.run_until_stopped().await?;
        }
        Command::Demo { args, .. } => {
            let _serving = tissu::cli::backup::hold_serving_lock(&settings)?;
            tissu::demo::run(&settings, &args).await?
        }
        Command::User { command, .. } => {
            let db = tissu::startup::open_database(&settings).await?;
            tissu::cli::user::run(&db, command).await?;
        }
        Command::Token { command, .. } => {
            let db = tissu::startup::open_database(&settings).await?;
            tissu::cli::token::run(&db, command).await?;
        }
        Command::Firms { command, .. } => {
            let db = tissu::startup::open_database(&settings).await?;
            tissu::cli::firms::run(&db, command).await?;
            db.close().await;
        }
        Command::Backup { args, .. } => tissu::cli::backup::backup(&settings, args).await?,
        Command::Restore { args, .. } => tissu::cli::backup::restore(&settings, args).await?,
        Command::Mail { command, .. } => tissu::cli::mail::run(&settings, command).await?,
        Command::Generate { args, .. } => {
            let db = tissu::startup::open_database(&settings).await?;
            tissu::demo::generate::run(&db, &args).await?;
        }
        Command::Retention { args, .. } => tissu::cli::retention::run(&settings, args).await?,
        Command::Doctor { .. } => {
            if !tissu::cli::doctor::run(&settings).await {
                std::process::exit(1);
            }
        }
    }
    Ok(())
}
