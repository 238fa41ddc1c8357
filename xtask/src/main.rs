//! `cargo xtask`: the repository's automation, in Rust so it runs wherever cargo does.
//!
//! `cargo xtask codegen` reads `spec/` (the config and Pipedrive's documents), generates the client
//! crate and writes it to `generated/<crate>/`; `--check` writes nothing and fails, naming the stale
//! files, when `generated/` is not what the spec produces. The paths live here, not in the generator.

mod codegen;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]

  codegen          generate generated/<crate>/ from spec/codegen.yaml and the documents it lists
  codegen --check  do not write; fail if generated/ is stale";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen::run(codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(codegen::Mode::Check),
        ["help" | "--help" | "-h"] | [] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("unknown arguments: {}\n\n{USAGE}", args.join(" "));
            ExitCode::from(2)
        }
    }
}
