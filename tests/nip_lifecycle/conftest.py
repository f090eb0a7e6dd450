import pytest

from tests.nip_lifecycle.factories import Mechanism


@pytest.fixture
def mechanism(secretariat):
    return Mechanism(secretariat)


@pytest.fixture
def cycle(mechanism):
    return mechanism.cycle()
