//! Same scenario + seed = identical output bytes, with 1 thread or many.

use assert_cmd::Command;
use std::path::Path;

fn run_into(out: &Path, threads: &str) {
    Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .args([
            "run",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/scenarios/saas-midmarket-tiered.toml"
            ),
            "--replications",
            "6",
            "--seed",
            "42",
            "--quiet",
            "--threads",
            threads,
            "--out",
        ])
        .arg(out)
        .assert()
        .success();
}

fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            for f in files(&p) {
                out.push(format!("{}/{f}", p.file_name().unwrap().to_string_lossy()));
            }
        } else {
            out.push(p.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    out.sort();
    out
}

#[test]
fn one_thread_and_two_threads_write_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("t1"), dir.path().join("t2"));
    run_into(&a, "1");
    run_into(&b, "2");
    let names = files(&a);
    assert_eq!(names, files(&b));
    assert!(names.len() >= 8, "{names:?}");
    for n in names {
        if n == "run_info.toml" {
            continue; // records the thread count itself
        }
        let (x, y) = (
            std::fs::read(a.join(&n)).unwrap(),
            std::fs::read(b.join(&n)).unwrap(),
        );
        assert!(x == y, "{n} differs between 1 and 2 threads");
    }
}

#[test]
fn a_replication_depends_only_on_seed_and_index() {
    let s = supportsim::scenario::Scenario::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/saas-midmarket-tiered.toml"
    )))
    .unwrap();
    let cat = supportsim::measure::Catalog::new(&s);
    let a = supportsim::engine::simulate(&s, &cat, 3);
    let b = supportsim::engine::simulate(&s, &cat, 3);
    let c = supportsim::engine::simulate(&s, &cat, 4);
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a.values), bits(&b.values));
    assert_ne!(bits(&a.values), bits(&c.values));
}
