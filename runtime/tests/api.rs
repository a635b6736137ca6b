//! The public API's promises that the compiler can check: every public error is a
//! `std::error::Error` that is `Send + Sync + 'static` (the Rust API Guidelines' C-GOOD-ERR),
//! so that it fits in a `Box<dyn Error + Send + Sync>` and crosses tasks.

fn is_error<E: std::error::Error + Send + Sync + 'static>() {}

#[test]
fn every_public_error_is_a_send_sync_static_error() {
    is_error::<connkit::credentials::ClientCredentialError>();
    is_error::<connkit::credentials::EnvError>();
    is_error::<connkit::definition::InputError>();
    is_error::<connkit::definition::PlacementError>();
    is_error::<connkit::http::HttpError>();
    is_error::<connkit::oauth2::OAuthError>();
    is_error::<connkit::oauth2::TokenResponseError>();
    is_error::<connkit::oauth2::RandomnessError>();
    is_error::<connkit::oauth2::TokenError>();
    is_error::<connkit::oauth2::OriginError>();
    is_error::<connkit::oauth2::ClientError>();
    is_error::<connkit::oauth2::CallbackError>();
    #[cfg(feature = "store")]
    {
        use connkit::store;
        is_error::<store::ConnectionError>();
        is_error::<store::MigrationError>();
        is_error::<store::StoreError>();
        is_error::<store::BackendError>();
        is_error::<store::SealError>();
    }
    #[cfg(feature = "postgres")]
    is_error::<connkit::store::PostgresConfigError>();
    #[cfg(feature = "axum")]
    is_error::<connkit::connect::ConnectError>();
    #[cfg(feature = "jwt")]
    {
        is_error::<connkit::jwt::KeyError>();
        is_error::<connkit::jwt::SignError>();
    }
}
