//! `supportsim init`: starter scenarios validate, run, and are sized to a sane utilisation;
//! bad flags are refused naming the flag; an existing file is never overwritten without
//! `--force`.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;
use supportsim::model::load::pool_loads;
use supportsim::scenario::Scenario;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_supportsim"));
    c.env("SUPPORTSIM_COLUMNS", "100");
    c
}

fn init(dir: &Path, file: &str, flags: &[&str]) -> assert_cmd::assert::Assert {
    bin()
        .current_dir(dir)
        .arg("init")
        .args(flags)
        .args(["--out", file])
        .assert()
}

/// Files in `dir` other than the given ones (no temporary files left behind).
fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

/// For several flag combinations the written file validates, its model and volume are the
/// ones asked for, the load model of `validate` (independent of the Erlang C sizing in
/// `init`) puts every pool between 20% and 90% busy, and two replications run.
#[test]
fn init_files_validate_and_run_for_many_flag_combinations() {
    let cases: [(&str, &[&str], &str, f64); 7] = [
        (
            "own-channels.toml",
            &[
                "--channels",
                "portal:asynchronous,web_chat:chat,app_chat:chat,phone:voice",
                "--tickets-per-week",
                "3000",
                "--tiers",
                "2",
            ],
            "tiered",
            3000.0,
        ),
        (
            "live-only.toml",
            &[
                "--channels",
                "web_chat:chat,phone",
                "--model",
                "swarm",
                "--tiers",
                "2",
            ],
            "swarm",
            1000.0,
        ),
        ("defaults.toml", &[], "tiered", 1000.0),
        (
            "berlin.toml",
            &[
                "--tickets-per-week",
                "6000",
                "--channels",
                "email,chat,phone",
                "--tiers",
                "1..3",
                "--hours",
                "08:00-18:00",
                "--days",
                "mon-fri",
                "--timezone",
                "Europe/Berlin",
                "--model",
                "tiered",
            ],
            "tiered",
            6000.0,
        ),
        (
            "phone-24x7.toml",
            &[
                "--tickets-per-hour",
                "3",
                "--channels",
                "phone",
                "--tiers",
                "1",
                "--hours",
                "00:00-24:00",
                "--days",
                "mon-sun",
                "--timezone",
                "America/New_York",
            ],
            "tiered",
            3.0 * 168.0,
        ),
        (
            "swarm.toml",
            &[
                "--tickets-per-week",
                "800",
                "--channels",
                "email",
                "--tiers",
                "3",
                "--model",
                "swarm",
                "--days",
                "mon-sat",
                "--timezone",
                "Asia/Tokyo",
            ],
            "swarm",
            800.0,
        ),
        (
            "pooled.toml",
            &[
                "--tickets-per-week",
                "2500",
                "--channels",
                "chat,email",
                "--tiers",
                "2",
                "--model",
                "pooled",
                "--hours",
                "07:30-19:15",
            ],
            "pooled_tiered",
            2500.0,
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (file, flags, model, per_week) in cases {
        init(dir.path(), file, flags)
            .success()
            .stdout(predicate::str::contains(format!("wrote {file}")));
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# Starter scenario written by `supportsim init`"));
        assert!(text.matches('#').count() > 20, "{file}: too few comments");
        let s = Scenario::load(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(s.raw.model, model, "{file}");
        assert_eq!(s.name, file.trim_end_matches(".toml"));
        let lambda_per_week = s
            .raw
            .demand
            .tickets_per_week
            .unwrap_or_else(|| s.raw.demand.tickets_per_hour.expect("a volume") * 168.0);
        assert!((lambda_per_week - per_week).abs() < 1e-9, "{file}");
        for l in pool_loads(&s) {
            assert!(
                (0.2..0.9).contains(&l.utilisation),
                "{file}: pool {} estimated {:.1}% busy",
                l.pool,
                l.utilisation * 100.0
            );
        }
        // The file's channels are the ones asked for, with their kinds; today's names need
        // no channel_kinds key.
        let names: Vec<&str> = s.channels.names().iter().map(String::as_str).collect();
        match file {
            "own-channels.toml" => {
                assert_eq!(names, ["portal", "web_chat", "app_chat", "phone"]);
                assert!(s.channels.is_chat(2) && s.channels.is_voice(3));
                assert!(text.contains("channel_kinds = { portal = \"asynchronous\""));
                assert!(text.contains("[access.app_chat]"));
            }
            "live-only.toml" => {
                assert_eq!(names, ["web_chat", "phone"]);
                // No asynchronous channel: no key that would leave a message.
                assert!(!text.contains("abandon_to_email_probability"));
                assert!(!text.contains("closed_message_share"));
            }
            _ => {
                assert_eq!(names, ["email", "chat", "phone"], "{file}");
                assert!(!text.contains("channel_kinds"), "{file}");
            }
        }
        bin()
            .current_dir(dir.path())
            .args(["validate", file])
            .assert()
            .success()
            .stdout(predicate::str::contains("valid scenario"));
        let out = format!("out-{}", file.trim_end_matches(".toml"));
        bin()
            .current_dir(dir.path())
            .args(["run", file, "--replications", "2", "--quiet", "--out", &out])
            .assert()
            .success();
        assert!(
            dir.path().join(&out).join("summary.csv").is_file(),
            "{file}"
        );
    }
}

/// Each bad flag is refused with exit 1, naming the flag and value, saying what is wrong and
/// how to fix it, and writes nothing.
#[test]
fn init_refuses_bad_flags_with_clear_messages() {
    let cases: [(&[&str], &str); 11] = [
        (&["--tiers", "4"], "--tiers \"4\": use 1, 2 or 3 tiers"),
        (&["--tiers", "0..2"], "levels start at 1"),
        (
            &["--channels", "email,fax"],
            "--channels \"email,fax\": unknown channel \"fax\"; use a comma list of email, chat, phone, or name:kind entries",
        ),
        (
            &["--channels", "portal:telex"],
            "--channels \"portal:telex\": unknown kind \"telex\"",
        ),
        (&["--channels", "chat,chat"], "chat is listed twice"),
        (
            &["--hours", "18:00-08:00"],
            "--hours \"18:00-08:00\": the end must be after the start",
        ),
        (&["--hours", "08:10-17:00"], "a multiple of 15 minutes"),
        (
            &["--days", "fri-mon"],
            "--days \"fri-mon\": \"fri-mon\" runs backwards",
        ),
        (
            &["--timezone", "Mars/Olympus_Mons"],
            "--timezone \"Mars/Olympus_Mons\": unknown IANA time zone; write e.g. Europe/Berlin",
        ),
        (
            &["--model", "swarm", "--tiers", "1"],
            "--model \"swarm\": needs at least 2 tiers",
        ),
        (
            &["--tickets-per-week=-5"],
            "--tickets-per-week \"-5\": must be a number above 0",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (flags, message) in cases {
        init(dir.path(), "bad.toml", flags)
            .code(1)
            .stderr(predicate::str::contains(message));
        assert!(others(dir.path(), &[]).is_empty(), "{flags:?} wrote a file");
    }
    init(dir.path(), "bad.toml", &["--model", "hybrid"])
        .code(1)
        .stderr(predicate::str::contains(
            "unknown model; use tiered, swarm or pooled",
        ));
    bin()
        .current_dir(dir.path())
        .args([
            "init",
            "--tickets-per-week",
            "100",
            "--tickets-per-hour",
            "2",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot be used with"));
    assert!(others(dir.path(), &[]).is_empty());
}

/// An existing file is kept unless `--force`; `--force` replaces it; no temporary file stays.
#[test]
fn init_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, "# my own notes\n").unwrap();
    init(dir.path(), "mine.toml", &["--tiers", "3"])
        .code(1)
        .stderr(predicate::str::contains(
            "--out mine.toml: the file exists; choose another name or add --force to replace it",
        ));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# my own notes\n");
    init(dir.path(), "mine.toml", &["--tiers", "3", "--force"]).success();
    let s = Scenario::load(&path).unwrap();
    assert_eq!(s.raw.tiers.len(), 3);
    std::fs::create_dir(dir.path().join("folder.toml")).unwrap();
    init(dir.path(), "folder.toml", &[])
        .code(1)
        .stderr(predicate::str::contains("is a folder"));
    assert_eq!(
        others(dir.path(), &["mine.toml", "folder.toml"]),
        Vec::<String>::new()
    );
}

/// A file name that is not a valid scenario name (a space, non-ASCII letters, only an
/// extension) gives a scenario named after it with the other characters replaced, not an
/// internal error; tiny volumes the file cannot carry are refused by the flag.
#[test]
fn init_names_the_scenario_after_any_file_name() {
    let dir = tempfile::tempdir().unwrap();
    for (file, name) in [
        ("my starter.toml", "my_starter"),
        ("équipe.toml", "_quipe"),
        (".toml", "toml"),
    ] {
        init(dir.path(), file, &[]).success();
        let s = Scenario::load(&dir.path().join(file)).unwrap();
        assert_eq!(s.name, name, "{file}");
    }
    init(dir.path(), "tiny.toml", &["--tickets-per-week", "0.0001"])
        .code(1)
        .stderr(predicate::str::contains("below 0.01 tickets a week"));
    // The smallest volume allowed is written exactly, not rounded to 0.
    init(dir.path(), "small.toml", &["--tickets-per-week", "0.0125"]).success();
    let text = std::fs::read_to_string(dir.path().join("small.toml")).unwrap();
    assert!(text.contains("tickets_per_week = 0.0125 "), "{text}");
    Scenario::load(&dir.path().join("small.toml")).unwrap();
}
