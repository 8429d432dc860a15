import pytest

from newsroom.loading import fixtures_load


@pytest.fixture
def seed(db):
    """The demo newsroom: the seed article with its entities, quotes and statistics."""
    return fixtures_load()
