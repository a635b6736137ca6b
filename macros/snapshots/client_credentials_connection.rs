// The expansion of the `client_credentials_connection` snapshot in src/snapshots.rs. Generated: rewrite it with
// CONNKIT_BLESS=1 cargo test -p connkit-macros snapshots

pub struct Snapshot;
const _: () = {
    use ::connkit::__private as __connkit;
    impl Snapshot {
        /// The connection's definition, checked at compile time.
        pub const DEFINITION: &'static __connkit::ClientCredentialsDefinition = &__connkit::client_credentials(__connkit::ClientCredentialsFields {
            id: "zoom_connection_client-credentials",
            name: "Server-to-server",
            description: "Connect a Zoom server-to-server app",
            token_url: "https://zoom.us/oauth/token",
            scopes: &[],
            scope_delimiter: " ",
            grant_type: "account_credentials",
            client: __connkit::ClientHolder::Owner,
            client_id_env: "INTEGRATION_ZOOM_CLIENT_ID",
            client_secret_env: "INTEGRATION_ZOOM_CLIENT_SECRET",
            client_auth: __connkit::ClientAuth::Header,
            client_key_env: "INTEGRATION_ZOOM_CLIENT_KEY",
            token_params: &[("account_id", "{account_id}")],
            token_headers: &[],
            token_request_format: __connkit::TokenRequestFormat::Form,
            token_path: ::core::option::Option::None,
            token_metadata: &[],
            dpop: false,
            inputs: &[
                __connkit::input(__connkit::InputFields {
                    name: "account_id",
                    label: "Account ID",
                    pattern: ::core::option::Option::None,
                    default: ::core::option::Option::None,
                    secret: false,
                    allow_port: false,
                }),
            ],
            hosts: &[],
            any_host: false,
        });
    }
    #[automatically_derived]
    impl __connkit::ConnectionType for Snapshot {
        const CONNECTION_DEFINITION: __connkit::ConnectionDefinition = __connkit::ConnectionDefinition::ClientCredentials(
            <Snapshot>::DEFINITION,
        );
    }
};
