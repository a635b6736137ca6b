// connkit's loopback authorization server for interop tests, on oidc-provider (OpenID Certified).
//
// Clients: basic-client (client_secret_basic), post-client (client_secret_post), public-client
// (none), store-client (client_secret_basic, for the store's tests), cli-client (a native app on
// a loopback redirect URI, for the command line's tests); PKCE (S256) required for
// all; refresh tokens rotate on every use.
// Machine clients (client credentials, RFC 6749 §4.4; no redirect URI): cc-client
// (client_secret_basic) and cc-post-client (client_secret_post), each also allowed
// `account_credentials`, a provider grant of the same shape as Zoom's (it requires an
// `account_id` field, and its token's scope names the account).
// Interactions are auto-approved: GET /auth -> /interaction/<uid> -> /auth/<uid> -> redirect_uri.
// login_hint=deny ends the interaction with error=access_denied (the user refusing consent).
// With INTERACTIVE=1 it is instead a provider a person (or a scripted browser) signs in to, on
// oidc-provider's own login and consent pages, for web-client (client_secret_basic, redirect
// URIs from WEB_REDIRECT_URIS): the browser tests of the connect flow run against it.
import Provider from 'oidc-provider';
import * as jose from 'jose';
import { createHash, randomBytes } from 'node:crypto';

const PORT = Number(process.env.PORT || 18081);
const INTERACTIVE = process.env.INTERACTIVE === '1';
// ISSUER_HOST=localhost makes the provider another site than an app on 127.0.0.1 (browsers
// ignore ports when they decide which cookies go with a cross-site navigation).
const ISSUER = `http://${process.env.ISSUER_HOST || '127.0.0.1'}:${PORT}`;
const REDIRECT_URI = process.env.REDIRECT_URI || 'http://127.0.0.1:9999/cb';
const grants = { grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] };
const clients = [
  { client_id: 'basic-client', client_secret: 'basic-secret', token_endpoint_auth_method: 'client_secret_basic' },
  { client_id: 'post-client', client_secret: 'post-secret', token_endpoint_auth_method: 'client_secret_post' },
  { client_id: 'public-client', token_endpoint_auth_method: 'none' },
  // Used only by the connection-store tests, whose refreshes are counted below.
  { client_id: 'store-client', client_secret: 'store-secret', token_endpoint_auth_method: 'client_secret_basic' },
].map((client) => ({ ...client, redirect_uris: [REDIRECT_URI], ...grants }));
// A native app (RFC 8252): its loopback redirect URI matches on any port, as `connkit::cli`'s
// listener picks one. Used only by the command line's tests.
// It may also authorize on another device (RFC 8628), as `authorize --device` does.
const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
clients.push({
  client_id: 'cli-client', client_secret: 'cli-secret', token_endpoint_auth_method: 'client_secret_basic',
  application_type: 'native', redirect_uris: ['http://127.0.0.1/callback'], ...grants,
  grant_types: [...grants.grant_types, DEVICE_CODE],
});
const machine = { redirect_uris: [], response_types: [], grant_types: ['client_credentials', 'account_credentials'], scope: 'api' };
clients.push(
  { client_id: 'cc-client', client_secret: 'cc-secret', token_endpoint_auth_method: 'client_secret_basic', ...machine },
  { client_id: 'cc-post-client', client_secret: 'cc-post-secret', token_endpoint_auth_method: 'client_secret_post', ...machine },
);
// Clients that authenticate with a signed JWT (RFC 7523 §2.2), each registering the public half
// of a key from RFC 7515 and RFC 8037's examples (runtime/tests/keys holds the private halves):
// jwt-rs-client (RS256), jwt-es-client (ES256) and jwt-ed-client (EdDSA) are machine clients,
// jwt-code-client (ES256) runs the authorization-code flow, and csjwt-client signs with its
// secret (HS256).
const RSA_PUBLIC = { kty: 'RSA', e: 'AQAB', n: 'ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ' };
const P256_PUBLIC = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
// No `alg` on the Ed25519 key: oidc-provider then takes both `EdDSA` and `Ed25519` assertions.
const ED25519_PUBLIC = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
const signing = (client_id, alg, key) => ({
  client_id, token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: alg, jwks: { keys: [key] },
});
clients.push(
  { ...signing('jwt-rs-client', 'RS256', RSA_PUBLIC), ...machine },
  { ...signing('jwt-es-client', 'ES256', P256_PUBLIC), ...machine },
  { ...signing('jwt-ed-client', 'EdDSA', ED25519_PUBLIC), ...machine },
  { ...signing('jwt-code-client', 'ES256', P256_PUBLIC), redirect_uris: [REDIRECT_URI], ...grants },
  {
    client_id: 'csjwt-client', client_secret: 'csjwt-secret-of-at-least-thirty-two-bytes',
    token_endpoint_auth_method: 'client_secret_jwt', token_endpoint_auth_signing_alg: 'HS256', ...machine,
  },
);
// par-client must push its authorization requests (RFC 9126; /request, on by default).
clients.push({
  client_id: 'par-client', client_secret: 'par-secret', token_endpoint_auth_method: 'client_secret_basic',
  require_pushed_authorization_requests: true, redirect_uris: [REDIRECT_URI], ...grants,
});

// DPoP-bound tokens (RFC 9449): dpop-client runs the authorization-code flow, dpop-cc-client
// the client-credentials grant; every proof must carry the server's nonce. GET
// /test/resource is a resource server that accepts only a bound token with its proof.
clients.push(
  {
    client_id: 'dpop-client', client_secret: 'dpop-secret', token_endpoint_auth_method: 'client_secret_basic',
    dpop_bound_access_tokens: true, redirect_uris: [REDIRECT_URI], ...grants,
  },
  {
    client_id: 'dpop-cc-client', client_secret: 'dpop-cc-secret', token_endpoint_auth_method: 'client_secret_basic',
    dpop_bound_access_tokens: true, ...machine,
  },
);

// The JWT-bearer grant (RFC 7523 §2.1) is not built into oidc-provider: the handler below
// verifies assertions from one issuer, a service account signing with RFC 7515's RSA key, and
// issues an access token for its `sub`. bearer-client sends only its id (a provider such as
// Google authenticates the assertion alone; oidc-provider asks every grant for a client).
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const SERVICE_ACCOUNT = 'robot@connkit-test.iam.example';
const assertionKeys = { [SERVICE_ACCOUNT]: jose.createLocalJWKSet({ keys: [{ ...RSA_PUBLIC, kid: 'robot-key-1' }] }) };
clients.push({
  client_id: 'bearer-client', token_endpoint_auth_method: 'none', redirect_uris: [], response_types: [],
  grant_types: [JWT_BEARER], scope: 'api',
});
if (INTERACTIVE) {
  clients.push({
    client_id: 'web-client', client_secret: 'web-secret', token_endpoint_auth_method: 'client_secret_basic',
    redirect_uris: (process.env.WEB_REDIRECT_URIS || 'http://127.0.0.1:18095/callback').split(','), ...grants,
  });
}
const authMethodOf = Object.fromEntries(clients.map((c) => [c.client_id, c.token_endpoint_auth_method]));

const provider = new Provider(ISSUER, {
  clients,
  pkce: { required: () => true },
  scopes: ['openid', 'offline_access', 'api'],
  // Machine tokens live CLIENT_CREDENTIALS_TTL seconds (the store's tests wait for one to
  // expire).
  rotateRefreshToken: () => true,
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  ttl: { ClientCredentials: Number(process.env.CLIENT_CREDENTIALS_TTL || 600), AccessToken: 3600, AuthorizationCode: 60, RefreshToken: 86400, Grant: 86400, Session: 86400, Interaction: 600 },
  cookies: { keys: ['connkit-test-only-cookie-key'] },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: INTERACTIVE },
    revocation: { enabled: true },
    clientCredentials: { enabled: true },
    // Device authorization (RFC 8628) at /device/auth; the user approves at /device.
    deviceFlow: { enabled: true },
    dPoP: {
      enabled: true,
      nonceSecret: createHash('sha256').update('connkit-test-only-dpop-nonce').digest(),
      requireNonce: () => true,
    },
    introspection: { enabled: true },
  },
  findAccount: async (ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
});

// A provider grant of the client-credentials shape (Zoom's `account_credentials`): the client
// authenticates as for any grant, and must name the account.
provider.registerGrantType('account_credentials', async (ctx) => {
  const accountId = ctx.oidc.params.account_id;
  if (!accountId || !/^[A-Za-z0-9_-]+$/.test(accountId)) {
    ctx.status = 400;
    ctx.body = { error: 'invalid_request', error_description: 'account_id is required' };
    return;
  }
  const token = new provider.ClientCredentials({ client: ctx.oidc.client, scope: 'api' });
  const value = await token.save();
  ctx.body = { access_token: value, token_type: 'Bearer', expires_in: token.expiration, scope: `api account:${accountId}` };
}, ['account_id']);

provider.registerGrantType(JWT_BEARER, async (ctx) => {
  const fail = (description) => {
    ctx.status = 400;
    ctx.body = { error: 'invalid_grant', error_description: description };
  };
  const { assertion } = ctx.oidc.params;
  if (!assertion) return fail('assertion is required');
  let payload;
  try {
    const { iss } = jose.decodeJwt(assertion);
    const keys = assertionKeys[iss];
    if (!keys) return fail('unknown assertion issuer');
    ({ payload } = await jose.jwtVerify(assertion, keys, {
      issuer: iss, audience: [ISSUER, `${ISSUER}/token`], requiredClaims: ['exp', 'iat', 'jti'],
      algorithms: ['RS256'], maxTokenAge: '2m', clockTolerance: 5,
    }));
  } catch (error) {
    return fail(`assertion rejected: ${error.code || error.message}`);
  }
  if (payload.exp - payload.iat > 60) return fail('assertion lives longer than a minute');
  if (!(await provider.ReplayDetection.unique(payload.iss, payload.jti, payload.exp + 5))) return fail('assertion replayed');
  // Google's service accounts put the scopes in the assertion; others send them in the form.
  const asked = String(payload.scope || ctx.oidc.params.scope || '').split(' ');
  const allowed = new Set(String(ctx.oidc.client.scope || '').split(' '));
  const scope = asked.filter((name) => allowed.has(name)).join(' ') || undefined;
  const accountId = payload.sub || payload.iss;
  const grant = new provider.Grant({ accountId, clientId: ctx.oidc.client.clientId });
  if (scope) grant.addOIDCScope(scope);
  const token = new provider.AccessToken({
    accountId, client: ctx.oidc.client, grantId: await grant.save(), gty: 'jwt_bearer', scope,
  });
  const value = await token.save();
  ctx.body = { access_token: value, token_type: 'Bearer', expires_in: token.expiration, scope };
}, ['assertion', 'scope']);

// Refresh requests received, per client: GET /test/refreshes?client=<id> answers {"count": n};
// with &grant=<grant_type>, the token requests of that grant. The store's tests read it to
// count requests on the server's side.
const refreshes = {};
const granted = {};
provider.use(async (ctx, next) => {
  if (ctx.method === 'GET' && ctx.path === '/test/refreshes') {
    ctx.type = 'json';
    const { client, grant } = ctx.query;
    ctx.body = { count: (grant ? granted[`${client} ${grant}`] : refreshes[client]) || 0 };
    return;
  }
  await next();
});

// oidc-provider accepts client_secret_basic and client_secret_post interchangeably; enforce the
// registered method so a client using the wrong one fails as it would at a strict provider.
provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/token') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const raw = Buffer.concat(chunks);
    ctx.req.body = raw;
    const body = new URLSearchParams(raw.toString());
    const authorization = ctx.get('authorization');
    let used = 'none';
    let clientId = body.get('client_id');
    if (/^basic /i.test(authorization)) {
      used = 'client_secret_basic';
      clientId = decodeURIComponent(Buffer.from(authorization.slice(6), 'base64').toString().split(':')[0]);
    } else if (body.has('client_secret')) {
      used = 'client_secret_post';
    } else if (body.has('client_assertion')) {
      // A signed client assertion: HMAC for client_secret_jwt, a key for private_key_jwt.
      try {
        const { alg } = jose.decodeProtectedHeader(body.get('client_assertion'));
        used = String(alg).startsWith('HS') ? 'client_secret_jwt' : 'private_key_jwt';
        clientId ||= jose.decodeJwt(body.get('client_assertion')).sub;
      } catch {
        used = 'an unreadable client_assertion';
      }
    }
    console.log(`token grant_type=${body.get('grant_type')} client=${clientId} auth=${used}`);
    if (body.get('grant_type') === 'refresh_token') refreshes[clientId] = (refreshes[clientId] || 0) + 1;
    const counted = `${clientId} ${body.get('grant_type')}`;
    granted[counted] = (granted[counted] || 0) + 1;
    const wanted = authMethodOf[clientId];
    if (wanted && wanted !== used) {
      ctx.status = 401;
      ctx.type = 'json';
      if (wanted === 'client_secret_basic') ctx.set('WWW-Authenticate', `Basic realm="${ISSUER}"`);
      ctx.body = { error: 'invalid_client', error_description: `client must authenticate with ${wanted}` };
      return;
    }
  }
  await next();
});

// A resource server for DPoP-bound tokens (RFC 9449 §7): the token must be bound, sent with the
// DPoP scheme and a proof of its key for this request (htm, htu, iat, jti, ath), carrying a
// nonce this server gave (its first answer is the use_dpop_nonce challenge).
const resourceNonces = new Map();
provider.use(async (ctx, next) => {
  if (ctx.path !== '/test/resource') return next();
  const challenge = (error, description) => {
    ctx.status = 401;
    ctx.set('WWW-Authenticate', `DPoP error="${error}", error_description="${description}", algs="ES256 EdDSA"`);
    ctx.type = 'json';
    ctx.body = { error, error_description: description };
  };
  const bearer = /^DPoP ([\x21-\x7e]+)$/.exec(ctx.get('authorization'));
  if (!bearer) return challenge('invalid_token', 'a DPoP-bound access token with the DPoP scheme is required');
  const value = bearer[1];
  const token = (await provider.AccessToken.find(value)) || (await provider.ClientCredentials.find(value));
  if (!token || token.isExpired) return challenge('invalid_token', 'access token invalid or expired');
  if (!token.jkt) return challenge('invalid_token', 'access token is not DPoP-bound');
  const proof = ctx.get('dpop');
  if (!proof || proof.includes(',')) return challenge('invalid_dpop_proof', 'exactly one DPoP proof is required');
  let payload;
  let protectedHeader;
  try {
    ({ payload, protectedHeader } = await jose.jwtVerify(proof, jose.EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256', 'EdDSA'] }));
  } catch (error) {
    return challenge('invalid_dpop_proof', `bad proof: ${error.code || error.message}`);
  }
  const now = Math.floor(Date.now() / 1000);
  if (payload.htm !== ctx.method) return challenge('invalid_dpop_proof', 'htm mismatch');
  if (typeof payload.htu !== 'string' || payload.htu.split(/[?#]/)[0] !== `${ISSUER}${ctx.path}`) return challenge('invalid_dpop_proof', 'htu mismatch');
  if (typeof payload.iat !== 'number' || Math.abs(now - payload.iat) > 300) return challenge('invalid_dpop_proof', 'iat not recent');
  if (payload.ath !== createHash('sha256').update(value).digest('base64url')) return challenge('invalid_dpop_proof', 'ath mismatch');
  if (await jose.calculateJwkThumbprint(protectedHeader.jwk) !== token.jkt) return challenge('invalid_token', 'the proof key is not the key the token is bound to');
  if (!payload.nonce || !(resourceNonces.get(payload.nonce) > Date.now())) {
    const nonce = randomBytes(16).toString('base64url');
    resourceNonces.set(nonce, Date.now() + 300_000);
    ctx.set('DPoP-Nonce', nonce);
    return challenge('use_dpop_nonce', 'this resource server requires a nonce in the DPoP proof');
  }
  if (!(await provider.ReplayDetection.unique(`rs:${token.jkt}`, payload.jti, now + 300))) return challenge('invalid_dpop_proof', 'jti replayed');
  ctx.type = 'json';
  ctx.body = { ok: true, client_id: token.clientId, jkt: token.jkt };
});

// oidc-provider names no polling interval (RFC 8628 then says five seconds): the tests' device
// authorizations ask for one second.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.method === 'POST' && ctx.path === '/device/auth' && ctx.status === 200 && ctx.body && !ctx.body.interval) {
    ctx.body = { ...ctx.body, interval: 1 };
  }
});

// The "user": logs in and consents at once, or refuses with login_hint=deny.
provider.use(async (ctx, next) => {
  const match = !INTERACTIVE && ctx.method === 'GET' && ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!match) return next();
  const { params, grantId, session } = await provider.interactionDetails(ctx.req, ctx.res);
  if (params.login_hint === 'deny') {
    return provider.interactionFinished(ctx.req, ctx.res, { error: 'access_denied', error_description: 'End-User denied the request' });
  }
  const accountId = session?.accountId || params.login_hint || 'alice';
  const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId, clientId: params.client_id });
  grant.addOIDCScope(String(params.scope || ''));
  const result = { login: { accountId }, consent: { grantId: await grant.save() } };
  return provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
});

for (const event of ['grant.error', 'authorization.error', 'server_error']) {
  provider.on(event, (ctx, error) => console.log(`${event}: ${error.error || error.name}: ${error.error_detail || error.message}`));
}
provider.listen(PORT, '127.0.0.1');
console.log(`oidc-provider listening on ${ISSUER}`);
