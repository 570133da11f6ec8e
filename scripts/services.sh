#!/usr/bin/env bash
# What the tests need besides Python: the PostgreSQL server (127.0.0.1:5432, database "test"), RabbitMQ
# (127.0.0.1:5672, guest/guest) and Debian's Chromium for the browser tests. On our machines PostgreSQL
# and RabbitMQ already run; on a fresh Debian/Ubuntu machine this installs and starts what is missing.
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

if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  echo "==> Chromium installeren (voor de browsertests)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# RabbitMQ (127.0.0.1:5672, guest/guest) for the analysis' server path (tests/e2e/test_analyse_rabbitmq.py).
rabbit_ready() { (exec 3<>/dev/tcp/127.0.0.1/5672) >/dev/null 2>&1; }
if ! rabbit_ready; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    echo "==> RabbitMQ installeren (voor de analyse via de RabbitMQ-broker)"
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
  fi
  echo "==> RabbitMQ starten"
  $SUDO rabbitmq-server -detached >/dev/null 2>&1 || $SUDO service rabbitmq-server start >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do rabbit_ready && break; sleep 1; done
fi
rabbit_ready || { echo "RabbitMQ is niet bereikbaar op 127.0.0.1:5672" >&2; exit 1; }
