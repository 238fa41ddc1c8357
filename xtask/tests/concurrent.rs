//! Runs that write one output folder at the same time. Without a lock, two runs into one folder
//! left a crate missing `src/v1/mod.rs`, `types.rs` and tag files in 4 of 24 trials while the
//! other run exited 0. A writing run now holds a lock on `<out-dir>/.<crate>.lock`, and a second
//! run waits for it, says so, and then finds the crate current.

#![allow(clippy::expect_used, clippy::panic)]

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::root;

/// Rounds of two runs at once: the 24 trials, each starting from an empty folder or from
/// a generation with one file edited (so that both runs have something to write).
const ROUNDS: usize = 24;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-concurrent-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn spawn(out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        // Stages, in both documents, as in the trials: the race is in writing the
        // files, and the whole API would make the rounds take minutes.
        .args(["codegen", "--tags", "Stages", "--spec-dir"])
        .arg(root().join("spec"))
        .arg("--out-dir")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run xtask")
}

/// Waits for `child`, failing the test if it runs for minutes (a run takes a fraction of a second).
fn finish(mut child: Child) -> (bool, String) {
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        assert!(started.elapsed() < Duration::from_secs(300), "a run did not finish");
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("wait");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Every file under `dir` (relative path, bytes), sorted.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("list").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("under dir").display().to_string();
                out.push((relative, std::fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn two_runs_at_once_leave_a_complete_crate_every_time() {
    let root = temp_dir("rounds");
    let reference_out = root.join("reference");
    let (ok, stderr) = finish(spawn(&reference_out));
    assert!(ok, "{stderr}");
    let reference = files(&reference_out.join("pipedrive"));
    assert!(reference.len() > 5, "{} files", reference.len());

    let mut failures = Vec::new();
    for round in 0..ROUNDS {
        let out = root.join(format!("round-{round}"));
        if round % 2 == 1 {
            assert!(finish(spawn(&out)).0);
            let lib = out.join("pipedrive/src/lib.rs");
            let edited = format!("{}// edited\n", std::fs::read_to_string(&lib).expect("read"));
            std::fs::write(&lib, edited).expect("edit");
        }
        let (first, second) = (spawn(&out), spawn(&out));
        for (ok, stderr) in [finish(first), finish(second)] {
            if !ok {
                failures.push(format!("round {round}: a run failed:\n{stderr}"));
            }
        }
        let written = files(&out.join("pipedrive"));
        if written != reference {
            let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
            failures.push(format!(
                "round {round}: the crate is not the reference one: {:?} against {:?}",
                names(&written),
                names(&reference)
            ));
        }
        let beside = entries(&out);
        if beside != [".pipedrive.lock", "pipedrive"] {
            failures.push(format!("round {round}: left {beside:?} in the output folder"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_run_waits_while_another_holds_the_lock_and_says_so() {
    let root = temp_dir("held");
    let out = root.join("generated");
    std::fs::create_dir_all(&out).expect("create");
    // The test holds the lock, as a run writing the crate would.
    let lock = std::fs::File::create(out.join(".pipedrive.lock")).expect("create lock file");
    lock.lock().expect("lock");

    let mut child = spawn(&out);
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    // Blocks until the run says it waits; a run that did not wait would end its stderr instead.
    let note = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|line| line.starts_with("note: another `cargo xtask codegen` is writing"))
        .unwrap_or_else(|| panic!("the run did not wait for the lock"));
    assert!(note.contains(".pipedrive.lock"), "{note}");
    assert_eq!(
        entries(&out),
        [".pipedrive.lock"],
        "nothing is written while the lock is held"
    );

    drop(lock);
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let (ok, _) = finish(child);
    assert!(ok, "{}", rest.join("\n"));
    assert!(
        files(&out.join("pipedrive")).len() > 5,
        "the crate was written once the lock was free"
    );
    let _ = std::fs::remove_dir_all(&root);
}
