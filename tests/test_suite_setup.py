"""How the suite runs: what the speed of ``make test`` relies on."""

from __future__ import annotations

import pytest


@pytest.mark.xdist_group("suite-setup")
def test_xdist_groups_stay_on_one_worker(request: pytest.FixtureRequest) -> None:
    """Integration tests, browser pages and the like share servers inside an
    ``xdist_group``; pytest-xdist keeps a group on one worker by appending ``@group`` to
    its tests' ids. pytest 9.2 renamed what xdist 3.8 sets there, and the groups were
    silently split: servers started twice, groups racing each other."""
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not run by pytest-xdist with --dist loadgroup")
    assert request.node.nodeid.endswith("@suite-setup"), (
        "pytest-xdist no longer groups tests: check the pytest version pinned in pyproject.toml"
    )
