//! `[demand] priority_names` (issue 11 part 3): a file's own priorities. Renaming P1..P4
//! changes labels and nothing else (bit for bit); other counts run with their own names in
//! every table; names a file does not declare are refused with the key path and the list.
//! The queueing check of 2, 3 and 6 classes against Cobham's formula is in `priority.rs`.

use crate::common::{refusal, scenario};
use std::path::Path;
use supportsim::montecarlo::MonteCarlo;
use supportsim::scenario::Scenario;

const RENAMED: [&str; 4] = ["urgent", "high", "normal", "low"];

fn read(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every `P1`..`P4` token of `text` (keys, strings, labels; comments too) renamed, with
/// `priority_names` declared at the top of `[demand]`.
fn renamed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < b.len() {
        let token = b[i] == b'P'
            && i + 1 < b.len()
            && (b'1'..=b'4').contains(&b[i + 1])
            && (i == 0 || !word(b[i - 1]))
            && (i + 2 >= b.len() || !word(b[i + 2]));
        if token {
            out.push_str(RENAMED[(b[i + 1] - b'1') as usize]);
            i += 2;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    let names: Vec<String> = RENAMED.iter().map(|n| format!("{n:?}")).collect();
    let decl = format!("[demand]\npriority_names = [{}]\n", names.join(", "));
    assert!(out.contains("[demand]\n"));
    out.replacen("[demand]\n", &decl, 1)
}

/// A label with the renamed priorities named P1..P4 again.
fn unrenamed(label: &str) -> String {
    let mut l = label.to_string();
    for (k, n) in RENAMED.iter().enumerate() {
        for (from, to) in [
            (format!("={n}"), format!("=P{}", k + 1)),
            (format!("{n}/"), format!("P{}/", k + 1)),
        ] {
            l = l.replace(&from, &to);
        }
    }
    l
}

fn shard(s: &Scenario, reps: u32) -> MonteCarlo {
    let indices: Vec<u32> = (0..reps).collect();
    MonteCarlo::run_shard(s, &indices, &|| {})
}

/// Runs `text` and its renamed twin: the same catalog up to labels, every value and every
/// time-series value bit for bit.
fn assert_rename_is_invisible(name: &str, text: &str) {
    let base = scenario(text);
    let twin = scenario(&renamed(text));
    assert_eq!(twin.demand.priority_names, RENAMED, "{name}");
    let (a, b) = (shard(&base, 2), shard(&twin, 2));
    assert_eq!(a.catalog.defs.len(), b.catalog.defs.len(), "{name}");
    let mut renamed_labels = 0;
    for (da, db) in a.catalog.defs.iter().zip(&b.catalog.defs) {
        assert_eq!(da.metric, db.metric, "{name}");
        assert_eq!(da.group, unrenamed(&db.group), "{name}: {}", da.metric);
        renamed_labels += usize::from(da.group != db.group);
    }
    assert!(renamed_labels > 0, "{name}: no priority group was renamed");
    for (r, (va, vb)) in a.values.iter().zip(&b.values).enumerate() {
        for ((d, x), y) in a.catalog.defs.iter().zip(va).zip(vb) {
            assert_eq!(
                x.to_bits(),
                y.to_bits(),
                "{name} rep {r}: {} [{}] {x} vs {y}",
                d.metric,
                d.group
            );
        }
    }
    for (sa, sb) in a.rep_series.iter().zip(&b.rep_series) {
        let bits = |s: &[f64]| s.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(sa), bits(sb), "{name}: time series differ");
    }
    eprintln!(
        "{name}: {} values x 2 replications identical, {renamed_labels} labels renamed",
        a.catalog.defs.len()
    );
}

#[test]
fn renaming_p1_to_p4_changes_labels_and_not_one_bit_of_any_value() {
    for file in [
        "saas-midmarket-tiered",
        "saas-midmarket-backlog",
        "saas-midmarket-incidents",
        "saas-midmarket-bot",
        "saas-midmarket-swarm",
    ] {
        assert_rename_is_invisible(file, &read(&format!("scenarios/{file}.toml")));
    }
    // The rules no bundled file uses that name priorities: the scored queue and triage's
    // priority correction.
    let tiered = read("scenarios/saas-midmarket-tiered.toml");
    let scored = tiered.replace(
        "order = \"live_first\"\n",
        "order = \"scored\"\n[queues.scored]\npriority_points = { P1 = 600, P2 = 300, P4 = -50 }\npoints_per_minute_waited = 1\n",
    );
    assert_rename_is_invisible("scored", &scored);
    let triage = format!(
        "{tiered}\n[triage]\nautomatic_min = 1\npriority_correction_share = 0.3\ncorrected_priorities = {{ P1 = 0.1, P2 = 0.2, P3 = 0.4, P4 = 0.3 }}\n"
    );
    assert_rename_is_invisible("triage", &triage);
}

/// A small two-tier file with `names` as its priorities, `mix` its priority mix and one SLA
/// target per name.
fn own_priorities(names: &[&str], mix: &[f64]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    let shares: Vec<String> = names
        .iter()
        .zip(mix)
        .map(|(n, m)| format!("{n} = {m}"))
        .collect();
    let sla: String = names
        .iter()
        .enumerate()
        .map(|(k, n)| {
            format!(
                "[[sla]]\npriority = \"{n}\"\nfirst_response = {{ target_min = {}, goal = 0.8 }}\n",
                10 * (k + 1)
            )
        })
        .collect();
    format!(
        r#"
name = "own-priorities"
[run]
warmup_days = 1
horizon_days = 5
drain_days = 1
replications = 4
seed = 3
[demand]
priority_names = [{}]
tickets_per_hour = 30
channels = {{ email = 0.5, chat = 0.5 }}
priorities = {{ {} }}
segments = {{ smb = 0.7, enterprise = 0.3 }}
required_level = {{ 1 = 0.8, 2 = 0.2 }}
[[pools]]
name = "l1"
headcount = 5
[[pools]]
name = "l2"
headcount = 2
[[tiers]]
level = 1
pool = "l1"
work_time.default = {{ dist = "exponential", mean_min = 8 }}
[[tiers]]
level = 2
pool = "l2"
work_time.default = {{ dist = "exponential", mean_min = 20 }}
[customers.patience]
chat = {{ dist = "exponential", mean_min = 15 }}
{sla}"#,
        quoted.join(", "),
        shares.join(", "),
    )
}

fn groups(mc: &MonteCarlo, metric: &str) -> Vec<String> {
    mc.catalog
        .defs
        .iter()
        .filter(|d| d.metric == metric && d.key.priority.is_some() && d.key.segment.is_none())
        .map(|d| d.key.priority.clone().unwrap())
        .collect()
}

#[test]
fn two_and_six_priorities_run_and_report_attainment_under_their_own_names() {
    for (names, mix) in [
        (vec!["urgent", "routine"], vec![0.3, 0.7]),
        (
            vec!["sev1", "sev2", "sev3", "sev4", "sev5", "sev6"],
            vec![0.05, 0.1, 0.15, 0.2, 0.25, 0.25],
        ),
    ] {
        let s = scenario(&own_priorities(&names, &mix));
        assert_eq!(s.priority_count(), names.len());
        let mc = crate::common::run(&s);
        let want: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        assert_eq!(groups(&mc, "tickets_arrived"), want);
        assert_eq!(groups(&mc, "sla_first_response_attainment"), want);
        let all = crate::common::est(&mc, "tickets_arrived", "all").mean;
        let mut sum = 0.0;
        for (n, share) in names.iter().zip(&mix) {
            let arrived = crate::common::est(&mc, "tickets_arrived", &format!("priority={n}"));
            sum += arrived.mean;
            // Each class gets its share of the arrivals (binomial, 4 SE).
            let se = (all * share * (1.0 - share)).sqrt() / (s.run.replications as f64).sqrt();
            assert!(
                (arrived.mean - all * share).abs() < 4.0 * se.max(1.0),
                "{n}: {} arrivals of {all}, share {share}",
                arrived.mean
            );
            let att = crate::common::est(
                &mc,
                "sla_first_response_attainment",
                &format!("priority={n}"),
            );
            assert!(att.n > 0 && (0.0..=1.0).contains(&att.mean), "{n}");
            // The SLA target labels carry the names too.
            let t = crate::common::est(
                &mc,
                "sla_first_response_attainment",
                &format!("target={n}/*"),
            );
            assert_eq!(t.mean.to_bits(), att.mean.to_bits(), "{n}");
        }
        assert!(
            (sum - all).abs() < 1e-6 * all,
            "classes sum to {sum}, all {all}"
        );
        // Most urgent first: the first class waits least, the last one most.
        let wait = |n: &str| {
            crate::common::est(&mc, "first_response_time_min", &format!("priority={n}")).mean
        };
        assert!(wait(names[0]) < wait(names[names.len() - 1]), "{names:?}");
    }
}

#[test]
fn one_priority_is_a_single_class() {
    let s = scenario(&own_priorities(&["any"], &[1.0]));
    let mc = shard(&s, 1);
    assert_eq!(groups(&mc, "tickets_arrived"), ["any"]);
}

fn refused_with(text: &str, want: &[&str]) {
    let e = refusal(text);
    for w in want {
        assert!(e.contains(w), "missing {w:?} in:\n{e}");
    }
}

#[test]
fn bad_priority_lists_and_unknown_priorities_are_refused_with_key_path_and_names() {
    let ok = own_priorities(&["urgent", "routine"], &[0.3, 0.7]);
    let with_names = |list: &str| {
        ok.replace(
            "priority_names = [\"urgent\", \"routine\"]",
            &format!("priority_names = {list}"),
        )
    };
    refused_with(
        &with_names("[\"urgent\", \"routine\", \"urgent\"]"),
        &["demand.priority_names[2]", "duplicate priority \"urgent\""],
    );
    refused_with(
        &with_names("[\"urgent\", \"Routine\", \"routine\"]"),
        &["demand.priority_names[2]", "ignoring case"],
    );
    refused_with(&with_names("[]"), &["demand.priority_names", "is empty"]);
    let nine: Vec<String> = (1..=9).map(|i| format!("\"p{i}\"")).collect();
    refused_with(
        &with_names(&format!("[{}, \"urgent\", \"routine\"]", nine.join(", "))),
        &["demand.priority_names", "at most 8 priorities"],
    );
    refused_with(
        &with_names("[\"urgent\", \"not urgent\"]"),
        &["demand.priority_names[1]", "letters, digits"],
    );
    refused_with(
        &with_names("[\"urgent\", \"smb\"]"),
        &["demand.priority_names[1]", "also the name of a segment"],
    );
    let listed =
        "the file's priorities are urgent, routine (set demand.priority_names to add more)";
    refused_with(
        &ok.replace("routine = 0.7", "P2 = 0.7"),
        &["demand.priorities.P2: unknown priority \"P2\"", listed],
    );
    refused_with(
        &ok.replace("priority = \"routine\"", "priority = \"P4\""),
        &["sla[1].priority: unknown priority \"P4\"", listed],
    );
    refused_with(
        &format!("{ok}\n[initial_state]\n[[initial_state.open]]\nstage = \"L1\"\npriority = \"P3\"\ncount = 3\nage_min = 10\n")
            .replace("warmup_days = 1", "warmup_days = 0"),
        &["initial_state.open[0].priority: unknown priority \"P3\"", listed],
    );
    refused_with(
        &format!(
            "{ok}\n[queues]\norder = \"scored\"\n[queues.scored]\npriority_points = {{ urgent = 5, P1 = 1 }}\n"
        ),
        &["queues.scored.priority_points.P1: unknown priority", listed],
    );
    refused_with(
        &format!(
            "{ok}\n[triage]\nautomatic_min = 1\npriority_correction_share = 0.5\ncorrected_priorities = {{ high = 1.0 }}\n"
        ),
        &[
            "triage.corrected_priorities.high: unknown priority \"high\"",
            listed,
        ],
    );
    refused_with(
        &ok.replace(
            "[demand]\npriority_names = [\"urgent\", \"routine\"]\n",
            "[demand]\n",
        )
        .replace("urgent = 0.3, routine = 0.7", "P1 = 0.3, P5 = 0.7"),
        &[
            "demand.priorities.P5: unknown priority \"P5\"; the file's priorities are P1, P2, P3, P4 (set demand.priority_names to add more)",
        ],
    );
}

#[test]
fn trace_and_open_ticket_files_name_the_files_priorities() {
    let dir = tempfile::tempdir().unwrap();
    let text = own_priorities(&["urgent", "routine"], &[0.3, 0.7])
        .replace("[demand]\n", "[demand]\ntrace = \"trace.csv\"\n");
    let path = dir.path().join("t.toml");
    std::fs::write(&path, &text).unwrap();
    let trace = |rows: &str| {
        std::fs::write(
            dir.path().join("trace.csv"),
            format!("arrival_min,channel,priority,segment\n{rows}"),
        )
        .unwrap()
    };
    trace("1,email,urgent,smb\n2,chat,ROUTINE,smb\n3,email,routine,enterprise\n");
    let s = Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let rows = &s.trace.as_ref().unwrap().rows;
    let prios: Vec<u8> = rows.iter().map(|r| r.priority).collect();
    assert_eq!(prios, [0, 1, 1], "names match ignoring case, rank = index");
    trace("1,email,urgent,smb\n2,email,P1,smb\n");
    let e = Scenario::load(&path).unwrap_err().to_string();
    assert!(
        e.contains("trace.csv row 2 (line 3), column `priority`: unknown priority \"P1\"; the file's priorities are urgent, routine"),
        "{e}"
    );
    // Open tickets from a file.
    let text = own_priorities(&["urgent", "routine"], &[0.3, 0.7])
        .replace("warmup_days = 1", "warmup_days = 0")
        + "[initial_state]\nfile = \"open.csv\"\n";
    std::fs::write(&path, &text).unwrap();
    std::fs::write(
        dir.path().join("open.csv"),
        "stage,priority,age_min\nL1,routine,30\nL1,P3,10\n",
    )
    .unwrap();
    let e = Scenario::load(&path).unwrap_err().to_string();
    assert!(
        e.contains("open.csv row 2 (line 3), column `priority`: unknown priority \"P3\""),
        "{e}"
    );
}
