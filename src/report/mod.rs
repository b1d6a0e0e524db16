//! Printers over one [`crate::diagnose::Report`] (and over the
//! [`crate::selectors`] audit): readable text and JSON lines. They only format; they decide nothing.

pub mod json;
pub mod selectors;
pub mod text;
