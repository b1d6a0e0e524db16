//! Test data for dkimscope: a deterministic DKIM signer, a keys-file (zone)
//! reader/writer, a mail-auth reference verifier, the throwaway keys in
//! `keys/`, and the specs of every sample (`sample-headers/`) and defect
//! fixture (`tests/fixtures/defects/`) built from them. The committed test
//! data is exactly what [`generate`] returns.

pub mod compose;
pub mod defects;
pub mod mailauth;
pub mod samples;
pub mod sign;
pub mod util;
pub mod zone;

use compose::Keys;
use std::path::PathBuf;

/// The directory of the committed test keys (`testdata/keys`).
pub fn keys_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("keys")
}

/// The dkimscope checkout this crate lives in.
pub fn checkout() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The directories [`generate`] fills, relative to the checkout.
pub const SAMPLES_DIR: &str = "sample-headers";
pub const DEFECTS_DIR: &str = "tests/fixtures/defects";

/// Every generated file: (path relative to the checkout, content).
pub fn generate(keys: &Keys) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let mut out = Vec::new();
    for (dir, files) in [
        (SAMPLES_DIR, samples::files(keys)?),
        (DEFECTS_DIR, defects::files(keys)?),
    ] {
        out.extend(
            files
                .into_iter()
                .map(|(f, d)| (PathBuf::from(dir).join(f), d)),
        );
    }
    Ok(out)
}
