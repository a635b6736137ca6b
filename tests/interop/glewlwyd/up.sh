#!/usr/bin/env bash
# Starts Debian's glewlwyd (OIDC plugin) on 127.0.0.1:$PORT with a throwaway sqlite database in
# $DIR, then provisions user alice/alicepw and the clients basic-client (client_secret_basic),
# post-client (client_secret_post) and public-client; PKCE (S256) required, refresh tokens used
# once. For the other grants: cc-client (client credentials, client_secret_basic), jwt-client
# (client credentials, private_key_jwt with RFC 7515's P-256 key, whose private half is in
# runtime/tests/keys) and device-client (device authorization, RFC 8628, client_secret_basic);
# pushed authorization requests (RFC 9126) and DPoP (RFC 9449) are allowed, not required.
# Writes the server's pid to $DIR/glewlwyd.pid.
set -euo pipefail
PORT=${PORT:-18083}
DIR=${DIR:-$(mktemp -d)}
REDIRECT_URI=${REDIRECT_URI:-http://127.0.0.1:9999/cb}
BASE=http://127.0.0.1:$PORT
HERE=$(cd "$(dirname "$0")" && pwd)

sqlite3 "$DIR/glewlwyd.db" < /usr/share/dbconfig-common/data/glewlwyd/install/sqlite3
sed -e "s/^port=.*/port=$PORT/" \
    -e "s|^external_url=.*|external_url=\"$BASE\"|" \
    -e 's/^#bind_address=.*/bind_address="127.0.0.1"/' \
    -e 's/^log_mode=.*/log_mode="console"/' \
    -e "s|^@include .*|database = { type = \"sqlite3\" path = \"$DIR/glewlwyd.db\" };|" \
    /etc/glewlwyd/glewlwyd.conf > "$DIR/glewlwyd.conf"
glewlwyd -c "$DIR/glewlwyd.conf" > "$DIR/glewlwyd.log" 2>&1 &
echo $! > "$DIR/glewlwyd.pid"

for _ in $(seq 1 100); do
  curl -sf -o /dev/null "$BASE/config" && break
  sleep 0.1
done

API=$BASE/api
admin() { curl -s -f -o /dev/null -b "$DIR/admin.jar" -c "$DIR/admin.jar" -H 'content-type: application/json' "$@"; }
admin "$API/auth/" -d '{"username":"admin","password":"password"}'
admin "$API/mod/plugin/" -d '{"module":"oidc","name":"oidc","display_name":"OIDC","enabled":true,"parameters":{
  "iss":"'"$BASE"'","jwt-type":"sha","jwt-key-size":"256","key":"connkit-test-only-hmac-key-0123456789",
  "access-token-duration":3600,"refresh-token-duration":86400,"code-duration":60,"refresh-token-rolling":false,
  "refresh-token-one-use":"always","allow-non-oidc":true,"auth-type-code-enabled":true,"auth-type-code-revoke-replayed":true,
  "auth-type-refresh-enabled":true,"auth-type-token-enabled":false,"auth-type-none-enabled":false,"auth-type-password-enabled":false,
  "auth-type-client-enabled":true,"auth-type-implicit-enabled":false,"auth-type-device-enabled":true,
  "device-authorization-expiration":600,"device-authorization-interval":1,
  "request-parameter-allow":true,"request-maximum-exp":600,"client-pubkey-parameter":"pubkey",
  "oauth-dpop-allowed":true,"oauth-dpop-iat-duration":60,"oauth-dpop-iat-gap-duration":5,
  "oauth-par-allowed":true,"oauth-par-request_uri-prefix":"urn:ietf:params:oauth:request_uri:",
  "pkce-allowed":true,"pkce-method-plain-allowed":false,"pkce-required":true,"scope":[]}}'
admin "$API/scope/" -d '{"name":"api","display_name":"api","description":"api","password_required":false}'
admin "$API/user/" -d '{"username":"alice","name":"Alice","password":"alicepw","scope":["openid","api"],"enabled":true}'
for client in basic:client_secret_basic post:client_secret_post; do
  name=${client%%:*}
  admin "$API/client/" -d '{"client_id":"'"$name"'-client","name":"'"$name"'","confidential":true,"client_secret":"'"$name"'-secret","redirect_uri":["'"$REDIRECT_URI"'"],"authorization_type":["code","refresh_token"],"token_endpoint_auth_method":["'"${client##*:}"'"],"scope":[],"enabled":true}'
done
admin "$API/client/" -d '{"client_id":"cc-client","name":"cc","confidential":true,"client_secret":"cc-secret","authorization_type":["client_credentials"],"token_endpoint_auth_method":["client_secret_basic"],"scope":["api"],"enabled":true}'
# The public half of RFC 7515's P-256 example key, as a JSON string.
pubkey=$(openssl pkey -in "$HERE/../../../runtime/tests/keys/rfc7515-p256.pkcs8.pem" -pubout | awk '{printf "%s\\n", $0}')
admin "$API/client/" -d '{"client_id":"jwt-client","name":"jwt","confidential":true,"authorization_type":["client_credentials"],"token_endpoint_auth_method":["private_key_jwt"],"pubkey":"'"$pubkey"'","scope":["api"],"enabled":true}'
admin "$API/client/" -d '{"client_id":"device-client","name":"device","confidential":true,"client_secret":"device-secret","authorization_type":["device_authorization","refresh_token"],"token_endpoint_auth_method":["client_secret_basic"],"scope":[],"enabled":true}'
admin "$API/client/" -d '{"client_id":"public-client","name":"public","confidential":false,"redirect_uri":["'"$REDIRECT_URI"'"],"authorization_type":["code","refresh_token"],"scope":[],"enabled":true}'
echo "glewlwyd up on $BASE (pid $(cat "$DIR/glewlwyd.pid"), files in $DIR)"
