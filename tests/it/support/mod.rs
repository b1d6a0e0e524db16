//! What more than one test module needs.

pub mod dns_server;
