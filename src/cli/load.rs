//! Loading a scenario file for a command: the scenario's own validation, then the tables
//! other commands read (`[plan]`, `[sweep]`, `[roster]`), so a file is valid for every command or for
//! none: `validate` and `run` refuse a file whose `[plan]` only `plan` would have read.

use crate::scenario::Scenario;
use anyhow::{Context, Result};
use std::path::Path;

/// Loads and validates `file`, including its `[plan]`, `[sweep]` and `[roster]` tables.
///
/// # Errors
/// Every invalid key with its path, as `validate` reports them.
pub(super) fn scenario(file: &Path) -> Result<Scenario> {
    let s = Scenario::load(file)?;
    crate::study::plan::check(&s, file)?;
    crate::study::sweep::check_file(&s, file).with_context(|| file.display().to_string())?;
    crate::study::roster::patterns::check(&s).with_context(|| file.display().to_string())?;
    Ok(s)
}
