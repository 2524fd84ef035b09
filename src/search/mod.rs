//! Search that understands Vietnamese. [`text`] is the one text pipeline that both
//! the index writer ([`index`]) and the query engine ([`query`]) use; the search
//! page's script (`search.js`) mirrors `text` and `query` step by step. [`patch`]
//! brings a published index up to date after a few articles changed (`build
//! --cache`), giving the same bytes as [`index`] would. [`codec`] is the one
//! encoder and decoder of the index's binary files, which all three use and the
//! script reads alike.

pub mod codec;
pub mod index;
pub mod patch;
pub mod query;
pub mod text;

/// The search page's script, written beside the index.
pub const SCRIPT: &str = include_str!("search.js");

/// Where the script is written in the output: named by its content.
pub fn script_path() -> String {
    format!(
        "{}/search.{}.js",
        index::INDEX_DIR,
        index::short_hash(SCRIPT.as_bytes())
    )
}
