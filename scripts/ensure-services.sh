#!/usr/bin/env bash
# Starts the local servers the test suites use (Redis, PostgreSQL, MariaDB) when they are not up.
# The commands are this machine kind's own start commands; each is a no-op when the server runs.
set -u
log() { echo "[services] $*"; }

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  log "starting redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
if ! pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
  log "starting postgresql"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
if ! mysqladmin -h 127.0.0.1 -uroot ping >/dev/null 2>&1; then
  log "starting mariadb"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
fi
# The operator console's browser test drives Debian's chromium; install it when it is missing.
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  log "installing chromium (operator console test)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 || log "warning: could not install chromium"
fi
# Binaries tests start themselves: the CNCF distribution registry (Docker Registry provider tests)
# and htpasswd for its basic-auth config. Installed once when missing; the tests skip with the reason
# when they are still absent (no apt, no network).
if ! command -v docker-registry >/dev/null 2>&1 || ! command -v htpasswd >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    log "installing docker-registry and apache2-utils"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry apache2-utils; } >/dev/null 2>&1 \
      || log "warning: could not install docker-registry/apache2-utils; the Docker Registry tests will skip"
  else
    log "warning: docker-registry is missing and apt-get is not available; the Docker Registry tests will skip"
  fi
fi
for i in $(seq 1 30); do
  redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && pg_isready -h 127.0.0.1 >/dev/null 2>&1 && mysqladmin -h 127.0.0.1 -uroot ping >/dev/null 2>&1 && exit 0
  sleep 1
done
log "warning: not every service answered within 30 s (redis/postgres/mariadb); tests that need them will fail"
exit 0
