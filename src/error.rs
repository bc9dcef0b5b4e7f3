//! The library's one error type. Every failure a command can meet ends up
//! here, and says whose it is: the user's (a file, folder or option that is
//! wrong — exit code 2, and nothing was written) or the machine's (a disk
//! that is full, a plot that could not be drawn — exit code 1). The module
//! errors (`InputError`, `SweepError`, `CalibrateError`, ...) keep their
//! detail; converting them into [`Error`] is the one place where that
//! blame is decided, so the command line never maps errors per command.

use std::path::{Path, PathBuf};

use crate::calibrate::CalibrateError;
use crate::compare::CompareError;
use crate::plots::PlotError;
use crate::records::RecordsError;
use crate::results::read::ReadError;
use crate::scenario::InputError;
use crate::sweep::SweepError;

/// A failure of a trappe command, with whose fault it is.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Something the user gave is wrong: a scenario or targets file, an
    /// option, or a results folder that is not what trappe writes. The
    /// message names the file, key and line where there is one.
    #[error("{0}")]
    Input(String),
    /// A file or folder could not be read or written.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done, as a verb phrase ("write results to").
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The command could not complete for a reason that is not the input
    /// (drawing failed, threads could not start, ...).
    #[error("{0}")]
    Failed(String),
}

impl Error {
    /// Whether the user can fix this by changing what they gave (exit code
    /// 2) rather than it being a failure of the machine (exit code 1).
    pub fn is_users(&self) -> bool {
        matches!(self, Error::Input(_))
    }

    /// Bad input, in the user's words.
    pub fn input(message: impl Into<String>) -> Self {
        Error::Input(message.into())
    }

    /// An I/O failure on `path` while doing `action`.
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

impl From<std::io::Error> for Error {
    /// An I/O failure where the caller cannot say which path it concerned
    /// (inside the results publisher, say); prefer [`Error::io`].
    fn from(e: std::io::Error) -> Self {
        Error::Failed(format!("cannot write the results: {e}"))
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(e.to_string())
    }
}

impl From<RecordsError> for Error {
    /// Every problem with case records lies in the files the user gave.
    fn from(e: RecordsError) -> Self {
        Error::Input(e.to_string())
    }
}

impl From<CompareError> for Error {
    /// Every reason scenarios cannot be compared lies in the scenarios.
    fn from(e: CompareError) -> Self {
        Error::Input(e.to_string())
    }
}

impl From<ReadError> for Error {
    /// Saved results are read from a folder the user named: a folder that
    /// is missing, damaged or foreign is the user's to fix.
    fn from(e: ReadError) -> Self {
        Error::Input(e.to_string())
    }
}

impl From<SweepError> for Error {
    fn from(e: SweepError) -> Self {
        if e.is_bad_input() {
            Error::Input(e.to_string())
        } else {
            Error::Failed(e.to_string())
        }
    }
}

impl From<CalibrateError> for Error {
    fn from(e: CalibrateError) -> Self {
        match e {
            CalibrateError::Input(e) => e.into(),
            other => Error::Failed(other.to_string()),
        }
    }
}

impl From<PlotError> for Error {
    fn from(e: PlotError) -> Self {
        Error::Failed(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blame_follows_the_kind_of_failure() {
        assert!(Error::input("bad").is_users());
        let io = Error::io(
            "write results to",
            Path::new("/x"),
            std::io::Error::other("disk full"),
        );
        assert!(!io.is_users());
        assert_eq!(io.to_string(), "cannot write results to /x: disk full");
        assert!(Error::from(CompareError::TooFew).is_users());
        assert!(!Error::from(PlotError::Draw("no font".into())).is_users());
        let sweep_io = SweepError::io("writing", std::io::Error::other("full"));
        assert!(!Error::from(sweep_io).is_users());
        assert!(Error::from(SweepError::Design("bad --vary".into())).is_users());
    }
}
