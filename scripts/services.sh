#!/usr/bin/env bash
# What the tests need besides Python: the PostgreSQL server (127.0.0.1:5432, database "test"), Redis
# (6379, the shared lock store and rate limits), RabbitMQ (5672, the event broker), nginx (the load
# balancer in front of several Rasa servers) and Debian's Chromium for the browser tests. On our
# machines the services already run; on a fresh Debian/Ubuntu machine this installs and starts what
# is missing.
set -euo pipefail

pg_ready() { pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }

if ! command -v pg_isready >/dev/null 2>&1 || ! pg_ready; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "==> PostgreSQL installeren"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  echo "==> PostgreSQL starten"
  version=$(ls /etc/postgresql | sort -n | tail -1)
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
fi
pg_ready || { echo "PostgreSQL is niet bereikbaar op 127.0.0.1:5432" >&2; exit 1; }

# The tests connect as "postgres" to database "test"; create it when it is missing.
if ! psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO -u postgres psql -c "CREATE DATABASE test" >/dev/null 2>&1 || su postgres -c "psql -c 'CREATE DATABASE test'" >/dev/null
fi

apt_install() {
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "==> $* installeren"
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

redis_ready() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }
if ! redis_ready; then
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server redis-tools
  echo "==> Redis starten"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 20); do redis_ready && break; sleep 0.5; done
fi
redis_ready || { echo "Redis is niet bereikbaar op 127.0.0.1:6379" >&2; exit 1; }

rabbit_ready() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }
if ! rabbit_ready; then
  command -v rabbitmq-server >/dev/null 2>&1 || apt_install rabbitmq-server
  echo "==> RabbitMQ starten"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO rabbitmq-server -detached >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do rabbit_ready && break; sleep 1; done
fi
rabbit_ready || { echo "RabbitMQ is niet bereikbaar op 127.0.0.1:5672" >&2; exit 1; }

# nginx only as a program: the tests and scripts/run.sh start it with their own configuration.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  apt_install nginx
  # Debian's package may start its own nginx on port 80; the project does not use that one.
  (command -v service >/dev/null 2>&1 && service nginx stop >/dev/null 2>&1) || pkill -x nginx || true
fi

if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  echo "==> Chromium installeren (voor de browsertests)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
