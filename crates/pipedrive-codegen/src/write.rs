//! Write: put the emitted files on disk, all or nothing, or check that the disk is current.
//!
//! The output folder belongs to the generator: every file in it is generated, and a file that the
//! generator no longer emits is stale. Writing builds the whole tree in a sibling folder
//! (`.NAME.new`) and swaps it in with two renames (the old tree goes to `.NAME.old` in between), so
//! a failed run leaves the previous output as it was. A run killed between the two renames leaves
//! no output folder but a complete `.NAME.old`; the next run puts it back before reading anything
//! ([`recover_interrupted_writes`]). When nothing changed, nothing is touched, so file times stay
//! put and cargo does not rebuild.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::emit::GeneratedFile;
use crate::error::Error;

/// How the files on disk differ from the emitted ones (paths relative to the output folder).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TreeDiff {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

impl TreeDiff {
    pub fn is_clean(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// Every path that differs, sorted.
    pub fn stale_paths(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .added
            .iter()
            .chain(&self.changed)
            .chain(&self.removed)
            .map(String::as_str)
            .collect();
        all.sort_unstable();
        all
    }
}

fn io<'a>(path: &'a Path, action: &'static str) -> impl FnOnce(std::io::Error) -> Error + 'a {
    move |source| Error::Io {
        path: path.display().to_string(),
        action,
        source,
    }
}

/// Compares the emitted files with the folder on disk.
pub fn diff_tree(dir: &Path, files: &[GeneratedFile]) -> Result<TreeDiff, Error> {
    let mut on_disk = BTreeMap::new();
    if dir.exists() {
        list_files(dir, dir, &mut on_disk)?;
    }
    let mut diff = TreeDiff::default();
    for file in files {
        match on_disk.remove(&file.path) {
            None => diff.added.push(file.path.clone()),
            Some(path) => {
                let current = std::fs::read(&path).map_err(io(&path, "read"))?;
                if current == file.contents.as_bytes() {
                    diff.unchanged += 1;
                } else {
                    diff.changed.push(file.path.clone());
                }
            }
        }
    }
    diff.removed = on_disk.into_keys().collect();
    Ok(diff)
}

fn list_files(root: &Path, dir: &Path, out: &mut BTreeMap<String, PathBuf>) -> Result<(), Error> {
    for entry in std::fs::read_dir(dir).map_err(io(dir, "list"))? {
        let entry = entry.map_err(io(dir, "list"))?;
        let path = entry.path();
        if path.is_dir() {
            list_files(root, &path, out)?;
        } else {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let key = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.insert(key, path);
        }
    }
    Ok(())
}

/// The sibling folders a write of `dir` uses: where the new tree is built, and where the old one
/// waits during the swap. Fixed names, so whatever an interrupted run left is found by the next.
struct Siblings {
    parent: PathBuf,
    staging: PathBuf,
    previous: PathBuf,
}

fn siblings(dir: &Path) -> Siblings {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let name = dir
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    Siblings {
        staging: parent.join(format!(".{name}.new")),
        previous: parent.join(format!(".{name}.old")),
        parent,
    }
}

/// Puts right what an interrupted write of `dir` left behind: moves the old tree back if the run
/// stopped between the two renames (no `dir`, a complete `.NAME.old`), and removes leftover
/// `.NAME.new` and `.NAME.old` folders. Returns what it did, for the user; empty when nothing was
/// left. Call it before reading anything from `dir` (the release history lives there).
pub fn recover_interrupted_writes(dir: &Path) -> Result<Vec<String>, Error> {
    let Siblings { staging, previous, .. } = siblings(dir);
    let mut done = Vec::new();
    if previous.exists() {
        if dir.exists() {
            std::fs::remove_dir_all(&previous).map_err(io(&previous, "remove"))?;
            done.push(format!("removed {} left by an earlier run", previous.display()));
        } else {
            std::fs::rename(&previous, dir).map_err(io(&previous, "restore"))?;
            done.push(format!(
                "restored {} from {}, where an interrupted run had moved it",
                dir.display(),
                previous.display()
            ));
        }
    }
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io(&staging, "remove"))?;
        done.push(format!("removed {} left by an earlier run", staging.display()));
    }
    Ok(done)
}

/// Makes `dir` hold exactly `files`. Returns what changed; touches nothing when nothing did.
pub fn write_tree(dir: &Path, files: &[GeneratedFile]) -> Result<TreeDiff, Error> {
    recover_interrupted_writes(dir)?;
    let diff = diff_tree(dir, files)?;
    if diff.is_clean() {
        return Ok(diff);
    }
    let Siblings {
        parent,
        staging,
        previous,
    } = siblings(dir);
    std::fs::create_dir_all(&parent).map_err(io(&parent, "create"))?;
    let staged = stage(&staging, files);
    if let Err(e) = staged {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if dir.exists() {
        std::fs::rename(dir, &previous).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staging);
            io(dir, "move aside")(e)
        })?;
        if let Err(e) = std::fs::rename(&staging, dir) {
            // Put the previous output back before reporting.
            let _ = std::fs::rename(&previous, dir);
            let _ = std::fs::remove_dir_all(&staging);
            return Err(io(dir, "replace")(e));
        }
        // The new tree is in place: failing to delete the old one is not a failed write, and
        // the next run removes it (recover_interrupted_writes).
        let _ = std::fs::remove_dir_all(&previous);
    } else {
        std::fs::rename(&staging, dir).map_err(io(dir, "create"))?;
    }
    Ok(diff)
}

fn stage(staging: &Path, files: &[GeneratedFile]) -> Result<(), Error> {
    for file in files {
        let path = staging.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent, "create"))?;
        }
        std::fs::write(&path, &file.contents).map_err(io(&path, "write"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: contents.into(),
        }
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("pipedrive-codegen-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn writes_then_reports_clean_then_detects_drift() -> Result<(), Error> {
        let root = temp_dir("drift");
        let out = root.join("crate");
        let files = vec![file("Cargo.toml", "a"), file("src/lib.rs", "b")];
        let first = write_tree(&out, &files)?;
        assert_eq!(first.added, vec!["Cargo.toml", "src/lib.rs"]);
        assert!(diff_tree(&out, &files)?.is_clean());

        std::fs::write(out.join("src/lib.rs"), "edited").map_err(io(&out, "write"))?;
        std::fs::write(out.join("src/stray.rs"), "x").map_err(io(&out, "write"))?;
        let diff = diff_tree(&out, &files)?;
        assert_eq!(diff.changed, vec!["src/lib.rs"]);
        assert_eq!(diff.removed, vec!["src/stray.rs"]);

        write_tree(&out, &files)?;
        assert!(diff_tree(&out, &files)?.is_clean());
        assert!(!out.join("src/stray.rs").exists());
        let leftovers: Vec<_> = std::fs::read_dir(&root)
            .map_err(io(&root, "list"))?
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind: {leftovers:?}");
        let _ = std::fs::remove_dir_all(&root);
        Ok(())
    }

    #[test]
    fn a_run_killed_between_the_renames_is_undone_by_the_next() -> Result<(), Error> {
        let root = temp_dir("killed");
        let out = root.join("crate");
        write_tree(&out, &[file("CHANGELOG.md", "history"), file("src/lib.rs", "old")])?;
        // What a run killed after its first rename leaves: the old tree aside, the new one staged.
        std::fs::rename(&out, root.join(".crate.old")).map_err(io(&out, "rename"))?;
        std::fs::create_dir_all(root.join(".crate.new/src")).map_err(io(&root, "create"))?;
        std::fs::write(root.join(".crate.new/src/lib.rs"), "half").map_err(io(&root, "write"))?;

        let done = recover_interrupted_writes(&out)?;
        assert_eq!(done.len(), 2, "{done:?}");
        assert!(done[0].starts_with("restored"), "{done:?}");
        assert_eq!(
            std::fs::read_to_string(out.join("CHANGELOG.md")).map_err(io(&out, "read"))?,
            "history"
        );
        assert!(!root.join(".crate.new").exists() && !root.join(".crate.old").exists());
        assert!(recover_interrupted_writes(&out)?.is_empty(), "nothing left to do");

        // Killed after the second rename: the old tree is only removed.
        std::fs::create_dir_all(root.join(".crate.old")).map_err(io(&root, "create"))?;
        let done = recover_interrupted_writes(&out)?;
        assert!(done[0].starts_with("removed"), "{done:?}");
        assert!(out.join("CHANGELOG.md").exists() && !root.join(".crate.old").exists());
        let _ = std::fs::remove_dir_all(&root);
        Ok(())
    }

    #[test]
    fn a_failed_write_leaves_the_previous_output() -> Result<(), Error> {
        let root = temp_dir("failed");
        let out = root.join("crate");
        write_tree(&out, &[file("src/lib.rs", "old")])?;
        // A file whose parent is a file cannot be created: staging fails.
        let result = write_tree(&out, &[file("src/lib.rs", "new"), file("src/lib.rs/x", "boom")]);
        assert!(result.is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("src/lib.rs")).map_err(io(&out, "read"))?,
            "old"
        );
        let _ = std::fs::remove_dir_all(&root);
        Ok(())
    }
}
