//! Reading inputs for batch commands: files, directories of messages
//! (including Maildir trees) and standard input.
//!
//! Batch runs must be predictable and must not stop on one bad entry, so
//! directories expand in a stable path order, mail-store metadata and
//! hidden files are left out, symlinked directories are not followed (no
//! loops), and every problem becomes an entry of its own. Paths are kept as
//! the user wrote them, because reports show them.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file: the argument as given, or the argument joined with the
    /// entry's path relative to it for directory contents.
    Path(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

impl Input {
    /// How to name this input in output: the path as given, or `-`.
    pub fn label(&self) -> String {
        match self {
            Input::Path(p) => p.to_string_lossy().into_owned(),
            Input::Stdin => "-".to_string(),
        }
    }
}

/// Why an input could not be read. Messages do not repeat the path: the
/// caller shows it next to the error.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("not found")]
    NotFound,
    #[error("permission denied")]
    PermissionDenied,
    #[error("is a directory")]
    IsDirectory,
    #[error("too large: {size} bytes, the limit is {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("too large: more than the limit of {limit} bytes on standard input")]
    StdinTooLarge { limit: u64 },
    #[error("read error: {0}")]
    Io(io::Error),
    /// Read, but not mail: no header field (an Outlook .msg, a README, ...).
    #[error("not a message: {0}")]
    NotAMessage(String),
}

impl From<io::Error> for LoadError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::NotFound => LoadError::NotFound,
            io::ErrorKind::PermissionDenied => LoadError::PermissionDenied,
            io::ErrorKind::IsADirectory => LoadError::IsDirectory,
            _ => LoadError::Io(e),
        }
    }
}

/// Expands command-line arguments into inputs. A directory becomes every
/// message file below it, sorted by path (Maildir `cur/` and `new/` in,
/// `tmp/`, hidden files and mail-store metadata out, symlinked directories
/// not followed); `-` is standard input; anything else is taken as a file
/// path as given (errors show up when reading).
/// A directory that cannot be listed gives an `Err((path, reason))` entry.
pub fn expand(args: &[String]) -> Vec<Result<Input, (String, String)>> {
    let mut out = Vec::new();
    for arg in args {
        if arg == "-" {
            out.push(Ok(Input::Stdin));
            continue;
        }
        let path = Path::new(arg);
        // A directory named on the command line is followed even through a
        // symlink: the user asked for it.
        if fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            let mut found = Vec::new();
            walk(path, &mut found);
            found.sort_by(|a, b| a.0.cmp(&b.0));
            out.extend(found.into_iter().map(|(_, entry)| entry));
        } else {
            out.push(Ok(Input::Path(PathBuf::from(arg))));
        }
    }
    out
}

type Found = (PathBuf, Result<Input, (String, String)>);

/// Names that are never messages: mail-store indexes and bookkeeping.
fn is_metadata(name: &str) -> bool {
    name.starts_with("dovecot.")
        || name.starts_with("dovecot-")
        || name.starts_with("courierimap")
        || name == "maildirfolder"
        || name == "subscriptions"
}

/// A Maildir or Maildir++ folder: has a `cur` or `new` directory.
fn is_maildir_folder(dir: &Path) -> bool {
    ["cur", "new"]
        .iter()
        .any(|d| fs::symlink_metadata(dir.join(d)).is_ok_and(|m| m.is_dir()))
}

fn walk(dir: &Path, out: &mut Vec<Found>) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            let shown = dir.to_string_lossy().into_owned();
            out.push((
                dir.to_path_buf(),
                Err((shown, LoadError::from(e).to_string())),
            ));
            return;
        }
    };
    let mut items = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => items.push(entry),
            Err(e) => {
                let shown = dir.to_string_lossy().into_owned();
                out.push((
                    dir.to_path_buf(),
                    Err((shown, LoadError::from(e).to_string())),
                ));
            }
        }
    }
    // In a Maildir, tmp/ holds messages still being written.
    let is_maildir = items.iter().any(|e| {
        (e.file_name() == "cur" || e.file_name() == "new")
            && e.file_type().is_ok_and(|t| t.is_dir())
    });
    for entry in items {
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        if is_metadata(&name_text) {
            continue;
        }
        let path = dir.join(&name);
        let Ok(kind) = entry.file_type() else {
            out.push((path.clone(), Ok(Input::Path(path))));
            continue;
        };
        let hidden = name_text.starts_with('.');
        if kind.is_dir() {
            // Hidden directories are skipped, except Maildir++ folders
            // (".Sent", ".Archive") which hold mail of their own.
            let skip = (is_maildir && name_text == "tmp") || (hidden && !is_maildir_folder(&path));
            if !skip {
                walk(&path, out);
            }
        } else if hidden {
            continue;
        } else if kind.is_symlink() {
            // Symlinked directories are not followed: they can form loops.
            if !fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                out.push((path.clone(), Ok(Input::Path(path))));
            }
        } else {
            out.push((path.clone(), Ok(Input::Path(path))));
        }
    }
}

/// Reads an input whole, refusing more than `max_size` bytes and input
/// that is not a message at all ([`super::sniff`]).
pub fn read(input: &Input, max_size: u64) -> Result<Vec<u8>, LoadError> {
    let bytes = read_bytes(input, max_size)?;
    match super::sniff::not_a_message(&bytes) {
        Some(why) => Err(LoadError::NotAMessage(why)),
        None => Ok(bytes),
    }
}

fn read_bytes(input: &Input, max_size: u64) -> Result<Vec<u8>, LoadError> {
    match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            io::stdin()
                .lock()
                .take(max_size.saturating_add(1))
                .read_to_end(&mut buf)?;
            if buf.len() as u64 > max_size {
                return Err(LoadError::StdinTooLarge { limit: max_size });
            }
            Ok(buf)
        }
        Input::Path(path) => {
            let meta = fs::metadata(path)?;
            if meta.is_dir() {
                return Err(LoadError::IsDirectory);
            }
            if meta.len() > max_size {
                return Err(LoadError::TooLarge {
                    size: meta.len(),
                    limit: max_size,
                });
            }
            let file = fs::File::open(path)?;
            let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
            file.take(max_size.saturating_add(1))
                .read_to_end(&mut buf)?;
            if buf.len() as u64 > max_size {
                // The file grew while being read.
                return Err(LoadError::TooLarge {
                    size: buf.len() as u64,
                    limit: max_size,
                });
            }
            Ok(buf)
        }
    }
}
