//! Tests of `trappe calibrate`: the optimiser recovers known parameters,
//! the shipped Herning pair meets its published targets (and stops meeting
//! them when the Swedish model's levers are reverted), and bad targets
//! files are refused with located errors and exit code 2.
//!
//! One module per behaviour; shared helpers live here.

mod bad_targets;
mod herning;
mod recovery;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// A `trappe` command with a clean environment for thread settings.
pub fn trappe() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trappe"));
    cmd.env_remove("RAYON_NUM_THREADS");
    cmd
}

/// Absolute path of a shipped scenario (or targets) file.
pub fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// Stdout and stderr as text, for assertion messages.
pub fn describe_output(output: &Output) -> String {
    format!(
        "exit status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
