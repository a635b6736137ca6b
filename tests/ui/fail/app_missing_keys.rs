// Rule 5 in app!: every missing required key in one error.
pub const GMAIL: connkit::AppDefinition = connkit::app! {
    id: "gmail",
    name: "Gmail",
};

fn main() {}
