//! ir-committee: the weekly validation committee of an interventional
//! radiology department. See README.md for the layout.

pub mod cli;
pub mod decide;
pub mod demo;
pub mod deploy;
pub mod domain;
pub mod export;
pub mod feed;
pub mod import;
pub mod report;
pub mod storage;
#[doc(hidden)]
pub mod testkit;
pub mod text;
pub mod tui;
