import pytest


@pytest.fixture
def delivered(django_capture_on_commit_callbacks):
    """``with delivered(): ...`` runs what the block scheduled after commit (notifications) at its end."""

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block
