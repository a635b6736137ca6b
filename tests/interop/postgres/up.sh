#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1:$PORT with its files in $DIR, trusting the
# role `connkit` on loopback (tests only). Debian's server binaries run as the `postgres` user.
# TLS is on (plain connections are still accepted): a certificate authority made here signs the
# server's certificate, for `connkit-db.test` and 127.0.0.1; $DIR/tls holds `ca.crt` and
# `wrong-ca.crt` (another authority, which signed nothing of this server's). The CA's key is
# deleted once it has signed.
set -euo pipefail
: "${PORT:?}" "${DIR:?}"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_root mkdir -p "$DIR/tls"
as_root chmod 755 "$DIR/tls"
TLS=$(mktemp -d)
authority() { # name, file stem
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=$1" -keyout "$TLS/$2.key" -out "$TLS/$2.crt" 2>/dev/null
}
authority "connkit test CA" ca
authority "another CA" wrong-ca
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=connkit-db.test" \
  -keyout "$TLS/server.key" -out "$TLS/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:connkit-db.test,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' \
  > "$TLS/server.ext"
openssl x509 -req -in "$TLS/server.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" -CAcreateserial \
  -days 2 -extfile "$TLS/server.ext" -out "$TLS/server.crt" 2>/dev/null
as_root cp "$TLS/ca.crt" "$TLS/wrong-ca.crt" "$TLS/server.crt" "$TLS/server.key" "$DIR/tls/"
rm -rf "$TLS"
as_root chown postgres "$DIR" "$DIR/tls/server.key"
as_root chmod 600 "$DIR/tls/server.key"
as_root chmod 644 "$DIR/tls/ca.crt" "$DIR/tls/wrong-ca.crt" "$DIR/tls/server.crt"
as_root runuser -u postgres -- "$BIN/initdb" -D "$DIR/data" -A trust -U connkit --no-sync >/dev/null
# In the configuration file, so that `ctl.sh DIR start` restarts the server as it was.
printf '%s\n' "listen_addresses = '127.0.0.1'" "port = $PORT" "unix_socket_directories = '$DIR'" \
  "fsync = off" "max_connections = 200" "ssl = on" "ssl_cert_file = '$DIR/tls/server.crt'" \
  "ssl_key_file = '$DIR/tls/server.key'" | as_root runuser -u postgres -- tee -a "$DIR/data/postgresql.conf" >/dev/null
"$(dirname "$0")/ctl.sh" "$DIR" start
as_root runuser -u postgres -- "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U connkit connkit
echo "PostgreSQL up on 127.0.0.1:$PORT (files in $DIR)"
