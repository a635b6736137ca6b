// The expansion of the `oauth2_connection` snapshot in src/snapshots.rs. Generated: rewrite it with
// CONNKIT_BLESS=1 cargo test -p connkit-macros snapshots

pub struct Snapshot;
const _: () = {
    use ::connkit::__private as __connkit;
    impl Snapshot {
        /// The connection's definition, checked at compile time.
        pub const DEFINITION: &'static __connkit::OAuth2Definition = &__connkit::oauth2(__connkit::OAuth2Fields {
            id: "zoho-books_connection_oauth2-EU",
            name: "zoho.eu",
            description: "Connect to Zoho Books in the EU data center",
            authorize_url: "https://accounts.zoho.eu/oauth/v2/auth?organization_id={organization}",
            token_url: "https://accounts.zoho.eu/oauth/v2/token",
            scopes: &["ZohoBooks.fullaccess.ALL"],
            scope_delimiter: ",",
            client_id_env: "INTEGRATION_ZOHO_BOOKS_CLIENT_ID",
            client_secret_env: "INTEGRATION_ZOHO_BOOKS_CLIENT_SECRET",
            client_auth: __connkit::ClientAuth::Header,
            client_key_env: "INTEGRATION_ZOHO_BOOKS_CLIENT_KEY",
            pkce: true,
            auth_params: &[("access_type", "offline"), ("prompt", "consent")],
            token_headers: &[],
            refresh_params: &[],
            redirect_to_localhost_in_development: false,
            issuer: ::core::option::Option::None,
            require_iss: false,
            inputs: &[
                __connkit::input(__connkit::InputFields {
                    name: "organization",
                    label: "Organization id",
                    pattern: ::core::option::Option::Some("[0-9]+"),
                    default: ::core::option::Option::None,
                    secret: false,
                    allow_port: false,
                }),
            ],
            hosts: &[],
            any_host: false,
            refresh_url: ::core::option::Option::None,
            revoke_url: ::core::option::Option::None,
            device_authorization_url: ::core::option::Option::None,
            par_url: ::core::option::Option::None,
            dpop: false,
            token_params: &[],
            token_request_format: __connkit::TokenRequestFormat::Form,
            refresh_scopes: false,
            redirect_uri_on_refresh: false,
            token_path: ::core::option::Option::None,
            token_metadata: &[],
            incremental_auth: false,
        });
    }
    #[automatically_derived]
    impl __connkit::ConnectionType for Snapshot {
        const CONNECTION_DEFINITION: __connkit::ConnectionDefinition = __connkit::ConnectionDefinition::OAuth2(
            <Snapshot>::DEFINITION,
        );
    }
};
