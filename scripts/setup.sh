#!/usr/bin/env bash
# Set-up shared by run.sh and test.sh: a Python 3.10 virtualenv with the pinned packages and the
# project installed in it. Safe to run again; it only installs what is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  for candidate in "${PYTHON:-}" python3.10 "$HOME/.pyenv/versions/3.10"*/bin/python3.10 /usr/bin/python3.10; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ]; then
  PY=$(find_python) || { echo "Python 3.10 is nodig (Rasa 3.6 ondersteunt 3.8 t/m 3.10). Installeer python3.10 en probeer opnieuw." >&2; exit 1; }
  echo "==> virtualenv maken met $PY"
  "$PY" -m venv .venv
  .venv/bin/pip install --quiet --upgrade "pip<24.1" "setuptools<71" wheel
fi

stamp=.venv/.lekstroom-installed
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> pakketten installeren (eenmalig enkele minuten)"
  .venv/bin/pip install --quiet -r requirements.lock
  .venv/bin/pip install --quiet --no-deps -e .
  echo "$want" > "$stamp"
fi

# Front-end assets (NL Design System CSS, axe-core for the accessibility tests) from the npm registry.
if [ ! -d bot/web/node_modules/@utrecht ] || [ bot/web/package-lock.json -nt bot/web/node_modules ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "==> front-end pakketten installeren (npm ci)"
    (cd bot/web && npm ci --no-audit --no-fund --silent) && touch bot/web/node_modules
  else
    echo "Let op: npm ontbreekt; de webpagina's werken, maar zonder NL Design System-opmaak." >&2
  fi
fi
