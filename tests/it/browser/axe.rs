//! Accessibility audit of the current page with axe-core (RGAA relies on WCAG 2.1 AA).

use serde_json::Value;

use super::Session;

const AXE_SOURCE: &str = include_str!("../../vendor/axe-core/axe.min.js");

const AXE_PRESENT: &str = "return typeof window.axe !== 'undefined'";

/// With `scriptEnabled=false`, Chromium still runs WebDriver scripts and promise
/// callbacks, but never fires timers, on which axe.run waits. No page script runs in such
/// a session, so timers can be replaced for axe alone: short delays (axe's "next tick")
/// become microtasks; long ones are watchdogs that may safely never fire.
const TIMERS_WITHOUT_JS: &str = r#"
window.setTimeout = (callback, delay, ...args) => {
  if (!(delay >= 100)) {
    Promise.resolve().then(() => callback(...args));
  }
  return 0;
};
window.clearTimeout = () => {};
"#;

/// Runs the WCAG 2.0/2.1 A and AA rules and hands back only what a report needs.
const RUN: &str = r#"
const done = arguments[arguments.length - 1];
const options = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  resultTypes: ['violations'],
};
window.axe.run(document, options).then(
  (results) => done({
    violations: results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map((n) => n.target.join(' ')),
    })),
  }),
  (error) => done({ error: String(error) }),
);
"#;

/// 0 axe violations, and no sideways scrolling at 320 px: the test fails
/// saying which rule or element is at fault.
pub async fn assert_accessible(session: &Session, label: &str) {
    axe_check(session, label)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session
        .check_reflow(label)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Audits the page `session` shows; `Err` lists each violation with the elements at fault.
///
/// Works in `start(false)` sessions too: `--blink-settings=scriptEnabled=false` stops the
/// page's scripts but not WebDriver's, so a no-JS journey is audited as it is shown.
pub async fn axe_check(session: &Session, page_label: &str) -> Result<(), String> {
    let violations = match run_axe(session).await {
        Ok(violations) => violations,
        Err(why) => {
            let png = session.screenshot_on_failure().await;
            return Err(format!(
                "axe could not audit {page_label}: {why}\n  screenshot: {}",
                png.display()
            ));
        }
    };
    if violations.is_empty() {
        return Ok(());
    }
    let png = session.screenshot_on_failure().await;
    Err(format!(
        "{} accessibility violation(s) on {page_label} (screenshot: {}):\n{}",
        violations.len(),
        png.display(),
        violations.join("\n")
    ))
}

async fn run_axe(session: &Session) -> Result<Vec<String>, String> {
    let client = session.client();
    inject(client)
        .await
        .map_err(|e| format!("injecting axe-core failed: {e}"))?;
    if !session.js_enabled() {
        client
            .execute(TIMERS_WITHOUT_JS, Vec::new())
            .await
            .map_err(|e| format!("replacing timers failed: {e}"))?;
    }
    let outcome = client
        .execute_async(RUN, Vec::new())
        .await
        .map_err(|e| format!("axe.run failed: {e}"))?;
    if let Some(error) = outcome.get("error") {
        return Err(format!("axe.run rejected: {error}"));
    }
    let violations = outcome["violations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    Ok(violations.iter().map(describe).collect())
}

/// Defines `axe` in the page unless an earlier audit already did.
///
/// The source goes in as the script itself. WebDriver scripts run through the DevTools
/// protocol, which the page's `script-src 'self'` does not govern (even `eval` inside them
/// passes), and which `scriptEnabled=false` does not stop either.
async fn inject(client: &fantoccini::Client) -> Result<(), fantoccini::error::CmdError> {
    if client.execute(AXE_PRESENT, Vec::new()).await? != Value::Bool(true) {
        client.execute(AXE_SOURCE, Vec::new()).await?;
    }
    Ok(())
}

/// One readable line per rule: `- [serious] label: Form elements must have labels (…) at #x, #y`.
fn describe(violation: &Value) -> String {
    let text = |key: &str| violation[key].as_str().unwrap_or("?").to_string();
    let targets: Vec<&str> = violation["targets"]
        .as_array()
        .map(|t| t.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    format!(
        "- [{}] {}: {} ({})\n    at {}",
        text("impact"),
        text("id"),
        text("help"),
        text("helpUrl"),
        targets.join(", ")
    )
}
