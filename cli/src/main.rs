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
/// On an error, prints it and gives the exit code.
fn parse() -> Result<(Cli, Option<login::Used>), ExitCode> {
    let clap_error = |e: clap::Error, used: Option<&login::Used>| {
        let code = if e.use_stderr() { 1 } else { 0 };
        let _ = e.print();
        if let Some(u) = used {
            note(u);
        }
        ExitCode::from(code)
    };
    let argv: Vec<OsString> = std::env::args_os().collect();
    let cmd = args::command();
    let m = cmd
        .clone()
        .try_get_matches_from(&argv)
        .map_err(|e| clap_error(e, None))?;
    let expanded = match m.subcommand() {
        Some((sub @ ("mint" | "exchange" | "token"), sm)) => login::expand(&argv, &cmd, sub, sm)
            .map_err(|f| {
                eprintln!("{}", f.message);
                ExitCode::from(f.code)
            })?,
        _ => None,
    };
    let (m, used) = match expanded {
        Some((argv, used)) => match cmd.try_get_matches_from(&argv) {
            Ok(m) => (m, Some(used)),
            Err(e) => return Err(clap_error(e, Some(&used))),
        },
        None => (m, None),
    };
    match Cli::from_arg_matches(&m) {
        Ok(cli) => Ok((cli, used)),
        Err(e) => Err(clap_error(e, used.as_ref())),
    }
}

/// Which login the flags came from, after a failure.
fn note(u: &login::Used) {
    eprintln!("note: flags from login {} in {}", u.name, u.path.display());
}

fn main() -> ExitCode {
    let (cli, used) = match parse() {
        Ok(parsed) => parsed,
        Err(code) => return code,
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
            if let Some(u) = &used {
                note(u);
            }
            ExitCode::from(f.code)
        }
    }
}
