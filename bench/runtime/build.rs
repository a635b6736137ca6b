//! Writes the catalogues the lookup benchmark searches: 10, 250 and 1,000 apps of 4
//! connections each, one registry per size.
use std::fmt::Write as _;

fn main() {
    let mut code = String::new();
    for apps in [10usize, 250, 1000] {
        let _ = writeln!(code, "mod apps_{apps} {{");
        for a in 0..apps {
            for c in 0..4 {
                let _ = writeln!(
                    code,
                    "#[connkit::oauth2_connection(id = \"app-{a}-x_connection_oauth2-v{c}\", name = \"OAuth2\", \
                     description = \"d\", authorize_url = \"https://a{a}.example/authorize\", \
                     token_url = \"https://a{a}.example/token\", scopes = [])] struct C{a}x{c};"
                );
            }
            let _ = writeln!(
                code,
                "const APP{a}: connkit::AppDefinition = connkit::app! {{ id: \"app-{a}-x\", name: \"A\", \
                 description: \"d\", logo_url: \"https://a.example/l.svg\", \
                 connections: [C{a}x0, C{a}x1, C{a}x2, C{a}x3] }};"
            );
        }
        let list: Vec<String> = (0..apps).map(|a| format!("APP{a}")).collect();
        let _ = writeln!(
            code,
            "pub const REGISTRY: connkit::Registry = connkit::registry![{}];\n}}",
            list.join(", ")
        );
    }
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".to_owned());
    let _ = std::fs::write(format!("{out}/catalogue.rs"), code);
}
