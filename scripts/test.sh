#!/usr/bin/env bash
# Run every test: unit and property tests, store tests on SQLite and PostgreSQL, the end-to-end
# conversations and acceptance cases against real servers, and the NLU held-out evaluation with
# its regression gate. Trains the model first when needed (about a minute).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/services.sh
export TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1 RASA_TELEMETRY_ENABLED=false
echo "==> ruff (opmaak en lint)"
.venv/bin/ruff format --check .
.venv/bin/ruff check .
echo "==> mypy (strikt op de kern en de pure intakemodules)"
scripts/typen.sh
.venv/bin/lekstroom model ensure
.venv/bin/python -m pytest "$@"
