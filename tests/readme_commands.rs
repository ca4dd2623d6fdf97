//! A newcomer pastes the README's "What to try next" commands one after the other in a fresh
//! clone: each one must run as written and succeed. They run here in that order (calibrate
//! writes the scenario backtest reads), in a scratch folder whose `scenarios/` is the bundled
//! one, so their `outputs/` and files land there and not in the repository.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The commands of the README's "What to try next" block, each split into its arguments
/// after `cargo run --release --`, with the trailing `# comment` dropped.
fn try_next_commands() -> Vec<(String, Vec<String>)> {
    let blocks = crate::docs::readme_sh_blocks("What to try next");
    let block = blocks.first().expect("a sh block in What to try next");
    block
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let words = shlex::split(line)
                .unwrap_or_else(|| panic!("README line does not parse as a shell command: {line}"));
            // The trailing `# what it shows` is a comment, as in a shell.
            let command: Vec<String> = words
                .into_iter()
                .take_while(|w| !w.starts_with('#'))
                .collect();
            assert_eq!(
                command[..4],
                ["cargo", "run", "--release", "--"],
                "every line starts with `cargo run --release --`: {line}"
            );
            (line.to_string(), command[4..].to_vec())
        })
        .collect()
}

#[test]
fn every_what_to_try_next_command_runs_as_written() {
    let commands = try_next_commands();
    assert!(commands.len() >= 10, "{} commands", commands.len());
    let scratch = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(root().join("scenarios"), scratch.path().join("scenarios")).unwrap();
    for (line, args) in &commands {
        let started = std::time::Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_supportsim"))
            .args(args)
            .current_dir(scratch.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "README command failed ({}):\n{line}\nstdout:\n{}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!("{:>6.1} s  {line}", started.elapsed().as_secs_f64());
    }
    // The files the commands say they write are there.
    for file in ["mine.toml", "tickets.csv", "ours.toml"] {
        assert!(
            Path::new(&scratch.path().join(file)).exists(),
            "{file} was not written"
        );
    }
}
