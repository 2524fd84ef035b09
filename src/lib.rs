//! bantin: a static site generator for Vietnamese local government portals.
//!
//! The build is a pipeline, one module a stage:
//! disk -> [`content`] (per file) -> [`site`] (model and page plan) -> [`render`]
//! (HTML bytes, in parallel) -> [`output`] (staging folder, atomic swap).
//! [`serve`] runs the same build on every change for a live preview.

pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod import;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;
pub mod yaml;
