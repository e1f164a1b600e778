//! Browser tests in a real headless Chromium driven over WebDriver.
//!
//! `start(js)` gives a [`Session`], or `None` when Chromium is not installed (outside CI).
//! Every helper that fails saves a screenshot and the page HTML under
//! `target/browser-failures/<test>-<n>.png|html` before returning its error.
//!
//! Findings with Chromium 156 that shape this harness:
//! - `--blink-settings=scriptEnabled=false` really turns the page's JavaScript off, yet
//!   WebDriver scripts still run in it (so `axe_check` works there too; see `axe.rs`).
//! - The page's CSP (`script-src 'self'`) governs the page's own scripts only: WebDriver
//!   scripts, even an `eval` inside them, are not subject to it.
//!
//! Call `start` from the test's own body (not a spawned task): the test's thread name
//! names the failure files.
//!
//! Over 400 lines: the one WebDriver harness (session, waits, axe, viewport) every browser journey uses.

// Each test uses a few helpers only; the unused rest must not fail clippy.
#![allow(dead_code)]

mod axe;
mod driver;

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::error::CmdError;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::helpers::poll_until;
pub use axe::{assert_accessible, axe_check};
use driver::{find_chromedriver, Browser, CHROMIUM};

const WINDOW_HEIGHT: u32 = 900;
const FIND_TIMEOUT: Duration = Duration::from_secs(5);

/// A helper's failure: what was attempted, why it failed, and where the evidence is.
pub struct BrowserError(String);

// Debug shows the plain message so that `.unwrap()` prints a readable panic.
impl fmt::Debug for BrowserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for BrowserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BrowserError {}

pub type BrowserResult<T> = Result<T, BrowserError>;

/// One Chromium window, with its own chromedriver and throw-away profile.
pub struct Session {
    client: Client,
    js: bool,
    test_name: String,
    failures: AtomicU32,
    // Fields drop in declaration order: the driver and its Chromium must be dead
    // before the profile directory is deleted.
    _browser: Browser,
    _profile: tempfile::TempDir,
    _permit: Option<std::sync::Arc<tokio::sync::OwnedSemaphorePermit>>,
}

static SESSIONS: std::sync::LazyLock<std::sync::Arc<tokio::sync::Semaphore>> =
    std::sync::LazyLock::new(|| std::sync::Arc::new(tokio::sync::Semaphore::new(2)));

thread_local! {
    /// The permit of the test running on this thread, while one of its
    /// browsers is open.
    static HELD: std::cell::RefCell<std::sync::Weak<tokio::sync::OwnedSemaphorePermit>> =
        const { std::cell::RefCell::new(std::sync::Weak::new()) };
}

/// Opens a headless Chromium, with JavaScript on or off.
///
/// Returns `None` (and says why on stderr) when Chromium or chromedriver is missing,
/// unless `CI=true`, where a missing browser must fail the run instead of hiding tests.
pub async fn start(js: bool) -> Option<Session> {
    let chromedriver = match find_prerequisites() {
        Ok(path) => path,
        Err(why) if running_in_ci() => {
            panic!(
                "browser tests cannot run in CI: {why} (apt-get install chromium chromium-driver)"
            )
        }
        Err(why) => {
            eprintln!("browser tests skipped: {why}");
            return None;
        }
    };
    // Two tests with browsers at a time at most: on two cores, more make
    // chromedriver miss its start-up and every page slower. The limit is per
    // test, not per Chromium: a test that opens a second browser (projector
    // and phone) shares its first one's permit, so two such tests never wait
    // on each other's second browser (each test body runs on its own thread).
    let held = HELD.with(|held| held.borrow().upgrade());
    let permit = match held {
        Some(permit) => permit,
        None => {
            let permit = std::sync::Arc::new(
                SESSIONS
                    .clone()
                    .acquire_owned()
                    .await
                    .expect("the semaphore is never closed"),
            );
            HELD.with(|held| *held.borrow_mut() = std::sync::Arc::downgrade(&permit));
            permit
        }
    };
    let mut last_error = String::new();
    for _ in 0..3 {
        match Session::open(&chromedriver, js).await {
            Ok(mut session) => {
                session._permit = Some(permit);
                return Some(session);
            }
            Err(e) => last_error = e,
        }
    }
    panic!("cannot open a browser session: {last_error}")
}

fn find_prerequisites() -> Result<PathBuf, String> {
    if !std::path::Path::new(CHROMIUM).is_file() {
        return Err(format!("{CHROMIUM} is missing"));
    }
    find_chromedriver().ok_or_else(|| "chromedriver is not on PATH".to_string())
}

fn running_in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

impl Session {
    async fn open(chromedriver: &std::path::Path, js: bool) -> Result<Self, String> {
        let profile = tempfile::Builder::new()
            .prefix("tissu-chromium-")
            .tempdir()
            .map_err(|e| format!("no temp dir for the profile: {e}"))?;
        let browser = Browser::launch(chromedriver).await?;
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities(&profile, js))
            .connect(&browser.url())
            .await
            .map_err(|e| format!("chromedriver refused the session: {e}"))?;
        Ok(Session {
            client,
            js,
            test_name: current_test_name(),
            failures: AtomicU32::new(0),
            _browser: browser,
            _profile: profile,
            _permit: None,
        })
    }

    /// The raw fantoccini client, for what the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn js_enabled(&self) -> bool {
        self.js
    }

    /// Ends the WebDriver session cleanly; dropping the session also works, harder.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }

    pub async fn goto(&self, url: &str) -> BrowserResult<()> {
        self.step(&format!("goto {url}"), self.client.goto(url))
            .await
    }

    /// The page's title, read as `helpers::words`.
    pub async fn title(&self) -> BrowserResult<String> {
        self.step("title", self.client.title())
            .await
            .map(|title| crate::helpers::words(&title))
    }

    /// Types `text` into the field matched by `css`, replacing what it held.
    pub async fn fill(&self, css: &str, text: &str) -> BrowserResult<()> {
        self.step(&format!("fill {css}"), async {
            let field = self.find(css).await?;
            field.clear().await?;
            field.send_keys(text).await
        })
        .await
    }

    pub async fn click(&self, css: &str) -> BrowserResult<()> {
        self.step(&format!("click {css}"), async {
            self.find(css).await?.click().await
        })
        .await
    }

    /// Submits the form matched by `form_css` through its first submit button, as a
    /// person would; works with JavaScript off, unlike `form.submit()`.
    pub async fn submit_form(&self, form_css: &str) -> BrowserResult<()> {
        self.mark_document().await?;
        self.step(&format!("submit {form_css}"), async {
            self.find(form_css).await?;
            let form = self.client.form(Locator::Css(form_css)).await?;
            form.submit().await
        })
        .await?;
        self.wait_for_new_document(&format!("submit {form_css}"))
            .await
    }

    /// Clicks what `css` matches and waits for the page it leads to.
    pub async fn click_and_wait(&self, css: &str) -> BrowserResult<()> {
        self.mark_document().await?;
        self.click(css).await?;
        self.wait_for_new_document(&format!("click {css}")).await
    }

    // WebDriver returns from a click or a submit before the browser has loaded the
    // next page; a mark set on the old document tells when it has been replaced.
    // WebDriver scripts run even with the page's JavaScript off.
    async fn mark_document(&self) -> BrowserResult<()> {
        self.step(
            "mark the document",
            self.client
                .execute("window.__tissuOld = true; return null;", vec![]),
        )
        .await
        .map(|_| ())
    }

    async fn wait_for_new_document(&self, what: &str) -> BrowserResult<()> {
        const CHECK: &str = "return !window.__tissuOld && document.readyState === 'complete';";
        let loaded = poll_until(Duration::from_secs(5), || async {
            // Errors while the old page unloads are expected: try again.
            let answer = self.client.execute(CHECK, vec![]).await;
            answer.is_ok_and(|loaded| loaded.as_bool() == Some(true))
        })
        .await;
        match loaded {
            Some(()) => Ok(()),
            None => Err(self.failure(what, "the next page never loaded").await),
        }
    }

    /// Chooses the option of value `value` in the select matched by `css`.
    pub async fn select_value(&self, css: &str, value: &str) -> BrowserResult<()> {
        self.step(&format!("select {value} in {css}"), async {
            self.find(css).await?.select_by_value(value).await
        })
        .await
    }

    /// The path of the current page (no origin), e.g. to follow redirects.
    pub async fn current_path(&self) -> BrowserResult<String> {
        let url = self.step("current url", self.client.current_url()).await?;
        Ok(url.path().to_string())
    }

    /// The elements sticking out of the viewport on the right, to say what makes
    /// a page scroll sideways.
    pub async fn overflowing_elements(&self) -> BrowserResult<Vec<String>> {
        const SCRIPT: &str = "const w = document.documentElement.clientWidth; \
            return Array.from(document.querySelectorAll('main *')) \
              .filter(e => e.getBoundingClientRect().right > w + 1) \
              .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= w + 1) \
              .slice(0, 10) \
              .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + e.className : '') + ' (' + Math.round(e.getBoundingClientRect().right) + 'px)');";
        let value = self
            .step(
                "find overflowing elements",
                self.client.execute(SCRIPT, vec![]),
            )
            .await?;
        Ok(value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// WCAG 1.4.10: at 320 px wide the page must not scroll sideways; says which
    /// elements stick out when it does. Restores the usual width.
    pub async fn check_reflow(&self, label: &str) -> Result<(), String> {
        self.set_window_width(320)
            .await
            .map_err(|e| e.to_string())?;
        let overflows = self
            .overflows_horizontally()
            .await
            .map_err(|e| e.to_string())?;
        let culprits = if overflows {
            self.overflowing_elements()
                .await
                .map_err(|e| e.to_string())?
        } else {
            Vec::new()
        };
        self.set_window_width(1280)
            .await
            .map_err(|e| e.to_string())?;
        if overflows {
            let png = self.screenshot_on_failure().await;
            return Err(format!(
                "{label}: scrolls sideways at 320 px because of {culprits:?} (screenshot: {})",
                png.display()
            ));
        }
        Ok(())
    }

    /// Presses Tab until the element with this id has the focus, as a keyboard
    /// user moves through a page; fails after `max` presses.
    pub async fn tab_to(&self, id: &str, max: usize) -> BrowserResult<()> {
        for _ in 0..max {
            if self.active_element_attr("id").await?.as_deref() == Some(id) {
                return Ok(());
            }
            self.press_tab().await?;
        }
        Err(self
            .failure(
                &format!("tab to #{id}"),
                &format!("not reached in {max} presses of Tab"),
            )
            .await)
    }

    /// The rendered text of the first element matched by `css`, waiting for it
    /// to appear, read as `helpers::words`.
    pub async fn text_of(&self, css: &str) -> BrowserResult<String> {
        self.step(&format!("text of {css}"), async {
            self.find(css).await?.text().await
        })
        .await
        .map(|text| crate::helpers::words(&text))
    }

    /// Resizes the window for responsive checks (e.g. 320 px, WCAG 1.4.10 reflow).
    pub async fn set_window_width(&self, width: u32) -> BrowserResult<()> {
        self.step(
            &format!("set window width {width}"),
            self.client.set_window_size(width, WINDOW_HEIGHT),
        )
        .await
    }

    /// Whether the page scrolls sideways, which WCAG 1.4.10 forbids at 320 px.
    pub async fn overflows_horizontally(&self) -> BrowserResult<bool> {
        const SCRIPT: &str = "const root = document.documentElement; \
                              return root.scrollWidth > root.clientWidth;";
        let answer = self
            .step(
                "measure page width",
                self.client.execute(SCRIPT, Vec::new()),
            )
            .await?;
        Ok(answer.as_bool().unwrap_or(true))
    }

    pub async fn press_tab(&self) -> BrowserResult<()> {
        self.press(Key::Tab, "Tab").await
    }

    pub async fn press_enter(&self) -> BrowserResult<()> {
        self.press(Key::Enter, "Enter").await
    }

    pub async fn press_space(&self) -> BrowserResult<()> {
        self.press(Key::Space, "Space").await
    }

    /// Types `text` into whatever has the keyboard focus.
    pub async fn type_keys(&self, text: &str) -> BrowserResult<()> {
        self.step("type keys", async {
            self.client.active_element().await?.send_keys(text).await
        })
        .await
    }

    /// An attribute of the focused element (`None` when it lacks it).
    pub async fn active_element_attr(&self, name: &str) -> BrowserResult<Option<String>> {
        self.step(&format!("attribute {name} of the focused element"), async {
            self.client.active_element().await?.attr(name).await
        })
        .await
    }

    /// Saves `target/browser-failures/<test>-<n>.png` and `.html`; returns the PNG path.
    pub async fn screenshot_on_failure(&self) -> PathBuf {
        let n = self.failures.fetch_add(1, Ordering::Relaxed) + 1;
        let dir = failures_dir();
        let base = dir.join(format!("{}-{n}", self.test_name));
        let png = base.with_extension("png");
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(bytes) = self.client.screenshot().await {
            let _ = std::fs::write(&png, bytes);
        }
        if let Ok(html) = self.client.source().await {
            let _ = std::fs::write(base.with_extension("html"), html);
        }
        png
    }

    /// A key press (down then up) sent to the focused element, like a keyboard would.
    async fn press(&self, key: Key, label: &str) -> BrowserResult<()> {
        let key = char::from(key);
        let actions = KeyActions::new("keyboard".to_string())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.step(
            &format!("press {label}"),
            self.client.perform_actions(actions),
        )
        .await
    }

    async fn find(&self, css: &str) -> Result<fantoccini::elements::Element, CmdError> {
        self.client
            .wait()
            .at_most(FIND_TIMEOUT)
            .for_element(Locator::Css(css))
            .await
    }

    /// Runs one WebDriver step; on failure, saves the evidence and explains.
    async fn step<T>(
        &self,
        what: &str,
        action: impl Future<Output = Result<T, CmdError>>,
    ) -> BrowserResult<T> {
        match action.await {
            Ok(value) => Ok(value),
            Err(e) => Err(self.failure(what, &e.to_string()).await),
        }
    }

    async fn failure(&self, what: &str, why: &str) -> BrowserError {
        let png = self.screenshot_on_failure().await;
        BrowserError(format!(
            "{what} failed: {why}\n  screenshot: {}",
            png.display()
        ))
    }
}

fn capabilities(profile: &tempfile::TempDir, js: bool) -> fantoccini::wd::Capabilities {
    let mut args = vec![
        "--headless".to_string(),
        "--no-sandbox".to_string(),
        "--disable-gpu".to_string(),
        "--disable-dev-shm-usage".to_string(),
        // This machine reaches no internet: stop Chromium from trying.
        "--disable-quic".to_string(),
        "--no-first-run".to_string(),
        "--disable-background-networking".to_string(),
        "--disable-component-update".to_string(),
        "--disable-sync".to_string(),
        format!("--user-data-dir={}", profile.path().display()),
        format!("--window-size=1280,{WINDOW_HEIGHT}"),
    ];
    if !js {
        args.push("--blink-settings=scriptEnabled=false".to_string());
    }
    let options = json!({ "binary": CHROMIUM, "args": args });
    let mut caps = fantoccini::wd::Capabilities::new();
    caps.insert("goog:chromeOptions".to_string(), options);
    caps
}

/// libtest names each test's thread after the test: `module::name` becomes `module__name`.
fn current_test_name() -> String {
    let name = std::thread::current()
        .name()
        .unwrap_or("unnamed-test")
        .replace("::", "__");
    name.replace(
        |c: char| !(c.is_alphanumeric() || c == '_' || c == '-'),
        "_",
    )
}

fn failures_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is `<target>/tmp` and follows CARGO_TARGET_DIR.
    let tmp = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("browser-failures")
}
