"""The easiest JAIR 2022 instances reach the paper's proven optimum."""

import pytest

from benchkit.data import b2b_instances_dir
from benchkit.meetings.bench import reference_optima
from scheduler.meetings import SolveOptions, Status, read_dzn, solve, validate

BENCH = b2b_instances_dir()


@pytest.mark.skipif(not BENCH.exists(), reason="benchmark instances not available")
@pytest.mark.parametrize("name", ["tic-12", "tic-12crafc", "forumt-14crafd", "tic-13crafc"])
def test_reaches_reference_optimum(name: str) -> None:
    instance = read_dzn(BENCH / f"{name}.original.dzn")
    result = solve(instance, SolveOptions(time_limit_s=60, allow_unscheduled=False))
    assert result.status is Status.OPTIMAL
    assert result.objective == reference_optima(BENCH)[name]
    assert validate(instance, result, require_all=True) == []
