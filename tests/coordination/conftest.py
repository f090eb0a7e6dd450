"""Fixtures shared by the coordination tests."""

import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs a service as a request would: its on-commit callbacks (fragment stamps, e-mail) run
    at the end."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run
