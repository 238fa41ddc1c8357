//! What the generator may replace: the files it wrote, in a folder that is not the spec folder.
//!
//! Writing replaces the crate's folder as a whole (see the parent module), so whatever else is in
//! it would go too. Every file the generator writes names itself near its top ([`PREAMBLE`]:
//! the first line, or in `api.json` the second). A file without it, a symbolic link, or anything
//! that is not a plain file is someone else's: the folder is refused unless the user passes
//! `--force`. The output folder may also not be, hold or lie inside the spec folder, force or
//! not: the run would replace the documents it is reading.

use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

use crate::emit::PREAMBLE;
use crate::error::Error;

/// How far into a file the preamble is looked for.
const HEAD_BYTES: u64 = 512;

/// How many of the files found are named in a refusal; the count says how many there are.
const NAMED: usize = 5;

/// Whether `write_tree` may replace files the generator did not write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Overwrite {
    /// Only generated files; a folder holding anything else is refused.
    #[default]
    GeneratedOnly,
    /// Replace the folder whatever it holds (`cargo xtask codegen --force`).
    Force,
}

/// Whether text that starts with `head` was written by the generator.
pub fn is_generated(head: &[u8]) -> bool {
    let head = head.get(..head.len().min(HEAD_BYTES as usize)).unwrap_or(head);
    String::from_utf8_lossy(head).contains(PREAMBLE)
}

/// Paths under `dir` (relative, sorted) that the generator did not write: files without the
/// preamble, symbolic links, anything else that is not a plain file or a folder. `dir` itself
/// is one when it is not a folder. `allow_empty` accepts empty files, which is what a run killed
/// between creating a file and writing it leaves in its staging folder.
pub fn foreign_files(dir: &Path, allow_empty: bool) -> Result<Vec<String>, Error> {
    let io = |path: &Path, action: &'static str| {
        let path = path.display().to_string();
        move |source| Error::Io { path, action, source }
    };
    let mut foreign = Vec::new();
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(foreign),
        Err(e) => return Err(io(dir, "inspect")(e)),
        Ok(meta) if !meta.is_dir() => return Ok(vec![dir.display().to_string()]),
        Ok(_) => {}
    }
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).map_err(io(&folder, "list"))? {
            let entry = entry.map_err(io(&folder, "list"))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(io(&path, "inspect"))?;
            if kind.is_dir() {
                folders.push(path);
                continue;
            }
            let ours = kind.is_file() && {
                let mut head = Vec::new();
                std::fs::File::open(&path)
                    .and_then(|file| file.take(HEAD_BYTES).read_to_end(&mut head))
                    .map_err(io(&path, "read"))?;
                is_generated(&head) || (allow_empty && head.is_empty())
            };
            if !ours {
                foreign.push(relative(dir, &path));
            }
        }
    }
    foreign.sort();
    Ok(foreign)
}

/// Refuses to replace `dir` when it holds anything the generator did not write, unless forced.
pub fn ensure_generated(dir: &Path, overwrite: Overwrite) -> Result<(), Error> {
    if overwrite == Overwrite::Force {
        return Ok(());
    }
    let foreign = foreign_files(dir, false)?;
    if foreign.is_empty() {
        return Ok(());
    }
    Err(Error::Refused {
        path: dir.display().to_string(),
        found: format!(
            "{}, and writing replaces the whole folder",
            describe(&foreign, "`cargo xtask codegen` did not write")
        ),
        expected: "move them out of it, choose another `--out-dir` or `crate_name`, or pass `--force` \
                   to replace the folder anyway"
            .to_owned(),
    })
}

/// Refuses to delete `leftover` (a staging or set-aside folder of an earlier run) when it holds
/// anything the generator did not write, force or not: its name is the generator's, but not
/// necessarily what is in it.
pub fn ensure_leftover(leftover: &Path, allow_empty: bool) -> Result<(), Error> {
    let foreign = foreign_files(leftover, allow_empty)?;
    if foreign.is_empty() {
        return Ok(());
    }
    Err(Error::Refused {
        path: leftover.display().to_string(),
        found: format!(
            "{}, in a folder named like those an interrupted run leaves",
            describe(&foreign, "the generator did not write")
        ),
        expected: "move or remove that folder by hand: the generator deletes only what it wrote".to_owned(),
    })
}

/// "it holds 3 files that … (a, b, c)", naming the first few.
fn describe(foreign: &[String], what: &str) -> String {
    let mut named: Vec<&str> = foreign.iter().take(NAMED).map(String::as_str).collect();
    if foreign.len() > NAMED {
        named.push("…");
    }
    let (count, noun) = match foreign.len() {
        1 => ("1".to_owned(), "file"),
        n => (n.to_string(), "files"),
    };
    format!("it holds {count} {noun} that {what} ({})", named.join(", "))
}

/// Refuses an output folder that is the spec folder, lies inside it or holds it.
pub fn check_output_location(spec_dir: &Path, out_dir: &Path) -> Result<(), Error> {
    let spec = resolve(spec_dir);
    let out = resolve(out_dir);
    let found = if out == spec {
        "it is the spec folder".to_owned()
    } else if out.starts_with(&spec) {
        format!("it is inside the spec folder {}", spec.display())
    } else if spec.starts_with(&out) {
        format!("it holds the spec folder {}", spec.display())
    } else {
        return Ok(());
    };
    Err(Error::Refused {
        path: out_dir.display().to_string(),
        found,
        expected: "choose an output folder (`--out-dir`) apart from the spec folder (`--spec-dir`): writing \
                   replaces a folder as a whole, and must not take the documents with it"
            .to_owned(),
    })
}

/// `path` as an absolute path without `.` or `..`, with symbolic links resolved in the part of
/// it that exists (the output folder may not exist yet).
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut lexical = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                lexical.pop();
            }
            other => lexical.push(other),
        }
    }
    let mut missing = Vec::new();
    let mut existing = lexical.as_path();
    loop {
        if let Ok(mut found) = existing.canonicalize() {
            found.extend(missing.iter().rev());
            return found;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name);
                existing = parent;
            }
            _ => return lexical,
        }
    }
}

/// `path` relative to `root`, with `/` between its parts on every platform.
pub(super) fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
