//! Errors and warnings about the input, each pinned to a place in a document.
//!
//! Every problem a document can cause is reported as a [`Diagnostic`]: which file, where in it
//! (a JSON pointer such as `/paths/~1stages/get/parameters/0`), which operation (operationId) when
//! there is one, what was found and what would be accepted instead. Errors stop the run before
//! anything is written; warnings are printed and the run carries on.

use std::fmt;

/// Whether a problem stops the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem in an input file, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    /// JSON pointer into the document (RFC 6901); empty for the whole file.
    pub pointer: String,
    pub operation_id: Option<String>,
    /// What was found.
    pub message: String,
    /// What would be accepted instead, when there is something to say.
    pub expected: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl Into<String>, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            pointer: pointer.into(),
            operation_id: None,
            message: message.into(),
            expected: None,
        }
    }

    /// The same problem, as a warning: reported, but the run carries on.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn operation(mut self, operation_id: Option<&str>) -> Self {
        self.operation_id = operation_id.map(str::to_owned);
        self
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(document root)"
        } else {
            &self.pointer
        };
        write!(f, "{}: at {pointer}", self.file)?;
        if let Some(op) = &self.operation_id {
            write!(f, " (operationId `{op}`)")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(expected) = &self.expected {
            write!(f, "; expected {expected}")?;
        }
        Ok(())
    }
}

/// Why a generation run failed. Nothing has been written when this is returned.
#[derive(Debug)]
pub enum Error {
    /// One or more problems in the input documents or config (with any warnings met on the way).
    Input(Vec<Diagnostic>),
    /// A file could not be read or written.
    Io {
        path: String,
        action: &'static str,
        source: std::io::Error,
    },
    /// The emitted code did not parse as Rust: a bug in the generator, not in the input.
    Emit { file: String, message: String },
    /// Writing would delete or replace what the generator did not write: files in the output
    /// folder without the generated-file preamble, or the spec folder itself.
    Refused {
        /// The folder the run would have replaced.
        path: String,
        /// What is there.
        found: String,
        /// What the user can do instead.
        expected: String,
    },
}

impl Error {
    pub fn input(diagnostic: Diagnostic) -> Self {
        Error::Input(vec![diagnostic])
    }

    /// The input problems, if this is an input error.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Input(d) => d,
            _ => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(diagnostics) => {
                let n = diagnostics.iter().filter(|d| d.is_error()).count();
                write!(f, "{n} problem{} in the input", if n == 1 { "" } else { "s" })?;
                // Warnings met on the way are shown too: they often explain the error.
                for d in diagnostics {
                    let label = if d.is_error() { "error" } else { "warning" };
                    write!(f, "\n  {label}: {d}")?;
                }
                Ok(())
            }
            Error::Io { path, action, source } => write!(f, "could not {action} {path}: {source}"),
            Error::Emit { file, message } => write!(
                f,
                "the generator emitted invalid Rust for {file} (a generator bug, please report it): {message}"
            ),
            Error::Refused { path, found, expected } => {
                write!(f, "refusing to write {path}: {found}; {expected}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Escapes one JSON pointer reference token (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends a reference token to a JSON pointer.
pub fn pointer_join(pointer: &str, token: impl fmt::Display) -> String {
    format!("{pointer}/{}", escape_pointer_token(&token.to_string()))
}
