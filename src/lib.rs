//! bantin: a static site generator for Vietnamese local government portals.
//!
//! The build is a pipeline, one module a stage:
//! disk -> [`content`] (per file) -> [`site`] (model and page plan) -> [`render`]
//! (HTML bytes, in parallel) -> [`output`] (staging folder, atomic swap).
//! [`serve`] keeps a build up to date on every change for a live preview,
//! re-rendering only what changed ([`cache`], [`build::Incremental`]).

pub mod build;
pub mod cache;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fingerprint;
pub mod import;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;
pub mod yaml;
