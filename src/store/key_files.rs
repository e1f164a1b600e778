//! Secrets kept in files beside the database (the session key, the link key):
//! created on first start, readable by their owner only, never in the database,
//! so that a copy of the database alone opens nothing.

use crate::domain::link_key::LinkKey;
use std::path::Path;

pub fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    // On the disk before anything relies on it: a key lost to a crash would
    // orphan every session or link made with it.
    file.sync_all()?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// The link key of the database at `db_path` (`tissu.db` → `tissu.link.key`),
/// created on first use; a fresh one for an in-memory database.
pub fn link_key(db_path: Option<&Path>) -> anyhow::Result<LinkKey> {
    let Some(db_path) = db_path else {
        return Ok(LinkKey::generate());
    };
    let path = db_path.with_extension("link.key");
    match std::fs::read_to_string(&path) {
        Ok(encoded) => LinkKey::parse(&encoded).map_err(|e| {
            anyhow::anyhow!(
                "{}\u{a0}: {e} (restaurez-la depuis la sauvegarde)",
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = LinkKey::generate();
            write_private(&path, &key.encode())?;
            tracing::info!(path = %path.display(), "created the link key file");
            Ok(key)
        }
        Err(e) => Err(e.into()),
    }
}
