//! Pushed authorization requests (RFC 9126): the authorization request's parameters are posted
//! to the provider, with the client's authentication, and the browser carries only
//! `client_id` and the `request_uri` the provider returns. Nothing of the request (the scopes,
//! the PKCE challenge, the redirect URI) can then be read or changed in the browser.

use serde::Deserialize;

use super::authorize::AuthorizationRequest;
use super::client::{OAuth2Client, TokenError};
use super::token_response::TokenResponseError;
use crate::definition::ClientAuth;
use crate::http::{BlockingHttpClient, HttpClient};

/// The longest answer read from the pushed authorization request endpoint.
const MAX_ANSWER: usize = 64 * 1024;

#[derive(Deserialize)]
struct Pushed {
    request_uri: Option<String>,
}

impl OAuth2Client {
    /// The push of `request` (made by [`authorize`](Self::authorize)): its parameters as a form
    /// posted to the declared `par_url`, with the client's authentication; `None` when the
    /// definition declares no `par_url`.
    ///
    /// # Errors
    /// [`TokenError::Http`] when a declared header cannot be sent.
    pub fn par_request(
        &self,
        request: &AuthorizationRequest,
    ) -> Option<Result<http::Request<Vec<u8>>, TokenError>> {
        let url = self.endpoints().par_url()?.clone();
        let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        // RFC 9126 §2.1: the pushed request carries `client_id`, as the authorization request
        // does. The client authenticates as for a token request, which adds it itself except
        // with HTTP Basic.
        let basic = self.connection().client_auth() == ClientAuth::Header && self.has_secret();
        let form: Vec<(&str, &str)> = pairs
            .iter()
            .filter(|(name, _)| basic || name != "client_id")
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        Some(self.token_request_to(&url, form))
    }

    /// Reads the answer to a [`par_request`](Self::par_request) for `request`: the request
    /// with its URL now the authorization endpoint with `client_id` and the `request_uri` only.
    ///
    /// # Errors
    /// [`TokenError`] for an error answer, or one without a `request_uri`.
    pub fn read_par_response(
        &self,
        mut request: AuthorizationRequest,
        response: &http::Response<Vec<u8>>,
    ) -> Result<AuthorizationRequest, TokenError> {
        let status = response.status();
        let unreadable = || {
            TokenError::Response(TokenResponseError::Status {
                status: status.as_u16(),
                content_type: response
                    .headers()
                    .get(http::header::CONTENT_TYPE)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned),
            })
        };
        if !status.is_success() {
            self.read_error(response)?;
            return Err(unreadable());
        }
        if response.body().len() > MAX_ANSWER {
            return Err(unreadable());
        }
        let pushed: Pushed = serde_json::from_slice(response.body()).map_err(|_| unreadable())?;
        let request_uri = pushed
            .request_uri
            .filter(|uri| !uri.trim().is_empty())
            .ok_or_else(unreadable)?;
        let mut url = self.endpoints().authorize_url().clone();
        url.set_query(None);
        url.query_pairs_mut()
            .append_pair("client_id", self.client_id().as_str())
            .append_pair("request_uri", &request_uri);
        request.url = url;
        Ok(request)
    }

    /// [`authorize`](Self::authorize), pushed first when the definition declares a `par_url`.
    ///
    /// # Errors
    /// [`PushError`]: randomness, or the push refused or failed.
    pub async fn authorize_pushed(
        &self,
        http: &impl HttpClient,
    ) -> Result<AuthorizationRequest, PushError> {
        let request = self.authorize()?;
        let Some(push) = self.par_request(&request) else {
            return Ok(request);
        };
        let response = http.send(push?).await.map_err(TokenError::from)?;
        Ok(self.read_par_response(request, &response)?)
    }

    /// [`authorize_pushed`](Self::authorize_pushed) over a blocking client.
    ///
    /// # Errors
    /// As `authorize_pushed`.
    pub fn authorize_pushed_blocking(
        &self,
        http: &impl BlockingHttpClient,
    ) -> Result<AuthorizationRequest, PushError> {
        let request = self.authorize()?;
        let Some(push) = self.par_request(&request) else {
            return Ok(request);
        };
        let response = http.send(push?).map_err(TokenError::from)?;
        Ok(self.read_par_response(request, &response)?)
    }
}

/// Why an authorization request could not be pushed. No variant carries the request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PushError {
    /// The operating system's random number generator failed.
    #[error(transparent)]
    Randomness(#[from] super::authorize::RandomnessError),
    /// The provider refused the push, or its answer could not be read.
    #[error("pushing the authorization request failed: {0}")]
    Push(#[from] TokenError),
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.

    use super::*;
    use crate::credentials::{ClientCredentials, ClientId};
    use crate::secret::ClientSecret;

    #[crate::oauth2_connection(
        id = "bluesky_connection_oauth2",
        name = "OAuth2",
        description = "PAR",
        authorize_url = "https://auth.example/oauth/authorize?prompt=login",
        token_url = "https://auth.example/oauth/token",
        par_url = "https://auth.example/oauth/par",
        scopes = ["atproto"],
        client_auth = "header",
    )]
    struct Pushing;

    fn client() -> OAuth2Client {
        OAuth2Client::new(
            Pushing::DEFINITION,
            ClientCredentials::new(ClientId::new("app"), Some(ClientSecret::new("s3cret"))),
            "https://app.example/cb",
        )
        .unwrap()
    }

    #[test]
    fn the_whole_request_is_pushed_and_the_browser_carries_the_request_uri_only() {
        let client = client();
        let request = client.authorize().unwrap();
        let state = request.pending.state().expose_secret().to_owned();
        let push = client.par_request(&request).unwrap().unwrap();
        assert_eq!(push.uri(), "https://auth.example/oauth/par");
        assert!(
            push.headers()["authorization"]
                .to_str()
                .unwrap()
                .starts_with("Basic ")
        );
        let form: Vec<(String, String)> = url::form_urlencoded::parse(push.body())
            .into_owned()
            .collect();
        let names: Vec<&str> = form.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "prompt",
                "client_id",
                "redirect_uri",
                "response_type",
                "scope",
                "state",
                "code_challenge",
                "code_challenge_method"
            ]
        );
        assert!(form.contains(&("state".to_owned(), state.clone())));
        let answer = http::Response::builder()
            .status(201)
            .header("content-type", "application/json")
            .body(br#"{"request_uri":"urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c","expires_in":60}"#.to_vec())
            .unwrap();
        let pushed = client.read_par_response(request, &answer).unwrap();
        assert_eq!(
            pushed.url.as_str(),
            "https://auth.example/oauth/authorize?client_id=app&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A6esc_11ACC5bwc014ltc14eY22c"
        );
        assert!(!pushed.url.as_str().contains(&state));
        // The pending authorization is the one pushed: its callback completes as before.
        let callback = format!("https://app.example/cb?code=c&state={state}");
        assert!(client.complete(pushed.pending, &callback).is_ok());
    }

    #[test]
    fn a_refused_push_is_the_providers_error() {
        let client = client();
        let request = client.authorize().unwrap();
        let refused = http::Response::builder()
            .status(400)
            .header("content-type", "application/json")
            .body(br#"{"error":"invalid_request","error_description":"bad redirect"}"#.to_vec())
            .unwrap();
        let error = client.read_par_response(request, &refused).unwrap_err();
        assert!(error.to_string().contains("invalid_request"), "{error}");
        let request = client.authorize().unwrap();
        let empty = http::Response::builder()
            .status(201)
            .body(b"{}".to_vec())
            .unwrap();
        assert!(client.read_par_response(request, &empty).is_err());
    }
}
