//! A real SMTP server on 127.0.0.1, inside the tests: it speaks enough of RFC
//! 5321 for lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps every
//! message it accepts, and can be told to answer the next DATA with a failure
//! or to hang up, as real relays do.

use crate::helpers::wait_until;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// How the sink answers the end of a message's DATA.
#[derive(Debug, Clone, Copy)]
pub enum Reply {
    Accept,
    /// 451: try again later.
    Transient,
    /// 550: refused for good.
    Permanent,
    /// Closes the connection without answering.
    HangUp,
}

#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub data: String,
}

#[derive(Clone, Default)]
pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<VecDeque<Reply>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = Self {
            port: listener.local_addr().unwrap().port(),
            ..Self::default()
        };
        let serving = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serving.clone().session(stream));
            }
        });
        sink
    }

    /// The next DATA commands are answered so, in order; then accepted.
    pub fn answer_next(&self, replies: &[Reply]) {
        self.script.lock().unwrap().extend(replies.iter().copied());
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until at least `count` messages arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        wait_until(&format!("{count} messages in the SMTP sink"), || {
            let got = self.received();
            std::future::ready((got.len() >= count).then_some(got))
        })
        .await
    }

    async fn session(self, stream: tokio::net::TcpStream) {
        // Answers go out at once, as a real server's do (no Nagle delay).
        let _ = stream.set_nodelay(true);
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
        let mut to = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let command = line.trim_end().to_ascii_uppercase();
            let answer: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
                b"250-sink.test\r\n250 8BITMIME\r\n"
            } else if command.starts_with("MAIL FROM") {
                to.clear();
                b"250 OK\r\n"
            } else if command.starts_with("RCPT TO") {
                let address = line.trim_end()[8..]
                    .trim()
                    .trim_matches(['<', '>'])
                    .to_string();
                to.push(address);
                b"250 OK\r\n"
            } else if command == "DATA" {
                let _ = write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                let reply = self
                    .script
                    .lock()
                    .unwrap()
                    .pop_front()
                    .unwrap_or(Reply::Accept);
                match reply {
                    Reply::Accept => {
                        self.received.lock().unwrap().push(Received {
                            to: std::mem::take(&mut to),
                            data,
                        });
                        b"250 OK queued\r\n"
                    }
                    Reply::Transient => b"451 4.3.0 Try again later\r\n",
                    Reply::Permanent => b"550 5.1.1 Mailbox unavailable\r\n",
                    Reply::HangUp => return,
                }
            } else if command.starts_with("QUIT") {
                let _ = write.write_all(b"221 Bye\r\n").await;
                return;
            } else {
                b"250 OK\r\n"
            };
            if write.write_all(answer).await.is_err() {
                return;
            }
        }
    }
}
