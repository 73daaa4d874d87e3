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
mod login;
mod mint;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::FromArgMatches;

use args::{Cli, Command, Format};
use failure::Failure;

/// Parses the command line; a named login (`@NAME`) is read from the config
/// file and its fields inserted as flags, then the line is parsed again.
fn parse() -> Result<(Cli, Option<login::Used>), Result<clap::Error, Failure>> {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let cmd = args::command();
    let m = cmd.clone().try_get_matches_from(&argv).map_err(Ok)?;
    let expanded = match m.subcommand() {
        Some((sub @ ("mint" | "exchange" | "token"), sm)) => {
            login::expand(&argv, &cmd, sub, sm).map_err(Err)?
        }
        _ => None,
    };
    let (m, used) = match expanded {
        Some((argv, used)) => (cmd.try_get_matches_from(&argv).map_err(Ok)?, Some(used)),
        None => (m, None),
    };
    Ok((Cli::from_arg_matches(&m).map_err(Ok)?, used))
}

fn main() -> ExitCode {
    let (cli, used) = match parse() {
        Ok(parsed) => parsed,
        Err(Ok(e)) => {
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
        Err(Err(f)) => {
            eprintln!("{}", f.message);
            return ExitCode::from(f.code);
        }
    };
    let r = match cli.command {
        Command::Mint(a) => {
            input::set_passphrase_env(a.mint.key_passphrase_env.as_deref());
            mint::run(&a)
        }
        Command::Sign(a) => mint::sign(&a),
        Command::Exchange(a) => exchange::run(&a, Format::Json),
        Command::Token(a) => exchange::run(&a, Format::Token),
        Command::Inspect(a) => inspect::run(&a),
        Command::Completions(a) => {
            clap_complete::generate(
                a.shell,
                &mut args::command(),
                "jwtmint",
                &mut std::io::stdout(),
            );
            Ok(())
        }
        Command::Man(a) => match &a.dir {
            Some(dir) => clap_mangen::generate_to(args::command(), dir).map_err(|e| {
                Failure::input(format!(
                    "error: writing man pages to {}: {e}",
                    dir.display()
                ))
            }),
            None => clap_mangen::Man::new(args::command())
                .render(&mut std::io::stdout())
                .map_err(|e| Failure::input(format!("error: writing the man page: {e}"))),
        },
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("{}", f.message);
            if let Some(u) = used {
                eprintln!("note: flags from login {} in {}", u.name, u.path.display());
            }
            ExitCode::from(f.code)
        }
    }
}
