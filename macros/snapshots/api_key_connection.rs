// The expansion of the `api_key_connection` snapshot in src/snapshots.rs. Generated: rewrite it with
// CONNKIT_BLESS=1 cargo test -p connkit-macros snapshots

pub struct Snapshot;
const _: () = {
    use ::connkit::__private as __connkit;
    impl Snapshot {
        /// The connection's definition, checked at compile time.
        pub const DEFINITION: &'static __connkit::ApiKeyDefinition = &__connkit::api_key(__connkit::ApiKeyFields {
            id: "openai_connection_api-key",
            name: "API key",
            description: "Connect with an OpenAI API key",
            inputs: &[],
            header: ::core::option::Option::Some("Authorization"),
            prefix: "Bearer ",
            query: ::core::option::Option::None,
        });
    }
    #[automatically_derived]
    impl __connkit::ConnectionType for Snapshot {
        const CONNECTION_DEFINITION: __connkit::ConnectionDefinition = __connkit::ConnectionDefinition::ApiKey(
            <Snapshot>::DEFINITION,
        );
    }
};
