//! One writing run at a time per output folder.
//!
//! Two runs writing the same crate at once interleave their staging folders and renames (one
//! run's recovery removes the other's half-built tree), and a run can end with a crate missing
//! files while the other reports success. A writing run therefore holds an exclusive lock on
//! `<out-dir>/.<crate>.lock` from before it reads the previous generation until its files are in
//! place; `--check` holds a shared one while it reads, if a writing run ever made the file.
//!
//! A second run waits rather than fails: its result is then as correct as the first's (it reads
//! the crate the first wrote, and usually finds nothing to change), which is what a script, a
//! file watcher or an editor that runs the generator on save wants. It says that it is waiting and
//! on which file, so a run that seems stuck explains itself. The operating system releases the
//! lock when the process ends, however it ends, so a killed run never leaves the folder locked.
//!
//! The lock file stays: removing it would let a run that opened it before the removal and one
//! that created it anew both hold "the" lock. It is empty, and outside the crate's folder.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use pipedrive_codegen::Error;

/// A held lock; dropping it (or the process ending) releases it.
#[derive(Debug)]
pub struct OutputLock {
    _file: File,
}

/// The lock file of `crate_dir`: beside it, named after it.
fn lock_path(crate_dir: &Path) -> PathBuf {
    let name = crate_dir
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    crate_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.lock"))
}

fn io(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.display().to_string();
    move |source| Error::Io { path, action, source }
}

/// Takes the lock for writing `crate_dir`, creating the lock file (and the output folder) if
/// needed; waits while another run holds it.
pub fn for_writing(crate_dir: &Path) -> Result<OutputLock, Error> {
    let path = lock_path(crate_dir);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent, "create"))?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io(&path, "open"))?;
    acquire(file, &path, crate_dir, Access::Exclusive)
}

/// Takes a shared lock for reading `crate_dir`, if a writing run ever created the lock file (a
/// check creates nothing); waits while a writing run holds it.
pub fn for_checking(crate_dir: &Path) -> Result<Option<OutputLock>, Error> {
    let path = lock_path(crate_dir);
    match File::open(&path) {
        Ok(file) => acquire(file, &path, crate_dir, Access::Shared).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(&path, "open")(e)),
    }
}

#[derive(Clone, Copy)]
enum Access {
    Exclusive,
    Shared,
}

/// Tries the lock; when another run holds it, says so and waits for it.
fn acquire(file: File, path: &Path, crate_dir: &Path, access: Access) -> Result<OutputLock, Error> {
    let tried = match access {
        Access::Exclusive => file.try_lock(),
        Access::Shared => file.try_lock_shared(),
    };
    match tried {
        Ok(()) => return Ok(OutputLock { _file: file }),
        Err(TryLockError::Error(e)) => return Err(io(path, "lock")(e)),
        Err(TryLockError::WouldBlock) => {}
    }
    eprintln!(
        "note: another `cargo xtask codegen` is writing {}; waiting for it to finish (lock: {})",
        crate_dir.display(),
        path.display()
    );
    match access {
        Access::Exclusive => file.lock(),
        Access::Shared => file.lock_shared(),
    }
    .map_err(io(path, "lock"))?;
    Ok(OutputLock { _file: file })
}
