//! Test data for dkimscope: a deterministic DKIM signer, a keys-file (zone)
//! reader/writer, a mail-auth reference verifier, small helpers shared by
//! the generators, and the throwaway keys in `keys/` they all sign with.

pub mod mailauth;
pub mod sign;
pub mod util;
pub mod zone;

use std::path::PathBuf;

/// The directory of the committed test keys (`testdata/keys`).
pub fn keys_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("keys")
}
