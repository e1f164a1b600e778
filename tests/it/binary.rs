//! The real binary, started as an operator would, on a database file.

use crate::helpers::{browser_client, words, Browser};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The real binary serving a database file.
pub struct Server {
    child: Child,
    address: String,
}

impl Server {
    pub fn start(database: &Path) -> Self {
        Self::start_with(database, &[])
    }

    /// With these extra `TISSU_*` settings in its environment.
    pub fn start_with(database: &Path, env: &[(&str, String)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tissu"))
            .env("RUST_LOG", "error")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .args(["--bind", "127.0.0.1:0", "--database"])
            .arg(format!("sqlite://{}", database.display()))
            .arg("serve")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        // Log lines may come first.
        while !words(&line).starts_with("adresse : ") {
            line.clear();
            if stdout.read_line(&mut line).unwrap() == 0 {
                panic!("the server stopped before printing its url");
            }
        }
        // The server logs to its standard output: keep reading it, so that it
        // never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let address = words(&line)
            .trim()
            .strip_prefix("adresse : ")
            .unwrap_or_else(|| panic!("the server prints its url, got {line:?}"))
            .to_string();
        Self { child, address }
    }

    pub fn browser(&self) -> Browser {
        Browser {
            address: self.address.clone(),
            client: browser_client(),
        }
    }

    /// SIGKILL: no graceful stop, as in a crash (Drop does the rest).
    pub fn kill(self) {}

    pub fn stop(mut self) {
        // SAFETY: sends SIGTERM to the child this test spawned.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
