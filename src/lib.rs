//! budget-extract: published budget performance-target disclosures (项目支出绩效目标表 and the
//! 部门整体绩效目标 prose) → normalized Parquet.
//!
//! The pipeline, one module per stage, data flowing one way:
//!
//! ```text
//! ingest (bytes → blocks) → recognize (blocks → raw projects) → normalize (→ records) → sink (→ Parquet)
//! ```
//!
//! [`pipeline`] drives one document through the stages; [`batch`] runs many into one dataset;
//! [`report`] shows what came out.

pub mod batch;
pub mod blocks;
pub mod error;
pub mod grammars;
pub mod ingest;
pub mod normalize;
pub mod pipeline;
pub mod recognize;
pub mod records;
pub mod report;
pub mod sink;

pub use error::{Error, Result};
