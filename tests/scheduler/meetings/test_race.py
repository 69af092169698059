"""Two CP-SAT searches racing: the first proof wins and stops the other."""

from __future__ import annotations

import threading
import time

import pytest
from ortools.sat.python import cp_model

from benchkit.data import b2b_instances_dir
from benchkit.meetings.crafted import Variant, craft
from scheduler.meetings import Progress, SolveOptions, Status, read_dzn, solve, validate
from scheduler.meetings.model import BuildStopped, MeetingModel, capacity_counter_size
from scheduler.meetings.race import (
    AT_BOUND_PORTFOLIO,
    COUNTER_PORTFOLIO,
    LIGHT_PORTFOLIO,
    AtBound,
    Contender,
    KeptSolution,
    Reader,
    race,
)
from scheduler.meetings.result import ProgressFn

from .brute_force import brute_force_optimum
from .conftest import MakeInstance

HARD = b2b_instances_dir() / "forum-13crafb.original.dzn"
needs_hard = pytest.mark.skipif(not HARD.exists(), reason="benchmark instances not available")


def _easy(optimum: int) -> cp_model.CpModel:
    model = cp_model.CpModel()
    x = model.new_int_var(optimum, 10, "x")
    model.minimize(x)
    return model


def _infeasible() -> cp_model.CpModel:
    model = cp_model.CpModel()
    x = model.new_int_var(0, 10, "x")
    model.add(x >= 5)
    model.add(x <= 3)
    model.minimize(x)
    return model


def _hard() -> cp_model.CpModel:
    return MeetingModel(read_dzn(HARD)).model


@needs_hard
def test_first_proof_wins_and_stops_the_other() -> None:
    started = time.perf_counter()
    winner, bound = race(
        [
            Contender("slow", _hard(), LIGHT_PORTFOLIO),
            Contender("easy", _easy(3), COUNTER_PORTFOLIO),
        ],
        time_limit=600,
    )
    # Far below the limit: the slow search was stopped, not waited for.
    assert time.perf_counter() - started < 300
    assert winner.name == "easy"
    assert winner.code == cp_model.OPTIMAL
    assert winner.solver.objective_value == 3
    assert bound is not None and bound <= 3


@needs_hard
def test_infeasibility_is_a_proof_too() -> None:
    started = time.perf_counter()
    winner, bound = race(
        [
            Contender("slow", _hard(), COUNTER_PORTFOLIO),
            Contender("impossible", _infeasible(), LIGHT_PORTFOLIO),
        ],
        time_limit=600,
    )
    assert time.perf_counter() - started < 300
    assert (winner.name, winner.code) == ("impossible", cp_model.INFEASIBLE)
    assert bound is not None  # from the stopped search, which proves nothing infeasible


@needs_hard
def test_without_a_proof_the_better_schedule_and_bound_are_kept() -> None:
    winner, bound = race(
        [
            Contender("light", _hard(), LIGHT_PORTFOLIO),
            Contender("again", _hard(), COUNTER_PORTFOLIO),
        ],
        time_limit=1,
    )
    assert winner.code in (cp_model.FEASIBLE, cp_model.UNKNOWN)
    if winner.has_solution:
        assert bound is not None and bound <= winner.solver.objective_value


@needs_hard
def test_cancel_stops_both() -> None:
    cancel = threading.Event()
    threading.Timer(1.0, cancel.set).start()
    winner, _bound = race(
        [Contender("a", _hard(), LIGHT_PORTFOLIO), Contender("b", _hard(), COUNTER_PORTFOLIO)],
        time_limit=600,
        cancel=cancel,
    )
    # No proof within a ten-minute limit: the cancel stopped both.
    assert winner.code in (cp_model.FEASIBLE, cp_model.UNKNOWN)


def test_capacity_counter_size_counts_only_slots_that_can_overflow(
    make_instance: MakeInstance,
) -> None:
    # Slot 0 can hold all three shared-table meetings for one table; slot 1 is blocked for
    # "a", leaving one candidate there, which cannot overflow. The online meeting needs none.
    inst = make_instance(
        [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d")],
        n_slots=2,
        tables=1,
        forbidden={"a": {1}},
        online=[4],
    )
    assert capacity_counter_size(inst) == 3 * 1


@pytest.mark.parametrize("max_counter_booleans", [0, 150_000])
def test_same_optimum_with_or_without_the_counter_model(
    make_instance: MakeInstance, max_counter_booleans: int
) -> None:
    inst = make_instance([("a", "b"), ("a", "c"), ("b", "c"), ("c", "d")], n_slots=4, tables=1)
    result = solve(
        inst,
        SolveOptions(
            time_limit_s=5, allow_unscheduled=False, max_counter_booleans=max_counter_booleans
        ),
    )
    assert validate(inst, result, require_all=True) == []
    assert result.status is Status.OPTIMAL
    assert result.objective == brute_force_optimum(inst)


class _CrashingSolver(cp_model.CpSolver):
    def solve(self, *_args: object, **_kwargs: object) -> cp_model.CpSolverStatus:
        raise IndexError("btree_map::at")


def test_a_crashing_contender_leaves_the_other_s_answer() -> None:
    crashing = Contender("crash", _easy(3), LIGHT_PORTFOLIO, solver=_CrashingSolver())
    winner, bound = race([crashing, Contender("easy", _easy(3), COUNTER_PORTFOLIO)], time_limit=60)
    assert crashing.crashed.startswith("IndexError")
    assert (winner.name, winner.code) == ("easy", cp_model.OPTIMAL)
    assert bound == 3


def test_a_contender_that_crashes_on_its_hint_searches_again_without_it() -> None:
    model = cp_model.CpModel()
    x = model.new_int_var(3, 10, "x")
    model.minimize(x)
    model.add_hint(x, 7)
    crashing = Contender("hinted", model, LIGHT_PORTFOLIO, solver=_CrashingSolver())
    winner, bound = race([crashing], time_limit=60)
    assert winner is crashing
    assert (crashing.code, crashing.crashed) == (cp_model.OPTIMAL, "")
    assert not model.proto.solution_hint.vars
    assert bound == 3


def test_a_contender_without_a_hint_is_not_searched_again() -> None:
    crashing = Contender("plain", _easy(3), LIGHT_PORTFOLIO, solver=_CrashingSolver())
    race([crashing], time_limit=60)
    assert crashing.crashed.startswith("IndexError")
    assert crashing.code == cp_model.UNKNOWN


def test_the_crafted_variant_whose_hint_crashed_cp_sat_is_solved_to_its_optimum() -> None:
    # tic-14crafc with 40% of the meetings fixed (benchkit/meetings/crafted.py, seed 0): both
    # CP-SAT contenders failed inside OR-Tools on the greedy hint, and the solve returned a
    # partial schedule with status unknown; without the hint CP-SAT proves 15 breaks
    # (so does the MaxSAT engine, docs/benchmarks/meetings.md).
    original = read_dzn(b2b_instances_dir() / "tic-14crafc.original.dzn")
    instance = craft(original, Variant("fixed", 0.4), seed=0)
    result = solve(instance, SolveOptions(time_limit_s=60, workers=2, allow_unscheduled=False))
    assert validate(instance, result, require_all=True) == []
    assert (result.status, result.objective) == (Status.OPTIMAL, 15)


def _reader(solver: cp_model.CpSolver) -> dict[int, int]:
    return {0: int(solver.objective_value)}


def _at_most(optimum: int, bound: int) -> cp_model.CpModel:
    """``_easy(optimum)`` held at ``bound`` at most, as the solve's search at a bound."""
    model = _easy(optimum)
    model.add(model.get_int_var_from_proto_index(0) <= bound)
    return model


def test_a_schedule_at_the_bound_is_optimal() -> None:
    at_bound = AtBound("at-bound", _at_most(3, 3), AT_BOUND_PORTFOLIO, reader=_reader, lower=3)
    winner, bound = race([at_bound], time_limit=60)
    assert winner is at_bound and at_bound.proven
    assert (at_bound.objective, at_bound.plan(), bound) == (3, {0: 3}, 3)


def test_a_refutation_at_the_bound_proves_one_more_not_infeasibility() -> None:
    at_bound = AtBound("at-bound", _at_most(4, 2), AT_BOUND_PORTFOLIO, lower=2)
    winner, bound = race([at_bound], time_limit=60)
    assert at_bound.code == cp_model.INFEASIBLE
    assert not at_bound.proven and not at_bound.has_solution
    assert (at_bound.bound, bound) == (3, 3)
    # Beside a search of the whole model, that search's optimum wins.
    at_bound = AtBound("at-bound", _at_most(4, 2), AT_BOUND_PORTFOLIO, lower=2)
    winner, bound = race([Contender("full", _easy(4), LIGHT_PORTFOLIO), at_bound], 60)
    assert (winner.name, winner.code, winner.objective, bound) == ("full", cp_model.OPTIMAL, 4, 4)


def test_a_kept_search_s_incumbent_is_its_latest_schedule(make_instance: MakeInstance) -> None:
    """Read while it searches (the stand-in's walk starts from it); once the search is over
    the latest schedule is the best, the one it returns."""
    instance = make_instance(
        [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("a", "d")], n_slots=4, tables=2
    )
    model = MeetingModel(instance, allow_unscheduled=False)
    kept = Contender("light", model.model, LIGHT_PORTFOLIO, reader=model.chosen_slots, keep=True)
    assert kept.incumbent() is None  # nothing found yet
    race([kept], time_limit=60)
    assert kept.proven and kept.incumbent() == kept.plan()
    assert len(kept.plan()) == 5
    # Without ``keep`` nothing is kept.
    model = MeetingModel(instance, allow_unscheduled=False)
    plain = Contender("light", model.model, LIGHT_PORTFOLIO, reader=model.chosen_slots)
    race([plain], time_limit=60)
    assert plain.proven and plain.incumbent() is None


def test_a_kept_solution_reads_negated_booleans_too() -> None:
    model = cp_model.CpModel()
    x, y = model.new_bool_var("x"), model.new_bool_var("y")
    kept = KeptSolution([1, 0])
    assert (kept.boolean_value(x), kept.boolean_value(y)) == (True, False)
    assert (kept.boolean_value(~x), kept.boolean_value(~y)) == (False, True)


@needs_hard
def test_a_contender_s_budget_ends_its_search_before_the_race_s_limit() -> None:
    started = time.perf_counter()
    short = Contender("short", _hard(), LIGHT_PORTFOLIO, budget=0.5)
    winner, _bound = race([short], time_limit=600)
    assert winner is short and not short.proven  # forum-13crafb is not proven so soon
    assert time.perf_counter() - started < 300


@needs_hard
def test_halt_stops_a_search_whose_stop_event_is_never_set() -> None:
    searching = Contender("searching", _hard(), LIGHT_PORTFOLIO)
    never = threading.Event()
    thread = threading.Thread(
        target=searching.run,
        args=(600, never),
        kwargs={"seed": 0, "log": False, "progress": None, "interval_s": 1.0},
    )
    thread.start()
    deadline = time.monotonic() + 120
    # A halt before the search has begun does nothing, so halt until it ends.
    while thread.is_alive() and time.monotonic() < deadline:
        searching.halt()
        thread.join(0.05)
    assert not thread.is_alive() and not never.is_set()
    assert searching.searched and not searching.proven


def test_a_contender_builds_its_model_in_its_own_thread_and_searches_it() -> None:
    built_in: list[str] = []

    def build(stop: threading.Event) -> tuple[cp_model.CpModel, Reader]:
        assert not stop.is_set()
        built_in.append(threading.current_thread().name)
        return _easy(4), _reader

    late = Contender("late", cp_model.CpModel(), COUNTER_PORTFOLIO, build=build)
    assert late.building and late.bound is None
    winner, bound = race([late], time_limit=60)
    assert built_in == ["race-late"]
    assert winner is late and not late.building
    assert (late.code, late.plan(), bound) == (cp_model.OPTIMAL, {0: 4}, 4)


def test_a_contender_still_building_when_another_proves_never_searches() -> None:
    release = threading.Event()

    def build(stop: threading.Event) -> tuple[cp_model.CpModel, Reader]:
        release.wait(60)  # held until the race is over
        assert stop.is_set()
        return _easy(1), _reader

    late = Contender("late", cp_model.CpModel(), COUNTER_PORTFOLIO, build=build)
    winner, bound = race([Contender("quick", _easy(3), LIGHT_PORTFOLIO), late], time_limit=60)
    # The race did not wait for the build, and the unsearched contender has no bound.
    assert late.building
    assert (winner.name, winner.code, bound) == ("quick", cp_model.OPTIMAL, 3)
    release.set()
    deadline = time.monotonic() + 60
    while late.building and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not late.building
    assert not late.searched and late.code == cp_model.UNKNOWN and late.bound is None


def test_a_delayed_contender_builds_nothing_when_the_race_ends_within_its_delay() -> None:
    built: list[str] = []

    def build(stop: threading.Event) -> tuple[cp_model.CpModel, Reader]:
        built.append("built")
        return _easy(1), _reader

    late = Contender("late", cp_model.CpModel(), COUNTER_PORTFOLIO, build=build, delay=600)
    winner, bound = race([Contender("quick", _easy(3), LIGHT_PORTFOLIO), late], time_limit=900)
    assert (winner.name, winner.code, bound) == ("quick", cp_model.OPTIMAL, 3)
    # Its thread ends at the race's stop, long before the delay, without building.
    for thread in [t for t in threading.enumerate() if t.name == "race-late"]:
        thread.join(60)
        assert not thread.is_alive()
    assert built == [] and late.building and not late.searched and late.bound is None


def test_a_delayed_contender_builds_and_searches_once_its_delay_is_over() -> None:
    def build(stop: threading.Event) -> tuple[cp_model.CpModel, Reader]:
        return _easy(4), _reader

    late = Contender("late", cp_model.CpModel(), COUNTER_PORTFOLIO, build=build, delay=0.05)
    winner, bound = race([late], time_limit=60)
    assert winner is late and not late.building
    assert (late.code, late.plan(), bound) == (cp_model.OPTIMAL, {0: 4}, 4)


@needs_hard
def test_a_model_build_left_behind_gives_up() -> None:
    """The build sees the race's stop: a model still being built once another contender has
    proved its answer is abandoned (``BuildStopped``), not built to its end for nobody."""
    release = threading.Event()
    ended = threading.Event()
    outcome: list[str] = []

    def build(stop: threading.Event) -> tuple[cp_model.CpModel, Reader]:
        release.wait(60)  # held until the race is over
        try:
            counters = MeetingModel(read_dzn(HARD), capacity_counters=True, stop=stop)
        except BuildStopped:
            outcome.append("stopped")
            raise
        else:
            outcome.append("built")
            return counters.model, counters.chosen_slots
        finally:
            ended.set()

    late = Contender("late", cp_model.CpModel(), COUNTER_PORTFOLIO, build=build)
    winner, _bound = race([Contender("quick", _easy(3), LIGHT_PORTFOLIO), late], time_limit=60)
    assert winner.name == "quick"
    release.set()
    assert ended.wait(60)
    assert outcome == ["stopped"]
    assert late.building and not late.searched and late.bound is None


@needs_hard
def test_a_model_builds_to_its_end_while_its_stop_is_clear() -> None:
    stop = threading.Event()
    built = MeetingModel(read_dzn(HARD), capacity_counters=True, stop=stop)
    assert built.x and built.breaks
    stop.set()
    with pytest.raises(BuildStopped):
        MeetingModel(read_dzn(HARD), capacity_counters=True, stop=stop)


class _Reporter:
    """An engine that reports one schedule or one bound, then searches until stopped."""

    def __init__(self, name: str, objective: float | None, bound: float | None) -> None:
        self.name = name
        self._objective = objective
        self._bound = bound
        self.stopped = False

    def run(
        self,
        time_limit: float,
        stop: threading.Event,
        *,
        seed: int,
        log: bool,
        progress: ProgressFn | None,
        interval_s: float,
    ) -> None:
        assert progress is not None  # the race always listens
        progress(Progress(self._objective, self._bound, 0.0))
        self.stopped = stop.wait(time_limit)

    proven = False

    @property
    def has_solution(self) -> bool:
        return self._objective is not None

    @property
    def objective(self) -> float | None:
        return self._objective

    @property
    def bound(self) -> float | None:
        return self._bound

    def plan(self) -> dict[int, int]:
        return {0: 0} if self.has_solution else {}

    def halt(self) -> None:
        """Nothing to halt: the stop event ends its wait."""


def test_a_schedule_meeting_another_contenders_bound_ends_the_race() -> None:
    schedule, proof = _Reporter("schedule", 5.0, None), _Reporter("proof", None, 5.0)
    winner, bound = race([schedule, proof], time_limit=120)
    assert schedule.stopped and proof.stopped  # by the race, not by the time limit
    assert (winner.name, winner.objective, bound) == ("schedule", 5.0, 5.0)


@needs_hard
def test_a_kept_cp_sat_schedule_reaches_the_progress_and_meets_another_bound() -> None:
    """CP-SAT's schedules reach the race's progress through the kept solution (read at
    each heartbeat), so one meeting another contender's bound ends the race. forum-13crafb
    takes tens of seconds to prove and the limit is ten minutes: the race ending early
    with CP-SAT unproven can only come from its schedule meeting the other's bound (here
    a made-up 1,000, which any schedule meets)."""
    kept = Contender("cp-sat", _hard(), AT_BOUND_PORTFOLIO, workers=1, keep=True)  # no core
    bound_only = _Reporter("bound", None, 1000.0)
    reports: list[Progress] = []
    started = time.perf_counter()
    winner, bound = race(
        [kept, bound_only], time_limit=600, progress=reports.append, interval_s=0.1
    )
    assert time.perf_counter() - started < 300
    assert bound_only.stopped and not kept.proven
    assert winner is kept and bound == 1000.0
    seen = [r.objective for r in reports if r.objective is not None]
    assert seen and kept.objective is not None and kept.objective <= min(seen)


def test_a_schedule_above_the_other_bound_leaves_the_race_running() -> None:
    schedule, proof = _Reporter("schedule", 6.0, None), _Reporter("proof", None, 5.0)
    winner, bound = race([schedule, proof], time_limit=0.5)
    assert not schedule.stopped and not proof.stopped  # both ran to the time limit
    assert (winner.name, bound) == ("schedule", 5.0)


def test_a_failing_solve_leaves_no_stand_in_building(
    make_instance: MakeInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CP-SAT rejecting the model ends the solve with ModelInvalidError; the heuristic
    stand-in, which waits a second before it starts, is told not to start at all."""
    import scheduler.meetings.solving as solving
    from scheduler.meetings import ModelInvalidError

    built: list[int] = []
    monkeypatch.setattr(solving, "heuristic_schedule", lambda *a, **k: built.append(1) or {})
    monkeypatch.setattr(solving, "_probe_lower_bound", lambda *args, **kwargs: (args[-1], None))

    class Rejected:  # what race() returns when CP-SAT found the model invalid
        code = cp_model.MODEL_INVALID
        model = cp_model.CpModel()

    monkeypatch.setattr(solving, "race", lambda *args, **kwargs: (Rejected(), None))
    # Three people meeting pairwise in three slots: someone has a break, so the solve gets
    # past the search for a schedule without breaks to the race.
    inst = make_instance([("a", "b"), ("b", "c"), ("a", "c")], n_slots=3, tables=3)
    with pytest.raises(ModelInvalidError):
        solve(inst, SolveOptions(time_limit_s=30, workers=2, allow_unscheduled=False))
    for thread in threading.enumerate():
        if thread.name == "stand-by":
            thread.join()
    assert built == []
