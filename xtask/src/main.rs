//! The `xtask` binary of the main workspace, which `tests/` runs; the command is in the library.

fn main() -> std::process::ExitCode {
    xtask::main()
}
