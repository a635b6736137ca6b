//! Expansion: tokens only. A `DEFINITION` constant on the struct and a `Connection` impl; after
//! an error, the same items around the stand-in (every field at its key's fallback value), so
//! that the only errors are the definition's own.

use proc_macro2::TokenStream;

use super::Kind;
use super::ast::Ast;
use crate::ctxt::Ctxt;
use crate::keys::{Checked, Source, write_fallback_fields};

pub(crate) fn expand(kind: &Kind, ast: Ast, checked: Option<Checked>, cx: Ctxt) -> TokenStream {
    let Ast {
        item, ident, krate, ..
    } = ast;
    // The impls as text, parsed once (see `Source`); the user's struct keeps its own tokens.
    let mut out = Source::new(&krate);
    let krate = out.krate().to_owned();
    let Kind {
        definition_type,
        fields_type,
        constructor,
        variant,
        keys,
        ..
    } = kind;
    out.text(&format!(
        "impl {ident} {{ \
         #[doc = \" The connection's definition, checked at compile time.\"] \
         pub const DEFINITION: &'static {krate}::{definition_type} = \
         &{krate}::__private::{constructor}({krate}::__private::{fields_type} {{ "
    ));
    if checked
        .and_then(|checked| checked.write_fields(keys, &mut out))
        .is_none()
    {
        write_fallback_fields(keys, &mut out);
    }
    out.text(&format!(
        "}}); }} \
         impl {krate}::Connection for {ident} {{ \
         const CONNECTION: {krate}::ConnectionDefinition = \
         {krate}::ConnectionDefinition::{variant}(<{ident}>::DEFINITION); }}"
    ));
    let mut tokens = item;
    tokens.extend(out.finish());
    tokens.extend(cx.into_compile_errors());
    tokens
}
