"""Every bench test pins its servers and load generator to the same two cores (bench.servers):
two of them at once would measure each other. They share one xdist group, so ``--dist
loadgroup`` (the Makefile's default) runs them one after another on a single worker."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "bench/tests/" in item.nodeid:
            item.add_marker(pytest.mark.xdist_group("pinned-cores"))
