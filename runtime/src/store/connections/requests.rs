//! Requests authorized with a stored connection: its bearer token (refreshed once on a 401),
//! or the credential the user gave, where its definition says.

use super::tokens::Need;
use super::{ConnectionError, Connections};
use crate::credentials::ClientCredentialSource;
use crate::definition::ConnectionDefinition;
use crate::http::{HttpClient, HttpError};
use crate::secret::AccessToken;
use crate::store::backend::Backend;
use crate::store::credential::Credential;
use crate::store::store::StoreError;

impl<B, H, C> Connections<B, H, C>
where
    B: Backend,
    H: HttpClient + Sync,
    C: ClientCredentialSource + Sync,
{
    /// Sends `request` with stored credential `id` on it, where its definition says.
    async fn send_with_credential(
        &self,
        id: &str,
        mut request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, ConnectionError> {
        let stored = self
            .store
            .credential(id)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                connection_id: id.to_owned(),
            })?;
        let definition = self.any_definition(&stored.definition_id)?;
        match (&stored.credential, definition) {
            (Credential::ApiKey { key }, ConnectionDefinition::ApiKey(api_key)) => {
                api_key.authorize(&mut request, key)?;
            }
            (Credential::BasicAuth(credentials), ConnectionDefinition::BasicAuth(basic)) => {
                basic.authorize(&mut request, credentials)?;
            }
            (Credential::KeyPair(_), _) => {
                return Err(ConnectionError::SignedByTheApp {
                    connection_id: stored.id,
                });
            }
            (credential, _) => {
                return Err(StoreError::WrongKind {
                    connection_id: stored.id,
                    kind: credential.kind().to_owned(),
                }
                .into());
            }
        }
        Ok(self.http.send(request).await?)
    }

    /// Sends `request` with connection `id`'s access token as a bearer token. On a 401 it
    /// refreshes once (unless another caller already did) and sends the request once more.
    ///
    /// For a credential stored with [`store_credential`](Self::store_credential), the request
    /// carries it where its definition says (an API key's header or query parameter, HTTP
    /// Basic), once: there is nothing to refresh.
    ///
    /// # Errors
    /// The errors of [`access_token`](Self::access_token), [`ConnectionError::Http`],
    /// [`ConnectionError::Placement`], or [`ConnectionError::SignedByTheApp`] for a key pair.
    pub async fn send(
        &self,
        id: &str,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, ConnectionError> {
        let token = match self.access_token(id).await {
            Ok(token) => token,
            // A credential the user gave: no token, no refresh.
            Err(ConnectionError::Store(StoreError::WrongKind { .. })) => {
                return self.send_with_credential(id, request).await;
            }
            Err(error) => return Err(error),
        };
        let (parts, body) = request.into_parts();
        let response = self.send_authorized(id, &parts, &body, &token).await?;
        if response.status() != http::StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        self.forget(id);
        let token = self
            .token(
                id,
                Need {
                    margin: self.policy.margin,
                    rejected: Some(&token),
                },
            )
            .await?;
        self.send_authorized(id, &parts, &body, &token).await
    }

    /// Sends the request with `token`: as a bearer token, or for a DPoP-bound connection with
    /// `Authorization: DPoP` and a proof (RFC 9449 §7), sent once more with the resource
    /// server's nonce when it asks for one.
    async fn send_authorized(
        &self,
        id: &str,
        parts: &http::request::Parts,
        body: &[u8],
        token: &AccessToken,
    ) -> Result<http::Response<Vec<u8>>, ConnectionError> {
        #[cfg(feature = "jwt")]
        if let Some(key) = self.dpop_key(id) {
            let response = self
                .http
                .send(bound(parts.clone(), body.to_vec(), token, &key, None)?)
                .await?;
            if response.status() == http::StatusCode::UNAUTHORIZED
                && asks_for_a_nonce(&response)
                && let Some(nonce) = crate::oauth2::response_nonce(&response)
            {
                return Ok(self
                    .http
                    .send(bound(
                        parts.clone(),
                        body.to_vec(),
                        token,
                        &key,
                        Some(&nonce),
                    )?)
                    .await?);
            }
            return Ok(response);
        }
        let _ = id;
        Ok(self
            .http
            .send(authorized(parts.clone(), body.to_vec(), token)?)
            .await?)
    }
}

/// Whether a 401 is a resource server's `use_dpop_nonce` challenge (RFC 9449 §9).
#[cfg(feature = "jwt")]
fn asks_for_a_nonce(response: &http::Response<Vec<u8>>) -> bool {
    response
        .headers()
        .get_all(http::header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|value| {
            value.trim_start().to_ascii_lowercase().starts_with("dpop")
                && value.contains("use_dpop_nonce")
        })
}

/// The request with `Authorization: DPoP <token>` and a proof of `key` for its method and URL,
/// with the token's hash and the server's `nonce` (RFC 9449 §7.1).
#[cfg(feature = "jwt")]
fn bound(
    mut parts: http::request::Parts,
    body: Vec<u8>,
    token: &AccessToken,
    key: &crate::oauth2::DpopKey,
    nonce: Option<&str>,
) -> Result<http::Request<Vec<u8>>, ConnectionError> {
    let setup = |error: Box<dyn std::error::Error + Send + Sync>| {
        ConnectionError::Http(HttpError::Setup(error))
    };
    let url = url::Url::parse(&parts.uri.to_string()).map_err(|error| setup(Box::new(error)))?;
    let proof = key
        .proof(&parts.method, &url, Some(token), nonce)
        .map_err(|error| setup(Box::new(error)))?;
    let mut value = http::HeaderValue::try_from(format!("DPoP {}", token.expose_secret()))
        .map_err(|error| setup(Box::new(error)))?;
    value.set_sensitive(true);
    parts.headers.insert(http::header::AUTHORIZATION, value);
    let proof = http::HeaderValue::try_from(proof).map_err(|error| setup(Box::new(error)))?;
    parts.headers.insert("dpop", proof);
    Ok(http::Request::from_parts(parts, body))
}

/// The request with `Authorization: Bearer <token>` (marked sensitive, so HTTP stacks that
/// log headers redact it).
fn authorized(
    mut parts: http::request::Parts,
    body: Vec<u8>,
    token: &AccessToken,
) -> Result<http::Request<Vec<u8>>, ConnectionError> {
    let mut value = http::HeaderValue::try_from(format!("Bearer {}", token.expose_secret()))
        .map_err(|error| ConnectionError::Http(HttpError::Setup(Box::new(error))))?;
    value.set_sensitive(true);
    parts.headers.insert(http::header::AUTHORIZATION, value);
    Ok(http::Request::from_parts(parts, body))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.

    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::super::test_support::{
        FakeHttp, UnitKey, connections, seconds, stored, tokens_expiring,
    };
    use crate::store::{Credential, ManualClock};

    fn get() -> http::Request<Vec<u8>> {
        http::Request::get("https://api.unit.example/resource")
            .body(Vec::new())
            .unwrap()
    }

    #[tokio::test]
    async fn a_request_carries_the_bearer_token_and_is_sent_again_once_after_a_401() {
        let clock = ManualClock::now();
        let refreshed = AtomicUsize::new(0);
        let http = FakeHttp::answering(move |request| match request.uri().path() {
            "/token" => {
                refreshed.fetch_add(1, Ordering::SeqCst);
                (
                    200,
                    r#"{"access_token":"fresh-1","token_type":"Bearer","expires_in":3600}"#
                        .to_owned(),
                )
            }
            // The stored token is refused: it was revoked at the provider.
            _ => match request.headers().get("authorization") {
                Some(value) if value == "Bearer fresh-1" => (200, "{}".to_owned()),
                _ => (401, "{}".to_owned()),
            },
        });
        let (connections, _) = connections(&clock, http.clone());
        let id = stored(&connections, tokens_expiring(seconds(&clock) + 3600))
            .await
            .id;
        let response = connections.send(&id, get()).await.unwrap();
        assert_eq!(response.status(), 200);
        let sent = http.sent.lock().unwrap();
        let bearers: Vec<_> = sent
            .iter()
            .filter(|request| request.uri().path() == "/resource")
            .map(|request| {
                let value = request.headers().get("authorization").unwrap();
                assert!(value.is_sensitive());
                value.to_str().unwrap().to_owned()
            })
            .collect();
        assert_eq!(bearers, ["Bearer stored-access", "Bearer fresh-1"]);
        assert_eq!(
            sent.iter().filter(|r| r.uri().path() == "/token").count(),
            1
        );
    }

    #[tokio::test]
    async fn an_api_key_goes_where_its_definition_says_once() {
        let clock = ManualClock::now();
        let http = FakeHttp::answering(|_| (200, "{}".to_owned()));
        let (connections, _) = connections(&clock, http.clone());
        let key = connections
            .store_credential(
                <UnitKey as crate::definition::ConnectionType>::CONNECTION_DEFINITION.id(),
                "owner",
                Credential::ApiKey {
                    key: crate::secret::ApiKey::new("the-key"),
                },
                &crate::definition::InputValues::new(),
            )
            .await
            .unwrap();
        assert_eq!(
            connections.send(&key.id, get()).await.unwrap().status(),
            200
        );
        let sent = http.sent.lock().unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].headers().get("x-api-key").unwrap(), "the-key");
        assert!(sent[0].headers().get("authorization").is_none());
    }
}
