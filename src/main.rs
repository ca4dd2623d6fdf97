//! The `supportsim` command. Exit codes: 0 success, 1 invalid scenario or failed run,
//! 2 command-line usage error (from clap).

use std::process::ExitCode;

fn main() -> ExitCode {
    match supportsim::cli::main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed pipe (`supportsim ... | head`) is not an error worth reporting.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {}", render(&e));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes, `: `-joined, leaving out a cause whose text the message already
/// carries (library errors often quote their source, and `{:#}` would print it twice).
fn render(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}
