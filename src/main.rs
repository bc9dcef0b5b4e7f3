//! The `trappe` command. All logic lives in the library and `cli`; this
//! only maps failures to exit codes: 2 for the user's (bad input), 1 for
//! anything else (the library's `Error` says which).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            // A failure after a results folder was begun: say that the
            // folder keeps what it held.
            for target in trappe::results::Publication::abandoned() {
                eprintln!(
                    "note: nothing was written to {}; what it held before is untouched",
                    target.display()
                );
            }
            if e.is_users() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
