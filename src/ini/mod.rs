//! A format-preserving editor for the INI dialect of AWS profile files.
//!
//! Invariant: for every input [`Document::parse`] accepts, [`Document::render`] gives back
//! exactly the input bytes, and each edit changes only the lines it names. The one byte an edit
//! may add elsewhere is a line ending after an old last line that had none, when lines are
//! appended after it. Line indices never leave this module: callers hold [`SectionId`]s.
//!
//! The dialect is the one the AWS SDKs' shared parser reads (`aws-runtime`'s `env_config`):
//! lines split on `\n` or `\r\n`, whitespace is only space and tab, `#`/`;` start a comment line,
//! an indented line continues the previous property. Where botocore (the AWS CLI) reads a line
//! differently, [`botocore`] says how, and [`js_sdk`] says how the AWS SDK for JavaScript
//! reads it, so callers can refuse ambiguous input. This module knows
//! nothing of AWS names: which section or key means what is `profile`'s business.

pub mod botocore;
mod document;
pub mod js_sdk;
mod line;
mod section;

pub use document::{Document, Eol, ParseError, ParseErrorKind};
pub use line::{classify, Header, LineKind, Property};
pub use section::{ContinuationLine, Entry, NumberedLine, Section, SectionId, SectionMut};
