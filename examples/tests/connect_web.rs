//! The `connect-web` demo, clicked through as a browser would (cookies kept, redirects followed
//! by hand): connect the quickstart's connection through the in-process server, save an API key,
//! disconnect.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use connkit_examples::quickstart::Options;
use connkit_examples::quickstart::web::start;

struct Browser {
    client: reqwest::Client,
    jar: BTreeMap<String, String>,
}

struct Answer {
    status: u16,
    location: Option<String>,
    body: String,
}

impl Browser {
    fn new() -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .no_proxy()
                .build()
                .unwrap(),
            jar: BTreeMap::new(),
        }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Answer {
        let cookie: Vec<String> = self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let response = request
            .header("cookie", cookie.join("; "))
            .send()
            .await
            .unwrap();
        for value in response.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let (name, rest) = text.split_once('=').unwrap();
            let value = rest.split(';').next().unwrap();
            if text.contains("Max-Age=0") {
                self.jar.remove(name);
            } else {
                self.jar.insert(name.to_owned(), value.to_owned());
            }
        }
        Answer {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .map(|value| value.to_str().unwrap().to_owned()),
            body: response.text().await.unwrap(),
        }
    }

    async fn get(&mut self, url: &str) -> Answer {
        let request = self.client.get(url);
        self.send(request).await
    }

    async fn post(&mut self, url: &str, origin: &str, form: &[(&str, &str)]) -> Answer {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let request = self
            .client
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", origin)
            .body(body);
        self.send(request).await
    }
}

fn csrf(page: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    page[start..start + page[start..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn the_demo_connects_saves_a_key_and_disconnects() {
    let running = start(&Options {
        server_port: 0,
        callback_port: 0,
    })
    .await
    .unwrap();
    let page_url = url::Url::parse(&running.page).unwrap();
    let origin = page_url.origin().ascii_serialization();
    let at = |path: &str| page_url.join(path).unwrap().to_string();
    let mut browser = Browser::new();

    let page = browser.get(&running.page).await;
    assert_eq!(page.status, 200);
    for shown in [
        "Quickstart",
        "OpenAI",
        "Jira",
        "Site (the part before .atlassian.net)",
    ] {
        assert!(page.body.contains(shown), "{shown}");
    }
    let token = csrf(&page.body);
    let started = browser
        .post(
            &at("connect/quickstart_connection_oauth2"),
            &origin,
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(started.status, 303, "{}", started.body);
    // The in-process server signs alice in and approves at once, then sends the browser back.
    let consented = browser.get(&started.location.unwrap()).await;
    let callback = consented.location.unwrap();
    assert!(callback.starts_with(&at("callback")), "{callback}");
    let done = browser.get(&callback).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let page = browser.get(&at(&done.location.unwrap())).await;
    assert!(page.body.contains("Connected: OAuth2."), "{}", page.body);
    assert!(
        page.body.contains("status active\">Active"),
        "{}",
        page.body
    );

    let saved = browser
        .post(
            &at("connect/openai_connection_api-key"),
            &origin,
            &[("csrf", &token), ("api_key", "sk-demo-not-shown")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = browser.get(&at(&saved.location.unwrap())).await;
    assert!(!page.body.contains("sk-demo-not-shown"));
    let stored: Vec<&str> = page
        .body
        .match_indices("data-connection=\"")
        .map(|(at, marker)| {
            let rest = &page.body[at + marker.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(stored.len(), 2, "{}", page.body);
    for id in stored {
        let gone = browser
            .post(
                &at(&format!("connections/{id}/disconnect")),
                &origin,
                &[("csrf", &token)],
            )
            .await;
        assert_eq!(gone.status, 303, "{}", gone.body);
    }
    let page = browser.get(&running.page).await;
    assert!(!page.body.contains("data-connection="), "{}", page.body);
}
