//! Parsing: the optional `crate = path;` header and the listed app constants.

use proc_macro2::TokenStream;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Path, Token};

use crate::ctxt::Ctxt;
use crate::syntax::{crate_tokens, parse_crate_header};

/// A parsed `registry![...]`.
pub(crate) struct Ast {
    /// The listed apps; `None` when the input did not parse.
    pub(crate) apps: Option<Vec<Path>>,
    /// How generated code names connkit.
    pub(crate) krate: TokenStream,
}

pub(crate) fn parse(input: TokenStream, cx: &mut Ctxt) -> Ast {
    let parser = |input: ParseStream| {
        let krate = parse_crate_header(input)?;
        let apps = Punctuated::<Path, Token![,]>::parse_terminated(input)?;
        Ok((krate, apps.into_iter().collect::<Vec<_>>()))
    };
    match parser.parse2(input) {
        Ok((krate, apps)) => Ast {
            apps: Some(apps),
            krate: crate_tokens(krate.as_ref()),
        },
        Err(error) => {
            cx.push(error);
            Ast {
                apps: None,
                krate: crate_tokens(None),
            }
        }
    }
}
