//! Scenario errors: every problem names the file, the key path and what is wrong.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Key path inside the file, like `tiers[1].work_time.email.mean_min` (empty for the whole file).
    pub path: String,
    /// What is wrong, and how to fix it where obvious.
    pub message: String,
    /// 1-based line and column, when the parser knows them.
    pub location: Option<(usize, usize)>,
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{}: cannot read scenario file: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The path exists but is not a regular file (a folder, device, FIFO or socket).
    #[error("{}: not a regular file ({kind}); give the path of a scenario .toml file", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is instead.
        kind: &'static str,
    },
    /// The file is larger than any scenario file could reasonably be.
    #[error(
        "{}: the file has {bytes} bytes; a scenario file has at most {limit} bytes (is it really a scenario?)",
        path.display()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size (at least; a growing file is cut at the limit).
        bytes: u64,
        /// [`crate::scenario::limits::MAX_SCENARIO_BYTES`].
        limit: u64,
    },
    /// The file is not UTF-8 text.
    #[error("{}: not a text file (invalid UTF-8 at byte {at}); scenario files are UTF-8 TOML", path.display())]
    NotText {
        /// The file.
        path: PathBuf,
        /// Byte offset of the first invalid sequence.
        at: usize,
    },
    /// The file is not valid TOML or does not match the scenario schema (first problem only:
    /// the parser stops there), or it parsed but failed validation (all problems found).
    #[error("{}", render(file, problems))]
    Invalid {
        /// The file (or a label such as `<string>`).
        file: String,
        /// Every problem found.
        problems: Vec<Problem>,
    },
}

impl ScenarioError {
    /// The problems, empty for I/O errors.
    pub fn problems(&self) -> &[Problem] {
        match self {
            ScenarioError::Io { .. }
            | ScenarioError::NotAFile { .. }
            | ScenarioError::TooLarge { .. }
            | ScenarioError::NotText { .. } => &[],
            ScenarioError::Invalid { problems, .. } => problems,
        }
    }

    pub(crate) fn invalid(file: &Path, problems: Vec<Problem>) -> Self {
        ScenarioError::Invalid {
            file: file.display().to_string(),
            problems,
        }
    }
}

fn render(file: &str, problems: &[Problem]) -> String {
    let mut out = format!(
        "{file}: invalid scenario ({} problem{})",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        out.push_str("\n  - ");
        out.push_str(&p.to_string_with_file(file));
    }
    out
}

impl Problem {
    fn to_string_with_file(&self, file: &str) -> String {
        let loc = match self.location {
            Some((l, c)) => format!("{file}:{l}:{c}: "),
            None => String::new(),
        };
        if self.path.is_empty() {
            format!("{loc}{}", self.message)
        } else {
            format!("{loc}{}: {}", self.path, self.message)
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Collects problems while validating, so the user sees all of them at once.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub Vec<Problem>);

impl Problems {
    /// Records a problem; one already recorded (the same key path and message, found again
    /// by a later check of the same value) is listed once.
    pub fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        let (path, message) = (path.into(), message.into());
        if self
            .0
            .iter()
            .any(|q| q.path == path && q.message == message)
        {
            return;
        }
        self.0.push(Problem {
            path,
            message,
            location: None,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A finite number; `None` (after recording a problem) otherwise.
    pub fn finite(&mut self, path: &str, v: f64) -> Option<f64> {
        if v.is_finite() {
            Some(v)
        } else {
            self.push(path, format!("must be a finite number, got {}", Num(v)));
            None
        }
    }

    /// A finite number > 0.
    pub fn positive(&mut self, path: &str, v: f64) -> Option<f64> {
        let v = self.finite(path, v)?;
        if v > 0.0 {
            Some(v)
        } else {
            self.push(path, format!("must be > 0, got {}", Num(v)));
            None
        }
    }

    /// A finite number >= 0.
    pub fn non_negative(&mut self, path: &str, v: f64) -> Option<f64> {
        let v = self.finite(path, v)?;
        if v >= 0.0 {
            Some(v)
        } else {
            self.push(path, format!("must be >= 0, got {}", Num(v)));
            None
        }
    }

    /// A probability in [0, 1].
    pub fn probability(&mut self, path: &str, v: f64) -> Option<f64> {
        let v = self.finite(path, v)?;
        if (0.0..=1.0).contains(&v) {
            Some(v)
        } else {
            self.push(
                path,
                format!("must be a probability between 0 and 1, got {}", Num(v)),
            );
            None
        }
    }
}

pub use crate::format::Num;
