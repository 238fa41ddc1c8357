//! Every method the generated crate defines is `#[inline]`, so it is compiled where it is called.
//!
//! A crate that builds a whole API compiles every builder's setters, `to_request`, trait methods
//! and constructors as machine code, though an application calls a few of them. An `#[inline]`
//! function that is not generic is compiled, like a generic one, in the crate that calls it and
//! only there: the `deals` feature alone built in 1.9 s instead of 2.2 s with it (BENCHMARKS.md,
//! "Build cost"), and an application pays for the calls it makes. The methods are small, so the
//! copies in a caller's code are too. Generic methods (serde's) were compiled only where used
//! anyway; the attribute changes nothing for them.
//!
//! Applied to the parsed file, once, rather than written into each `quote!` of the emitters.

/// Puts `#[inline]` on every method of every `impl` block in `file`, nested modules included,
/// unless it already has an `inline` attribute.
pub(super) fn inline_methods(file: &mut syn::File) {
    inline_items(&mut file.items);
}

fn inline_items(items: &mut [syn::Item]) {
    for item in items {
        match item {
            syn::Item::Impl(block) => block.items.iter_mut().for_each(inline_method),
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &mut module.content {
                    inline_items(items);
                }
            }
            _ => {}
        }
    }
}

fn inline_method(item: &mut syn::ImplItem) {
    let syn::ImplItem::Fn(method) = item else {
        return;
    };
    if !method.attrs.iter().any(|attr| attr.path().is_ident("inline")) {
        // After the docs, before the attributes that say how the method is used or checked
        // (`#[deprecated]`, `#[allow(...)]`), which stay next to the signature.
        let after_docs = method
            .attrs
            .iter()
            .take_while(|attr| attr.path().is_ident("doc"))
            .count();
        method.attrs.insert(after_docs, syn::parse_quote!(#[inline]));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::inline_methods;

    #[test]
    fn methods_in_impls_and_nested_modules_are_inlined_once_and_free_functions_are_not() {
        let mut file: syn::File = syn::parse_str(
            "fn free() {}
             impl A {
                 /// Sets.
                 #[deprecated]
                 pub fn set(self) -> Self { self }
                 #[inline(never)]
                 fn kept() {}
             }
             mod m { impl B for C { fn go(&self) {} } }",
        )
        .unwrap();
        inline_methods(&mut file);
        let text = prettyplease::unparse(&file);
        assert_eq!(text.matches("#[inline]").count(), 2, "{text}");
        assert!(
            text.contains("/// Sets.\n    #[inline]\n    #[deprecated]\n    pub fn set"),
            "{text}"
        );
        assert!(text.contains("#[inline(never)]\n    fn kept"), "{text}");
        assert!(text.contains("#[inline]\n        fn go"), "{text}");
        assert!(text.starts_with("fn free"), "{text}");
    }
}
