//! The README and docs/ stay true to themselves: every relative link and anchor resolves, the
//! README stays a short front page, and CI runs the README's test command.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    for entry in std::fs::read_dir(root().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    pages.sort();
    pages
}

/// GitHub's heading anchors: lower case, punctuation other than `-` and `_` dropped, spaces
/// to `-`.
fn anchors(text: &str) -> HashSet<String> {
    let mut in_code = false;
    let mut out = HashSet::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        if in_code || !line.starts_with('#') {
            continue;
        }
        let heading = line.trim_start_matches('#').trim().to_lowercase();
        let anchor: String = heading
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_'))
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        out.insert(anchor);
    }
    out
}

/// The `](target)` links of a page outside code blocks.
fn links(text: &str) -> Vec<String> {
    let mut in_code = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            rest = &rest[i + 2..];
            if let Some(j) = rest.find(')') {
                out.push(rest[..j].to_string());
                rest = &rest[j..];
            }
        }
    }
    out
}

#[test]
fn every_relative_link_and_anchor_resolves() {
    let mut broken = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for link in links(&text) {
            if link.starts_with("http://") || link.starts_with("https://") {
                continue;
            }
            let (file, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(file)
            };
            if !target.exists() {
                broken.push(format!("{}: {link} (no such file)", page.display()));
                continue;
            }
            if !anchor.is_empty() {
                let target_text = std::fs::read_to_string(&target).unwrap();
                if !anchors(&target_text).contains(anchor) {
                    broken.push(format!("{}: {link} (no such heading)", page.display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// The `sh` code blocks of the README's `## {section}`, each trimmed.
pub(crate) fn readme_sh_blocks(section: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let body = readme
        .split(&format!("## {section}\n"))
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or_else(|| panic!("the README has no {section} section"));
    body.split("```sh\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap().trim().to_string())
        .collect()
}

#[test]
fn the_readme_is_a_short_front_page_with_the_two_commands() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(
        lines <= 300,
        "README.md has {lines} lines; move reference material to docs/"
    );
    let commands = readme_sh_blocks("Quick start");
    assert_eq!(
        commands,
        [
            "cargo run --release -- run scenarios/saas-midmarket-tiered.toml",
            "cargo test --release"
        ],
        "the Quick start gives exactly the run command and the test command"
    );
    assert!(
        Path::new(&root().join("scenarios/saas-midmarket-tiered.toml")).exists(),
        "the Quick start's scenario is bundled"
    );
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim() == "cargo test --release"),
        ".ci/run must call the README's test command in the same words"
    );
}

#[test]
fn no_page_refers_to_files_outside_the_repository() {
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for link in links(&text) {
            let (file, _) = link.split_once('#').unwrap_or((&link, ""));
            if file.is_empty() || file.starts_with("http") {
                continue;
            }
            let target = page.parent().unwrap().join(file);
            let resolved = std::fs::canonicalize(&target).unwrap_or(target);
            assert!(
                resolved.starts_with(std::fs::canonicalize(root()).unwrap()),
                "{}: {link} points outside the repository",
                page.display()
            );
        }
    }
}

/// Bundled scenario files cite their sources inside the repository (docs/domain.md), never a
/// file a user of the repository does not have.
#[test]
fn no_bundled_scenario_cites_a_file_outside_the_repository() {
    let dir = root().join("scenarios");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            assert!(
                !line.contains("../") && !line.contains("DOMAIN.md"),
                "{}:{}: cites a file outside the repository: {line}",
                path.display(),
                i + 1
            );
        }
    }
}

/// Tables whose keys are names the user chose (segments, pools of a response team), not keys.
const USER_NAMED_MAPS: [&str; 3] = [
    "demand.segments",
    "incidents.severities.response.pools",
    "skill_designs",
];

/// Every key the bundled scenarios use is documented on some docs/ page (as `key` in code
/// font), so a reader of a bundled file can look each one up.
#[test]
fn every_key_of_the_bundled_scenarios_is_documented() {
    let mut docs = String::new();
    for page in pages() {
        docs.push_str(&std::fs::read_to_string(page).unwrap());
    }
    fn walk(prefix: &str, value: &toml::Value, out: &mut Vec<String>) {
        match value {
            toml::Value::Table(table) => {
                for (key, v) in table {
                    out.push(format!("{prefix}{key}"));
                    walk(&format!("{prefix}{key}."), v, out);
                }
            }
            toml::Value::Array(items) => items.iter().for_each(|v| walk(prefix, v, out)),
            _ => {}
        }
    }
    let mut missing = Vec::new();
    let mut dir: Vec<_> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    dir.sort();
    for file in dir {
        let value: toml::Value = toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let mut keys = Vec::new();
        walk("", &value, &mut keys);
        for path in keys {
            let (parent, leaf) = path.rsplit_once('.').unwrap_or(("", &path));
            if USER_NAMED_MAPS.contains(&parent) {
                continue;
            }
            // Names the user chooses (pools, shifts, segments, categories, priorities as map keys)
            // are values, not keys; a documented key is written `leaf` or `parent.leaf`.
            let documented = docs.contains(&format!("`{leaf}`"))
                || docs.contains(&format!(".{leaf}`"))
                || docs.contains(&format!("`{leaf} ="))
                || docs.contains(&format!("{leaf} = "))
                || docs.contains(&format!("[{leaf}]"))
                || docs.contains(&format!(".{leaf}]"))
                || docs.contains(&format!("`{path}."))
                || docs.contains(&format!("`{leaf}[]`"));
            if !documented {
                missing.push(format!("{}: {path}", file.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys not documented in docs/:\n{}",
        missing.join("\n")
    );
}
