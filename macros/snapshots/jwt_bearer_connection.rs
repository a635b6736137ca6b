// The expansion of the `jwt_bearer_connection` snapshot in src/snapshots.rs. Generated: rewrite it with
// CONNKIT_BLESS=1 cargo test -p connkit-macros snapshots

pub struct Snapshot;
const _: () = {
    use ::connkit::__private as __connkit;
    impl Snapshot {
        /// The connection's definition, checked at compile time.
        pub const DEFINITION: &'static __connkit::JwtBearerDefinition = &__connkit::jwt_bearer(__connkit::JwtBearerFields {
            id: "google-drive_connection_jwt-bearer",
            name: "Service account",
            description: "Google Drive as a service account",
            token_url: "https://oauth2.googleapis.com/token",
            scopes: &["https://www.googleapis.com/auth/drive.readonly"],
            scope_delimiter: " ",
            claims: &[
                ("iss", "{client_email}"),
                ("sub", "{subject}"),
                ("aud", "https://oauth2.googleapis.com/token"),
            ],
            scope_in_claim: true,
            token_params: &[],
            token_headers: &[],
            token_request_format: __connkit::TokenRequestFormat::Form,
            token_path: ::core::option::Option::None,
            token_metadata: &[],
            inputs: &[
                __connkit::input(__connkit::InputFields {
                    name: "client_email",
                    label: "Service account",
                    pattern: ::core::option::Option::None,
                    default: ::core::option::Option::None,
                    secret: false,
                    allow_port: false,
                }),
                __connkit::input(__connkit::InputFields {
                    name: "subject",
                    label: "User",
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
        const CONNECTION_DEFINITION: __connkit::ConnectionDefinition = __connkit::ConnectionDefinition::JwtBearer(
            <Snapshot>::DEFINITION,
        );
    }
    const _: () = __connkit::requires_jwt::<__connkit::Jwt>();
};
