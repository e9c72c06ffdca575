//! The `cluewatch` binary: parse the command line, run it, print an error once, exit with a
//! documented code (see `cluewatch --help`).

fn main() -> std::process::ExitCode {
    cluewatch::cli::main()
}
