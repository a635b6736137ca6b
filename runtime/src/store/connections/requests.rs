//! Requests authorized with a stored connection: its bearer token (refreshed once on a 401),
//! or the credential the user gave, where its definition says.

use super::tokens::Need;
use super::{ConnectionError, Connections};
use crate::credentials::CredentialSource;
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
    C: CredentialSource + Sync,
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
        let response = self
            .http
            .send(authorized(parts.clone(), body.clone(), &token)?)
            .await?;
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
        Ok(self.http.send(authorized(parts, body, &token)?).await?)
    }
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
