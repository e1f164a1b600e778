//! `tissu doctor`: the configuration problems of this instance, in French,
//! as an operator runs it before opening a campaign (and after any change of
//! the settings). It reads the settings, the files beside the database, the
//! disk, and the database's schema (opened read-only); it changes nothing.
//! Exits non-zero when it found a problem.

use crate::config::Settings;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// One problem: what is wrong, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem(pub String);

/// Every problem seen with these settings.
pub fn problems(settings: &Settings) -> Vec<Problem> {
    let mut found = Vec::new();
    let mut problem = |text: String| found.push(Problem(text));

    match settings.site.base_url.as_deref() {
        None => problem(format!(
            "TISSU_BASE_URL n'est pas défini\u{a0}: les liens des courriels pointeront vers http://{}, \
             une adresse que les participants ne peuvent pas joindre\u{a0}; mettez l'adresse publique en https",
            settings.site.bind
        )),
        Some(url) if url.starts_with("http://") && !is_local(url) => problem(format!(
            "TISSU_BASE_URL est en http ({url})\u{a0}: les liens personnels et les cookies des équipes \
             passeraient en clair\u{a0}; servez tissu en https derrière le proxy et mettez TISSU_BASE_URL=https://…"
        )),
        Some(_) => {}
    }

    if settings.mail.smtp_host.is_none() {
        problem(
            "aucun serveur d'envoi de courriels (TISSU_SMTP_HOST)\u{a0}: les invitations et relances sont \
             écrites en fichiers .eml à côté de la base et ne partent pas"
                .into(),
        );
    }

    if let Err(e) = settings.shared_keys() {
        problem(crate::os_errors::explain_any(&e));
    }

    if settings.backups.backup_every.is_none() {
        problem(
            "aucune sauvegarde automatique (TISSU_BACKUP_EVERY, par exemple 6h)\u{a0}: une panne du disque \
             perdrait des réponses qu'on ne peut pas redemander"
                .into(),
        );
    }

    let Some(database) = settings.database.path() else {
        if !settings.database.is_server() {
            problem(
                "la base est en mémoire (TISSU_DATABASE)\u{a0}: tout est perdu à l'arrêt".into(),
            );
        }
        return found;
    };
    let beside = [
        (database.clone(), "la base de données"),
        (
            database.with_extension("session.key"),
            "la clé des sessions",
        ),
        (
            database.with_extension("link.key"),
            "la clé des liens personnels",
        ),
    ];
    for (path, what) in &beside {
        if let Some(mode) = readable_by_others(path) {
            problem(format!(
                "{what} ({}) est lisible par d'autres comptes (droits {mode:o})\u{a0}: \
                 chmod 600 {} et qu'elle appartienne au compte du service",
                path.display(),
                path.display()
            ));
        }
    }

    if let Some(why) = not_writable(&database) {
        problem(format!(
            "la base ({}) ne peut pas être écrite\u{a0}: {why}\u{a0}; aucune réponse ne serait enregistrée",
            database.display()
        ));
    }

    let threshold = settings.min_free_disk_mb * 1024 * 1024;
    match crate::health::free_disk_bytes(&database) {
        Ok(free) if free < threshold => problem(format!(
            "espace disque bas sous la base\u{a0}: {} libres, moins que le seuil de {} (TISSU_MIN_FREE_DISK_MB)",
            crate::health::french_size(free),
            crate::health::french_size(threshold)
        )),
        Ok(_) => {}
        Err(e) => problem(format!("espace disque sous la base inconnu\u{a0}: {e}")),
    }
    found
}

/// A base URL only this machine reaches (a trial run): http is fine there.
fn is_local(url: &str) -> bool {
    let rest = url.trim_start_matches("http://");
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    host == "localhost" || host.starts_with("127.") || rest.starts_with("[::1]")
}

/// The file's mode when others (group or world) may read it.
fn readable_by_others(path: &Path) -> Option<u32> {
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o044 != 0).then_some(mode)
}

/// Why the database (or the folder it is created in, which SQLite also
/// writes: its journal) cannot be written, if so.
fn not_writable(database: &Path) -> Option<String> {
    let folder = match database.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    for path in [database, folder] {
        if !path.exists() {
            continue;
        }
        let Ok(c_path) =
            std::ffi::CString::new(std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()))
        else {
            continue;
        };
        // SAFETY: a NUL-terminated path; access only reads it.
        if unsafe { libc::access(c_path.as_ptr(), libc::W_OK) } != 0 {
            return Some(format!(
                "{}\u{a0}: {}",
                path.display(),
                std::io::Error::last_os_error()
            ));
        }
    }
    None
}

/// The database's schema against the one the migrations build (see
/// `store::schema_check`): a file changed outside tissu. A database older
/// than this binary is not a problem: the next start migrates it.
pub async fn schema_problems(settings: &Settings) -> Vec<Problem> {
    let Some(database) = settings.database.path().filter(|p| p.exists()) else {
        return Vec::new();
    };
    let shown = database.display();
    match crate::store::schema_check::differences_in_file(&database).await {
        Ok(found) if found.is_empty() => Vec::new(),
        Ok(found) => vec![Problem(format!(
            "la base ({shown}) n'a pas le schéma que construisent les migrations de tissu ({})\u{a0}: \
             elle a été changée hors de tissu\u{a0}; arrêtez le service et restaurez une sauvegarde saine (tissu restore)",
            found.join("\u{a0}; ")
        ))],
        Err(e) => vec![Problem(format!(
            "la base ({shown}) n'est pas une base tissu lisible ({e})\u{a0}: vérifiez TISSU_DATABASE"
        ))],
    }
}

/// Where the instance's keys come from: the configuration (the same for every
/// instance of a shared database) or the files beside the database.
pub fn keys_origin(settings: &Settings) -> String {
    let origin = |given: bool, variable: &str, extension: &str| match settings.database.path() {
        _ if given => format!("la configuration ({variable})"),
        Some(database) => format!(
            "le fichier {}",
            database.with_extension(extension).display()
        ),
        None => format!("une clé faite à chaque démarrage ({variable} manque)"),
    };
    format!(
        "clé des liens personnels\u{a0}: {}\u{a0}; clé des sessions\u{a0}: {}",
        origin(settings.link_key.is_some(), "TISSU_LINK_KEY", "link.key"),
        origin(
            settings.session_key.is_some(),
            "TISSU_SESSION_KEY",
            "session.key"
        )
    )
}

/// Prints the problems; true when there were none.
pub async fn run(settings: &Settings) -> bool {
    println!("tissu doctor\u{a0}: {}.", keys_origin(settings));
    let mut found = problems(settings);
    found.extend(schema_problems(settings).await);
    if found.is_empty() {
        println!("tissu doctor\u{a0}: aucun problème de configuration vu.");
        return true;
    }
    println!(
        "tissu doctor\u{a0}: {} problème{} de configuration\u{a0}:",
        found.len(),
        if found.len() > 1 { "s" } else { "" }
    );
    for Problem(text) in &found {
        println!("  - {text}");
    }
    false
}
