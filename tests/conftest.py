"""Shared fixtures: database URLs for SQLite (embedded) and PostgreSQL (server path).

PostgreSQL is the one the machine runs (scripts/services.sh starts or installs it); each test run
gets its own fresh database, dropped afterwards. A missing server fails the tests, it never skips them.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

PG_ADMIN_URL = os.environ.get("LEKSTROOM_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(scope="session")
def pg_server_url():
    name = f"lekstroom_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # pragma: no cover - environment problem, reported loudly
        pytest.fail(f"PostgreSQL niet bereikbaar op {PG_ADMIN_URL}: {exc}. Start het met scripts/services.sh.")
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with admin.connect() as conn:
        conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture
def pg_url(pg_server_url):
    """A clean schema for each test on the session's PostgreSQL database."""
    engine = create_engine(pg_server_url, future=True)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return pg_server_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request):
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


def pytest_terminal_summary(terminalreporter, config):
    scores = getattr(config, "_lekstroom_nlu_scores", None)
    if scores:
        terminalreporter.section("NLU op de held-out set")
        terminalreporter.write_line(f"intent macro-F1: {scores['intent_macro_f1']:.3f}")
        terminalreporter.write_line(f"entity F1:       {scores.get('entity_f1', float('nan')):.3f}")
    lezers = getattr(config, "_lekstroom_lezer_scores", None)
    if lezers:
        terminalreporter.section("Vraaglezers op de held-out set (tests/nlu/heldout/)")
        for vraag, maten in lezers.items():
            waarden = ", ".join(f"{k} {v}" for k, v in maten.items())
            terminalreporter.write_line(f"{vraag:28} {waarden}")


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    """The real action server and Rasa server (REST, socket.io, HTTP API) with a temporary database."""
    from tests.helpers.servers import running_assistant

    with running_assistant(tmp_path_factory.mktemp("assistant")) as a:
        yield a


@pytest.fixture(scope="session")
def store(assistant):
    from actions.store import DraftStore

    return DraftStore.from_url(assistant.database_url)
