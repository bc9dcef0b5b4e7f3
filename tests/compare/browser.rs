//! The report in a real browser: headless Chromium renders report.html to
//! a screenshot that is not blank, prints it to PDF, and the page makes no
//! network requests (checked in Chromium's own network log).
//!
//! The test needs a browser, so it is `#[ignore]`d: a plain `cargo test`
//! reports it as *ignored* (not as a pass it never made), and
//! `cargo test --release --test compare -- --ignored` runs it, failing if
//! no Chromium is found. `.ci/run` installs Debian's `chromium` and runs
//! it. `TRAPPE_CHROMIUM` names the browser binary explicitly;
//! `TRAPPE_SCREENSHOT_DIR` keeps the screenshot for a human to look at.

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use crate::{Image, compare, scenario};

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TRAPPE_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in [
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Chromium, or a failure that says how to get it: this test only runs
/// when asked for (`--ignored`), so a missing browser is an error, never a
/// silent pass.
fn chromium_or_fail(test: &str) -> PathBuf {
    find_chromium().unwrap_or_else(|| {
        panic!(
            "{test}: no Chromium found (install Debian's `chromium`, or set TRAPPE_CHROMIUM to the browser binary)"
        )
    })
}

/// Run headless Chromium on `page` with `action` (e.g. `--screenshot=…`),
/// recording its network log in `netlog`.
fn chromium(browser: &Path, profile: &Path, netlog: &Path, action: &[String], page: &Path) {
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--log-net-log={}", netlog.display()))
        .args(action)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium starts");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// URLs the page itself requested over the network, from a NetLog: URL
/// requests whose network isolation key belongs to a `file://` page.
/// (Chromium's own background requests have other keys.)
fn page_requests(netlog: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(netlog).expect("netlog written");
    let log: serde_json::Value = serde_json::from_str(&text).expect("netlog is JSON");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
        .as_u64()
        .expect("netlog knows URL_REQUEST_START_JOB");
    let events = log["events"].as_array().expect("netlog events");
    assert!(!events.is_empty(), "netlog recorded events");
    events
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start_job))
        .filter(|e| {
            let p = &e["params"];
            let key = p["network_isolation_key"].as_str().unwrap_or("");
            let site = p["site_for_cookies"].as_str().unwrap_or("");
            key.contains("file://") || site.contains("file://")
        })
        .map(|e| e["params"]["url"].as_str().unwrap_or("?").to_string())
        .collect()
}

#[test]
#[ignore = "needs headless Chromium: cargo test --release --test compare -- --ignored (CI runs it)"]
fn report_renders_in_headless_chromium_without_network_requests() {
    let browser = chromium_or_fail("report_renders_in_headless_chromium");
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    compare(
        &scenario("herning-baseline.toml"),
        &scenario("herning-sverigesmodel.toml"),
        &out,
        &["--report", "--no-plots"],
    );
    let report = out.join("report.html");

    // Screenshot at laptop width.
    let shot = dir.path().join("report.png");
    let netlog = dir.path().join("netlog.json");
    chromium(
        &browser,
        &dir.path().join("profile-1"),
        &netlog,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2400".into(),
        ],
        &report,
    );
    let image = Image::read(&shot);
    assert_eq!((image.width, image.height), (1280, 2400));
    assert!(
        image.colours() > 50,
        "screenshot has content ({} colours)",
        image.colours()
    );
    let ink = image.ink_share(0, 0, 1280, 2400);
    assert!(ink > 0.03 && ink < 0.6, "screenshot ink share {ink}");
    // The header (title) is at the top, centred in a column.
    assert!(image.ink_share(100, 0, 1180, 300) > 0.02, "title rendered");
    if let Some(keep) = std::env::var_os("TRAPPE_SCREENSHOT_DIR") {
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&shot, Path::new(&keep).join("report.png")).unwrap();
    }
    let requests = page_requests(&netlog);
    assert!(requests.is_empty(), "the report requested {requests:?}");

    // Printed to PDF (A4 from the page's @page rule).
    let pdf = dir.path().join("report.pdf");
    chromium(
        &browser,
        &dir.path().join("profile-2"),
        &dir.path().join("netlog-2.json"),
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
        ],
        &report,
    );
    let bytes = std::fs::read(&pdf).expect("PDF written");
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    let text = String::from_utf8_lossy(&bytes);
    // Every page is A4 (595 × 842 points).
    let pages: Vec<(f64, f64)> = text
        .split("/MediaBox")
        .skip(1)
        .filter_map(|rest| {
            let inner = rest.trim_start().strip_prefix('[')?.split(']').next()?;
            let v: Vec<f64> = inner
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            (v.len() == 4).then(|| (v[2] - v[0], v[3] - v[1]))
        })
        .collect();
    assert!(pages.len() >= 2, "a multi-page PDF: {pages:?}");
    assert!(
        pages
            .iter()
            .all(|(w, h)| (w - 595.0).abs() < 2.0 && (h - 842.0).abs() < 2.0),
        "A4 pages: {pages:?}"
    );

    // The network check can fail: a page with an external image is caught.
    let control = dir.path().join("control.html");
    std::fs::write(
        &control,
        "<!DOCTYPE html><html><body><p>control</p><img src=\"http://127.0.0.1:9/x.png\"></body></html>",
    )
    .unwrap();
    let control_log = dir.path().join("netlog-control.json");
    chromium(
        &browser,
        &dir.path().join("profile-3"),
        &control_log,
        &[
            format!("--screenshot={}", dir.path().join("control.png").display()),
            "--window-size=400,300".into(),
        ],
        &control,
    );
    assert_eq!(page_requests(&control_log), ["http://127.0.0.1:9/x.png"]);
}
