"""The parallel run (`pytest -n 2 --dist loadgroup`, .ci/run): which tests share a worker, and why.

Browser tests (the journeys and every page test in Chromium) form one group, so two Chromiums and their live
servers never compete for the two cores; the modules that read the demo department form another, so the
department is built once (tests/conftest.py, SharedDemo) rather than once a module. Everything else is spread."""
from pathlib import Path

import pytest

from .conftest import _xdist_group

HERE = Path(__file__).parent


class FakeItem:
    def __init__(self, path, keywords=(), fixturenames=()):
        self.fspath = HERE / path
        self.keywords = set(keywords)
        self.fixturenames = list(fixturenames)


@pytest.mark.parametrize(("item", "group"), [
    (FakeItem("journeys/test_coordinator.py"), "browser"),  # the journeys folder, before its conftest marks them
    (FakeItem("dispatch/test_browser.py", keywords={"browser"}), "browser"),
    (FakeItem("test_english_pages.py", fixturenames={"english_demo", "demo_department", "db"}), "demo"),
    (FakeItem("test_params.py", fixturenames={"db"}), None),
    (FakeItem("journeys_like/test_x.py"), None),
])
def test_each_test_gets_the_worker_group_it_needs(item, group):
    assert _xdist_group(item) == group


def test_this_runs_browser_tests_and_demo_readers_in_their_groups(request):
    """In the running session itself: every collected test in the journeys folder or marked `browser` carries the
    group mark, and on a parallel worker its node id carries the group the scheduler reads."""
    loadgroup = getattr(request.config.option, "loadgroup", False)
    for item in request.session.items:
        group = _xdist_group(item)
        marks = [mark.args[0] for mark in item.iter_markers("xdist_group")]
        if group:
            assert marks == [group], item.nodeid
            if loadgroup:
                assert item.nodeid.endswith(f"@{group}"), item.nodeid
        else:
            assert not marks, item.nodeid
