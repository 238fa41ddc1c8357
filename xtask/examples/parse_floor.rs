//! The YAML parse floor of `cargo xtask codegen`: read `spec/`'s two documents and parse each into
//! a YAML value on a thread of its own, with the same parser, allocator and build profile as the
//! xtask binary, and nothing else (not the generator's own checks). A run of the generator cannot
//! be faster than this process, so BENCHMARKS.md reports the binary's wall time as a ratio to it:
//!
//! ```sh
//! cargo build -p xtask --examples && hyperfine -N -w 3 target/debug/examples/parse_floor 'target/debug/xtask codegen'
//! ```

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let parsed: Vec<Result<usize, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = ["pipedrive-v1.yaml", "pipedrive-v2.yaml"]
            .map(|file| {
                let path = spec.join(file);
                scope.spawn(move || {
                    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                    let value: serde_yaml::Value = serde_yaml::from_str(&text).map_err(|e| format!("{file}: {e}"))?;
                    let keys = value.as_mapping().map_or(0, |root| root.len());
                    // Not freed: the generator leaves that to a thread the process does not wait
                    // for, and the floor is the parse alone.
                    std::mem::forget(value);
                    Ok(keys)
                })
            })
            .into_iter()
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("a parser thread panicked".to_owned())))
            .collect()
    });
    for result in parsed {
        if let Err(message) = result {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
