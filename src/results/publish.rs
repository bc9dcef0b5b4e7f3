//! Publishing a results folder as a whole: every command builds its complete
//! output (CSVs, JSON, plots, report) in a staging folder beside the target
//! and then swaps it in, so a reader of the target sees either the previous
//! complete results or the new complete results, never a mix.
//!
//! The swap renames the old folder aside, renames the staging folder into
//! its place and only then removes the old one. Both the staging folder and
//! the folder moved aside live in the target's parent (one file system, so
//! renames are atomic) and are named after the target with a recognisable
//! suffix: `.NAME.trappe-staging-…` and `.NAME.trappe-replaced-…`. A run
//! killed before it could clean up leaves one of these behind; the next run
//! into the same place removes them.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Marks a folder that is being built.
const STAGING: &str = "trappe-staging";
/// Marks a previous results folder on its way out.
const REPLACED: &str = "trappe-replaced";

/// A results folder under construction: write everything into
/// [`Publication::path`], then [`Publication::publish`] it. Dropping it
/// unpublished removes the staging folder and leaves the previous results
/// untouched.
#[derive(Debug)]
pub struct Publication {
    target: PathBuf,
    stage: PathBuf,
    published: bool,
}

impl Publication {
    /// Start building the results folder `target`: check that it can be a
    /// folder, remove what killed runs left beside it, and create an empty
    /// staging folder next to it.
    pub fn begin(target: &Path) -> io::Result<Self> {
        let name = target.file_name().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} does not name a folder", target.display()),
            )
        })?;
        if fs::symlink_metadata(target).is_ok_and(|m| !m.is_dir()) {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists and is not a folder", target.display()),
            ));
        }
        let parent = parent_of(target);
        fs::create_dir_all(&parent)?;
        remove_leftovers(&parent, name)?;
        let stage = create_unique(&parent, name, STAGING)?;
        Ok(Self {
            target: target.to_path_buf(),
            stage,
            published: false,
        })
    }

    /// The staging folder to write into.
    pub fn path(&self) -> &Path {
        &self.stage
    }

    /// The folder the results will be published as.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Swap the staging folder in as the target: the old target (if any) is
    /// renamed aside, the staging folder renamed into its place, and the old
    /// one removed. If the second rename fails, the old folder is put back.
    pub fn publish(mut self) -> io::Result<()> {
        let name = self.target.file_name().expect("checked in begin");
        let parent = parent_of(&self.target);
        let aside = match fs::symlink_metadata(&self.target) {
            Ok(_) => {
                let aside = unique_name(&parent, name, REPLACED);
                fs::rename(&self.target, &aside)?;
                Some(aside)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if let Err(e) = fs::rename(&self.stage, &self.target) {
            if let Some(aside) = &aside {
                let _ = fs::rename(aside, &self.target);
            }
            return Err(e);
        }
        self.published = true;
        if let Some(aside) = aside {
            // The new results are in place; an old folder that cannot be
            // removed now is removed by the next run into the same place.
            let _ = fs::remove_dir_all(aside);
        }
        Ok(())
    }
}

impl Drop for Publication {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_dir_all(&self.stage);
        }
    }
}

/// The folder `target` lives in (`.` for a bare name).
fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The prefix of the staging or replaced folders of `name`: `.NAME.KIND-`.
fn prefix(name: &std::ffi::OsStr, kind: &str) -> OsString {
    let mut p = OsString::from(".");
    p.push(name);
    p.push(format!(".{kind}-"));
    p
}

/// A name beside the target that no other folder has (process id and a
/// counter make it unique among concurrent runs).
fn unique_name(parent: &Path, name: &std::ffi::OsStr, kind: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let mut candidate = prefix(name, kind);
        candidate.push(format!(
            "{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let path = parent.join(candidate);
        if fs::symlink_metadata(&path).is_err() {
            return path;
        }
    }
}

/// Create a fresh folder beside the target (with the permissions an
/// ordinary `mkdir` gives, which the published folder keeps).
fn create_unique(parent: &Path, name: &std::ffi::OsStr, kind: &str) -> io::Result<PathBuf> {
    loop {
        let path = unique_name(parent, name, kind);
        match fs::create_dir(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Remove staging and replaced folders of `name` that earlier runs left
/// in `parent`.
fn remove_leftovers(parent: &Path, name: &std::ffi::OsStr) -> io::Result<()> {
    let prefixes = [prefix(name, STAGING), prefix(name, REPLACED)];
    for entry in fs::read_dir(parent)? {
        let entry = entry?;
        let file_name = entry.file_name();
        let bytes = file_name.as_encoded_bytes();
        if prefixes
            .iter()
            .any(|p| bytes.starts_with(p.as_encoded_bytes()))
        {
            fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn publishing_replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("report.html"), "old").unwrap();
        fs::write(out.join("summary.csv"), "old").unwrap();
        let stage = Publication::begin(&out).unwrap();
        fs::write(stage.path().join("summary.csv"), "new").unwrap();
        assert_eq!(fs::read_to_string(out.join("summary.csv")).unwrap(), "old");
        stage.publish().unwrap();
        assert_eq!(names(&out), ["summary.csv"]);
        assert_eq!(fs::read_to_string(out.join("summary.csv")).unwrap(), "new");
        assert_eq!(names(dir.path()), ["out"]);
    }

    #[test]
    fn an_unpublished_stage_leaves_the_old_results() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("summary.csv"), "old").unwrap();
        {
            let stage = Publication::begin(&out).unwrap();
            fs::write(stage.path().join("summary.csv"), "half").unwrap();
        }
        assert_eq!(names(dir.path()), ["out"]);
        assert_eq!(fs::read_to_string(out.join("summary.csv")).unwrap(), "old");
    }

    #[test]
    fn leftovers_of_killed_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        for left in [".out.trappe-staging-1-0", ".out.trappe-replaced-1-0"] {
            fs::create_dir(dir.path().join(left)).unwrap();
            fs::write(dir.path().join(left).join("summary.csv"), "x").unwrap();
        }
        fs::create_dir(dir.path().join(".other.trappe-staging-1-0")).unwrap();
        Publication::begin(&out).unwrap().publish().unwrap();
        assert_eq!(names(dir.path()), [".other.trappe-staging-1-0", "out"]);
    }

    #[test]
    fn a_file_in_the_way_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::write(&out, "a file").unwrap();
        let err = Publication::begin(&out).unwrap_err();
        assert!(err.to_string().contains("not a folder"), "{err}");
    }
}
