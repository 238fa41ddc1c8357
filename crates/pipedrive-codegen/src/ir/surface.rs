//! The public surface of a builder, computed once from the IR (`crate::surface`) and read by
//! emit and by `changes/`: its arguments and setters, each one line in `api.json`.

use serde::{Deserialize, Serialize};

#[allow(clippy::wildcard_imports)]
use super::*;

/// An operation's builder as code that uses the crate sees it: the inputs the tag method that
/// creates it takes, and its setters, each under a name unique in the builder.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BuilderSurface {
    /// Arguments of the tag method (`get_stage(id)`), in the order the caller passes them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arguments: Vec<Input>,
    /// Setters, in builder order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setters: Vec<Input>,
}

impl BuilderSurface {
    /// Every input, arguments first.
    pub fn inputs(&self) -> impl Iterator<Item = &Input> {
        self.arguments.iter().chain(&self.setters)
    }

    /// The input that sets `source`, and whether it is an argument.
    pub fn find(&self, source: &InputSource) -> Option<(&Input, bool)> {
        self.arguments
            .iter()
            .map(|i| (i, true))
            .chain(self.setters.iter().map(|i| (i, false)))
            .find(|(i, _)| &i.source == source)
    }
}

/// One input of a builder: its argument or setter name and what it sets.
///
/// Serialized on one line, so the IR diff reads like a signature: `limit: query limit`,
/// `name: body name`, `due_date: body due_date, null by clear_due_date`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Input {
    /// Rust name of the argument or setter (`pipeline_id`).
    pub name: String,
    /// What it sets.
    pub source: InputSource,
    /// For a nullable body field: the method that sends `null` (`clear_due_date`).
    pub clear: Option<String>,
}

/// Between an input's source and its `clear_` method in the one-line form.
const NULL_BY: &str = ", null by ";

impl std::fmt::Display for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name, self.source)?;
        match &self.clear {
            Some(clear) => write!(f, "{NULL_BY}{clear}"),
            None => Ok(()),
        }
    }
}

impl From<Input> for String {
    fn from(input: Input) -> String {
        input.to_string()
    }
}

impl TryFrom<String> for Input {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        let Some((name, rest)) = s.split_once(": ") else {
            return Err(format!("`{s}` is not an input: expected `NAME: SOURCE`"));
        };
        let (source, clear) = match rest.split_once(NULL_BY) {
            Some((source, clear)) => (source, Some(clear.to_owned())),
            None => (rest, None),
        };
        Ok(Input {
            name: name.to_owned(),
            source: InputSource::try_from(source.to_owned())?,
            clear,
        })
    }
}

/// What an [`Input`] sets: `query limit`, `path id`, `header X`, `body name` (a body field) or
/// `body` (a whole body).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum InputSource {
    /// A parameter, by location and name on the wire.
    Parameter { location: ParamLocation, name: String },
    /// A field of a struct body, by name on the wire.
    BodyField(String),
    /// A body that is not a struct (an array, say), passed whole.
    Body,
}

impl std::fmt::Display for InputSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputSource::Parameter { location, name } => write!(f, "{} {name}", location.as_str()),
            InputSource::BodyField(name) => write!(f, "body {name}"),
            InputSource::Body => f.write_str("body"),
        }
    }
}

impl From<InputSource> for String {
    fn from(source: InputSource) -> String {
        source.to_string()
    }
}

impl TryFrom<String> for InputSource {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        if s == "body" {
            return Ok(InputSource::Body);
        }
        let Some((place, name)) = s.split_once(' ') else {
            return Err(format!(
                "`{s}` is not an input: expected `query NAME`, `path NAME`, `header NAME`, `body NAME` or `body`"
            ));
        };
        let location = match place {
            "body" => return Ok(InputSource::BodyField(name.to_owned())),
            "path" => ParamLocation::Path,
            "query" => ParamLocation::Query,
            "header" => ParamLocation::Header,
            other => {
                return Err(format!(
                    "`{other}` is not where an input goes: expected path, query, header or body"
                ));
            }
        };
        Ok(InputSource::Parameter {
            location,
            name: name.to_owned(),
        })
    }
}
