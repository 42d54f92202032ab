//! Sink: records → Parquet files in the output folder.

pub mod dataset;
pub mod parquet;
pub mod schema;

use std::path::Path;

use crate::error::Error;
use crate::records::Extraction;

/// Writes the four tables of a run. `documents.parquet` is written last, so a folder holding it
/// holds the other three of the same run.
pub fn write_all(dir: &Path, extractions: &[Extraction]) -> Result<(), Error> {
    let projects: Vec<_> = extractions.iter().flat_map(|e| e.projects.iter().cloned()).collect();
    let indicators: Vec<_> = extractions.iter().flat_map(|e| e.indicators.iter().cloned()).collect();
    let goals: Vec<_> = extractions.iter().flat_map(|e| e.department_goals.iter().cloned()).collect();
    let documents: Vec<_> = extractions.iter().map(|e| e.document.clone()).collect();
    parquet::write(dir, &indicators)?;
    parquet::write(dir, &projects)?;
    parquet::write(dir, &goals)?;
    parquet::write(dir, &documents)?;
    Ok(())
}
