//! Search that understands Vietnamese. [`text`] is the one text pipeline that both
//! the index writer and the query engine use (and that the search page's script
//! mirrors).

pub mod text;
