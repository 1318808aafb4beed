import pytest

from .fakes import FakeProvider


@pytest.fixture
def provider(settings):
    fake = FakeProvider().start()
    fake.settings(settings)
    yield fake
    fake.stop()
