import pytest

from tests.helpers.servers import running_assistant


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    with running_assistant(tmp_path_factory.mktemp("assistant")) as a:
        yield a


@pytest.fixture(scope="session")
def store(assistant):
    from actions.store import DraftStore

    return DraftStore.from_url(assistant.database_url)
