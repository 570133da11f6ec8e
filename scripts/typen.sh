#!/usr/bin/env bash
# Strict type check of the classification core and the pure intake/nlp modules.
# Which files and which settings: [tool.mypy] in pyproject.toml. Fails on any finding.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec .venv/bin/mypy "$@"
