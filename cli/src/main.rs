//! `jwtmint`: mint RFC 7523 JWT bearer assertions, exchange them for access
//! tokens, sign raw JWS and inspect tokens. The `jwtmint-cli` crate of the
//! workspace: `cargo install --path cli`.
//!
//! Exit codes: 0 ok, 1 usage, 2 input/key error, 3 remote/OAuth error.
//! Data goes to stdout, diagnostics to stderr.

mod args;
mod custom;
mod exchange;
mod failure;
mod fetch;
mod flags;
mod input;
mod inspect;
mod mint;

use std::process::ExitCode;

use clap::FromArgMatches;

use args::{Cli, Command};

fn main() -> ExitCode {
    let parsed = args::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let r = match cli.command {
        Command::Mint(a) => mint::run(&a),
        Command::Sign(a) => mint::sign(&a),
        Command::Exchange(a) => exchange::run(&a),
        Command::Inspect(a) => inspect::run(&a),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("{}", f.message);
            ExitCode::from(f.code)
        }
    }
}
