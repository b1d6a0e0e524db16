//! Test data for dkimscope: a deterministic DKIM signer, a keys-file (zone)
//! reader/writer, a mail-auth reference verifier and small helpers shared by
//! the generators.

pub mod mailauth;
pub mod sign;
pub mod util;
pub mod zone;
