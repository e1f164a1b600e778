//! `tissu backup` and `tissu restore`: a consistent copy while the server runs,
//! and a restore that checks the file, keeps the current database aside, and
//! refuses while a server uses it.

use crate::config::Settings;
use crate::store::backup;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct BackupArgs {
    /// Where to write the copy (default: beside the database, dated).
    #[arg(long)]
    pub to: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct RestoreArgs {
    /// The copy to put in place of the database.
    pub file: PathBuf,
}

fn stamp() -> String {
    chrono::Utc::now().format("%Y%m%d-%H%M%S").to_string()
}

fn database_path(settings: &Settings) -> anyhow::Result<PathBuf> {
    settings
        .database
        .path()
        .ok_or_else(|| anyhow::anyhow!("la base n'est pas un fichier\u{a0}: rien à sauvegarder"))
}

pub async fn backup(settings: &Settings, args: BackupArgs) -> anyhow::Result<()> {
    let db_path = database_path(settings)?;
    let to = args
        .to
        .unwrap_or_else(|| db_path.with_extension(format!("backup-{}.db", stamp())));
    anyhow::ensure!(
        !to.exists(),
        "{} existe déjà\u{a0}: choisissez un autre nom",
        to.display()
    );
    let db = crate::startup::open_database(settings).await?;
    let started = std::time::Instant::now();
    backup::copy_to(&db, &to).await?;
    db.close().await;
    let checked = backup::check(&to).await?;
    let size = std::fs::metadata(&to)?.len();
    println!("backup: {}", to.display());
    println!(
        "size: {size} bytes, in {:.2} s, integrity: {}",
        started.elapsed().as_secs_f64(),
        checked.integrity
    );
    print_counts(&checked.counts);
    eprintln!("Sauvegardez aussi, avec cette copie, les fichiers de clés à côté de la base (.session.key, .link.key).");
    Ok(())
}

fn print_counts(c: &backup::Counts) {
    println!(
        "campaigns: {}, participants: {}, contributions: {}, firms: {}",
        c.campaigns, c.participants, c.contributions, c.firms
    );
}

/// The lock a serving instance holds on its database (see `hold_serving_lock`).
fn lock_path(db_path: &Path) -> PathBuf {
    db_path.with_extension("serving.lock")
}

/// Taken by `tissu serve` for its whole life (the kernel frees it when the
/// process ends, even on a kill), so that a restore can tell the database is
/// in use. None when the lock file cannot be made (a read-only folder).
pub fn hold_serving_lock(settings: &Settings) -> anyhow::Result<Option<std::fs::File>> {
    let Some(db_path) = settings.database.path() else {
        return Ok(None);
    };
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path(&db_path))
    else {
        return Ok(None);
    };
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => {
            anyhow::bail!("un autre serveur utilise déjà {}", db_path.display())
        }
        Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
    }
}

pub async fn restore(settings: &Settings, args: RestoreArgs) -> anyhow::Result<()> {
    let db_path = database_path(settings)?;
    let _lock = match hold_serving_lock(settings) {
        Ok(lock) => lock,
        Err(_) => anyhow::bail!(
            "un serveur utilise {}\u{a0}: arrêtez-le avant de restaurer",
            db_path.display()
        ),
    };
    anyhow::ensure!(
        !same_file(&args.file, &db_path),
        "{} est la base elle-même ({})\u{a0}: rien n'a été changé\u{a0}; indiquez une copie faite par tissu backup",
        args.file.display(),
        db_path.display()
    );
    // The copy that will become the database is the one checked: a copy
    // beside the database, renamed into place only once trusted (a rename
    // within one folder is atomic; the original file is never moved first).
    let staged = db_path.with_extension(format!("restoring-{}.db", stamp()));
    let checked = match stage(&args.file, &staged).await {
        Ok(checked) => checked,
        Err(e) => {
            remove_with_sides(&staged);
            return Err(e);
        }
    };
    let aside = db_path.with_extension(format!("before-restore-{}.db", stamp()));
    if db_path.exists() {
        std::fs::rename(&db_path, &aside)?;
        for suffix in ["-wal", "-shm"] {
            let side = with_suffix(&db_path, suffix);
            if side.exists() {
                std::fs::rename(&side, with_suffix(&aside, suffix))?;
            }
        }
        println!("base précédente gardée sous\u{a0}: {}", aside.display());
    }
    std::fs::rename(&staged, &db_path)?;
    sync_folder(&db_path)?;
    println!("restaurée\u{a0}: {}", db_path.display());
    print_counts(&checked.counts);
    Ok(())
}

/// Whether `a` and `b` name one file (same device and inode: a symbolic or
/// hard link, another spelling of the path).
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_with_sides(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(with_suffix(path, suffix));
    }
}

/// Copies `file` to `staged`, on the disk, and checks the copy: readable,
/// intact, not from a newer tissu, and with exactly the schema the
/// migrations build.
async fn stage(file: &Path, staged: &Path) -> anyhow::Result<backup::Checked> {
    std::fs::copy(file, staged)
        .map_err(|e| anyhow::anyhow!("copie de {} impossible\u{a0}: {e}", file.display()))?;
    // A copy taken from a database still open keeps its last commits in its
    // write-ahead log: they go with it, folded into the staged file before
    // anything is checked (the log is removed below).
    let wal = with_suffix(file, "-wal");
    if wal.exists() {
        std::fs::copy(&wal, with_suffix(staged, "-wal"))
            .map_err(|e| anyhow::anyhow!("copie de {} impossible\u{a0}: {e}", wal.display()))?;
        backup::fold_wal(staged).await.map_err(|e| {
            anyhow::anyhow!(
                "{} n'est pas une base tissu lisible\u{a0}: {e}",
                file.display()
            )
        })?;
    }
    std::fs::File::open(staged)?.sync_all()?;
    let checked = backup::check(staged).await.map_err(|e| {
        anyhow::anyhow!(
            "{} n'est pas une base tissu lisible\u{a0}: {e}",
            file.display()
        )
    })?;
    // What reading the copy left beside it (an empty write-ahead log).
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(staged, suffix));
    }
    anyhow::ensure!(
        checked.integrity == "ok",
        "{} est endommagé ({})",
        file.display(),
        checked.integrity
    );
    let binary = backup::binary_schema_version();
    anyhow::ensure!(
        checked.schema_version <= binary,
        "{} vient d'une version plus récente de tissu (schéma {}\u{a0}; ce programme connaît {binary})\u{a0}: installez cette version pour la restaurer",
        file.display(),
        checked.schema_version
    );
    anyhow::ensure!(
        checked.schema_differences.is_empty(),
        "{} n'a pas le schéma que construisent les migrations de tissu ({})\u{a0}: rien n'a été restauré\u{a0}; \
         cette copie a été changée hors de tissu, prenez-en une autre",
        file.display(),
        checked.schema_differences.join("\u{a0}; ")
    );
    Ok(checked)
}

/// Makes the rename of the database durable (the folder's entry on the disk).
fn sync_folder(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => std::fs::File::open(folder)?.sync_all(),
        _ => std::fs::File::open(".")?.sync_all(),
    }
}
