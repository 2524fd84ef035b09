//! bantin: a static site generator for Vietnamese local government portals.
//!
//! The build is a pipeline, one module a stage:
//! disk -> [`config`] and [`content`] (per file) -> [`site`] (model and page
//! plan) -> [`search`] (the index) and [`render`] (HTML bytes, in parallel) ->
//! [`output`] (staging folder and swap, or patch in place). [`build`] runs the
//! stages as one function; what a rebuild may reuse is its [`memo`], which only
//! [`build`] and [`serve`] see. [`serve`] runs the same pipeline on every change
//! for a live preview; [`verify`] compares a published site with the build.
//! [`fingerprint`], [`diagnostics`], [`yaml`] and
//! [`content::text`] are leaves every stage may use.

pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fingerprint;
pub mod import;
pub mod init;
pub mod memo;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;
pub mod verify;
pub mod yaml;
