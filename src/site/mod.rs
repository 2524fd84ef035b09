//! All articles and documents -> the [`model::Site`] and the [`plan::PagePlan`]. Pure, whole site.

pub mod archive;
pub mod documents;
pub mod missing;
pub mod model;
pub mod plan;
pub mod schedule;
