//! Search that understands Vietnamese. [`text`] is the one text pipeline that both
//! the index writer ([`index`]) and the query engine ([`query`]) use.
//!
//! Work in progress: the index is not yet written by `bantin build` (it costs too
//! much of the build's time so far), and the search page's script and the
//! `bantin search` command are still to come.

pub mod index;
pub mod query;
pub mod text;
