//! Spawns the real application on 127.0.0.1:0 with a fresh SQLite file, and a
//! client that behaves like a browser (cookies, no automatic redirects), and
//! `wait_until`, the one way a test waits for something to happen.

use std::future::Future;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tissu::config::{DatabaseArg, Settings, SiteArgs};
use tissu::domain::{Email, Token};
use tissu::startup::Application;
use tissu::store::{self, Db};

pub struct TestApp {
    /// The app's own browser: a test that plays a single user calls its
    /// methods (`get`, `post_form`…) on the app itself, through `Deref`.
    pub browser: Browser,
    pub db: Db,
    // Kept to restart the app on the same database (`spawn_with`).
    #[allow(dead_code)]
    pub settings: Settings,
    // Dropped last: the database file lives here.
    #[allow(dead_code)]
    pub dir: tempfile::TempDir,
    /// The test's own PostgreSQL database, when the suite runs on
    /// PostgreSQL (`TISSU_TEST_BACKEND=postgres`): dropped with the app.
    #[allow(dead_code)]
    pub scratch: Option<crate::postgres::Scratch>,
}

impl Deref for TestApp {
    type Target = Browser;

    fn deref(&self) -> &Browser {
        &self.browser
    }
}

fn init_logs() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        if std::env::var("TEST_LOG").is_ok() {
            tissu::telemetry::init();
        }
    });
}

pub fn browser_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

pub async fn spawn_app() -> TestApp {
    init_logs();
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = Settings {
        database: DatabaseArg {
            url: format!("sqlite://{}", dir.path().join("tissu.db").display()),
        },
        site: SiteArgs {
            bind: "127.0.0.1:0".into(),
            ..SiteArgs::default()
        },
        workers: Some(1),
        ..Settings::default()
    };
    spawn_with(settings, dir).await
}

/// Starts the app on an existing database directory (to test restarts).
///
/// When the suite runs on PostgreSQL, a new SQLite file is replaced by a
/// new database of the test's own on the server.
pub async fn spawn_with(mut settings: Settings, dir: tempfile::TempDir) -> TestApp {
    let scratch = if settings.database.url.starts_with("sqlite") {
        crate::postgres::suite_database(&mut settings).await
    } else {
        None
    };
    start(settings, dir, scratch).await
}

async fn start(
    settings: Settings,
    dir: tempfile::TempDir,
    scratch: Option<crate::postgres::Scratch>,
) -> TestApp {
    let app = Application::build(&settings).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port);
    let db = app.db.clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        browser: Browser {
            address,
            client: browser_client(),
        },
        db,
        settings,
        dir,
        scratch,
    }
}

/// `spawn_app` on a SQLite file whatever backend the suite runs on: for
/// the tests about the file itself (its bytes, its copies, its disk, its
/// single writer held).
pub async fn spawn_app_on_sqlite() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = Settings {
        database: DatabaseArg {
            url: format!("sqlite://{}", dir.path().join("tissu.db").display()),
        },
        site: SiteArgs {
            bind: "127.0.0.1:0".into(),
            ..SiteArgs::default()
        },
        workers: Some(1),
        ..Settings::default()
    };
    spawn_with_on_sqlite(settings, dir).await
}

/// `spawn_with`, keeping the SQLite file of `settings` (see `spawn_app_on_sqlite`).
pub async fn spawn_with_on_sqlite(settings: Settings, dir: tempfile::TempDir) -> TestApp {
    init_logs();
    start(settings, dir, None).await
}

/// A browser of its own (its own cookies), signed in or not.
pub struct Browser {
    pub address: String,
    pub client: reqwest::Client,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self {
            address: app.address.clone(),
            client: browser_client(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form("/connexion", &[("email", email), ("password", password)])
            .await
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// The status and the words of a page (see `words`).
    pub async fn get_html(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.visible_text().await)
    }

    /// The CSRF value of this browser, read from a page as a browser would.
    pub async fn csrf(&self) -> String {
        let (_, html) = self.get_html("/connexion").await;
        input_value(&html, "csrf").expect("a CSRF field on the login page")
    }

    /// POSTs a form with this browser's CSRF field.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let csrf = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// POSTs exactly these fields (no CSRF added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let body = serde_urlencoded::to_string(fields).expect("form encodes");
        self.client
            .post(self.url(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST")
    }

    /// POSTs a file the way a browser sends an upload form.
    pub async fn post_file(
        &self,
        path: &str,
        field: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let csrf = self.csrf().await;
        let boundary = "----tissu-test-boundary";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
        body.extend_from_slice(&bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.client
            .post(self.url(path))
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .expect("POST file")
    }
}

/// A text as the tests read it: its no-break spaces (U+00A0, U+202F) are
/// read as ordinary spaces. The tests check the words a page, an email or a
/// command says; where a line may break is checked once, by the typography
/// tests (`french_typography`, `french_copy`), which read the exact bytes.
pub fn words(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
}

/// How many messages of this kind (`invitation`, `reminder`…) the outbox holds.
pub async fn queued(db: &tissu::store::Db, kind: &str) -> usize {
    tissu::store::testing::outbox_messages(db)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.kind == kind)
        .count()
}

/// The audit log's lines of one action, oldest first, read as `words`.
pub async fn audit_lines(db: &tissu::store::Db, action: &str) -> Vec<String> {
    tissu::store::testing::audit_details(db, action)
        .await
        .unwrap()
        .iter()
        .map(|line| words(line))
        .collect()
}

/// The body of a response, read as `words`.
pub trait VisibleText {
    fn visible_text(self) -> impl std::future::Future<Output = String> + Send;
}

impl VisibleText for reqwest::Response {
    async fn visible_text(self) -> String {
        words(&self.text().await.expect("body"))
    }
}

/// The `value` of the first input named `name` in a page.
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\"");
    let start = html.find(&needle)?;
    let tag_start = html[..start].rfind('<')?;
    let tag_end = start + html[start..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let value_at = tag.find("value=\"")? + 7;
    let value_end = value_at + tag[value_at..].find('"')?;
    Some(unescape(&tag[value_at..value_end]))
}

pub fn unescape(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The workshop session the staff tests hold: "Atelier du 15 avril" 2026 in
/// Segré, with this capacity. Returns its id.
pub async fn add_workshop_session(db: &Db, fixture: &Fixture, capacity: Option<i64>) -> i64 {
    store::workshops::sessions::add(
        db,
        fixture.campaign_id,
        &store::workshops::sessions::NewSession::on_day(
            "Atelier du 15 avril",
            "2026-04-15",
            "Segré",
            capacity,
        ),
    )
    .await
    .unwrap()
}

/// A tissu database as an older binary left it: the migrations before
/// `version` only.
pub async fn database_before(database: &Path, version: i64) {
    use sqlx::ConnectOptions;
    use tissu::domain::collation;
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(database)
        .create_if_missing(true)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .collation(collation::NAME, collation::french)
        .connect()
        .await
        .unwrap();
    let mut before = sqlx::migrate!("./migrations");
    before.migrations = before
        .migrations
        .iter()
        .filter(|m| m.version < version)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    before.run(&mut conn).await.unwrap();
    sqlx::Connection::close(conn).await.unwrap();
}

/// A database file as an older binary left it (the migrations before
/// `version`), holding `rows`: SQL statements where `{at}` is a date and
/// `{hash}` a token hash. The folder goes with the file.
pub async fn old_database(version: i64, rows: &[&str]) -> (tempfile::TempDir, String) {
    use sqlx::{ConnectOptions, Connection};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old.db");
    database_before(&file, version).await;
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&file)
        .collation(
            tissu::domain::collation::NAME,
            tissu::domain::collation::french,
        )
        .connect()
        .await
        .unwrap();
    for sql in rows {
        let sql = sql
            .replace("{at}", "2026-01-01T00:00:00Z")
            .replace("{hash}", &"a".repeat(64));
        sqlx::query(&sql).execute(&mut conn).await.unwrap();
    }
    conn.close().await.unwrap();
    let url = format!("sqlite://{}", file.display());
    (dir, url)
}

/// A file of tests/fixtures (real-world spreadsheets to import).
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The bytes of a file of tests/fixtures.
pub fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap()
}

/// A territory with a small directory and an open campaign.
pub struct Fixture {
    pub territory_id: i64,
    pub campaign_id: i64,
    pub campaign_slug: String,
    pub firm_ids: Vec<i64>,
}

pub const FIRMS: &[&str] = &[
    "Scierie du Lion",
    "Mécanique de l'Oudon",
    "Laiterie du Segréen",
    "Plasturgie Segréenne",
];

pub async fn seed_campaign(db: &Db, slug: &str) -> Fixture {
    let territory = store::territories::create(
        db,
        tissu::store::audit::Actor::instance(None),
        &format!("t-{slug}"),
        &format!("Territoire {slug}"),
    )
    .await
    .unwrap();
    let campaign = store::campaigns::create(
        db,
        &store::campaigns::NewCampaign {
            territory_id: territory.id,
            slug,
            title: "Diagnostic de test",
            description: "Une campagne pour les tests.",
            online_opens_at: None,
            online_closes_at: None,
        },
    )
    .await
    .unwrap();
    store::campaigns::set_status(
        db,
        tissu::store::audit::Actor::instance(None),
        campaign.id,
        tissu::domain::campaign::CampaignStatus::Open,
    )
    .await
    .unwrap();
    let mut tx = db.begin().await.unwrap();
    let mut firm_ids = Vec::new();
    for name in FIRMS {
        let firm = store::firms::NewFirm {
            name,
            sector: Some("Industrie"),
            ..Default::default()
        };
        firm_ids.push(
            store::firms::insert(&mut tx, territory.id, &firm, "directory")
                .await
                .unwrap(),
        );
    }
    tx.commit().await.unwrap();
    Fixture {
        territory_id: territory.id,
        campaign_id: campaign.id,
        campaign_slug: slug.into(),
        firm_ids,
    }
}

/// Invites a participant of the given firm and returns their personal token.
pub async fn invite(db: &Db, fixture: &Fixture, email: &str, firm_index: usize) -> Token {
    let mut tx = db.begin().await.unwrap();
    let created = store::participants::create(
        &mut tx,
        &db.link_key,
        &store::participants::NewParticipant {
            campaign_id: fixture.campaign_id,
            firm_id: Some(fixture.firm_ids[firm_index]),
            first_name: "Marie",
            last_name: "Test",
            email: &Email::parse(email).unwrap(),
            origin: "invitation",
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    match created {
        store::participants::Created::Issued { token, .. } => token,
        store::participants::Created::AlreadyRegistered => panic!("{email} invited twice"),
    }
}

/// A campaign seeded under `slug` and one invited respondent (of the first
/// firm), with the path of their personal link and the campaign's catalogue.
pub struct Invited {
    pub app: TestApp,
    pub path: String,
    pub catalogue: tissu::domain::catalogue::Catalogue,
}

pub async fn invited_respondent(slug: &str) -> Invited {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, slug).await;
    let catalogue = store::catalogue::load(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    let token = invite(&app.db, &fixture, &format!("resp@{slug}.fr"), 0).await;
    Invited {
        path: format!("/r/{}", token.as_str()),
        catalogue,
        app,
    }
}

/// How long a test waits for something that should happen soon: long, since
/// it only runs out when the test fails (two cores, many tests at once).
pub const PATIENCE: Duration = Duration::from_secs(30);

/// What a condition polled by `wait_until` answers: `true`, or `Some` of what
/// it found, once it holds.
pub trait Ready {
    type Found;
    fn found(self) -> Option<Self::Found>;
}

impl Ready for bool {
    type Found = ();
    fn found(self) -> Option<()> {
        self.then_some(())
    }
}

impl<T> Ready for Option<T> {
    type Found = T;
    fn found(self) -> Option<T> {
        self
    }
}

/// Polls `condition` until it holds and returns what it found; fails after
/// `PATIENCE`, naming `what` it waited for.
pub async fn wait_until<R, F>(what: &str, condition: impl FnMut() -> F) -> R::Found
where
    R: Ready,
    F: Future<Output = R>,
{
    poll_until(PATIENCE, condition)
        .await
        .unwrap_or_else(|| panic!("waited {PATIENCE:?} in vain for: {what}"))
}

/// The loop under `wait_until`, for the few callers that fail their own way
/// (the browser harness returns an error with a screenshot; a child process
/// is killed first).
pub async fn poll_until<R, F>(
    patience: Duration,
    mut condition: impl FnMut() -> F,
) -> Option<R::Found>
where
    R: Ready,
    F: Future<Output = R>,
{
    let deadline = Instant::now() + patience;
    loop {
        if let Some(found) = condition().await.found() {
            return Some(found);
        }
        if Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The exit status of a child process, once it exits (killed, and the test
/// failed, if it has not after `PATIENCE`).
pub async fn exit_of(child: &mut std::process::Child, what: &str) -> std::process::ExitStatus {
    let exited = poll_until(PATIENCE, || {
        std::future::ready(child.try_wait().expect("the child's status"))
    })
    .await;
    exited.unwrap_or_else(|| {
        let _ = child.kill();
        panic!("waited {PATIENCE:?} in vain for: {what}")
    })
}
