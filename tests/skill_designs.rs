//! `sweep --vary skill_design=...`: named cross-training designs (`[skill_designs.<name>]`) run
//! as sweep points equal the same designs written as separate files, bit for bit.

use std::path::{Path, PathBuf};
use supportsim::scenario::Scenario;
use supportsim::study::sweep::{PointResult, apply, base_tree, evaluate, grid, parse_all};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Short runs keep the test fast; every point and file gets the same ones.
const SHORT: [&str; 4] = [
    "run.warmup_days=2",
    "run.horizon_days=7",
    "run.drain_days=7",
    "demand.surges.0.start_day=4.4167",
];
const REPS: u32 = 3;

fn text() -> String {
    std::fs::read_to_string(repo("scenarios/saas-specialists.toml")).unwrap()
}

/// The sweep `skill_design=<designs>` on `text` (plus [`SHORT`]), every point's results.
fn sweep(text: &str, designs: &str) -> Vec<PointResult> {
    let base = Scenario::from_toml_str(text, Path::new("x.toml")).unwrap_or_else(|e| panic!("{e}"));
    let tree = base_tree(&base.raw).unwrap();
    let mut exprs = vec![format!("skill_design={designs}")];
    exprs.extend(SHORT.iter().map(|s| s.to_string()));
    let varies = parse_all(&exprs, &tree, "--vary").unwrap_or_else(|e| panic!("{e}"));
    let s: Vec<Scenario> = grid(&varies)
        .iter()
        .map(|p| apply(&tree, &p.settings, Path::new("x.toml")).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    evaluate(&s, REPS, &|| {})
}

/// The file `rel` run alone with [`SHORT`].
fn file(rel: &str) -> PointResult {
    let base = Scenario::load(&repo(rel)).unwrap();
    let tree = base_tree(&base.raw).unwrap();
    let exprs: Vec<String> = SHORT.iter().map(|s| s.to_string()).collect();
    let p = &grid(&parse_all(&exprs, &tree, "--vary").unwrap())[0];
    let s = apply(&tree, &p.settings, &repo(rel)).unwrap();
    evaluate(&[s], REPS, &|| {}).remove(0)
}

fn assert_identical(label: &str, a: &PointResult, b: &PointResult) {
    let rows = |r: &PointResult| -> Vec<(String, String)> {
        r.summary
            .iter()
            .map(|x| (x.metric.to_string(), x.group.clone()))
            .collect()
    };
    assert_eq!(rows(a), rows(b), "{label}: the same metrics and groups");
    let bits = |r: &PointResult| -> Vec<Vec<u64>> {
        r.values
            .iter()
            .map(|v| v.iter().map(|x| x.to_bits()).collect())
            .collect()
    };
    assert!(
        bits(a) == bits(b),
        "{label}: every replication value bit for bit"
    );
}

#[test]
fn designs_in_a_sweep_equal_the_same_designs_as_files() {
    let r = sweep(&text(), "file,plus-2-security,cross-train-4");
    assert_identical("file", &r[0], &file("scenarios/saas-specialists.toml"));
    assert_identical(
        "plus-2-security",
        &r[1],
        &file("scenarios/saas-specialists-plus-2.toml"),
    );
    assert_identical(
        "cross-train-4",
        &r[2],
        &file("scenarios/saas-specialists-cross-trained.toml"),
    );
    // And the designs do differ from the file (the test can fail).
    assert!(r[1].values != r[0].values && r[2].values != r[0].values);
}

#[test]
fn a_design_that_repeats_the_file_equals_the_file() {
    let t = format!(
        "{}\n[skill_designs.same]\npools = [{{ name = \"sec-l2\", skills = {{ security = {{}} }}, shifts = [{{ name = \"early\", headcount = 1 }}] }}]\n",
        text()
    );
    let r = sweep(&t, "file,same");
    assert_identical("same", &r[0], &r[1]);
}

/// The error of the sweep `skill_design=<designs>` on the file with `extra` appended.
fn refusal(extra: &str, designs: &str) -> String {
    let t = format!("{}\n{extra}\n", text());
    let base = Scenario::from_toml_str(&t, Path::new("x.toml")).unwrap_or_else(|e| panic!("{e}"));
    let tree = base_tree(&base.raw).unwrap();
    let varies = match parse_all(&[format!("skill_design={designs}")], &tree, "--vary") {
        Err(e) => return e.to_string(),
        Ok(v) => v,
    };
    for p in grid(&varies) {
        if let Err(e) = apply(&tree, &p.settings, Path::new("x.toml")) {
            return e.to_string();
        }
    }
    panic!("accepted skill_design={designs} with {extra}");
}

#[test]
fn bad_designs_are_refused_naming_the_key_path() {
    for (extra, designs, want) in [
        (
            "",
            "file,cross-train-5",
            "no skill design named \"cross-train-5\" (designs: file, plus-2-security, cross-train-4); define it as [skill_designs.cross-train-5]",
        ),
        ("", "file..x", "a range needs a numeric key"),
        ("", "file,file", "given twice"),
        (
            "[skill_designs.file]\npools = []",
            "file",
            "skill_designs.file: the name \"file\" is reserved",
        ),
        (
            "[skill_designs.typo]\npools = [{ name = \"sec-l3\", skills = { security = {} } }]",
            "typo",
            "skill_designs.typo.pools[0].name: no pool named \"sec-l3\" in the file (pools: l1, l2, sec-l2, l3); to add a pool, give from",
        ),
        (
            "[skill_designs.copy]\npools = [{ name = \"l2-y\", from = \"l9\" }]",
            "copy",
            "skill_designs.copy.pools[0].from: no pool named \"l9\" to copy",
        ),
        (
            "[skill_designs.again]\npools = [{ name = \"l2\", from = \"l2\" }]",
            "again",
            "skill_designs.again.pools[0].from: the file already has a pool named \"l2\"",
        ),
        (
            "[skill_designs.noname]\npools = [{ skills = {} }]",
            "noname",
            "skill_designs.noname.pools[0]: missing name",
        ),
        (
            "[skill_designs.cat]\npools = [{ name = \"sec-l2\", skills = { securty = {} } }]",
            "file,cat",
            "point skill_design=cat: the scenario of [skill_designs.cat] is invalid",
        ),
        (
            "[skill_designs.shape]\npools = [{ name = \"sec-l2\", shifts = [{ name = \"early\", headcount = \"two\" }] }]",
            "shape",
            "skill_designs.shape: applied to the file: pools[2].shifts[0].headcount",
        ),
    ] {
        let e = refusal(extra, designs);
        assert!(e.contains(want), "{designs} with {extra:?}:\n{e}");
    }
}

/// `staff` searches specialist pools like any other (per shift), against a per-category
/// target: the file's 2 security specialists miss "security resolution <= 12 h" (13.9 h), the
/// search adds specialists until the confirmation holds, and leaves unsearched pools alone.
#[test]
fn staff_searches_specialist_headcounts_against_a_category_target() {
    let dir = tempfile::tempdir().unwrap();
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .arg("staff")
        .arg(repo("scenarios/saas-specialists.toml"))
        .args(["--pools", "sec-l2", "--replications", "20", "--quiet"])
        .args(["--target", "resolution.security.mean_hours <= 12"])
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let staffing = std::fs::read_to_string(dir.path().join("staffing.csv")).unwrap();
    let rows: Vec<Vec<&str>> = staffing
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let units: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(
        units,
        ["sec-l2.shifts.early", "sec-l2.shifts.late"],
        "{staffing}"
    );
    let answer: u32 = rows.iter().map(|r| r[5].parse::<u32>().unwrap()).sum();
    let file: u32 = rows.iter().map(|r| r[1].parse::<u32>().unwrap()).sum();
    assert_eq!(file, 2);
    assert!(
        answer > file,
        "more specialists than the file's: {staffing}"
    );
    let targets = std::fs::read_to_string(dir.path().join("targets.csv")).unwrap();
    assert!(
        targets
            .lines()
            .any(|l| l.contains(",resolution_time_min,") && l.contains(",security,"))
            && targets.trim_end().ends_with("true"),
        "{targets}"
    );
    let staffed = Scenario::load(&dir.path().join("scenario.staffed.toml")).unwrap();
    let l2 = staffed.raw.pools.iter().find(|p| p.name == "l2").unwrap();
    let heads: Vec<u32> = l2.shifts.iter().map(|s| s.headcount).collect();
    assert_eq!(heads, [6, 5], "l2 is not searched");
}
