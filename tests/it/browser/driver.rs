//! The chromedriver process behind one session.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::helpers::poll_until;

pub const CHROMIUM: &str = "/usr/bin/chromium";
const READY_TIMEOUT: Duration = Duration::from_secs(10);
const LAUNCH_ATTEMPTS: usize = 3;

/// A running chromedriver, killed with every browser it started when dropped.
///
/// One per session: a shared driver would outlive the tests' runtimes and could
/// never be killed (statics are not dropped), leaving Chromium processes behind.
/// Starting one costs about 0.1 s.
pub struct Browser {
    child: Child,
    port: u16,
}

impl Browser {
    /// Starts chromedriver on a free loopback port and waits until it accepts connections.
    pub async fn launch(chromedriver: &Path) -> Result<Self, String> {
        let mut last_error = String::new();
        // The port is free when we pick it but another process may take it before
        // chromedriver binds it: then chromedriver exits and we try another port.
        for _ in 0..LAUNCH_ATTEMPTS {
            match Self::try_launch(chromedriver).await {
                Ok(browser) => return Ok(browser),
                Err(e) => last_error = e,
            }
        }
        Err(last_error)
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn try_launch(chromedriver: &Path) -> Result<Self, String> {
        let port = free_port()?;
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that Drop also kills the Chromium processes
            // it started even when the test panicked before closing the session.
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", chromedriver.display()))?;
        let mut browser = Browser { child, port };
        browser.wait_ready().await?;
        Ok(browser)
    }

    async fn wait_ready(&mut self) -> Result<(), String> {
        let (child, port) = (&mut self.child, self.port);
        let outcome = poll_until(READY_TIMEOUT, || {
            let exited = child.try_wait();
            async move {
                if let Ok(Some(status)) = exited {
                    return Some(Err(format!("chromedriver exited early ({status})")));
                }
                let listening = tokio::net::TcpStream::connect(("127.0.0.1", port)).await;
                listening.is_ok().then_some(Ok(()))
            }
        })
        .await;
        outcome.unwrap_or_else(|| Err(format!("chromedriver not ready after {READY_TIMEOUT:?}")))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let group = -(self.child.id() as i32);
        // SAFETY: kill(2) with a negative pid only sends a signal to the process group
        // we created for this chromedriver; it touches no memory.
        unsafe {
            libc::kill(group, libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    Ok(port)
}

/// The chromedriver executable on PATH, if any.
pub fn find_chromedriver() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromedriver"))
        .find(|candidate| candidate.is_file())
}
