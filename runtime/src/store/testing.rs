//! The backend conformance suite (feature `testing`): every check connkit's own backends pass,
//! for a backend of your own to prove itself. Each function takes a fresh, empty backend (or a
//! way to open one) and panics, as a test does, where the backend falls short.
//!
//! ```no_run
//! # async fn example() {
//! use connkit::store::{testing, MemoryBackend};
//!
//! // In your crate's tests, with `connkit = { ..., features = ["testing"] }`:
//! testing::crud(MemoryBackend::new()).await;
//! testing::leases(MemoryBackend::new()).await;
//! testing::claims(MemoryBackend::new()).await;
//! # }
//! ```
//!
//! [`every_check`] runs all of those that need nothing but fresh backends.

// A conformance suite: a panic is a failed check, as in a test.
#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

use std::future::Future;
use std::time::Duration;

use crate::store::{
    Backend, Credential, Keyring, NewConnection, NewCredential, Row, SealingKey, Store, StoreError,
    StoredConnection,
};
use crate::{TokenSet, oauth2_connection};

/// The OAuth2 connection the suite stores.
#[oauth2_connection(
    crate = crate,
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Acme",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = ["read", "write"],
)]
pub struct Acme;

/// The same connection after the definition gained a scope (scope drift).
#[oauth2_connection(
    crate = crate,
    id = "acme_connection_oauth2-wider",
    name = "OAuth2",
    description = "Acme with one more scope",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = ["read", "write", "admin"],
)]
pub struct AcmeWider;

/// The access token of [`tokens`], to look for where it must not be.
pub const ACCESS: &str = "suite-access-token-3f9a";
/// The refresh token of [`tokens`].
pub const REFRESH: &str = "suite-refresh-token-7c21";
/// The `id_token` in the metadata of [`tokens`].
pub const ID_TOKEN: &str = "suite-id-token-b8e4";

/// A sealing key of 32 bytes `byte`.
pub fn key(id: &str, byte: u8) -> SealingKey {
    SealingKey::from_bytes(id, &[byte; 32]).unwrap()
}

/// The suite's keyring: the key `k1`.
pub fn keyring() -> Keyring {
    Keyring::new(key("k1", 1))
}

/// A token set with the suite's secrets, expiring far ahead, granted `scope` (space-separated)
/// where given.
pub fn tokens(scope: Option<&str>) -> TokenSet {
    let mut json = serde_json::json!({
        "access_token": ACCESS,
        "refresh_token": REFRESH,
        "expires_at": 4_000_000_000u64,
        "metadata": { "id_token": ID_TOKEN },
    });
    if let Some(scope) = scope {
        json["scopes"] = scope.split(' ').collect::<Vec<_>>().into();
    }
    serde_json::from_value(json).unwrap()
}

async fn insert<B: Backend>(store: &Store<B>, owner: &str) -> StoredConnection {
    store
        .insert(NewConnection {
            owner,
            definition: Acme::DEFINITION,
            tokens: tokens(None),
            inputs: crate::definition::InputValues::new(),
        })
        .await
        .unwrap()
}

/// Create, read, update, delete; listing by owner and by definition.
pub async fn crud<B: Backend>(backend: B) {
    let store = Store::new(backend, keyring());
    let first = insert(&store, "owner-a").await;
    assert!(first.id.starts_with("conn_"));
    assert_eq!(
        first.scopes_granted,
        ["read", "write"],
        "requested when unsaid"
    );
    let read = store.require(&first.id).await.unwrap();
    assert_eq!(read, first);
    assert_eq!(read.tokens.access_token().expose_secret(), ACCESS);
    assert_eq!(read.tokens.metadata()["id_token"], ID_TOKEN);

    let second = insert(&store, "owner-b").await;
    let third = insert(&store, "owner-a").await;
    let ids = |connections: Vec<StoredConnection>| -> Vec<String> {
        connections.into_iter().map(|c| c.id).collect()
    };
    assert_eq!(
        ids(store.list_by_owner("owner-a").await.unwrap()),
        [first.id.clone(), third.id.clone()]
    );
    assert_eq!(
        ids(store
            .list_by_definition(Acme::DEFINITION.id())
            .await
            .unwrap())
        .len(),
        3
    );
    assert!(store.list_by_owner("nobody").await.unwrap().is_empty());

    let mut changed = read.clone();
    changed.scopes_granted = vec!["read".into()];
    changed.health.failures = 2;
    let saved = store.save(&changed).await.unwrap();
    assert_eq!(store.require(&first.id).await.unwrap(), saved);
    // A save from a stale read is refused: nothing is lost to a concurrent writer.
    assert!(matches!(
        store.save(&changed).await,
        Err(StoreError::Conflict { .. })
    ));

    assert!(store.delete(&second.id).await.unwrap());
    assert!(!store.delete(&second.id).await.unwrap());
    assert!(store.get(&second.id).await.unwrap().is_none());
    assert!(matches!(
        store.require(&second.id).await,
        Err(StoreError::NotFound { .. })
    ));
}

/// Scope drift: one query lists the connections lacking the definition's current scopes.
pub async fn scope_drift<B: Backend>(backend: B) {
    let store = Store::new(backend, keyring());
    for (owner, granted) in [
        ("owner-a", Some("read write admin")),
        ("owner-a", Some("read")),
        ("owner-b", Some("read write")),
        ("owner-b", None),
    ] {
        store
            .insert(NewConnection {
                owner,
                definition: AcmeWider::DEFINITION,
                tokens: tokens(granted),
                inputs: crate::definition::InputValues::new(),
            })
            .await
            .unwrap();
    }
    let drift = store.scope_drift(AcmeWider::DEFINITION).await.unwrap();
    assert_eq!(drift.connections.len(), 2, "{drift:?}");
    assert_eq!(
        drift
            .per_owner
            .iter()
            .map(|(owner, count)| (owner.as_str(), *count))
            .collect::<Vec<_>>(),
        [("owner-a", 1), ("owner-b", 1)]
    );
    let missing: Vec<Vec<&str>> = drift
        .connections
        .iter()
        .map(|(_, _, m)| m.clone())
        .collect();
    assert!(missing.contains(&vec!["write", "admin"]));
    assert!(missing.contains(&vec!["admin"]));
    // A grant of fewer scopes than asked is recorded as such.
    let partial = &store.list_by_owner("owner-a").await.unwrap()[1];
    assert_eq!(partial.scopes_requested, ["read", "write", "admin"]);
    assert_eq!(
        partial.missing_scopes(AcmeWider::DEFINITION),
        ["write", "admin"]
    );
}

/// Key rotation re-seals everything under the newest key, and resumes when interrupted.
pub async fn key_rotation<B: Backend, F, Fut>(make: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = B>,
{
    let old = Store::new(make().await, Keyring::new(key("old", 1)));
    let mut ids = Vec::new();
    for index in 0..5 {
        ids.push(insert(&old, &format!("owner-{index}")).await.id);
    }
    let rotating = || {
        Keyring::new(key("new", 2))
            .with_older(key("old", 1))
            .unwrap()
    };
    // One batch, then the process "stops".
    let first = Store::new(make().await, rotating());
    let rotation = first.rotate_keys(2).await.unwrap();
    assert_eq!((rotation.resealed, rotation.done), (2, false));
    drop(first);
    // Another process resumes with the same keys.
    let second = Store::new(make().await, rotating());
    let mut total = 2;
    loop {
        let rotation = second.rotate_keys(2).await.unwrap();
        total += rotation.resealed;
        if rotation.done {
            break;
        }
    }
    assert_eq!(total, 5);
    // The old key can go: every value opens with the new one alone.
    let new_only = Store::new(make().await, Keyring::new(key("new", 2)));
    for id in &ids {
        let connection = new_only.require(id).await.unwrap();
        assert_eq!(
            connection.tokens.refresh_token().unwrap().expose_secret(),
            REFRESH
        );
    }
    // And a keyring without the newest key cannot read them: a typed error naming the row.
    let stale = Store::new(make().await, Keyring::new(key("old", 1)));
    match stale.get(&ids[0]).await {
        Err(StoreError::Unreadable { connection_id, .. }) => assert_eq!(connection_id, ids[0]),
        other => panic!("{other:?}"),
    }
}

/// Tampering, and a ciphertext moved to another row, are typed errors naming the connection.
pub async fn tamper_detection<B: Backend>(backend: B) {
    let store = Store::new(backend, keyring());
    let first = insert(&store, "owner-a").await;
    let second = insert(&store, "owner-b").await;
    let backend = store.backend();
    let mut row_a = backend.get(&first.id).await.unwrap().unwrap();
    let mut row_b = backend.get(&second.id).await.unwrap().unwrap();

    // Swap the sealed tokens between the two rows.
    let (sealed_a, sealed_b) = (row_a.sealed_tokens.clone(), row_b.sealed_tokens.clone());
    row_a.sealed_tokens = sealed_b;
    row_b.sealed_tokens = sealed_a.clone();
    for row in [&mut row_a, &mut row_b] {
        let expected = row.version;
        row.version += 1;
        assert!(backend.update(row, expected).await.unwrap());
    }
    for id in [&first.id, &second.id] {
        match store.get(id).await {
            Err(StoreError::Unreadable { connection_id, .. }) => assert_eq!(&connection_id, id),
            other => panic!("a swapped ciphertext opened: {other:?}"),
        }
    }

    // One changed character of the ciphertext.
    let mut flipped = row_a.clone();
    let mut bytes = sealed_a.into_bytes();
    let last = bytes.len() - 1;
    bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
    flipped.sealed_tokens = String::from_utf8(bytes).unwrap();
    flipped.version += 1;
    assert!(backend.update(&flipped, row_a.version).await.unwrap());
    assert!(matches!(
        store.get(&first.id).await,
        Err(StoreError::Unreadable { .. })
    ));
    // Listing reports the bad row instead of skipping it or panicking.
    assert!(matches!(
        store.list_by_owner("owner-a").await,
        Err(StoreError::Unreadable { .. })
    ));
}

/// Each clear-text column the sealed value is bound to (definition, kind, status, scopes),
/// edited in the database, makes the row a typed error naming it: in `get`, in the lists, in
/// the refresher's selection and in the scope-drift query, which counts it apart.
pub async fn bound_columns<B: Backend>(backend: B) {
    let store = Store::new(backend, keyring());
    type Edit = fn(&mut Row);
    let edits: [(&str, Edit); 6] = [
        ("definition", |row| {
            row.definition_id = AcmeWider::DEFINITION.id().to_owned();
        }),
        ("kind", |row| {
            row.definition_id = "acme_connection_oauth2-other".to_owned();
        }),
        ("status", |row| row.status = "needs_reconnect".to_owned()),
        ("scopes granted", |row| {
            row.scopes_granted = "read write admin".to_owned();
        }),
        ("scopes requested", |row| {
            row.scopes_requested = "read".to_owned();
        }),
        ("owner", |row| row.owner = "owner-z".to_owned()),
    ];
    for (name, edit) in edits {
        let stored = store
            .insert(NewConnection {
                owner: "owner-a",
                definition: Acme::DEFINITION,
                tokens: tokens(Some("read write")),
                inputs: crate::definition::InputValues::new(),
            })
            .await
            .unwrap();
        let backend = store.backend();
        let mut row = backend.get(&stored.id).await.unwrap().unwrap();
        edit(&mut row);
        row.refresh_at = Some(0);
        assert!(backend.update(&row, row.version).await.unwrap(), "{name}");
        let unreadable = |result: Result<_, StoreError>| match result {
            Err(StoreError::Unreadable { connection_id, .. }) => connection_id == stored.id,
            _ => false,
        };
        assert!(unreadable(store.get(&stored.id).await.map(drop)), "{name}");
        let owned = store.owned_by(&row.owner).await.unwrap();
        assert!(
            owned.unreadable.iter().any(|bad| bad.id == stored.id),
            "{name}"
        );
        let due = store
            .due_within(std::time::SystemTime::now(), Duration::from_secs(60))
            .await
            .unwrap();
        assert!(
            due.into_iter()
                .any(|selected| unreadable(selected.map(drop))),
            "{name}: the refresher is told"
        );
        // Its scopes are not trusted: counted apart, not as drift or its absence.
        let definition = [Acme::DEFINITION, AcmeWider::DEFINITION]
            .into_iter()
            .find(|definition| definition.id() == row.definition_id);
        if let Some(definition) = definition {
            let drift = store.scope_drift(definition).await.unwrap();
            assert!(
                drift.connections.iter().all(|(id, _, _)| id != &stored.id),
                "{name}"
            );
            assert_eq!(drift.unreadable, std::slice::from_ref(&stored.id), "{name}");
        } else {
            assert_eq!(name, "kind");
        }
        assert!(store.delete(&stored.id).await.unwrap());
    }
    // Credentials are bound the same way: an API key's row pointed at another definition.
    let key = insert_key(&store).await;
    let mut row = store.backend().get(&key).await.unwrap().unwrap();
    row.definition_id = "acme_connection_api-key-other".to_owned();
    assert!(store.backend().update(&row, row.version).await.unwrap());
    assert!(matches!(
        store.credential(&key).await,
        Err(StoreError::Unreadable { connection_id, .. }) if connection_id == key
    ));
}

/// The three rows of `runtime/tests/fixtures/store-0.1.0-sealing-v1.db`, a store written by
/// connkit 0.1.0 (sealed in the first format, `v1.`), as a database of this connkit holds them
/// once migrated (their key column marked `v1.` for re-sealing).
pub fn legacy_rows() -> Vec<Row> {
    let row = |id: &str, owner: &str, definition_id: &str, sealed: &str| Row {
        id: id.to_owned(),
        owner: owner.to_owned(),
        definition_id: definition_id.to_owned(),
        sealed_tokens: sealed.to_owned(),
        key_id: "v1.fixture".to_owned(),
        scopes_requested: String::new(),
        scopes_granted: String::new(),
        status: "active".to_owned(),
        created_at: 1_796_389_201,
        refreshed_at: None,
        used_at: None,
        last_error: None,
        failures: 0,
        last_ok_at: None,
        version: 1,
        refresh_at: None,
    };
    vec![
        Row {
            scopes_requested: "read write".to_owned(),
            scopes_granted: "read write".to_owned(),
            last_ok_at: Some(1_796_389_201),
            refresh_at: Some(4_000_000_000),
            ..row(
                "conn_98JF8rRzGuC7OKxjpyzDFA",
                "workspace-1",
                "acme_connection_oauth2",
                "v1.fixture.d2xl7ebtUF1zTtOh.G6U3WLJJZvaEjyIvLVaFwIX-jvPVCRUZT9QN0kpiZIMbPuMnon8qDjUmM_jH4RJJb4VQmRUyeA46qdrdMvOp-p3HPuwYTFGT48xYnd1Pwh5WTWAMEHEKrHfjjfqN7-X8maRzwH--aomJvJk67JHe0ZsKb39qPsFUn7uAponA9QrGJt7G0zTligxMUupcRzlFta55jwkOyBR-VC1We1HRFgNCBggXsQ7RNxJB-LSQx72GbNXEa_9BUVDSHNAFEunPO-7QsWdPSz7zfDna-jYB6b9zhEQ6kOYeFHj99jg7mqCvromJXGEQpYzWs7irTp4uG-Xbcm1LyDTg2dKruZkEusBR",
            )
        },
        Row {
            scopes_requested: "read write".to_owned(),
            scopes_granted: "read".to_owned(),
            status: "needs_reconnect".to_owned(),
            last_ok_at: Some(1_796_389_201),
            version: 2,
            ..row(
                "conn_c2vQs5VzzJ0Rr16Rahp8bQ",
                "workspace-2",
                "acme_connection_oauth2",
                "v1.fixture.GXASGJD6w_ZtZdk3.h1j5RGvfDxDqZv7qmzNMpthfb9ZH_JDnv3mdRpp_Up2Z-kUvUtoNm53BMrkpV1nEliD8ytiQR63mte2aArwi0mRzYdkojkUrJ8uaEUPHqedFq7OqaQpWDeRX2N21zzixE-zooYvS-j7YxMHT8i5tlA4S9K4izTPI6SMsxOCXV-9025R8_0rX45NWRmtvbrZ-8p3ItpvOTkWhzPg9yGTir2KcjbQwHSkCF75NWosvvh90z50dx7-LJGN4cIV__xGuqmExzFihm0KHMafEqLgyz_ABCW0",
            )
        },
        row(
            "conn_2g1bX1DMVbtf4QcOhYt2mA",
            "workspace-1",
            "acme_connection_api-key",
            "v1.fixture.pswTiHtAfuNeAF9i.QbGeWUt_j4NXFiTVmklTqyUgaJPrw3HkLG7GSRUrEPq1F5-9NpbYBxRlKHIsxHkoC6elzmtYFB6I-oKY_MhwBI89FA_FS1SMEFFo1JNTiTvTe0a11gqyBoGDj4zhnQShPH1LkGo",
        ),
    ]
}

/// The fixture's sealing key.
pub fn fixture_keyring() -> Keyring {
    Keyring::new(key("fixture", 0x42))
}

/// Rows sealed by connkit 0.1.0 (`rows`: [`legacy_rows`], or those a database of yours read
/// from its own copy) open as they were; key rotation re-seals them in place, resumably, in the
/// current format; after it, every bound column is checked, and nothing else changed.
pub async fn legacy_sealing<B: Backend>(backend: B, rows: Vec<Row>) {
    assert_eq!(rows.len(), 3);
    for row in &rows {
        assert!(row.sealed_tokens.starts_with("v1.fixture."), "{row:?}");
        assert_eq!(row.key_id, "v1.fixture", "marked for re-sealing");
        backend.insert(row.clone()).await.unwrap();
    }
    let store = Store::new(backend, fixture_keyring());
    let check = |owned: &crate::store::Owned| {
        assert!(owned.unreadable.is_empty(), "{:?}", owned.unreadable);
        let [active, needs_reconnect] = &owned.connections[..] else {
            panic!("{:?}", owned.connections);
        };
        assert_eq!(active.owner, "workspace-1");
        assert_eq!(active.status, crate::store::ConnectionStatus::Active);
        assert_eq!(active.scopes_granted, ["read", "write"]);
        assert_eq!(active.inputs.get("api_secret"), Some(SECRET_INPUT));
        assert_eq!(
            active.tokens.refresh_token().unwrap().expose_secret(),
            REFRESH
        );
        assert_eq!(needs_reconnect.owner, "workspace-2");
        assert_eq!(
            needs_reconnect.status,
            crate::store::ConnectionStatus::NeedsReconnect
        );
        assert_eq!(needs_reconnect.scopes_granted, ["read"]);
        let [key] = &owned.credentials[..] else {
            panic!("{:?}", owned.credentials);
        };
        assert_eq!(key.inputs.get("region"), Some("us"));
        assert_eq!(
            key.credential,
            Credential::ApiKey {
                key: crate::secret::ApiKey::new(KEY)
            }
        );
    };
    let before = store.everything().await.unwrap();
    check(&before);

    // Resumable: one row per call, as an interrupted migration would.
    let first = store.rotate_keys(1).await.unwrap();
    assert_eq!((first.resealed, first.done), (1, false));
    let mut total = first.resealed;
    loop {
        let rotation = store.rotate_keys(1).await.unwrap();
        total += rotation.resealed;
        if rotation.done {
            break;
        }
    }
    assert_eq!(total, 3);
    let after = store.everything().await.unwrap();
    check(&after);
    for row in store
        .backend()
        .list(crate::store::Filter::default())
        .await
        .unwrap()
    {
        assert!(row.sealed_tokens.starts_with("v2.fixture."), "{row:?}");
        assert_eq!(row.key_id, "fixture");
    }
    // Now the status is bound: reviving the connection that needs a reconnect is refused.
    let id = &after.connections[1].id;
    let mut row = store.backend().get(id).await.unwrap().unwrap();
    row.status = "active".to_owned();
    assert!(store.backend().update(&row, row.version).await.unwrap());
    assert!(matches!(
        store.get(id).await,
        Err(StoreError::Unreadable { connection_id, .. }) if &connection_id == id
    ));
}

/// A secret input value, to look for where it must not be.
pub const SECRET_INPUT: &str = "suite-secret-input-5d0e";

/// Input values are stored sealed with the tokens and read back; a row sealed before inputs
/// existed (the token set alone) still opens, with no inputs.
pub async fn inputs<B: Backend>(backend: B) {
    let store = Store::new(backend, keyring());
    let inputs = crate::definition::InputValues::new()
        .with("shop", "acme")
        .with("api_secret", SECRET_INPUT);
    let stored = store
        .insert(NewConnection {
            owner: "owner-a",
            definition: Acme::DEFINITION,
            tokens: tokens(None),
            inputs: inputs.clone(),
        })
        .await
        .unwrap();
    let read = store.require(&stored.id).await.unwrap();
    assert_eq!(read.inputs, inputs);
    let row = store.backend().get(&stored.id).await.unwrap().unwrap();
    assert!(!format!("{row:?}").contains(SECRET_INPUT));
    assert!(!format!("{read:?}").contains(SECRET_INPUT));

    // The sealed value of an older row: the token set alone, under the same context.
    let old = keyring()
        .seal(
            &serde_json::to_vec(&tokens(None)).unwrap(),
            crate::store::SealContext {
                connection_id: &stored.id,
                owner: "owner-a",
                field: "tokens",
                bound: &[
                    &row.definition_id,
                    "oauth2",
                    &row.status,
                    &row.scopes_requested,
                    &row.scopes_granted,
                ],
            },
        )
        .unwrap();
    let mut old_row = row.clone();
    old_row.sealed_tokens = old.to_text();
    old_row.version += 1;
    assert!(store.backend().update(&old_row, row.version).await.unwrap());
    let read = store.require(&stored.id).await.unwrap();
    assert!(read.inputs.is_empty());
    assert_eq!(read.tokens, tokens(None));
}

#[crate::api_key_connection(
    crate = crate,
    id = "acme_connection_api-key",
    name = "API key",
    description = "Acme API key",
    inputs = { region = { label = "Region", pattern = "eu|us", default = "eu" } },
    header = "Authorization",
    prefix = "Bearer ",
)]
/// An API-key connection of the same app.
pub struct AcmeKey;

#[crate::basic_auth_connection(
    crate = crate,
    id = "acme_connection_basic-auth",
    name = "Basic",
    description = "Acme login"
)]
/// A basic-auth connection of the same app.
pub struct AcmeBasic;

/// The API key the suite stores.
pub const KEY: &str = "suite-api-key-51f0";

/// Credentials the end user gave (here an API key) are stored sealed beside OAuth2 connections
/// and never read as one, nor one as them.
pub async fn credentials<B: Backend>(backend: B) {
    let store = Store::new(backend, keyring());
    let oauth2 = store
        .insert(NewConnection {
            owner: "owner",
            definition: Acme::DEFINITION,
            tokens: tokens(None),
            inputs: crate::definition::InputValues::new(),
        })
        .await
        .unwrap();
    let key = store
        .insert_credential(NewCredential {
            owner: "owner",
            definition: <AcmeKey as crate::definition::ConnectionType>::CONNECTION_DEFINITION,
            credential: Credential::ApiKey {
                key: crate::secret::ApiKey::new(KEY),
            },
            inputs: crate::definition::InputValues::new().with("region", "us"),
        })
        .await
        .unwrap();
    let read = store.credential(&key.id).await.unwrap().unwrap();
    assert_eq!(read, key);
    assert_eq!(read.inputs.get("region"), Some("us"));
    // Neither kind reads as the other.
    assert!(matches!(
        store.get(&key.id).await,
        Err(StoreError::WrongKind { .. })
    ));
    assert!(matches!(
        store.credential(&oauth2.id).await,
        Err(StoreError::WrongKind { .. })
    ));
    // Listing connections (and so the refresher) sees OAuth2 ones only.
    let listed: Vec<String> = store
        .list_by_owner("owner")
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(listed, std::slice::from_ref(&oauth2.id));
    let credentials = store.credentials_by_owner("owner").await.unwrap();
    assert_eq!(credentials, std::slice::from_ref(&key));
    // Both kinds from one read, split the same way.
    let owned = store.owned_by("owner").await.unwrap();
    let (owned_oauth2, owned_credentials) = (owned.connections, owned.credentials);
    assert!(owned.unreadable.is_empty());
    assert_eq!(
        owned_oauth2.into_iter().map(|c| c.id).collect::<Vec<_>>(),
        listed
    );
    assert_eq!(owned_credentials, credentials);
    let nobody = store.owned_by("nobody").await.unwrap();
    assert!(
        nobody.connections.is_empty()
            && nobody.credentials.is_empty()
            && nobody.unreadable.is_empty()
    );
    // Sealed: no secret in the row, nor in Debug.
    let row = store.backend().get(&key.id).await.unwrap().unwrap();
    assert!(!format!("{row:?}").contains(KEY));
    assert!(!format!("{read:?}").contains(KEY));
    // A credential of another kind than its definition is refused, as is an OAuth2 definition.
    for (definition, credential) in [
        (
            <AcmeBasic as crate::definition::ConnectionType>::CONNECTION_DEFINITION,
            Credential::ApiKey {
                key: crate::secret::ApiKey::new(KEY),
            },
        ),
        (
            <Acme as crate::definition::ConnectionType>::CONNECTION_DEFINITION,
            Credential::ApiKey {
                key: crate::secret::ApiKey::new(KEY),
            },
        ),
    ] {
        let refused = store
            .insert_credential(NewCredential {
                owner: "owner",
                definition,
                credential,
                inputs: crate::definition::InputValues::new(),
            })
            .await;
        assert!(matches!(refused, Err(StoreError::WrongKind { .. })));
    }
    // Replacing a key is a compare-and-set save.
    let mut replaced = read.clone();
    replaced.credential = Credential::ApiKey {
        key: crate::secret::ApiKey::new("new-key"),
    };
    let saved = store.save_credential(&replaced).await.unwrap();
    assert_eq!(saved.version(), read.version() + 1);
    assert!(matches!(
        store.save_credential(&replaced).await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(store.delete(&key.id).await.unwrap());
    assert_eq!(store.credential(&key.id).await.unwrap(), None);
}

/// Leases, by the database's clock: one holder at a time, renewed by its holder, released only
/// by it, taken over once run out; the fenced update writes only while its holder holds the
/// lease.
pub async fn leases<B: Backend>(backend: B) {
    let store = Store::new(backend, keyring());
    let id = insert(&store, "owner").await.id;
    let backend = store.backend();
    let long = Duration::from_secs(60);
    assert!(backend.try_lease(&id, "a", long).await.unwrap());
    assert!(!backend.try_lease(&id, "b", long).await.unwrap());
    assert!(backend.try_lease(&id, "a", long).await.unwrap(), "renewed");
    assert!(!backend.release_lease(&id, "b").await.unwrap());
    assert!(!backend.try_lease("conn_nobody", "a", long).await.unwrap());

    // The fenced update: only its holder, at the version it read.
    let row = backend.get(&id).await.unwrap().unwrap();
    let next = Row {
        version: row.version + 1,
        ..row.clone()
    };
    assert!(
        !backend
            .update_leased(&next, row.version, "b")
            .await
            .unwrap()
    );
    assert!(
        !backend
            .update_leased(&next, row.version + 5, "a")
            .await
            .unwrap()
    );
    assert!(
        backend
            .update_leased(&next, row.version, "a")
            .await
            .unwrap()
    );

    assert!(backend.release_lease(&id, "a").await.unwrap());
    assert!(
        !backend
            .update_leased(&next, next.version, "a")
            .await
            .unwrap(),
        "released"
    );
    // A lease that runs out is taken over, and its old holder can no longer write.
    assert!(
        backend
            .try_lease(&id, "a", Duration::from_millis(200))
            .await
            .unwrap()
    );
    assert!(!backend.try_lease(&id, "b", long).await.unwrap());
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(
        !backend
            .update_leased(&next, next.version, "a")
            .await
            .unwrap(),
        "run out"
    );
    assert!(backend.try_lease(&id, "b", long).await.unwrap());
    assert!(!backend.try_lease(&id, "a", long).await.unwrap());
    assert!(
        backend
            .update_leased(&next, next.version, "b")
            .await
            .unwrap()
    );
}

/// Unix seconds now.
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A token set expiring at `expires_at` (none when `None`), with a refresh token or without.
fn expiring(expires_at: Option<i64>, refresh: bool) -> TokenSet {
    let mut json = serde_json::json!({ "access_token": ACCESS });
    if let Some(at) = expires_at {
        json["expires_at"] = at.into();
    }
    if refresh {
        json["refresh_token"] = REFRESH.into();
    }
    serde_json::from_value(json).unwrap()
}

async fn insert_tokens<B: Backend>(store: &Store<B>, tokens: TokenSet) -> StoredConnection {
    store
        .insert(NewConnection {
            owner: "owner",
            definition: Acme::DEFINITION,
            tokens,
            inputs: crate::definition::InputValues::new(),
        })
        .await
        .unwrap()
}

async fn insert_key<B: Backend>(store: &Store<B>) -> String {
    store
        .insert_credential(NewCredential {
            owner: "owner",
            definition: <AcmeKey as crate::definition::ConnectionType>::CONNECTION_DEFINITION,
            credential: Credential::ApiKey {
                key: crate::secret::ApiKey::new(KEY),
            },
            inputs: crate::definition::InputValues::new(),
        })
        .await
        .unwrap()
        .id
}

fn ids(connections: &[StoredConnection]) -> Vec<&str> {
    connections.iter().map(|c| c.id.as_str()).collect()
}

/// `Store::due_within`, every row of which must open.
async fn due_within<B: Backend>(
    store: &Store<B>,
    now: std::time::SystemTime,
    window: Duration,
) -> Vec<StoredConnection> {
    store
        .due_within(now, window)
        .await
        .unwrap()
        .into_iter()
        .map(Result::unwrap)
        .collect()
}

/// What a refresher renews: the database selects the active connections with a refresh token
/// whose token expires within the window (soonest first), the same ones as opening every row
/// and asking each token set; a save moves a connection in or out.
pub async fn due<B: Backend>(backend: B) {
    let store = Store::new(backend, keyring());
    let now_s = now();
    let expired = insert_tokens(&store, expiring(Some(now_s - 50), true)).await;
    let soon = insert_tokens(&store, expiring(Some(now_s + 100), true)).await;
    let later = insert_tokens(&store, expiring(Some(now_s + 10_000), true)).await;
    let edge = insert_tokens(&store, expiring(Some(now_s + 300), true)).await;
    let _no_refresh_token = insert_tokens(&store, expiring(Some(now_s + 100), false)).await;
    let _no_expiry = insert_tokens(&store, expiring(None, true)).await;
    let mut needs_reconnect = insert_tokens(&store, expiring(Some(now_s + 100), true)).await;
    needs_reconnect.status = crate::store::ConnectionStatus::NeedsReconnect;
    store.save(&needs_reconnect).await.unwrap();
    let _key = insert_key(&store).await;

    // On a whole second, so that the edge is exact.
    let now = std::time::UNIX_EPOCH + Duration::from_secs(now_s as u64);
    for (window, expected) in [
        (0, vec![expired.id.as_str()]),
        (299, vec![&expired.id, &soon.id]),
        (300, vec![&expired.id, &soon.id, &edge.id]),
        (20_000, vec![&expired.id, &soon.id, &edge.id, &later.id]),
    ] {
        let window = Duration::from_secs(window);
        let due = due_within(&store, now, window).await;
        assert_eq!(ids(&due), expected, "within {window:?}");
        // The same as opening every row and asking its token set.
        let mut opened: Vec<StoredConnection> = store
            .list_all()
            .await
            .unwrap()
            .into_iter()
            .filter(|c| {
                c.status == crate::store::ConnectionStatus::Active
                    && c.tokens.refresh_token().is_some()
                    && c.tokens.expires_within(now, window)
            })
            .collect();
        opened.sort_by_key(|c| c.tokens.expires_at());
        assert_eq!(due, opened, "within {window:?}");
    }
    // The database itself hands out only those rows.
    let rows = store.backend().due(now_s + 299).await.unwrap();
    assert_eq!(
        rows.iter().map(|row| row.id.as_str()).collect::<Vec<_>>(),
        [&expired.id, &soon.id]
    );
    // Renewed, a connection leaves; marked for reconnection, it never comes back by time.
    let mut renewed = store.require(&soon.id).await.unwrap();
    renewed.tokens = expiring(Some(now_s + 50_000), true);
    store.save(&renewed).await.unwrap();
    let mut gone = store.require(&expired.id).await.unwrap();
    gone.status = crate::store::ConnectionStatus::NeedsReconnect;
    store.save(&gone).await.unwrap();
    let due = due_within(&store, now, Duration::from_secs(20_000)).await;
    assert_eq!(ids(&due), [&edge.id, &later.id]);
}

/// The statements that take a database of this connkit back to schema version 1, from before
/// `refresh_at` (the same SQL on SQLite and PostgreSQL).
pub const BACK_TO_VERSION_1: [&str; 4] = [
    "DROP TABLE connkit_claims",
    "DROP INDEX connkit_connections_refresh_at",
    "ALTER TABLE connkit_connections DROP COLUMN refresh_at",
    "DELETE FROM connkit_schema WHERE version > 1",
];

/// Rows written before `refresh_at` existed: the migration marks the active OAuth2 ones due at
/// once (0), the first selection opens them and writes the true value back without a new
/// version, and from then on only the rows really due are read.
pub async fn rows_from_before_refresh_at<B, F, Fut, D, DFut>(open: F, downgrade: D)
where
    B: Backend,
    F: Fn() -> Fut,
    Fut: Future<Output = B>,
    D: FnOnce() -> DFut,
    DFut: Future<Output = ()>,
{
    let now_s = now();
    let store = Store::new(open().await, keyring());
    let soon = insert_tokens(&store, expiring(Some(now_s + 100), true)).await;
    let later = insert_tokens(&store, expiring(Some(now_s + 10_000), true)).await;
    let key = insert_key(&store).await;
    drop(store);
    downgrade().await;

    let store = Store::new(open().await, keyring());
    let hints = |rows: Vec<crate::store::Row>| -> Vec<(String, Option<i64>, i64)> {
        rows.into_iter()
            .map(|row| (row.id, row.refresh_at, row.version))
            .collect()
    };
    let migrated = hints(store.backend().list(Default::default()).await.unwrap());
    assert_eq!(
        migrated,
        [
            (soon.id.clone(), Some(0), soon.version()),
            (later.id.clone(), Some(0), later.version()),
            (key.clone(), None, 1),
        ],
        "the OAuth2 rows are due at once, the credential never"
    );
    let due = due_within(
        &store,
        std::time::SystemTime::now(),
        Duration::from_secs(300),
    )
    .await;
    assert_eq!(ids(&due), [&soon.id], "only the one really due");
    let written = hints(store.backend().list(Default::default()).await.unwrap());
    assert_eq!(
        written,
        [
            (soon.id.clone(), Some(now_s + 100), soon.version()),
            (later.id.clone(), Some(now_s + 10_000), later.version()),
            (key, None, 1),
        ],
        "the true expiry, written back at the same version"
    );
    let rows = store.backend().due(now_s + 300).await.unwrap();
    assert_eq!(
        rows.iter().map(|row| row.id.as_str()).collect::<Vec<_>>(),
        [&soon.id],
        "the other row is no longer read"
    );
    // The tokens read back as they were stored.
    assert_eq!(store.require(&later.id).await.unwrap(), later);
}

/// One-time claims: the first claim of a key wins until its time has passed, also among many
/// at once; other keys are independent; a record past its time is removed, and its key can be
/// claimed again.
pub async fn claims<B: Backend + Clone + 'static>(backend: B) {
    let long = Duration::from_secs(60);
    assert!(backend.claim("a", long).await.unwrap());
    assert!(!backend.claim("a", long).await.unwrap());
    assert!(backend.claim("b", long).await.unwrap());
    // A short claim stands for its time, by the database's clock, then is gone.
    assert!(
        backend
            .claim("short", Duration::from_millis(1))
            .await
            .unwrap()
    );
    assert!(
        !backend.claim("short", long).await.unwrap(),
        "rounded up to a second"
    );
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert!(backend.claim("short", long).await.unwrap(), "past its time");
    assert!(!backend.claim("a", long).await.unwrap(), "still standing");
    let mut racers = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let backend = backend.clone();
        racers.spawn(async move { backend.claim("raced", long).await.unwrap() });
    }
    let winners = racers
        .join_all()
        .await
        .into_iter()
        .filter(|won| *won)
        .count();
    assert_eq!(winners, 1, "one of 16 concurrent claims wins");
    let store = Store::new(backend, keyring());
    assert!(
        store
            .claim_once("c", Duration::from_secs(60))
            .await
            .unwrap()
    );
    assert!(
        !store
            .claim_once("c", Duration::from_secs(60))
            .await
            .unwrap()
    );
}

/// Every check that needs nothing but fresh, empty backends, each on its own from `make`:
/// [`crud`], [`scope_drift`], [`tamper_detection`], [`bound_columns`], [`legacy_sealing`] (on
/// [`legacy_rows`]), [`inputs`], [`credentials`], [`leases`], [`due`], [`claims`] and
/// [`key_rotation`]. [`rows_from_before_refresh_at`] needs your schema's own downgrade, and is
/// left to you.
pub async fn every_check<B, F, Fut>(make: F)
where
    B: Backend + Clone + 'static,
    F: Fn() -> Fut,
    Fut: Future<Output = B>,
{
    crud(make().await).await;
    scope_drift(make().await).await;
    tamper_detection(make().await).await;
    bound_columns(make().await).await;
    legacy_sealing(make().await, legacy_rows()).await;
    inputs(make().await).await;
    credentials(make().await).await;
    leases(make().await).await;
    due(make().await).await;
    claims(make().await).await;
    let shared = make().await;
    key_rotation(|| {
        let shared = shared.clone();
        async move { shared }
    })
    .await;
}
