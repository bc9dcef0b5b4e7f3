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
//!
//! While a folder is being built, an exclusive advisory lock on
//! `.NAME.trappe-lock` beside it (holding the builder's process id) makes a
//! second run into the same place fail at once instead of mixing two runs'
//! files; the lock file is removed when the first run is done.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Marks a folder that is being built.
const STAGING: &str = "trappe-staging";
/// Marks a previous results folder on its way out.
const REPLACED: &str = "trappe-replaced";
/// Marks the lock file of a folder being built.
const LOCK: &str = "trappe-lock";

/// The staging folders and lock files this process holds, for
/// [`Publication::abandon_all_and_exit`].
static ACTIVE: Mutex<Vec<(PathBuf, PathBuf)>> = Mutex::new(Vec::new());

fn active() -> MutexGuard<'static, Vec<(PathBuf, PathBuf)>> {
    ACTIVE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A results folder under construction: write everything into
/// [`Publication::path`], then [`Publication::publish`] it. Dropping it
/// unpublished removes the staging folder and leaves the previous results
/// untouched.
#[derive(Debug)]
pub struct Publication {
    target: PathBuf,
    stage: PathBuf,
    published: bool,
    // Dropped after the staging folder is removed (see `Drop`).
    _lock: TargetLock,
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
        if let Ok(meta) = fs::symlink_metadata(target) {
            let problem = if meta.is_symlink() {
                "is a symbolic link (results replace their folder whole; give the folder it \
                 points to)"
            } else if !meta.is_dir() {
                "exists and is not a folder"
            } else {
                ""
            };
            if !problem.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} {problem}", target.display()),
                ));
            }
        }
        let parent = parent_of(target);
        fs::create_dir_all(&parent)?;
        let lock = TargetLock::acquire(&parent, name, target)?;
        if fs::symlink_metadata(target).is_ok() {
            check_replaceable(target)?;
        }
        remove_leftovers(&parent, name)?;
        let stage = create_unique(&parent, name, STAGING)?;
        active().push((stage.clone(), lock.path.clone()));
        Ok(Self {
            target: target.to_path_buf(),
            stage,
            published: false,
            _lock: lock,
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
        // An interrupt waits until the swap is done (or has not begun).
        let mut active = active();
        self.swap()?; // on failure, dropping `self` removes the stage
        self.published = true;
        active.retain(|(stage, _)| *stage != self.stage);
        Ok(())
    }

    fn swap(&self) -> io::Result<()> {
        let name = self.target.file_name().expect("checked in begin");
        let aside = match fs::symlink_metadata(&self.target) {
            Ok(_) => {
                let aside = unique_name(&parent_of(&self.target), name, REPLACED);
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
        if let Some(aside) = aside {
            // The new results are in place; an old folder that cannot be
            // removed now is removed by the next run into the same place.
            let _ = fs::remove_dir_all(aside);
        }
        Ok(())
    }
}

impl Publication {
    /// Remove every staging folder and lock file of this process and exit
    /// with `code`: what the command line does on SIGINT or SIGTERM. The
    /// previous results stay as they were; a swap already under way is
    /// finished first.
    pub fn abandon_all_and_exit(code: i32) -> ! {
        let active = active();
        for (stage, lock) in active.iter() {
            let _ = fs::remove_dir_all(stage);
            let _ = fs::remove_file(lock);
        }
        std::process::exit(code)
    }
}

impl Publication {
    /// The targets this process began but did not publish (a failure after
    /// `begin`): their previous results are untouched, which the command
    /// line says.
    pub fn abandoned() -> Vec<PathBuf> {
        ABANDONED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

/// See [`Publication::abandoned`].
static ABANDONED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

impl Drop for Publication {
    fn drop(&mut self) {
        if !self.published {
            let mut active = active();
            active.retain(|(stage, _)| *stage != self.stage);
            let _ = fs::remove_dir_all(&self.stage);
            ABANDONED
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(self.target.clone());
        }
    }
}

/// Refuse an existing results folder this process may not change: the
/// swap would replace it anyway (renaming needs only its parent to be
/// writable), overriding the owner's protection, and its old files could
/// not be removed. Checked by creating and removing a file in it.
fn check_replaceable(target: &Path) -> io::Result<()> {
    let probe = target.join(format!(".trappe-probe-{}", std::process::id()));
    match fs::File::create(&probe) {
        Ok(_) => fs::remove_file(&probe),
        Err(e) => Err(io::Error::new(
            e.kind(),
            format!("the folder exists and this user may not change it ({e})"),
        )),
    }
}

/// The exclusive lock on building one target, held from
/// [`Publication::begin`] until the publication is dropped.
#[derive(Debug)]
struct TargetLock {
    file: File,
    path: PathBuf,
}

impl TargetLock {
    /// Lock `.NAME.trappe-lock` in `parent`, or say which process holds it.
    fn acquire(parent: &Path, name: &std::ffi::OsStr, target: &Path) -> io::Result<Self> {
        let mut lock_name = OsString::from(".");
        lock_name.push(name);
        lock_name.push(format!(".{LOCK}"));
        let path = parent.join(lock_name);
        loop {
            let mut file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)?;
            match file.try_lock() {
                // The previous holder removes the file before unlocking it;
                // a lock on a removed file guards nothing, so open it anew.
                Ok(()) if !is_same_file(&file, &path) => continue,
                Ok(()) => {}
                // A file system without locks (some network file systems):
                // go on unguarded rather than refuse to run at all.
                Err(fs::TryLockError::Error(_)) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = match holder.trim() {
                        "" => "another trappe".to_string(),
                        pid => format!("another trappe (process {pid})"),
                    };
                    return Err(io::Error::new(
                        io::ErrorKind::WouldBlock,
                        format!(
                            "{holder} is writing results to {}; wait for it to finish or \
                             choose another output folder",
                            target.display()
                        ),
                    ));
                }
            }
            file.set_len(0)?;
            write!(file, "{}", std::process::id())?;
            return Ok(Self { file, path });
        }
    }
}

impl Drop for TargetLock {
    fn drop(&mut self) {
        // Removed while still locked (the lock goes with the file handle
        // right after), so no other run can lock a file about to vanish.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Whether the open `file` is still the one at `path`.
#[cfg(unix)]
fn is_same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether the open `file` is still the one at `path` (without inode
/// numbers, assume so).
#[cfg(not(unix))]
fn is_same_file(_file: &File, path: &Path) -> bool {
    path.exists()
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
/// in `parent` (one that cannot be removed is left for a later run: it
/// does not stand in the way of this one).
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
            let _ = fs::remove_dir_all(entry.path());
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
    fn a_second_publication_of_the_same_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = Publication::begin(&out).unwrap();
        let err = Publication::begin(&out).unwrap_err();
        let pid = std::process::id().to_string();
        assert!(err.to_string().contains(&pid), "{err}");
        assert!(Publication::begin(&dir.path().join("other")).is_ok());
        first.publish().unwrap();
        Publication::begin(&out).unwrap().publish().unwrap();
        assert_eq!(names(dir.path()), ["out"]);
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
