//! A bad network, for real: a TCP relay between a browser and the app that
//! can lose the app's answers (the request arrives, the connection closes
//! before the answer does) and drop every open connection, as a phone's
//! network does in a crowded room. Used by the room's browser tests.

use crate::helpers::wait_until;

/// A TCP relay between the phone's browser and the app, whose answers can
/// be lost on the way back: the server gets each request, the phone never
/// gets the answer (the connection closes) — a bad network, for real.
pub struct FlakyNetwork {
    address: String,
    answers_lost: tokio::sync::watch::Sender<bool>,
    /// Connections that carry answers right now.
    open: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl FlakyNetwork {
    pub async fn to(app: &crate::helpers::TestApp) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let upstream = app.address.trim_start_matches("http://").to_string();
        let (answers_lost, watch) = tokio::sync::watch::channel(false);
        let open = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = open.clone();
        tokio::spawn(async move {
            while let Ok((mut phone, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let mut lost = watch.clone();
                let counted = counted.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await else {
                        return;
                    };
                    if *lost.borrow_and_update() {
                        // The request goes through; the answer is read and
                        // dropped, and the phone's connection closed.
                        let (mut from_phone, _to_phone) = phone.split();
                        let (mut from_server, mut to_server) = server.split();
                        let mut answer = [0u8; 1];
                        tokio::select! {
                            _ = tokio::io::copy(&mut from_phone, &mut to_server) => {}
                            _ = tokio::io::AsyncReadExt::read(&mut from_server, &mut answer) => {}
                        }
                        return;
                    }
                    // Until the network changes: then every open connection
                    // drops, as when a phone changes cell.
                    counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut phone, &mut server) => {}
                        _ = lost.changed() => {}
                    }
                    drop((phone, server));
                    counted.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                });
            }
        });
        Self {
            address,
            answers_lost,
            open,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn lose_answers(&self, lost: bool) {
        self.answers_lost.send_replace(lost);
    }

    /// Once no connection carries answers any more.
    pub async fn down(&self) {
        wait_until("every connection dropped", || async {
            self.open.load(std::sync::atomic::Ordering::SeqCst) == 0
        })
        .await
    }
}
