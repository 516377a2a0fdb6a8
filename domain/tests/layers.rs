//! The domain's modules form layers: no module imports one that imports it back (directly or
//! round a longer loop), and writers reach the aggregates only through recorded changes.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// This crate's folder as the running test is told it (a binary built in another checkout sharing
/// the target directory must still read this checkout's files).
fn crate_dir() -> PathBuf {
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"))
}

/// Top-level modules of `domain/src` and the ones each names as `crate::…` in its own code
/// (comments and test modules left out).
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = crate_dir().join("src");
    let mut modules: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in std::fs::read_dir(&src).expect("src") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name == "lib" {
            continue;
        }
        let files = if path.is_dir() {
            rust_files(&path)
        } else {
            vec![path]
        };
        modules.insert(name, files);
    }
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    modules
        .iter()
        .map(|(module, files)| {
            let mut uses = BTreeSet::new();
            for file in files {
                for word in code_of(file).split("crate::").skip(1) {
                    let target: String = word
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if &target != module && names.contains(&target) {
                        uses.insert(target);
                    }
                }
            }
            (module.clone(), uses)
        })
        .collect()
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("tests.rs") {
            out.push(path);
        }
    }
    out
}

/// The file's code: no comment lines, nothing from an inline `#[cfg(test)]` module on.
fn code_of(file: &Path) -> String {
    let text = std::fs::read_to_string(file).expect("read");
    let text = text
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A loop through `from`, if any: the modules on it.
fn loop_through(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut path = vec![from.to_owned()];
    let mut seen = BTreeSet::new();
    fn walk(
        graph: &BTreeMap<String, BTreeSet<String>>,
        from: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        let last = path.last().cloned().unwrap_or_default();
        for next in graph.get(&last).into_iter().flatten() {
            if next == from {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(graph, from, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    walk(graph, from, &mut path, &mut seen).then_some(path)
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = imports();
    assert!(graph.len() > 15, "the modules were found: {graph:?}");
    assert!(graph["rollup"].contains("tenancy"), "imports are read");
    let loops: Vec<Vec<String>> = graph
        .keys()
        .filter_map(|m| loop_through(&graph, m))
        .collect();
    assert_eq!(loops, Vec::<Vec<String>>::new(), "import loops");
}

#[test]
fn writers_reach_the_aggregates_through_recorded_changes() {
    let graph = imports();
    for writer in [
        "activities",
        "coop",
        "members",
        "org",
        "points",
        "reporting",
        "volunteers",
    ] {
        assert!(
            !graph[writer].contains("rollup"),
            "{writer} imports rollup: it should record a `changes::Change` instead"
        );
    }
    for base in ["kinds", "changes", "entities", "tenancy"] {
        let above: Vec<&String> = graph[base]
            .iter()
            .filter(|m| {
                // `outbound`, `files`: the deployment's channel settings and file store the
                // `Db` carries.
                ![
                    "kinds", "changes", "entities", "tenancy", "error", "clock", "validate",
                    "outbound", "files",
                ]
                .contains(&m.as_str())
            })
            .collect();
        assert_eq!(above, Vec::<&String>::new(), "{base} imports a feature");
    }
}

#[test]
fn meetings_and_resolutions_share_their_common_part_from_one_place() {
    let resolutions = crate_dir().join("src/coop/resolutions");
    let files = rust_files(&resolutions);
    assert!(!files.is_empty(), "resolutions read");
    for file in files {
        assert!(
            !code_of(&file).contains("meetings::"),
            "{} imports meetings: what both need lives in coop::convening",
            file.display()
        );
    }
}

/// chrono's name for the host's zone, spelled in two halves so this guard does not name it
/// itself.
fn host_zone() -> String {
    ["Lo", "cal"].concat()
}

/// Whether `line` names the host's zone as a whole word (in a `chrono` import or a call on it).
fn names_host_zone(line: &str) -> bool {
    let zone = host_zone();
    line.match_indices(zone.as_str()).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + zone.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !word(before) && !word(after) && (line.contains("chrono") || after == Some(':'))
    })
}

/// China time everywhere: no code of any crate reads the host's zone; dates and times go
/// through `clock`, and `scripts/test` runs the time-sensitive tests under two zones.
#[test]
fn nothing_reads_the_host_time_zone() {
    let zone = host_zone();
    assert!(names_host_zone(&format!(
        "use chrono::{{DateTime, {zone}}};"
    )));
    assert!(names_host_zone(&format!("let now = {zone}::now();")));
    assert!(!names_host_zone(&format!(
        "let t = clock::now(); // {zone}Key"
    )));
    let root = crate_dir().join("..");
    let mut read = 0;
    for krate in ["domain", "app", "server", "migrations"] {
        for file in rust_files(&root.join(krate).join("src")) {
            for line in code_of(&file).lines() {
                assert!(!names_host_zone(line), "{}: {line}", file.display());
            }
            read += 1;
        }
    }
    assert!(read > 100, "read only {read} files");
}
