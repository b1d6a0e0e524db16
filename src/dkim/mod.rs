//! DKIM itself (RFC 6376, RFC 8301, RFC 8463): the tag-list lexer, the
//! signature and key records, canonicalization and hashing, the step trace,
//! localization of what changed, and the cross-check with mail-auth.

pub mod canon;
pub mod codes;
pub mod crosscheck;
pub mod hashing;
pub mod key;
pub(crate) mod key_check;
pub mod localize;
pub mod signature;
pub mod tags;
pub mod verify;
