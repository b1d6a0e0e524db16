//! Printers over one [`crate::diagnose::Report`]: readable text and JSON
//! lines. They only format; they decide nothing.

pub mod json;
pub mod text;
