//! One file on disk -> an article or a document (or diagnostics). Pure and per file, except
//! [`sources`], which finds the files.

pub mod active_files;
pub mod article;
pub mod attachments;
pub mod dates;
pub mod document;
pub mod front_matter;
pub mod front_matter_text;
pub mod links_audit;
pub mod markdown;
pub mod new_article;
pub mod sanitize;
pub mod sources;
pub mod text;
pub mod week;
