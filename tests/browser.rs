//! The HTML report as a reader sees it: rendered by headless Chromium, not just string-checked.
//!
//! The report's own script writes what the browser measured onto `<body>` (`data-charts`,
//! `data-chart-sizes`, `data-errors`), and `--dump-dom` prints the DOM after scripts ran, so
//! layout bugs (a chart collapsed to 0 px, an SVG that failed to parse, a script error) show
//! up here. Without a browser the test skips locally but fails under CI, which installs one.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BROWSERS: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];
const TIMEOUT: Duration = Duration::from_secs(60);

#[test]
fn report_renders_in_headless_chromium() {
    check_report(&[
        "run",
        concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/mmc.toml"),
        "--replications",
        "4",
    ]);
}

#[test]
fn compare_report_renders_in_headless_chromium() {
    check_report(&[
        "compare",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/saas-midmarket-tiered.toml"
        ),
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/saas-midmarket-swarm.toml"
        ),
        "--replications",
        "3",
    ]);
}

#[test]
fn sweep_report_renders_in_headless_chromium() {
    check_report(&[
        "sweep",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/tiered-headcount.toml"
        ),
        "--vary",
        "model=tiered,swarm",
        "--vary",
        "demand.growth_per_month=0,0.05",
        "--replications",
        "3",
    ]);
}

#[test]
fn staff_report_renders_in_headless_chromium() {
    check_report(&[
        "staff",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/tiered-headcount.toml"
        ),
        "--target",
        "first_response.P1.attainment >= 0.8",
        "--target",
        "resolution.all.p90_hours <= 24",
        "--replications",
        "6",
    ]);
}

#[test]
fn calibrate_fit_report_renders_in_headless_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let export = crate::common::synth_zendesk_export(dir.path(), 56);
    // `--out results` is the scenario file; its fit report is the folder `results-fit/`.
    check_report_in(
        &["calibrate", export.to_str().unwrap(), "--format", "zendesk"],
        "results-fit",
    );
}

/// Runs supportsim with `args` into a fresh folder and checks its `report.html` in Chromium.
fn check_report(args: &[&str]) {
    check_report_in(args, "results");
}

/// [`check_report`] for a command whose report lands in the folder `report_dir` beside
/// `--out` (calibrate: the scenario file is `--out`, the report folder beside it).
fn check_report_in(args: &[&str], report_dir: &str) {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .args(args)
        .args(["--quiet", "--out"])
        .arg(out.path().join("results"))
        .status()
        .expect("cannot start supportsim");
    assert!(status.success(), "supportsim {} failed: {status}", args[0]);
    let report = out.path().join(report_dir).join("report.html");
    assert!(report.is_file(), "{} was not written", report.display());

    let Some(browser) = find_browser() else {
        // Under CI a missing browser is a failure, unless .ci/run tried to install one and
        // could not (it then says why in SUPPORTSIM_NO_BROWSER): that is the one skip allowed.
        assert!(
            std::env::var_os("CI").is_none() || std::env::var_os("SUPPORTSIM_NO_BROWSER").is_some(),
            "no Chromium found ({}) but CI is set: CI must install Debian package `chromium`",
            BROWSERS.join(", ")
        );
        eprintln!(
            "skipping: no Chromium found; install Debian package `chromium` (or put \
             chromium-browser / google-chrome on PATH) to check the HTML report in a browser"
        );
        return;
    };
    let url = file_url(&report);

    let dom_file = out.path().join("dom.html");
    let started = Instant::now();
    run_browser(
        &browser,
        &["--window-size=1280,2000", "--dump-dom", &url],
        &dom_file,
        out.path(),
    );
    eprintln!("{browser} --dump-dom took {:.1?}", started.elapsed());
    let dom = std::fs::read_to_string(&dom_file).unwrap();
    let body = body_tag(&dom).unwrap_or_else(|| panic!("no <body> in the dumped DOM:\n{dom}"));

    let charts: usize = attr(body, "data-charts")
        .unwrap_or_else(|| panic!("report script did not run (no data-charts): {body}"))
        .parse()
        .unwrap();
    assert!(charts >= 1, "no chart in the report: {body}");
    let sizes: Vec<(u32, u32)> = attr(body, "data-chart-sizes")
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let (w, h) = s
                .split_once('x')
                .unwrap_or_else(|| panic!("bad size {s:?}"));
            (w.parse().unwrap(), h.parse().unwrap())
        })
        .collect();
    assert_eq!(sizes.len(), charts, "one size per chart: {body}");
    for (i, &(w, h)) in sizes.iter().enumerate() {
        assert!(w > 100 && h > 50, "chart {} renders at {w}x{h} px", i + 1);
    }
    let errors = attr(body, "data-errors").unwrap_or("0");
    assert_eq!(errors, "0", "script errors while loading the report");
    let overflows = attr(body, "data-overflows").unwrap_or("?");
    assert_eq!(
        overflows,
        "0",
        "elements wider than their container at 1,280 px: {}",
        attr(body, "data-overflow-list").unwrap_or_default()
    );

    let pdf = out.path().join("report.pdf");
    let print = format!("--print-to-pdf={}", pdf.display());
    run_browser(
        &browser,
        &["--no-pdf-header-footer", &print, &url],
        &out.path().join("pdf.log"),
        out.path(),
    );
    let pdf_len = std::fs::metadata(&pdf).map_or(0, |m| m.len());
    assert!(pdf_len > 10 * 1024, "PDF missing or blank: {pdf_len} bytes");

    let png = out.path().join("report.png");
    let shot = format!("--screenshot={}", png.display());
    let started = Instant::now();
    run_browser(
        &browser,
        &[&shot, "--window-size=1280,2000", &url],
        &out.path().join("screenshot.log"),
        out.path(),
    );
    eprintln!("{browser} --screenshot took {:.1?}", started.elapsed());
    let len = std::fs::metadata(&png).map_or(0, |m| m.len());
    assert!(len > 10 * 1024, "screenshot missing or blank: {len} bytes");
}

/// The first browser on PATH that answers `--version`.
fn find_browser() -> Option<String> {
    BROWSERS.iter().map(|b| b.to_string()).find(|b| {
        Command::new(b)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Runs one headless browser invocation with stdout into `stdout_to`, failing the test if it
/// does not finish within [`TIMEOUT`] or exits with an error.
fn run_browser(browser: &str, extra: &[&str], stdout_to: &Path, scratch: &Path) {
    // A fresh profile per call: no state shared between runs or with a developer's browser.
    let profile = tempfile::tempdir().unwrap();
    let stderr_path = scratch.join("browser-stderr.log");
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--virtual-time-budget=5000",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(extra)
    .stdin(Stdio::null())
    // Files, not pipes: a DOM larger than the pipe buffer would block a child nobody reads.
    .stdout(std::fs::File::create(stdout_to).unwrap())
    .stderr(std::fs::File::create(&stderr_path).unwrap());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Its own process group, so a timeout can stop the renderer and GPU helpers too.
        cmd.process_group(0);
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {browser}: {e}"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            #[cfg(unix)]
            // `--` or procps `kill` reads the negative group id as an option and kills nothing.
            let _ = Command::new("kill")
                .args(["-s", "KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{browser} {extra:?} did not finish within {TIMEOUT:?}; stderr:\n{}",
                tail(&stderr_path)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        status.success(),
        "{browser} {extra:?} failed ({status}); stderr:\n{}",
        tail(&stderr_path)
    );
}

/// The last lines of a log, enough to diagnose a failure without flooding the test output.
fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

/// A `file://` URL for an absolute path, percent-encoding what a URL cannot hold verbatim.
fn file_url(path: &Path) -> String {
    let path: PathBuf = std::fs::canonicalize(path).unwrap();
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// The `<body ...>` start tag: the attributes must be read there, because the same names also
/// appear in the report's script text.
fn body_tag(dom: &str) -> Option<&str> {
    let start = dom.find("<body")?;
    let end = dom[start..].find('>')?;
    Some(&dom[start..start + end + 1])
}

/// A double-quoted attribute value from a start tag, as Chromium serialises it.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}
