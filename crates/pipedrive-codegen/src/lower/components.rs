//! Following a `$ref` to a reusable component (`#/components/parameters/<name>`, request bodies,
//! responses) through any chain of `$ref`s to the component it ends at.
//!
//! A component may itself be a `$ref` to another (an alias kept after a rename, say). The chain is
//! followed while it stays in the same section of `components`; one that loops, leaves the section
//! or ends at a missing name is an error that spells out the chain.

use openapiv3::ReferenceOr;

use crate::document::reference_tokens;

/// Follows `value` to its component in `#/components/<section>/`, looking names up with `lookup`.
/// On failure, returns what was found, for the caller to place in a diagnostic.
pub(super) fn follow<'d, T>(
    value: &'d ReferenceOr<T>,
    section: &str,
    lookup: impl Fn(&str) -> Option<&'d ReferenceOr<T>>,
) -> Result<&'d T, String> {
    let prefix = format!("#/components/{section}/");
    let mut chain: Vec<&'d str> = Vec::new();
    let mut current = value;
    loop {
        let reference = match current {
            ReferenceOr::Item(item) => return Ok(item),
            ReferenceOr::Reference { reference } => reference.as_str(),
        };
        let through = |chain: &[&str]| {
            if chain.is_empty() {
                String::new()
            } else {
                format!(" (reached through {})", quoted_chain(chain))
            }
        };
        if chain.contains(&reference) {
            chain.push(reference);
            return Err(format!("`$ref`s loop: {}", quoted_chain(&chain)));
        }
        // Names are unescaped (`#/components/parameters/a~1b` names `a/b`).
        let name = match reference_tokens(reference).as_deref() {
            Some([components, in_section, name]) if components == "components" && in_section == section => name.clone(),
            _ => {
                return Err(format!(
                    "`$ref: {reference}`{} does not point into `{prefix}`",
                    through(&chain)
                ));
            }
        };
        let Some(next) = lookup(&name) else {
            return Err(format!("`$ref: {reference}`{} does not resolve", through(&chain)));
        };
        chain.push(reference);
        current = next;
    }
}

/// `A` → `B` → `C`, each as code.
fn quoted_chain(chain: &[&str]) -> String {
    chain.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(" → ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(to: &str) -> ReferenceOr<u8> {
        ReferenceOr::Reference {
            reference: to.to_owned(),
        }
    }

    fn lookup<'a>(components: &'a [(&str, ReferenceOr<u8>)]) -> impl Fn(&str) -> Option<&'a ReferenceOr<u8>> {
        move |name| components.iter().find(|(n, _)| *n == name).map(|(_, c)| c)
    }

    #[test]
    fn a_chain_is_followed_to_its_item() {
        let components = [
            ("A", reference("#/components/parameters/B")),
            ("B", ReferenceOr::Item(7)),
        ];
        let start = reference("#/components/parameters/A");
        assert_eq!(follow(&start, "parameters", lookup(&components)), Ok(&7));
        assert_eq!(follow(&ReferenceOr::Item(3), "parameters", lookup(&components)), Ok(&3));
        let escaped = [("a/b c", ReferenceOr::Item(9))];
        let start = reference("#/components/parameters/a~1b%20c");
        assert_eq!(follow(&start, "parameters", lookup(&escaped)), Ok(&9));
    }

    #[test]
    fn a_loop_a_missing_name_and_another_section_are_errors_that_show_the_chain() {
        let components = [
            ("A", reference("#/components/parameters/B")),
            ("B", reference("#/components/parameters/A")),
            ("C", reference("#/components/parameters/Gone")),
            ("D", reference("#/components/schemas/S")),
        ];
        let from = |name: &str| follow(&reference(name), "parameters", lookup(&components)).copied();
        assert_eq!(
            from("#/components/parameters/A"),
            Err(
                "`$ref`s loop: `#/components/parameters/A` → `#/components/parameters/B` → `#/components/parameters/A`"
                    .to_owned()
            )
        );
        assert_eq!(
            from("#/components/parameters/C"),
            Err(
                "`$ref: #/components/parameters/Gone` (reached through `#/components/parameters/C`) does not resolve"
                    .to_owned()
            )
        );
        assert_eq!(
            from("#/components/parameters/D"),
            Err("`$ref: #/components/schemas/S` (reached through `#/components/parameters/D`) does not point into `#/components/parameters/`".to_owned())
        );
        assert_eq!(
            from("#/components/parameters/Nope"),
            Err("`$ref: #/components/parameters/Nope` does not resolve".to_owned())
        );
    }
}
