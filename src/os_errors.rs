//! The operating system's errors in French, with what to do: organisers read
//! them on the staff pages (a message that could not leave) and operators in
//! the command line's answers, where « Connection refused (os error 111) » said
//! neither what happened nor what to check.

use std::error::Error;
use std::io;

/// What an I/O error means and what to do about it.
pub fn french(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let said = match e.kind() {
        K::NotFound => "fichier ou dossier introuvable\u{a0}; vérifiez le chemin indiqué",
        K::PermissionDenied => {
            "accès refusé\u{a0}; vérifiez les droits du compte qui lance tissu sur ce fichier ou ce dossier"
        }
        K::ConnectionRefused => {
            "connexion refusée\u{a0}; aucun service n'écoute à cette adresse\u{a0}; vérifiez l'hôte, le port et que le serveur est démarré"
        }
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::NotConnected => {
            "connexion interrompue par l'autre côté\u{a0}; réessayez, puis consultez les journaux du serveur distant"
        }
        K::HostUnreachable | K::NetworkUnreachable => {
            "serveur injoignable\u{a0}; vérifiez le réseau, le nom de l'hôte et le pare-feu"
        }
        K::TimedOut | K::WouldBlock => {
            "délai dépassé\u{a0}; le serveur ne répond pas\u{a0}; vérifiez le réseau et le pare-feu"
        }
        K::AddrInUse => {
            "adresse déjà utilisée\u{a0}; un autre programme écoute sur ce port\u{a0}; arrêtez-le ou choisissez un autre port"
        }
        K::AddrNotAvailable => {
            "adresse indisponible sur cette machine\u{a0}; vérifiez l'adresse d'écoute"
        }
        K::AlreadyExists => "ce fichier existe déjà\u{a0}; choisissez un autre nom",
        K::StorageFull => "disque plein\u{a0}; libérez de la place puis réessayez",
        K::ReadOnlyFilesystem => {
            "système de fichiers en lecture seule\u{a0}; vérifiez le montage du disque"
        }
        K::NotADirectory => "un élément du chemin n'est pas un dossier\u{a0}; vérifiez le chemin",
        K::IsADirectory => "le chemin désigne un dossier, pas un fichier",
        K::DirectoryNotEmpty => "le dossier n'est pas vide",
        K::UnexpectedEof => "fin de fichier inattendue\u{a0}; le fichier est tronqué",
        K::InvalidData => "données illisibles\u{a0}; le fichier est abîmé ou n'est pas du bon type",
        K::OutOfMemory => "mémoire insuffisante\u{a0}; réessayez avec moins de travaux en cours",
        // Name resolution failures come as uncategorised errors whose text
        // is the resolver's.
        _ if e.to_string().contains("lookup address") => {
            "nom d'hôte inconnu\u{a0}; vérifiez son orthographe et le DNS de la machine"
        }
        _ => return format!("erreur du système ({e})"),
    };
    said.to_string()
}

/// An error and its causes, said in French: the first I/O error of the chain
/// replaces the English text of the layers that only repeat it.
pub fn explain(e: &(dyn Error + 'static)) -> String {
    let mut chain = vec![e];
    let mut next = e.source();
    while let Some(cause) = next {
        chain.push(cause);
        next = cause.source();
    }
    said(&chain)
}

/// What the command line prints of a failed command.
pub fn explain_any(e: &anyhow::Error) -> String {
    let chain: Vec<&(dyn Error + 'static)> = e.chain().collect();
    said(&chain)
}

fn said(chain: &[&(dyn Error + 'static)]) -> String {
    let Some((at, inner, french)) = chain
        .iter()
        .enumerate()
        .find_map(|(i, e)| in_french(*e).map(|(inner, french)| (i, inner, french)))
    else {
        return chain.first().map_or_else(String::new, |e| e.to_string());
    };
    // The layers above the system's error, without those that merely repeat
    // it (« error communicating with database: No such file… »).
    let mut parts: Vec<String> = chain[..at]
        .iter()
        .map(|e| e.to_string())
        .filter(|text| !text.contains(&inner))
        .collect();
    parts.push(french);
    parts.join(" — ")
}

/// The text of a system error of the chain and what it means in French: an
/// I/O error, or SQLite's own account of one (it cannot open, write, lock).
fn in_french(e: &(dyn Error + 'static)) -> Option<(String, String)> {
    if let Some(io) = as_io(e) {
        return Some((io.to_string(), french(io)));
    }
    let sqlite = e.downcast_ref::<sqlx::sqlite::SqliteError>()?;
    let code: i32 = sqlx::error::DatabaseError::code(sqlite)?.parse().ok()?;
    // Primary result codes (the low byte of an extended one).
    let said = match code & 0xff {
        5 | 6 => "la base est occupée par un autre programme\u{a0}; réessayez dans un instant, ou arrêtez celui qui la tient",
        8 => "la base est en lecture seule\u{a0}; vérifiez les droits du compte qui lance tissu sur le fichier et son dossier, et le montage du disque",
        13 => "disque plein\u{a0}; libérez de la place à côté de la base puis réessayez",
        14 => "impossible d'ouvrir la base\u{a0}; vérifiez que son dossier existe et que le compte qui lance tissu peut y écrire",
        26 => "ce fichier n'est pas une base SQLite\u{a0}; vérifiez le chemin indiqué",
        _ => return None,
    };
    Some((e.to_string(), said.to_string()))
}

fn as_io<'a>(e: &'a (dyn Error + 'static)) -> Option<&'a io::Error> {
    e.downcast_ref::<io::Error>()
        .or_else(|| match e.downcast_ref::<sqlx::Error>() {
            Some(sqlx::Error::Io(io)) => Some(io),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_wrapped_in_context_is_said_in_french() {
        let e = anyhow::Error::new(io::Error::from_raw_os_error(libc::ECONNREFUSED))
            .context("127.0.0.1:2525");
        assert_eq!(
            explain_any(&e),
            "127.0.0.1:2525 — connexion refusée\u{a0}; aucun service n'écoute à cette adresse\u{a0}; vérifiez l'hôte, le port et que le serveur est démarré"
        );
        let missing = io::Error::from_raw_os_error(libc::ENOENT);
        assert!(!explain(&missing).contains("os error"));
    }
}
