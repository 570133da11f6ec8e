#!/usr/bin/env bash
# Run the product locally: action server (5055), Rasa with REST + socket.io and its HTTP API
# (5005, token-protected) and the web app (8000: review pages, API, /health). Trains a model first
# when there is none or the training data changed.
# Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1 RASA_TELEMETRY_ENABLED=false
export LEKSTROOM_DATABASE_URL="${LEKSTROOM_DATABASE_URL:-sqlite:///var/lekstroom.db}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:5055/webhook}"
# Secrets live in var/ (mode 600) or the environment, never on a command line.
mkdir -p var
umask 077
for naam in rasa-token actions-token; do
  [ -f "var/$naam" ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(24))' > "var/$naam"
done
umask 022
export LEKSTROOM_RASA_TOKEN="${LEKSTROOM_RASA_TOKEN:-$(cat var/rasa-token)}"
export LEKSTROOM_ACTIONS_TOKEN="${LEKSTROOM_ACTIONS_TOKEN:-$(cat var/actions-token)}"

.venv/bin/lekstroom model ensure
.venv/bin/lekstroom db upgrade

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# Everything listens on 127.0.0.1 only; the action server takes calls from Rasa alone (shared secret).
# LEKSTROOM_RASA_SERVERS=n (n > 1) starts n Rasa servers and n action servers behind nginx on the
# same ports 5005/5055; they share the database (use PostgreSQL) and the lock store in Redis.
n="${LEKSTROOM_RASA_SERVERS:-1}"
rasa_args=(--model models/lekstroom.tar.gz --endpoints bot/endpoints.yml --credentials bot/credentials.yml
  --enable-api --cors "http://localhost:8000")
if [ "$n" -le 1 ]; then
  .venv/bin/python -m actions.actieserver --port 5055 &
  pids+=($!)
  .venv/bin/python -m actions.rasaserver run "${rasa_args[@]}" --port 5005 &
  pids+=($!)
else
  export LEKSTROOM_REDIS_URL="${LEKSTROOM_REDIS_URL:-redis://127.0.0.1:6379/0}"
  case "$LEKSTROOM_DATABASE_URL" in sqlite*) echo "Let op: met meerdere Rasa-servers hoort PostgreSQL (LEKSTROOM_DATABASE_URL)." >&2 ;; esac
  rasa_ports=(); actie_ports=()
  for i in $(seq 1 "$n"); do
    rasa_ports+=($((5100 + i))); actie_ports+=($((5150 + i)))
    .venv/bin/python -m actions.actieserver --port $((5150 + i)) &
    pids+=($!)
    .venv/bin/python -m actions.rasaserver run "${rasa_args[@]}" --port $((5100 + i)) &
    pids+=($!)
  done
  mkdir -p var/nginx
  .venv/bin/python -m actions.loadbalancer --dir var/nginx --rasa "${rasa_ports[@]}" --acties "${actie_ports[@]}" \
    --listen 5005 --acties-listen 5055 > var/nginx/nginx.conf
  "$(command -v nginx || echo /usr/sbin/nginx)" -c "$PWD/var/nginx/nginx.conf" -p "$PWD/var/nginx" &
  pids+=($!)
  echo "Load balancer (nginx): Rasa ${rasa_ports[*]} en actieservers ${actie_ports[*]} achter 5005 en 5055"
fi
LEKSTROOM_SECURE_COOKIES="${LEKSTROOM_SECURE_COOKIES:-1}" .venv/bin/python -m actions.web &
pids+=($!)

echo
echo "Assistent start op:  REST  http://localhost:5005/webhooks/rest/webhook"
echo "                     socket.io  http://localhost:5005/socket.io"
echo "Beoordelen (consulenten):  http://localhost:8000/review   API: http://localhost:8000/api/drafts"
echo "Eerste account:  .venv/bin/lekstroom gebruiker maken NAAM --rol admin"
echo "HTTP-API-token staat in var/rasa-token. Concepten: ${LEKSTROOM_DATABASE_URL}"
wait -n "${pids[@]}"
