//! Write: put the emitted files on disk, all or nothing, or check that the disk is current.
//!
//! The output folder belongs to the generator: every file in it is generated, and a file that the
//! generator no longer emits is stale. A folder that holds anything else is not replaced unless
//! forced, and leftovers are only removed when they hold nothing else ([`owned`]). Writing builds the whole tree in a sibling folder
//! (`.NAME.new`) and swaps it in with two renames (the old tree goes to `.NAME.old` in between), so
//! a failed run leaves the previous output as it was. A run killed between the two renames leaves
//! no output folder but a complete `.NAME.old`; the next run puts it back before reading anything
//! ([`recover_interrupted_writes`]). When nothing changed, nothing is touched, so file times stay
//! put and cargo does not rebuild.

mod owned;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::emit::GeneratedFile;
use crate::error::Error;

pub use owned::{Overwrite, check_output_location, ensure_generated, foreign_files, is_generated};

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
            // A link or a device where a generated file belongs is not read: it is not current.
            Some(OnDisk::Other) => diff.changed.push(file.path.clone()),
            Some(OnDisk::File(path)) => {
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

/// One entry of the output folder: a plain file, or something else (a symbolic link, which is
/// never followed, so a link to a folder cannot make the walk loop or leave the folder).
enum OnDisk {
    File(PathBuf),
    Other,
}

fn list_files(root: &Path, dir: &Path, out: &mut BTreeMap<String, OnDisk>) -> Result<(), Error> {
    for entry in std::fs::read_dir(dir).map_err(io(dir, "list"))? {
        let entry = entry.map_err(io(dir, "list"))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(io(&path, "inspect"))?;
        if kind.is_dir() {
            list_files(root, &path, out)?;
        } else {
            let key = owned::relative(root, &path);
            out.insert(
                key,
                if kind.is_file() {
                    OnDisk::File(path)
                } else {
                    OnDisk::Other
                },
            );
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
/// `.NAME.new` and `.NAME.old` folders, unless they hold files the generator did not write.
/// Returns what it did, for the user; empty when nothing was left. Call it before reading
/// anything from `dir` (the release history lives there).
pub fn recover_interrupted_writes(dir: &Path) -> Result<Vec<String>, Error> {
    let Siblings { staging, previous, .. } = siblings(dir);
    let mut done = Vec::new();
    if previous.exists() {
        if dir.exists() {
            owned::ensure_leftover(&previous, false)?;
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
        owned::ensure_leftover(&staging, true)?;
        std::fs::remove_dir_all(&staging).map_err(io(&staging, "remove"))?;
        done.push(format!("removed {} left by an earlier run", staging.display()));
    }
    Ok(done)
}

/// Makes `dir` hold exactly `files`, refusing a folder that holds anything the generator did not
/// write. Returns what changed; touches nothing when nothing did.
pub fn write_tree(dir: &Path, files: &[GeneratedFile]) -> Result<TreeDiff, Error> {
    write_tree_with(dir, files, Overwrite::GeneratedOnly)
}

/// [`write_tree`], replacing a folder that holds other files too when `overwrite` says so.
pub fn write_tree_with(dir: &Path, files: &[GeneratedFile], overwrite: Overwrite) -> Result<TreeDiff, Error> {
    // A file without the preamble would be taken for someone else's by the next run.
    if let Some(file) = files.iter().find(|f| !is_generated(f.contents.as_bytes())) {
        return Err(Error::Emit {
            file: file.path.clone(),
            message: "the file does not start with the generated-file preamble".to_owned(),
        });
    }
    recover_interrupted_writes(dir)?;
    let diff = diff_tree(dir, files)?;
    if diff.is_clean() {
        return Ok(diff);
    }
    owned::ensure_generated(dir, overwrite)?;
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

    /// A generated file: `contents` after the preamble line.
    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: format!("// {}\n{contents}", crate::emit::PREAMBLE),
        }
    }

    fn read(path: &Path) -> Result<String, Error> {
        let text = std::fs::read_to_string(path).map_err(io(path, "read"))?;
        Ok(text.lines().skip(1).collect())
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("pipedrive-codegen-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// Writes `contents` to `path` (relative to `dir`), creating folders.
    fn put(dir: &Path, path: &str, contents: &str) -> Result<(), Error> {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent, "create"))?;
        }
        std::fs::write(&path, contents).map_err(io(&path, "write"))
    }

    fn entries(dir: &Path) -> Result<Vec<String>, Error> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map_err(io(dir, "list"))?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        Ok(names)
    }

    #[test]
    fn writes_then_reports_clean_then_detects_drift() -> Result<(), Error> {
        let root = temp_dir("drift");
        let out = root.join("crate");
        let files = vec![file("Cargo.toml", "a"), file("src/lib.rs", "b")];
        let first = write_tree(&out, &files)?;
        assert_eq!(first.added, vec!["Cargo.toml", "src/lib.rs"]);
        assert!(diff_tree(&out, &files)?.is_clean());

        // Edited by hand below the preamble, and a file an earlier generation wrote.
        put(&out, "src/lib.rs", &format!("// {}\nedited", crate::emit::PREAMBLE))?;
        put(&out, "src/stray.rs", &format!("// {}\nx", crate::emit::PREAMBLE))?;
        let diff = diff_tree(&out, &files)?;
        assert_eq!(diff.changed, vec!["src/lib.rs"]);
        assert_eq!(diff.removed, vec!["src/stray.rs"]);

        write_tree(&out, &files)?;
        assert!(diff_tree(&out, &files)?.is_clean());
        assert!(!out.join("src/stray.rs").exists());
        assert_eq!(entries(&root)?, ["crate"], "no staging folders left behind");
        let _ = std::fs::remove_dir_all(&root);
        Ok(())
    }

    #[test]
    fn a_folder_with_files_the_generator_did_not_write_is_replaced_only_when_forced() -> Result<(), Error> {
        let root = temp_dir("foreign");
        let out = root.join("crate");
        let files = vec![file("src/lib.rs", "new")];
        // A folder of the user's own, and a generated crate the user added a file to.
        put(&out, "notes.md", "mine")?;
        put(&out, "src/lib.rs", &format!("// {}\nold", crate::emit::PREAMBLE))?;
        let refused = write_tree(&out, &files)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            refused.starts_with(&format!(
                "refusing to write {}: it holds 1 file that `cargo xtask codegen` did not write (notes.md)",
                out.display()
            )),
            "{refused}"
        );
        assert!(refused.contains("pass `--force`"), "{refused}");
        assert_eq!(
            std::fs::read_to_string(out.join("notes.md")).ok().as_deref(),
            Some("mine")
        );
        assert_eq!(read(&out.join("src/lib.rs"))?, "old");
        assert_eq!(entries(&root)?, ["crate"], "nothing staged beside it");

        write_tree_with(&out, &files, Overwrite::Force)?;
        assert!(!out.join("notes.md").exists());
        assert_eq!(read(&out.join("src/lib.rs"))?, "new");
        let _ = std::fs::remove_dir_all(&root);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn links_are_not_followed_and_are_not_the_generators() -> Result<(), Error> {
        let root = temp_dir("links");
        let out = root.join("crate");
        let elsewhere = root.join("elsewhere");
        put(&elsewhere, "precious.txt", "keep")?;
        write_tree(&out, &[file("src/lib.rs", "a")])?;
        // A link to a folder outside, and one back to the crate's own root (a loop if followed).
        std::os::unix::fs::symlink(&elsewhere, out.join("src/outside")).map_err(io(&out, "link"))?;
        std::os::unix::fs::symlink(&out, out.join("src/loop")).map_err(io(&out, "link"))?;
        let diff = diff_tree(&out, &[file("src/lib.rs", "a")])?;
        assert_eq!(diff.removed, ["src/loop", "src/outside"]);
        assert_eq!(foreign_files(&out, false)?, ["src/loop", "src/outside"]);
        assert!(write_tree(&out, &[file("src/lib.rs", "b")]).is_err());
        write_tree_with(&out, &[file("src/lib.rs", "b")], Overwrite::Force)?;
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("precious.txt")).ok().as_deref(),
            Some("keep"),
            "replacing the folder removed the link, not what it points to"
        );
        let _ = std::fs::remove_dir_all(&root);
        Ok(())
    }

    #[test]
    fn emitted_files_must_carry_the_preamble() {
        let root = temp_dir("no-preamble");
        let bare = GeneratedFile {
            path: "src/lib.rs".into(),
            contents: "fn main() {}\n".into(),
        };
        let message = write_tree(&root.join("crate"), &[bare])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.contains("src/lib.rs") && message.contains("preamble"),
            "{message}"
        );
        assert!(!root.exists(), "nothing written");
    }

    #[test]
    fn a_run_killed_between_the_renames_is_undone_by_the_next() -> Result<(), Error> {
        let root = temp_dir("killed");
        let out = root.join("crate");
        write_tree(&out, &[file("CHANGELOG.md", "history"), file("src/lib.rs", "old")])?;
        // What a run killed after its first rename leaves: the old tree aside, the new one staged
        // (one file written in part, one created and not yet written).
        std::fs::rename(&out, root.join(".crate.old")).map_err(io(&out, "rename"))?;
        put(
            &root,
            ".crate.new/src/lib.rs",
            &format!("// {}\nha", crate::emit::PREAMBLE),
        )?;
        put(&root, ".crate.new/src/v1/mod.rs", "")?;

        let done = recover_interrupted_writes(&out)?;
        assert_eq!(done.len(), 2, "{done:?}");
        assert!(done[0].starts_with("restored"), "{done:?}");
        assert_eq!(read(&out.join("CHANGELOG.md"))?, "history");
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
    fn leftovers_holding_other_files_are_not_removed() -> Result<(), Error> {
        let root = temp_dir("leftovers");
        let out = root.join("crate");
        write_tree(&out, &[file("src/lib.rs", "a")])?;
        put(&root, ".crate.new/mine.txt", "someone's")?;
        let message = recover_interrupted_writes(&out)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.starts_with(&format!(
                "refusing to write {}: it holds 1 file that the generator did not write (mine.txt)",
                root.join(".crate.new").display()
            )),
            "{message}"
        );
        assert!(root.join(".crate.new/mine.txt").exists());
        // An empty file is something only a staging folder may hold.
        std::fs::remove_dir_all(root.join(".crate.new")).map_err(io(&root, "remove"))?;
        put(&root, ".crate.old/src/lib.rs", "")?;
        assert!(recover_interrupted_writes(&out).is_err());
        assert!(root.join(".crate.old/src/lib.rs").exists());
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
        assert_eq!(read(&out.join("src/lib.rs"))?, "old");
        let _ = std::fs::remove_dir_all(&root);
        Ok(())
    }

    #[test]
    fn the_output_folder_may_not_be_hold_or_lie_inside_the_spec_folder() -> Result<(), Error> {
        let root = temp_dir("overlap");
        let spec = root.join("project/spec");
        std::fs::create_dir_all(&spec).map_err(io(&spec, "create"))?;
        let refusal = |out: &Path| check_output_location(&spec, out).err().map(|e| e.to_string());
        let inside = refusal(&spec.join("out")).unwrap_or_default();
        assert!(inside.contains("it is inside the spec folder"), "{inside}");
        let holds = refusal(&root.join("project")).unwrap_or_default();
        assert!(holds.contains("it holds the spec folder"), "{holds}");
        // The same folder spelled another way, and one that does not exist yet.
        let same = refusal(&spec.join("../spec/.")).unwrap_or_default();
        assert!(same.contains("it is the spec folder"), "{same}");
        assert_eq!(refusal(&root.join("project/generated/not/yet")), None);
        assert_eq!(
            refusal(&root.join("project/spec2")),
            None,
            "a sibling whose name starts the same"
        );
        let _ = std::fs::remove_dir_all(&root);
        Ok(())
    }
}
