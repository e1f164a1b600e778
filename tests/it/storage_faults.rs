//! The storage failing under a running server, through the real binary: a full
//! disk, a file made read-only underneath it, a server started on a read-only
//! file. A save is acknowledged only once committed, a refused save comes back
//! with what was typed, the server recovers without a restart, and every
//! acknowledged save survives one.
//!
//! The faults are made on a small tmpfs, which needs the right to mount (root,
//! as in CI). Elsewhere these tests say they are skipped, except under CI=true.

use crate::binary::Server;
use crate::helpers::VisibleText;
use crate::helpers::{invite, seed_campaign, Browser};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use tissu::store::Db;

/// A small file system mounted on a temporary folder, unmounted on drop: a
/// tmpfs, or an ext4 image on a loop device (which can be made to fail the way
/// a dying disk does).
struct Tmpfs {
    mount_point: PathBuf,
    loop_device: Option<String>,
    _dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Self> {
        Self::mount_with(size, false)
    }

    fn mount_ext4(size: &str) -> Option<Self> {
        Self::mount_with(size, true)
    }

    fn mount_with(size: &str, ext4: bool) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let mount_point = dir.path().join("mnt");
        std::fs::create_dir(&mount_point).unwrap();
        let quiet = |command: &mut Command| {
            command
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        let mounted = if ext4 {
            let image = dir.path().join("disk.img");
            quiet(Command::new("truncate").args(["-s", size]).arg(&image))
                && quiet(Command::new("mkfs.ext4").args(["-q", "-F"]).arg(&image))
                && quiet(
                    Command::new("mount")
                        .args(["-o", "loop,errors=remount-ro"])
                        .arg(&image)
                        .arg(&mount_point),
                )
        } else {
            quiet(
                Command::new("mount")
                    .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
                    .arg(&mount_point),
            )
        };
        let loop_device = ext4.then(|| {
            let out = Command::new("findmnt")
                .args(["-n", "-o", "SOURCE"])
                .arg(&mount_point)
                .output()
                .unwrap();
            crate::helpers::words(&String::from_utf8_lossy(&out.stdout))
                .trim()
                .to_string()
        });
        if !mounted {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI must be able to mount a tmpfs for the storage fault tests"
            );
            eprintln!(
                "storage fault test skipped: mounting a tmpfs is not allowed here (run as root)"
            );
            return None;
        }
        Some(Self {
            mount_point,
            loop_device,
            _dir: dir,
        })
    }

    /// What the kernel does when a disk fails under ext4: the file system
    /// turns read-only at once, under every open file.
    fn fail_to_read_only(&self) {
        let device = self.loop_device.as_deref().expect("an ext4 scratch disk");
        let name = Path::new(device)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        std::fs::write(format!("/sys/fs/ext4/{name}/trigger_fs_error"), "1").unwrap();
    }

    /// Unmounts and mounts the image again, as an operator does after the fault.
    fn remount_image(&self) {
        let device = self.loop_device.as_deref().expect("an ext4 scratch disk");
        let image = self._dir.path().join("disk.img");
        assert!(Command::new("umount")
            .arg(&self.mount_point)
            .status()
            .unwrap()
            .success());
        let _ = device;
        assert!(Command::new("mount")
            .args(["-o", "loop"])
            .arg(&image)
            .arg(&self.mount_point)
            .status()
            .unwrap()
            .success());
    }

    fn path(&self, name: &str) -> PathBuf {
        self.mount_point.join(name)
    }

    fn remount(&self, mode: &str) {
        // Only possible while no file is open for writing on it.
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(&self.mount_point)
            .status()
            .unwrap();
        assert!(status.success(), "remount {mode}");
    }

    /// Fills the file system to the last byte, as `dd` does.
    fn fill(&self) {
        let _ = Command::new("dd")
            .args(["if=/dev/zero", "bs=4k"])
            .arg(format!("of={}", self.path("filler").display()))
            .stderr(Stdio::null())
            .status();
    }

    fn free(&self) {
        std::fs::remove_file(self.path("filler")).unwrap();
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(&self.mount_point)
            .status();
    }
}

/// A database with one open campaign and `people` invited participants; their
/// tokens.
async fn seeded(database: &Path, people: usize) -> Vec<String> {
    let db = Db::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    let fixture = seed_campaign(&db, "diag").await;
    let mut tokens = Vec::new();
    for i in 0..people {
        let token = invite(&db, &fixture, &format!("p{i}@example.fr"), i % 4).await;
        tokens.push(token.as_str().to_string());
    }
    db.close().await;
    tokens
}

/// The SWOT step saved with one strength naming the save.
async fn save_strength(browser: &Browser, token: &str, text: &str) -> reqwest::Response {
    browser
        .post_form(
            &format!("/r/{token}/swot"),
            &[
                ("strength_rows", "1"),
                ("strength_0", text),
                ("action", "next"),
            ],
        )
        .await
}

async fn health(browser: &Browser) -> (u16, String) {
    browser.get_html("/healthz").await
}

async fn strengths_kept(database: &Path) -> Vec<String> {
    let db = Db::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    let items = tissu::store::testing::swot_items(&db).await.unwrap();
    db.close().await;
    let mut texts: Vec<String> = items.into_iter().map(|i| i.text).collect();
    texts.sort();
    texts
}

#[tokio::test]
async fn journey_a_full_disk_refuses_saves_keeps_what_was_typed_and_recovers_without_restart() {
    // Room for the seeded database and the write-ahead log of its 60
    // transactions (each writes every index of participants).
    let Some(fs) = Tmpfs::mount("4m") else { return };
    let database = fs.path("tissu.db");
    let tokens = seeded(&database, 60).await;
    let server = Server::start(&database);
    let browser = server.browser();
    assert_eq!(
        save_strength(&browser, &tokens[0], "Avant : 0")
            .await
            .status(),
        303
    );
    let mut acknowledged = vec!["Avant : 0".to_string()];

    fs.fill();
    let mut refused = 0;
    for (i, token) in tokens.iter().enumerate().take(40).skip(1) {
        // Long enough that the write-ahead log must grow on the full disk.
        let text = format!("Pendant : {i} {}", "x".repeat(250));
        let response = save_strength(&browser, token, &text).await;
        match response.status().as_u16() {
            303 => acknowledged.push(text),
            503 => {
                refused += 1;
                let page = response.visible_text().await;
                assert!(
                    page.contains("Enregistrement impossible pour le moment"),
                    "{page}"
                );
                assert!(page.contains("le disque du serveur est plein"), "{page}");
                assert!(
                    page.contains(&format!("value=\"{text}\"")),
                    "what was typed comes back"
                );
                assert!(
                    page.contains("Réessayer l&#39;enregistrement")
                        || page.contains("Réessayer l'enregistrement")
                );
            }
            other => panic!("a save on a full disk answered {other}"),
        }
    }
    assert!(
        refused > 0,
        "the full disk refused no save: the test proves nothing"
    );
    let (status, body) = health(&browser).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("écriture dans la base : ÉCHEC"), "{body}");

    fs.free();
    for (i, token) in tokens.iter().enumerate().skip(40) {
        let text = format!("Après : {i}");
        let response = save_strength(&browser, token, &text).await;
        assert_eq!(response.status(), 303, "saves succeed once space is back");
        acknowledged.push(text);
    }
    let (status, body) = health(&browser).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("écriture dans la base : ok"), "{body}");

    server.stop();
    let kept = strengths_kept(&database).await;
    for text in &acknowledged {
        assert!(kept.contains(text), "acknowledged then lost: {text}");
    }
    eprintln!(
        "full disk: {} saves acknowledged, {} kept after restart, {refused} refused with 503",
        acknowledged.len(),
        acknowledged.iter().filter(|t| kept.contains(t)).count()
    );
}

#[tokio::test]
async fn a_disk_turned_read_only_underneath_refuses_saves_and_keeps_what_was_acknowledged() {
    let Some(fs) = Tmpfs::mount_ext4("16M") else {
        return;
    };
    let database = fs.path("tissu.db");
    let tokens = seeded(&database, 3).await;
    let server = Server::start(&database);
    let browser = server.browser();
    assert_eq!(
        save_strength(&browser, &tokens[0], "Avant").await.status(),
        303
    );

    fs.fail_to_read_only();
    for (token, text) in [(&tokens[1], "Pendant 1"), (&tokens[2], "Pendant 2")] {
        let response = save_strength(&browser, token, text).await;
        assert_eq!(response.status(), 503, "{text}");
        let page = response.visible_text().await;
        assert!(page.contains(&format!("value=\"{text}\"")), "{page}");
    }
    let (status, body) = health(&browser).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("écriture dans la base : ÉCHEC"), "{body}");
    server.stop();

    fs.remount_image();
    let kept = strengths_kept(&database).await;
    assert_eq!(
        kept,
        vec!["Avant".to_string()],
        "what was acknowledged, and only that"
    );
}

#[tokio::test]
async fn a_server_started_on_a_read_only_file_serves_pages_and_says_it_cannot_write() {
    let Some(fs) = Tmpfs::mount("8m") else { return };
    let database = fs.path("tissu.db");
    let tokens = seeded(&database, 1).await;
    // An instance that ran before: its session key file is beside the database.
    Server::start(&database).stop();
    fs.remount("ro");
    let server = Server::start(&database);
    let browser = server.browser();
    let (status, body) = health(&browser).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("lecture seule"), "{body}");
    let (status, ready) = browser.get_html("/readyz").await;
    assert_eq!(status, 200, "still ready for traffic: {ready}");
    let (status, _) = browser.get_html(&format!("/r/{}", tokens[0])).await;
    assert_eq!(status, 200, "pages are still served");
    let response = save_strength(&browser, &tokens[0], "Impossible").await;
    assert_eq!(response.status(), 503);
    server.stop();
}
