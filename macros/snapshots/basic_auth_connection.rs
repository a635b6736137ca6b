// The expansion of the `basic_auth_connection` snapshot in src/snapshots.rs. Generated: rewrite it with
// CONNKIT_BLESS=1 cargo test -p connkit-macros snapshots

pub struct Snapshot;
const _: () = {
    use ::connkit::__private as __connkit;
    impl Snapshot {
        /// The connection's definition, checked at compile time.
        pub const DEFINITION: &'static __connkit::BasicAuthDefinition = &__connkit::basic_auth(__connkit::BasicAuthFields {
            id: "jira_connection_basic-auth",
            name: "API token",
            description: "Connect with your email and an API token",
            inputs: &[
                __connkit::input(__connkit::InputFields {
                    name: "site",
                    label: "Site",
                    pattern: ::core::option::Option::None,
                    default: ::core::option::Option::None,
                    secret: false,
                    allow_port: false,
                }),
            ],
        });
    }
    #[automatically_derived]
    impl __connkit::ConnectionType for Snapshot {
        const CONNECTION_DEFINITION: __connkit::ConnectionDefinition = __connkit::ConnectionDefinition::BasicAuth(
            <Snapshot>::DEFINITION,
        );
    }
};
