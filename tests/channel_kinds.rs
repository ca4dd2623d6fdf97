//! `[demand] channel_kinds` (issue 11 part 3): a file's own channels, each of a kind
//! (`asynchronous`, `chat`, `voice`) that carries its behaviour.
//!
//! - Renaming email, chat and phone changes labels and nothing else, bit for bit.
//! - Splitting a channel into two of the same kind, with the same rules, changes no value of
//!   any group that is not a channel: the kind, not the name or the index, decides patience,
//!   chat packing, callbacks, chasers, the bot, access and left messages. (The channel draw
//!   is one uniform against cumulative shares, so a split whose boundaries are the same
//!   doubles draws the same tickets.)
//! - Two voice channels of an M/M/c queue meet Erlang C, each channel's wait that of the
//!   whole queue.
//! - Names and kinds a file gets wrong are refused with the key path and the fix.

use crate::common::{assert_within_se, est, refusal, run, scenario};
use std::path::Path;
use supportsim::montecarlo::MonteCarlo;
use supportsim::scenario::Scenario;
use supportsim::stats::erlang::erlang_c;

const RENAMED: [(&str, &str); 3] = [
    ("email", "portal"),
    ("chat", "webchat"),
    ("phone", "voice_line"),
];

fn read(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every whole-word `from` of `text` (keys and table names; comments too) replaced by `to`.
/// `_` counts as part of a word, so `chat_concurrency` and `abandon_to_email_probability`
/// keep their names.
fn replace_word(text: &str, from: &str, to: &str) -> String {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(from) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + from.len()..].chars().next();
        out.push_str(&rest[..i]);
        if before.is_some_and(word) || after.is_some_and(word) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    out
}

/// `text` with `kinds` declared at the top of `[demand]`.
fn declare(text: &str, kinds: &str) -> String {
    assert!(text.contains("[demand]\n"));
    text.replacen(
        "[demand]\n",
        &format!("[demand]\nchannel_kinds = {{ {kinds} }}\n"),
        1,
    )
}

fn renamed(text: &str) -> String {
    let mut out = text.to_string();
    for (from, to) in RENAMED {
        out = replace_word(&out, from, to);
    }
    declare(
        &out,
        "portal = \"asynchronous\", webchat = \"chat\", voice_line = \"voice\"",
    )
}

fn shard(s: &Scenario, reps: u32) -> MonteCarlo {
    let indices: Vec<u32> = (0..reps).collect();
    MonteCarlo::run_shard(s, &indices, &|| {})
}

/// Compares every value `keep` maps from `a` to `b` (`a`'s index to `b`'s): bit for bit, or
/// with `rounding` within 1e-12 relative (a sum over channels added in another order).
/// Returns (values compared, values that differed in rounding only).
fn assert_same_values(
    name: &str,
    a: &MonteCarlo,
    b: &MonteCarlo,
    rounding: bool,
    mut keep: impl FnMut(usize) -> Option<usize>,
) -> (usize, usize) {
    let (mut compared, mut rounded) = (0, 0);
    for (r, (va, vb)) in a.values.iter().zip(&b.values).enumerate() {
        for (i, (d, x)) in a.catalog.defs.iter().zip(va).enumerate() {
            let Some(j) = keep(i) else { continue };
            let y = vb[j];
            compared += 1;
            if x.to_bits() == y.to_bits() {
                continue;
            }
            let close = (x - y).abs() <= 1e-12 * x.abs().max(y.abs());
            assert!(
                rounding && close,
                "{name} rep {r}: {} [{}] {x} vs {y}",
                d.metric,
                d.group
            );
            if r == 0 {
                eprintln!(
                    "{name}: {} [{}] differs in rounding: {x} vs {y}",
                    d.metric, d.group
                );
            }
            rounded += 1;
        }
    }
    (compared, rounded)
}

#[test]
fn renaming_the_channels_changes_labels_and_not_one_bit_of_any_value() {
    for file in [
        "saas-midmarket-tiered",
        "saas-midmarket-callbacks",
        "saas-midmarket-bot",
        "saas-midmarket-incidents",
        "saas-midmarket-swarm",
    ] {
        let text = read(&format!("scenarios/{file}.toml"));
        let (base, twin) = (scenario(&text), scenario(&renamed(&text)));
        assert_eq!(twin.channels.names(), ["portal", "webchat", "voice_line"]);
        let (a, b) = (shard(&base, 2), shard(&twin, 2));
        assert_eq!(a.catalog.defs.len(), b.catalog.defs.len(), "{file}");
        let mut relabelled = 0;
        for (da, db) in a.catalog.defs.iter().zip(&b.catalog.defs) {
            let mut g = db.group.clone();
            for (from, to) in RENAMED {
                g = g.replace(&format!("channel={to}"), &format!("channel={from}"));
            }
            assert_eq!((&da.metric, &da.group), (&db.metric, &g), "{file}");
            relabelled += usize::from(da.group != db.group);
        }
        assert!(relabelled > 0, "{file}: no channel group was renamed");
        let (n, _) = assert_same_values(file, &a, &b, false, Some);
        for (sa, sb) in a.rep_series.iter().zip(&b.rep_series) {
            let bits = |s: &[f64]| s.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(sa), bits(sb), "{file}: time series differ");
        }
        eprintln!("{file}: {n} values identical, {relabelled} labels renamed");
    }
}

/// `text` (a mid-market file) with each of its channels split in two of the same kind and
/// the same rules: email + sms, chat + whatsapp, phone + video. The shares keep every
/// cumulative boundary of the original mix bit for bit (0.3 + 0.3 = 0.6, (0.6 + 0.1) + 0.2 =
/// 0.6 + 0.3).
fn split(text: &str) -> String {
    let mix = "channels = { email = 0.60, chat = 0.30, phone = 0.10 }";
    assert!(text.contains(mix));
    let mut out = text.replace(
        mix,
        "channels = { email = 0.30, sms = 0.30, chat = 0.10, whatsapp = 0.20, phone = 0.04, video = 0.06 }",
    );
    let copy_line = |out: &mut String, key: &str, from: &str, to: &str| {
        let lines: Vec<String> = out
            .lines()
            .flat_map(|l| {
                if l.starts_with(&format!("{key}{from} ")) {
                    vec![l.to_string(), l.replacen(from, to, 1)]
                } else {
                    vec![l.to_string()]
                }
            })
            .collect();
        *out = lines.join("\n") + "\n";
    };
    for (from, to) in [("email", "sms"), ("chat", "whatsapp"), ("phone", "video")] {
        copy_line(&mut out, "work_time.", from, to);
        copy_line(&mut out, "", from, to); // patience: `chat = { dist = ... }`
    }
    // Tables: [access.chat], [access.phone], [tier0.chat], [tier0.email], copied whole.
    for (from, to) in [("email", "sms"), ("chat", "whatsapp"), ("phone", "video")] {
        for table in ["access", "tier0"] {
            let head = format!("[{table}.{from}]");
            let Some(i) = out.find(&head) else { continue };
            let end = out[i + 1..]
                .find("\n[")
                .map_or(out.len(), |j| i + 1 + j + 1);
            let body = out[i..end].replacen(&head, &format!("[{table}.{to}]"), 1);
            out.insert_str(end, &format!("{body}\n"));
        }
    }
    declare(
        &out,
        "email = \"asynchronous\", sms = \"asynchronous\", chat = \"chat\", whatsapp = \"chat\", phone = \"voice\", video = \"voice\"",
    )
}

#[test]
fn a_channel_split_in_two_of_its_kind_changes_no_value_outside_the_channel_groups() {
    for file in [
        "saas-midmarket-tiered",
        "saas-midmarket-callbacks",
        "saas-midmarket-bot",
    ] {
        // A queue limit counts each channel's own queue, so a split one is two limits.
        let text: String = read(&format!("scenarios/{file}.toml"))
            .lines()
            .filter(|l| !l.starts_with("queue_limit") && !l.starts_with("blocked_message_share"))
            .map(|l| format!("{l}\n"))
            .collect();
        let twin_text = split(&text);
        let (base, twin) = (scenario(&text), scenario(&twin_text));
        assert_eq!(twin.channels.len(), 6, "{file}");
        let (a, b) = (shard(&base, 3), shard(&twin, 3));
        let index: std::collections::HashMap<(&str, &str), usize> = b
            .catalog
            .defs
            .iter()
            .enumerate()
            .map(|(j, d)| ((d.metric, d.group.as_str()), j))
            .collect();
        let mut missing = Vec::new();
        let (n, rounded) = assert_same_values(file, &a, &b, true, |i| {
            let d = &a.catalog.defs[i];
            if d.key.channel.is_some() {
                return None;
            }
            let j = index.get(&(d.metric, d.group.as_str())).copied();
            if j.is_none() {
                missing.push(format!("{} [{}]", d.metric, d.group));
            }
            j
        });
        assert!(missing.is_empty(), "{file}: twin lacks {missing:?}");
        assert!(n > 500, "{file}: only {n} values compared");
        // The new channels are reported with their share of the arrivals.
        let arrivals =
            |mc: &MonteCarlo, c: &str| est(mc, "initial_wait_min", &format!("channel={c}")).n;
        for c in ["sms", "whatsapp", "video"] {
            assert!(arrivals(&b, c) > 0, "{file}: no {c} group");
        }
        assert!(
            rounded * 20 < n,
            "{file}: {rounded} of {n} values differ in rounding"
        );
        eprintln!(
            "{file}: {n} values compared after the split, {rounded} differ in the last bits (sums over channels)"
        );
    }
}

/// M/M/c with `c` agents, two voice channels sharing the arrivals equally.
fn two_voice_lines(lambda_per_hour: f64, mean_min: f64, c: u32) -> String {
    format!(
        r#"
name = "two-voice-lines"
[run]
warmup_days = 2
horizon_days = 20
drain_days = 1
replications = 20
seed = 11
[demand]
channel_kinds = {{ phone = "voice", video = "voice" }}
tickets_per_hour = {lambda_per_hour}
channels = {{ phone = 0.5, video = 0.5 }}
priorities = {{ P3 = 1.0 }}
segments = {{ all_customers = 1.0 }}
required_level = {{ 1 = 1.0 }}
[[pools]]
name = "desk"
headcount = {c}
[[tiers]]
level = 1
pool = "desk"
work_time.default = {{ dist = "exponential", mean_min = {mean_min} }}
"#
    )
}

#[test]
fn two_voice_channels_on_one_desk_meet_erlang_c_each() {
    let (lambda, mean, c) = (30.0, 14.0, 9);
    let s = scenario(&two_voice_lines(lambda, mean, c));
    let a = lambda / 60.0 * mean;
    let pw = erlang_c(c, a);
    let wq = pw * mean / (f64::from(c) - a);
    let mc = run(&s);
    assert_within_se("E[Wq] all", &est(&mc, "initial_wait_min", "all"), wq, 4.0);
    for ch in ["phone", "video"] {
        assert_within_se(
            &format!("E[Wq] {ch}"),
            &est(&mc, "initial_wait_min", &format!("channel={ch}")),
            wq,
            4.0,
        );
    }
}

#[test]
fn bad_channel_tables_are_refused_with_the_key_path_and_the_fix() {
    let base = two_voice_lines(10.0, 5.0, 3);
    let cases: [(&str, &str, &[&str]); 8] = [
        (
            "channels = { phone = 0.5, video = 0.5 }",
            "channels = { phone = 0.5, fax = 0.5 }",
            &[
                "demand.channels.fax",
                "unknown channel \"fax\"",
                "phone, video",
            ],
        ),
        (
            "channel_kinds = { phone = \"voice\", video = \"voice\" }",
            "channel_kinds = { phone = \"voice\", video = \"hologram\" }",
            &["demand.channel_kinds.video", "unknown variant `hologram`"],
        ),
        (
            "channel_kinds = { phone = \"voice\", video = \"voice\" }",
            "channel_kinds = { phone = \"voice\", video = 3 }",
            &[
                "demand.channel_kinds.video",
                "\"asynchronous\", \"chat\" or \"voice\"",
            ],
        ),
        (
            "channel_kinds = { phone = \"voice\", video = \"voice\" }",
            "channel_kinds = { phone = \"voice\", video = \"voice\", Phone = \"chat\" }",
            &["demand.channel_kinds.Phone", "duplicate channel"],
        ),
        (
            "[[pools]]",
            "[customers]\nabandon_to_email_probability = 0.5\n[customers.patience]\nphone = { dist = \"exponential\", mean_min = 3 }\n[[pools]]",
            &[
                "customers.abandon_to_email_probability",
                "no asynchronous channel",
            ],
        ),
        (
            "[[pools]]",
            "[customers.patience]\nfax = { dist = \"exponential\", mean_min = 3 }\n[[pools]]",
            &["customers.patience.fax", "unknown channel"],
        ),
        (
            "work_time.default",
            "work_time.fax = { dist = \"exponential\", mean_min = 3 }\nwork_time.default",
            &["tiers[0].work_time.fax", "or `default`"],
        ),
        (
            "[[pools]]",
            "[customers.chasers]\npatience_min = { dist = \"exponential\", mean_min = 600 }\n[[pools]]",
            &["customers.chasers", "asynchronous channel", "has none"],
        ),
    ];
    for (from, to, want) in cases {
        assert!(base.contains(from), "fixture lacks {from}");
        let e = refusal(&base.replacen(from, to, 1));
        for w in want {
            assert!(e.contains(w), "{to}: want {w:?} in\n{e}");
        }
    }
    // An asynchronous channel has no patience and no access rules.
    let with_email = base
        .replace(
            "video = \"voice\" }",
            "video = \"voice\", web = \"asynchronous\" }",
        )
        .replace("video = 0.5 }", "video = 0.4, web = 0.1 }");
    let e = refusal(&with_email.replacen(
        "[[pools]]",
        "[access.web]\nmin_agents_on_duty = 1\n[[pools]]",
        1,
    ));
    assert!(
        e.contains("access.web") && e.contains("asynchronous channel"),
        "{e}"
    );
    // A channel named like a segment would make `first_response.<name>` ambiguous.
    let e = refusal(&base.replace("video", "all_customers"));
    assert!(
        e.contains("demand.channel_kinds.all_customers") && e.contains("a segment"),
        "{e}"
    );
    // The bot names channels too.
    let e = refusal(&format!(
        "{base}\n[tier0.fax]\ninvolvement = 0.5\nresolution = 0.5\n"
    ));
    assert!(
        e.contains("tier0.fax") && e.contains("[tier0] takes"),
        "{e}"
    );
}
