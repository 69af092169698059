"""The meeting scheduler's entry point: checks, warm start, search, result.

Strategy (``pairs`` = (meeting, slot) pairs an instance allows; measurements behind every
threshold in docs/meetings.md and docs/benchmarks/meetings.md):

======================================  ========================================================
situation                               path
======================================  ========================================================
pairs > 20,000                          greedy and time-sweep starts, local search restarts to
(``large_event_threshold``)             25% of the budget, Kempe-chain annealing to 85%
                                        (``local_search.py``), then CP-SAT neighbourhoods
                                        (``large_event.py``, ``sweep.py``); when meetings may
                                        be left out and the placement relaxation leaves some
                                        out, its guided schedule replaces restarts + annealing
pairs > 4,000 (``exact_event_pairs``),  the same: the exact model placed fewer meetings there
meetings may be left out, not a re-
solve
pairs > 8,000 (``strict_exact_pairs``), the same (restarts, annealing, neighbourhoods); status
strict, not a re-solve                  unknown with the best partial schedule if no full one
                                        is found. Meetings still unplaced after the annealing
                                        come first: CP-SAT neighbourhoods around each (its
                                        participants, their partners, ... breadth first, 150
                                        to 1,200 meetings), placement before fairness
the same, ``span_walk=True`` (off by    annealing to 45%, the span model's walk to fewer idle
default: no gain measured)              slots (``span.py``) to 70%, annealing again to 85%,
                                        then neighbourhoods
re-solve, pairs > 4,000, at most 10     repair: the published schedule stays, CP-SAT
meetings without a published slot,      neighbourhoods around each such meeting place it
meetings may be left out                (``large_event.repair``)
``allow_unscheduled`` None (real        exact model with every meeting required for half the
events)                                 budget, then meetings may be left out
``allow_unscheduled`` False (strict,    exact model, every meeting required
benchmark)
``allow_unscheduled`` True              exact model, unscheduled priority weighed first
large path, every meeting to place      beside the annealing, a SAT search for a schedule
(strict or relaxation keeps all),       without breaks in a child process (``zero_break.py``);
pairs <= 110,000 (``MAX_PAIRS``)        the solve stops at it (optimal); up to 50,000
                                        pairs a second one follows the annealing's
                                        schedule from 40% of the limit
pure breaks (strict, not a re-solve)    first the SAT search for a schedule without breaks, in
                                        this thread (<= 2.5 s, 5% of the budget): its schedule
                                        is optimal, its refutation proves 1 break; then
                                        probes refute "at most k breaks", k up to 2 (<= 6 s,
                                        5% of the budget; none if the SAT search ran out of
                                        time); a probe's schedule is optimal
pure breaks, no probe schedule, >= 2    race (``race.py``): light and capacity-counter models,
workers, counter Booleans <= 150,000    half the workers each; the first proof wins. The
(``max_counter_booleans``)              counter model is built in its own thread while the
                                        light model already searches (after the race's
                                        first 0.5 s unless meetings are fixed or ordered);
                                        both have one presolve pass unless meetings are
                                        fixed or ordered (precedences)
the same race, a bound proven before    in the counter model's core while it waits, for
it, nothing fixed or ordered            those 0.5 s: a search for a schedule at that bound
                                        (``race.AtBound``: no LP, no core-guided bounding)
the same, with >= 3 workers, fixed      the MaxSAT engine (``maxsat.py``, RC2, in a child
meetings and no precedences, or         process) joins the race as one more contender; on
``maxsat=True``; encodable, pairs       fewer than 3 workers, with fixed meetings and no
<= 8,000 (``maxsat_max_pairs``)         precedences, in place of the counter model
the same race, >= 2 breaks proven, no   the few-breaks search (``few_breaks.py``: CaDiCaL over
MaxSAT child, encodable exactly,        runs, "at most k breaks" up from the proven bound,
pairs <= 8,000 (the same option)        in a child process) joins after the race's first 2 s
pure breaks, 2 workers, nothing fixed,  UWrMaxSat (``maxsat.py``, hermax) in a child started
RC2 not racing, encodable,              after 0.05 s of the SAT search for 0 breaks; its
pairs <= 8,000 (``uwrmaxsat``)          proof ends that search and the solve; it races
                                        unless that search found a schedule or refuted 0
                                        before it started (then no probes either)
the same, the SAT search ran out and    the same question with CaDiCaL in a child
UWrMaxSat has not proven the optimum    (``zero_break.ZeroBreakProbe``), at most 15 s, before
                                        the probes and the race; UWrMaxSat's proof ends it
otherwise                               the light model alone, greedy hint
======================================  ========================================================

Every engine optimises the one objective of ``objective.py``. The large-event path stops
early, status optimal, at the ideal score (``objective.ideal_score``) or when a neighbourhood
holding every movable meeting is proven optimal; events with at most 240 movable meetings
are tried as one such neighbourhood first (docs/meetings.md, "Stopping at a proven
optimum").
"""

from __future__ import annotations

import importlib.util
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler.meetings.bounds import placement_upper_bound
from scheduler.meetings.errors import ModelInvalidError
from scheduler.meetings.few_breaks import few_breaks_problem
from scheduler.meetings.greedy import greedy_schedule
from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.large_event import heuristic_schedule, polish, repair, solve_large
from scheduler.meetings.load_bound import load_lower_bound
from scheduler.meetings.maxsat import MaxSatContender
from scheduler.meetings.maxsat_encoding import maxsat_unsupported
from scheduler.meetings.model import MeetingModel, capacity_counter_size
from scheduler.meetings.objective import evaluate
from scheduler.meetings.options import SolveOptions
from scheduler.meetings.precheck import (
    infeasibility_reason,
    required_meeting_conflict,
    unplaceable_meetings,
)
from scheduler.meetings.race import (
    AT_BOUND_PORTFOLIO,
    COUNTER_PORTFOLIO,
    LIGHT_PORTFOLIO,
    AtBound,
    Contender,
    Reader,
    meets,
    race,
)
from scheduler.meetings.result import MeetingResult, Progress, ProgressFn, Status
from scheduler.meetings.schedule_result import build_result
from scheduler.meetings.search_control import SearchControl
from scheduler.meetings.validator import validate
from scheduler.meetings.zero_break import Answer, ZeroBreakProbe, runs_problem, search_here

# Longest the exact path searches for a schedule without breaks before the CP-SAT probes
# (also at most 5% of the budget): the JAIR instances with optimum 0 need 0.03-2.2 s, while
# refuting 0 takes ticf-13crafc 15 s, more than CP-SAT takes for its whole solve.
ZERO_BREAK_SECONDS = 2.5
# Where that search ran out and UWrMaxSat's child runs on the other core, the same question
# goes to CaDiCaL in a child (zero_break.ZeroBreakProbe, set for satisfiable formulas) for at
# most this long and this share of the budget before the race: it finds the schedules of
# ticf-14crafa's precedence variants in 2.6-9.8 s alone, where Glucose finds nothing in 60 s
# and CP-SAT took 26-52 s (docs/benchmarks/meetings.md). UWrMaxSat's proof ends it too.
ZERO_BREAK_CHILD_SECONDS = 15.0
ZERO_BREAK_CHILD_SHARE = 0.25
# The table-load relaxation's bound (load_bound.py): 0.01-0.11 s where it applies on JAIR.
LOAD_BOUND_SECONDS = 1.0
# The few-breaks search (few_breaks.py) races where at least FEW_BREAKS_FROM breaks are
# proven, after the race's first FEW_BREAKS_AFTER seconds: CP-SAT settles most instances
# that reach the race within them, and the child costs it a core (forumt-14 0.71 s against
# 0.48 with the child from the start; docs/benchmarks/meetings.md).
FEW_BREAKS_AFTER = 2.0
FEW_BREAKS_FROM = 2
# Its child then searches as long as the race: cut off after 12 s without raising its bound,
# it lost crafted variants whose next bound takes it 17-30 s and whose schedule comes some
# seconds later (forum-13crafb+forbidden-0.3 and ticf-13crafb+forbidden-0.7, seed 9: CP-SAT's
# 10 and 8 breaks after 60 s against optimal in 48.5 and 46.4 s), while where CP-SAT wins
# its core cost 0-9 s (docs/benchmarks/meetings.md).
# Where nothing is fixed or ordered, the capacity-counter model is built after the race's
# first COUNTERS_AFTER seconds: its 0.35-0.8 s of Python held the interpreter from the light
# search's thread, which settles the forumt instances within them (forumt-14crafd 0.38 s
# against 0.46, forumt-14crafe 0.95 against 1.10). Not where meetings are fixed or ordered:
# there RC2 proved ticf-13crafc+fixed-40 in 56.4 s (median of 5) with the delay, against
# 52.1 s without it (docs/benchmarks/meetings.md).
COUNTERS_AFTER = 0.5
# Where the SAT search for 0 breaks has not answered after UWRMAXSAT_AFTER seconds,
# UWrMaxSat starts in a child on the core that search leaves idle, and races unless the
# search found a schedule: on JAIR the searches that refute 0 do so within 0.03 s, those
# that find a schedule may take longer (ticf-13crafa 0.69 s, ticf-14crafa 2.6 s), and on
# forum-13crafc and ticf-13crafc, where it runs out (or refutes 0 just in time), the child
# proves the optimum in 1.2 and 2.4 s, where CP-SAT took 11 s after the race started. At
# 0.1 s the child missed ticf-13crafc+precedences-25 in one run of two (its refutation:
# 0.13 s), which it proves in 10.5 s against CP-SAT's 38 s (docs/benchmarks/meetings.md).
# Its proof ends the SAT search and the solve.
UWRMAXSAT_AFTER = 0.05
# The heuristic stand-in schedule waits this long for the search to prove its answer.
STAND_BY_DELAY_S = 1.0
# In the last POLISH_SHARE of the budget (at most POLISH_SECONDS), where the search has not
# proven its answer, the ejection walk (large_event.polish) improves the best schedule found
# so far beside it. Where the race ends unproven, its schedules can be far from the bound:
# 2 s of the walk took a crafted variant's 54 breaks to 15 (optimum 13), as 5 s did. The
# walk takes a core from the race meanwhile: with 5 s, an RC2 proof due at 56.7 s of 60 did
# not come (docs/benchmarks/meetings.md).
POLISH_SECONDS = 2.0
POLISH_SHARE = 0.05
# The result's ``solver`` for the stand-in's schedule, unless the walk improved it.
STAND_IN_SOLVER = "greedy+local-search"

_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.UNKNOWN: Status.UNKNOWN,
}


def _infeasible(reason: str, started: float) -> MeetingResult:
    return MeetingResult(
        status=Status.INFEASIBLE,
        objective=None,
        bound=None,
        seconds=time.perf_counter() - started,
        infeasible_reason=reason,
    )


def solve(
    instance: MeetingInstance,
    options: SolveOptions | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> MeetingResult:
    """Schedule the meetings of ``instance``.

    ``progress`` receives a :class:`Progress` on every improving solution and about every
    ``options.progress_interval_s`` seconds, from solver threads: it must be thread-safe and
    quick. Setting ``cancel`` stops the search within about a second; the best schedule found
    so far is returned (status ``feasible``), or status ``unknown`` if there is none.
    """
    options = options or SolveOptions()
    if options.allow_unscheduled is False or _takes_large_path(instance, options):
        # The large path computes the placement bound itself and uses its solution.
        return _solve_any(instance, options, progress, cancel)
    # Meetings may be left out: beside the search, one worker proves an upper bound on the
    # priority-weighted meetings any schedule can place (bounds.py).
    box: list[int | None] = []
    bound_thread = threading.Thread(
        target=lambda: box.append(
            placement_upper_bound(instance, min(30.0, 0.5 * options.time_limit_s), 1, cancel)
        ),
        name="placement-bound",
        daemon=True,
    )
    bound_thread.start()
    result = _solve_any(instance, options, progress, cancel)
    bound_thread.join(timeout=max(0.0, 0.5 * options.time_limit_s))
    weight_bound = box[0] if box else None
    if weight_bound is None:
        return result
    return replace(result, weight_bound=weight_bound)


def _takes_large_path(instance: MeetingInstance, options: SolveOptions) -> bool:
    """Greedy + local search + neighbourhoods for big problems, and for events past a few
    thousand pairs: the demo event (10,874 pairs, 30 s) got no schedule placing all 680
    placeable meetings from the exact model and 670 when it could leave some out, against
    all 680 from local search. Re-solves stay exact below the threshold (moves count)."""
    pairs = instance.pairs
    return (
        pairs > options.large_event_threshold
        or (
            options.allow_unscheduled is not False
            and not instance.previous
            and pairs > options.exact_event_pairs
        )
        or (
            options.allow_unscheduled is False
            and not instance.previous
            and pairs > options.strict_exact_pairs
        )
    )


def _solve_any(
    instance: MeetingInstance,
    options: SolveOptions,
    progress: ProgressFn | None,
    cancel: threading.Event | None,
) -> MeetingResult:
    started = time.perf_counter()
    pairs = instance.pairs
    if (
        instance.previous
        and options.allow_unscheduled is not False
        and (pairs > options.exact_event_pairs)
    ):
        # On the day: a few changes to a published schedule are repaired around them (small
        # events keep the exact model, which proves the fewest moves in time).
        repaired = repair(instance, options, cancel, started)
        if repaired is not None and not validate(instance, repaired):
            return repaired
    if _takes_large_path(instance, options):
        if options.allow_unscheduled is False:
            reason = infeasibility_reason(instance)
            if reason is not None:
                return _infeasible(reason, started)
        elif (conflict := required_meeting_conflict(instance, frozenset())) is not None:
            return _infeasible(conflict, started)
        return solve_large(instance, options, progress, cancel, started)
    if options.allow_unscheduled is None:
        strict = replace(options, allow_unscheduled=False)
        if infeasibility_reason(instance) is None:
            # Half the budget for "everything fits"; an overfull event keeps the other half.
            first = _solve(
                instance,
                replace(strict, time_limit_s=options.time_limit_s / 2),
                progress,
                cancel,
                started,
            )
            if first.status in (Status.OPTIMAL, Status.FEASIBLE) or (
                cancel is not None and cancel.is_set()
            ):
                return first
        remaining = options.time_limit_s - (time.perf_counter() - started)
        overflow = replace(options, allow_unscheduled=True, time_limit_s=remaining)
        return _solve(instance, overflow, progress, cancel, started)
    return _solve(instance, options, progress, cancel, started)


def _solve(
    instance: MeetingInstance,
    options: SolveOptions,
    progress: ProgressFn | None,
    cancel: threading.Event | None,
    started: float,
) -> MeetingResult:
    early = _early_uwrmaxsat(instance, options)
    try:
        return _solve_exact(instance, options, progress, cancel, started, early)
    finally:
        if early is not None:
            early.discard()  # its child ends with the solve, whatever happened


def _early_uwrmaxsat(instance: MeetingInstance, options: SolveOptions) -> MaxSatContender | None:
    """UWrMaxSat as a contender that may start before the race (UWRMAXSAT_AFTER), where it
    encodes the instance exactly, nothing is fixed (there RC2 takes a core on 2 workers),
    RC2 does not race and hermax is installed. Ordered meetings are welcome: it proved the
    two precedence variants closest to the limit in 13-17 s where CP-SAT took 38 s."""
    if not (
        options.uwrmaxsat
        and options.allow_unscheduled is False
        and not instance.previous
        and options.workers >= 2
        and not options.maxsat
        and not (options.maxsat is None and options.workers >= 3)
        and not instance.pinned_slot
        and instance.pairs <= options.maxsat_max_pairs
        and maxsat_unsupported(instance) is None
        and importlib.util.find_spec("hermax") is not None
    ):
        return None
    return MaxSatContender(instance, "uwrmaxsat", args=("uwrmaxsat",))


def _solve_exact(
    instance: MeetingInstance,
    options: SolveOptions,
    progress: ProgressFn | None,
    cancel: threading.Event | None,
    started: float,
    early: MaxSatContender | None,
) -> MeetingResult:
    local_start = time.perf_counter()
    if options.allow_unscheduled:
        excluded = frozenset(unplaceable_meetings(instance))
        reason = required_meeting_conflict(instance, excluded)
    else:
        excluded = frozenset()
        reason = infeasibility_reason(instance)
    if reason is not None:
        return _infeasible(reason, started)
    pure_breaks = not options.allow_unscheduled and not instance.previous
    lower = 0
    answer: Answer | None = None
    if pure_breaks:
        sat_cancel = cancel
        if early is not None:
            # Its proof ends the SAT search at once: forum-13crafc's child answers at about
            # 1.4 s, where that search runs to its limit of 2.5 s.
            answered = threading.Event()
            sat_cancel = _AnyOf(cancel, answered)
            deadline = local_start + options.time_limit_s
            early.start_after(UWRMAXSAT_AFTER, deadline, on_proven=answered.set)
        answer, zero = _zero_break(instance, options, sat_cancel)
        if answer is Answer.UNKNOWN and early is not None and not early.proven:
            answer, zero = _zero_break_child(instance, options, sat_cancel)
        if early is not None and early.proven and zero is None:
            return _maxsat_result(instance, early, started)
        # A search that ran out, or refuted 0 only after UWRMAXSAT_AFTER (forum-13crafc's
        # takes 2.4-2.7 s, at the edge of its limit), leaves its child running to race.
        if early is not None and not (
            answer is Answer.UNKNOWN or (answer is Answer.NONE and early.started)
        ):
            early.discard()
            early = None
        if zero is not None:
            return _optimal(instance, zero, started, "sat", progress)
        lower = 1 if answer is Answer.NONE else 0
        relaxed = load_lower_bound(instance, min(LOAD_BOUND_SECONDS, 0.02 * options.time_limit_s))
        if relaxed > lower:
            lower = relaxed
            if progress is not None:
                progress(Progress(None, float(lower), time.perf_counter() - started))

    model = MeetingModel(
        instance,
        allow_unscheduled=bool(options.allow_unscheduled),
        excluded=excluded,
        implied_constraints=options.implied_constraints,
    )
    hint: dict[int, int] | None = None
    # After a SAT search for 0 breaks that ran out of time, straight to the search. The
    # probes would refute 0 there (0.6 s on forum-13crafc and ticf-13crafc), but then spend
    # 1.75 s failing to settle 1, and with 1 proven at once the whole solve still took
    # 12.1 and 14.1 s (14.1 and 14.6 s as it is; docs/benchmarks/meetings.md). Nor while
    # UWrMaxSat's child runs (after a refutation of 0 that took long): the probes' workers
    # slowed it (forum-13crafc 4.0 s in all against 3.0 s without them).
    probes = pure_breaks and answer is not Answer.UNKNOWN
    if probes and early is None:
        lower, found = _probe_lower_bound(model, options, progress, cancel, started, lower)
        if found is not None:
            at_bound = _at_proven_bound(instance, found, lower, progress, started)
            if at_bound is not None:
                return at_bound
            hint = found  # not at the bound after all: a start, and a stand-in (below)
    if probes and lower > 0:
        # Kept as a constraint although it slows some JAIR originals (forum-13crafb 34 s
        # against 16 s without it): without it, crafted variants ended far from their
        # optimum (ticf-13crafb+forbidden-0.3: 15 breaks against 4; docs/benchmarks/
        # meetings.md). The result also takes it into its bound.
        model.model.add(model.breaks_total >= lower)
    if hint is None and options.use_hint:
        hint = greedy_schedule(instance, start=instance.published_slots)
    if hint is not None:
        model.add_hint(hint)
    # Never empty-handed: a heuristic schedule stands in if CP-SAT proves nothing and finds
    # nothing better in time. It is built beside the search.
    stand_by = _StandBy(instance, options, cancel, local_start + options.time_limit_s)
    remaining = options.time_limit_s - (time.perf_counter() - local_start)
    # One presolve pass where nothing is imposed in advance: faster proofs on the JAIR
    # originals (light model: ticf-13crafb 15-18 s against 27 s; counter model:
    # forum-13crafc 13 s against 34 s), while fixed meetings and precedences need the passes
    # (ticf-13crafc+fixed-20: no schedule in 58 s against an optimum in 41 s;
    # docs/benchmarks/meetings.md).
    side_constraints = bool(instance.pinned_slot or instance.precedences)  # fixed or ordered
    passes = 1 if pure_breaks and not side_constraints else None
    # One search, or several racing (race.py); either way the winner reads the schedule.
    light = Contender(
        "light",
        model.model,
        LIGHT_PORTFOLIO if pure_breaks else (),
        options.workers,
        reader=model.chosen_slots,
        presolve_iterations=passes,
    )
    contenders: list[Contender | MaxSatContender] = [light]
    # The MaxSAT engine joins with a core of its own (3 workers or more), and on fewer where
    # meetings are fixed and none ordered, in place of the counter model: each break a fixed
    # meeting forces costs RC2 one small core, while CP-SAT's bound rose slowly there
    # (ticf-13crafc+fixed-40: proven 36 in 25 s, against 54 breaks, bound 36 after 60 s).
    # RC2 or the light model proved each of the 40 crafted fixed variants, the counter model
    # none; with its core, RC2 resolved 40 of 40 in 97.6 s of solving against 39 in 137.2 s
    # as a third search. Not with precedences on 2 workers: the counter model alone proves
    # two of those variants, and as a third search RC2 slowed the rest (38 of 40 resolved
    # either way, in 275.9 s without it against 335.5 s; docs/benchmarks/meetings.md).
    fixed_only = bool(instance.pinned_slot) and not instance.precedences
    maxsat_races = (
        pure_breaks
        and (options.maxsat or (options.maxsat is None and (options.workers >= 3 or fixed_only)))
        and instance.pairs <= options.maxsat_max_pairs
        and maxsat_unsupported(instance) is None
    )
    maxsat_takes_a_core = maxsat_races and options.workers < 3 and fixed_only
    if maxsat_takes_a_core:
        light.workers = max(1, options.workers - 1)
    racing = (
        pure_breaks
        and options.implied_constraints
        and options.workers >= 2
        and capacity_counter_size(instance) <= options.max_counter_booleans
        and not (cancel is not None and cancel.is_set())  # building it takes seconds
        and not maxsat_takes_a_core
    )
    if racing:
        # The capacity-counter model beside the light one (see race.py), built in its own
        # thread while the light model is searched.
        def build_counters(stop: threading.Event) -> tuple[cp_model.CpModel, Reader]:
            counters = MeetingModel(instance, capacity_counters=True, stop=stop)
            if lower > 0:
                counters.model.add(counters.breaks_total >= lower)
            if hint is not None:
                counters.check_stop()
                counters.add_hint(hint)
            return counters.model, counters.chosen_slots

        half = options.workers // 2
        light.workers -= half
        contenders.append(
            Contender(
                "counters",
                cp_model.CpModel(),
                COUNTER_PORTFOLIO,
                half,
                build=build_counters,
                presolve_iterations=passes,
                delay=0.0 if side_constraints else COUNTERS_AFTER,
            )
        )
    if racing and lower > 0 and not side_constraints:
        # While the counter model waits, its core looks for a schedule at the bound proven
        # before the race, without LP or core-guided bounding: a feasibility search finds
        # the forumt instances' schedules in about a third of a second, where the light
        # model's bounding search needs 0.3-0.8 s and tic-13crafc's 1.8 s
        # (docs/benchmarks/meetings.md). A refutation proves one break more.
        def build_at_bound(stop: threading.Event) -> tuple[cp_model.CpModel, Reader]:
            return model.with_breaks_at_most(lower), model.chosen_slots

        contenders.append(
            AtBound(
                "at-bound",
                cp_model.CpModel(),
                AT_BOUND_PORTFOLIO,
                1,
                build=build_at_bound,
                budget=COUNTERS_AFTER,
                presolve_iterations=passes,
                lower=lower,
            )
        )
    if maxsat_races:
        contenders.append(MaxSatContender(instance))
    if early is not None:
        contenders.append(early)
    # The SAT linear search over runs, up from the proven bound, in a child (few_breaks.py);
    # not from 0 or 1 proven breaks, where it is the zero-break search again, which CP-SAT
    # beats (forum-13crafc 23 s against 14 with it), nor beside the MaxSAT child.
    if (
        pure_breaks
        and options.few_breaks
        and options.workers >= 2  # its child takes a core
        and lower >= FEW_BREAKS_FROM
        and not any(isinstance(c, MaxSatContender) for c in contenders)
        and instance.pairs <= options.maxsat_max_pairs
        and few_breaks_problem(instance) is not None
    ):
        contenders.append(
            MaxSatContender(
                instance,
                "few-breaks",
                "scheduler.meetings.few_breaks",
                (str(lower),),
                delay=FEW_BREAKS_AFTER,
            )
        )
    # The stand-in's walk in the last seconds starts from the searches' latest schedules too.
    searches = [c for c in contenders if isinstance(c, Contender)]
    for search in searches:
        search.keep = True
    stand_by.starts = lambda: [plan for c in searches if (plan := c.incumbent())]
    try:
        winner, race_bound = race(
            contenders,
            remaining,
            seed=options.seed,
            log=options.log_search,
            progress=progress,
            cancel=cancel,
            interval_s=options.progress_interval_s,
        )
        if not isinstance(winner, MaxSatContender) and winner.code == cp_model.MODEL_INVALID:
            raise ModelInvalidError(f"CP-SAT rejected the model: {winner.model.validate()}")
    except BaseException:
        # The solve fails: the stand-in is not to start (or stops at its next check)
        # rather than build on in its thread after the error.
        stand_by.result(needed=False)
        raise
    if isinstance(winner, MaxSatContender):
        status = (
            Status.OPTIMAL
            if winner.has_solution
            else Status.INFEASIBLE
            if winner.infeasible
            else Status.UNKNOWN
        )
    else:
        status = _STATUS.get(winner.code, Status.UNKNOWN)
    if lower > 0:  # proven before the race (pure breaks only)
        race_bound = max(race_bound or 0.0, float(lower))
    if status is Status.FEASIBLE and meets(winner.objective, race_bound):
        # The schedule meets a proven bound: the probes' or another contender's.
        status = Status.OPTIMAL
    fallback = stand_by.result(needed=status not in (Status.OPTIMAL, Status.INFEASIBLE))
    seconds = time.perf_counter() - started
    if status is Status.INFEASIBLE:
        return _no_schedule(instance, started)
    # The heuristic schedule and the hint (on a re-solve, the published schedule kept where
    # it still fits) stand in when CP-SAT, stopped by the limit, holds a worse schedule than
    # what it started from: a short re-solve must not return fewer meetings or more moves.
    stand_ins = [plan for plan in (fallback, hint) if plan]
    stand_in = min(stand_ins, key=lambda plan: evaluate(instance, plan), default=None)
    if status is Status.UNKNOWN or (status is Status.FEASIBLE and stand_in is not None):
        better = _fallback_result(
            instance, options, stand_in, winner.plan(), race_bound, started, stand_by.solver
        )
        if better is not None:
            proven = better.status is Status.FEASIBLE and meets(better.objective, race_bound)
            if pure_breaks and proven:  # the walk's schedule meets the race's bound
                better = replace(better, status=Status.OPTIMAL, bound=better.objective)
            return better
    if status is Status.UNKNOWN:
        return MeetingResult(status=status, objective=None, bound=race_bound, seconds=seconds)
    slots = winner.plan()
    winner_name = winner.name if isinstance(winner, MaxSatContender) else "cp-sat"
    plan = {instance.meetings[m].id: s for m, s in slots.items()}
    bound: float | None = None
    if status is Status.OPTIMAL:
        bound = float(evaluate(instance, slots).breaks)
    elif pure_breaks:
        bound = race_bound
    return build_result(instance, status, plan, seconds, bound=bound, solver=winner_name)


class _StandBy:
    """The heuristic schedule (greedy or sweep, then local search: a fraction of a second on
    the JAIR instances; at most 2 s and 5% of the budget), built in a thread while CP-SAT
    searches (which releases the GIL). It starts after STAND_BY_DELAY_S (10% of a shorter
    budget), or when asked for: a search proven by then waits for nothing, and no Python
    thread holds up its callbacks (built at once, it cost forumt-14crafd 0.08 s of 0.4).

    In the search's last seconds (POLISH_SECONDS, POLISH_SHARE), while it has proven
    nothing, the ejection walk improves the best schedule found so far (by
    ``objective.evaluate``): its own, or one of ``starts()``, the searches' latest (set once
    they are known, before the race)."""

    def __init__(
        self,
        instance: MeetingInstance,
        options: SolveOptions,
        cancel: threading.Event | None,
        deadline: float,
        starts: Callable[[], list[dict[int, int]]] = list,
    ) -> None:
        self.plan: dict[int, int] | None = None
        self.solver = STAND_IN_SOLVER  # what made ``plan``, for the result
        self.starts = starts
        self._wake = threading.Event()
        self._unneeded = threading.Event()
        self._over = threading.Event()  # the search has ended
        delay = min(STAND_BY_DELAY_S, 0.1 * options.time_limit_s)
        budget = min(2.0, 0.05 * options.time_limit_s)
        polish_from = deadline - min(POLISH_SECONDS, POLISH_SHARE * options.time_limit_s)

        def stopped() -> bool:
            return self._unneeded.is_set() or bool(cancel and cancel.is_set())

        def build() -> None:
            self._wake.wait(delay)
            if self._unneeded.is_set():
                return
            self.plan = heuristic_schedule(
                instance,
                options.seed,
                time.perf_counter() + budget,
                should_stop=stopped,
                restarts=False,  # one start + local search
            )
            if self._over.wait(max(0.0, polish_from - time.perf_counter())) or stopped():
                return
            plans = [plan for plan in (self.plan, *self.starts()) if plan]
            if not plans:
                return
            best = min(plans, key=lambda plan: evaluate(instance, plan))
            self.solver = ("greedy" if best is self.plan else "cp-sat") + "+ejection-walk"
            self.plan = polish(
                instance, best, options.seed, deadline, lambda: self._over.is_set() or stopped()
            )

        self._thread = threading.Thread(target=build, name="stand-by", daemon=True)
        self._thread.start()

    def result(self, needed: bool) -> dict[int, int] | None:
        """The schedule (built now if it has not started, its walk ended); None if not
        ``needed``."""
        self._over.set()
        if not needed:
            self._unneeded.set()
            self._wake.set()
            return None
        self._wake.set()
        self._thread.join()
        return self.plan


def _fallback_result(
    instance: MeetingInstance,
    options: SolveOptions,
    fallback: dict[int, int] | None,
    found: dict[int, int],
    bound: float | None,
    started: float,
    solver: str,
) -> MeetingResult | None:
    """The heuristic schedule, when CP-SAT found none or a worse one and it passes the
    validator: status feasible if it places what the mode requires, else unknown with the
    best partial schedule (strict mode: nothing proves that no full schedule exists)."""
    if not fallback:
        return None
    if found and evaluate(instance, found) <= evaluate(instance, fallback):
        return None
    strict = not options.allow_unscheduled
    complete = len(fallback) == len(instance.meetings)
    status = Status.FEASIBLE if complete or not strict else Status.UNKNOWN
    if found and status is Status.UNKNOWN:
        return None  # CP-SAT's full schedule beats any partial one
    plan = {instance.meetings[m].id: s for m, s in fallback.items()}
    seconds = time.perf_counter() - started
    result = build_result(instance, status, plan, seconds, bound=bound, solver=solver)
    if validate(instance, result, require_all=strict and complete):
        return None
    return result


class _AnyOf(threading.Event):
    """Set when any of ``events`` is (as far as ``is_set`` tells, all a python-sat search's
    watcher asks), or when set itself."""

    def __init__(self, *events: threading.Event | None) -> None:
        super().__init__()
        self._events = [event for event in events if event is not None]

    def is_set(self) -> bool:
        return super().is_set() or any(event.is_set() for event in self._events)


def _no_schedule(instance: MeetingInstance, started: float) -> MeetingResult:
    """Infeasible, as a search proved it (the reason names the fairness bound if any)."""
    return _infeasible(
        "no schedule satisfies all constraints together"
        + (" (fairness bound included)" if instance.fairness is not None else ""),
        started,
    )


def _maxsat_result(
    instance: MeetingInstance, winner: MaxSatContender, started: float
) -> MeetingResult:
    """The result of a MaxSAT child's proof: its optimal schedule, or infeasibility."""
    if winner.infeasible:
        return _no_schedule(instance, started)
    return _optimal(instance, winner.plan(), started, winner.name)


def _optimal(
    instance: MeetingInstance,
    slots: Mapping[int, int],
    started: float,
    solver: str,
    progress: ProgressFn | None = None,
) -> MeetingResult:
    """The result of a proven optimal schedule (meeting index -> slot), its breaks as the
    bound; with ``progress``, one report of it, as every search makes."""
    breaks = float(evaluate(instance, slots).breaks)
    plan = {instance.meetings[m].id: s for m, s in slots.items()}
    seconds = time.perf_counter() - started
    if progress is not None:
        progress(Progress(breaks, breaks, seconds))
    return build_result(instance, Status.OPTIMAL, plan, seconds, bound=breaks, solver=solver)


def _at_proven_bound(
    instance: MeetingInstance,
    slots: dict[int, int],
    lower: int,
    progress: ProgressFn | None,
    started: float,
) -> MeetingResult | None:
    """The optimal result of a probe's schedule, if it has every meeting and at most the
    ``lower`` breaks already proven (scored by ``objective.evaluate``, not by the model).
    Returned at once: racing on from it as a hint lost it where CP-SAT could not complete
    the hint (forum-13crafc+forbidden-0.7, crafted seed 5: 1 break found by a probe at 3 s,
    5 returned after 60 s; docs/benchmarks/meetings.md)."""
    score = evaluate(instance, slots)
    if score.excess or score.unscheduled_priority or score.breaks > lower:
        return None
    return _optimal(instance, slots, started, "cp-sat", progress)


def _zero_break(
    instance: MeetingInstance, options: SolveOptions, cancel: threading.Event | None
) -> tuple[Answer | None, dict[int, int] | None]:
    """A schedule without breaks from the SAT search of ``zero_break.py`` (in this thread,
    at most ZERO_BREAK_SECONDS and 5% of the budget), or proof that there is none: on the
    JAIR instances whose optimum is 0 it finds one in 0.03-2.2 s, and it refutes 0 for
    eight of the others within 0.1 s (docs/benchmarks/meetings.md). No
    answer (None) where the encoding does not apply (``zero_break.runs_problem``)."""
    problem = runs_problem(instance)
    if problem is None:
        return None, None
    return search_here(problem, min(ZERO_BREAK_SECONDS, 0.05 * options.time_limit_s), cancel)


def _zero_break_child(
    instance: MeetingInstance, options: SolveOptions, stop: threading.Event | None
) -> tuple[Answer, dict[int, int] | None]:
    """The SAT search for a schedule without breaks again, with CaDiCaL in a child, for at
    most ZERO_BREAK_CHILD_SECONDS and ZERO_BREAK_CHILD_SHARE of the budget or until ``stop``
    is set; the child is killed when this returns. UNKNOWN where it does not answer."""
    seconds = min(ZERO_BREAK_CHILD_SECONDS, ZERO_BREAK_CHILD_SHARE * options.time_limit_s)
    probe = ZeroBreakProbe.start(instance, time.perf_counter() + seconds) if seconds > 0 else None
    if probe is None:
        return Answer.UNKNOWN, None
    try:
        while not probe.done.wait(0.02):
            if stop is not None and stop.is_set():
                return Answer.UNKNOWN, None
    finally:
        probe.stop()
    if probe.slots is not None:
        return Answer.FOUND, probe.slots
    return (Answer.NONE if probe.infeasible else Answer.UNKNOWN), None


def _probe_lower_bound(
    model: MeetingModel,
    options: SolveOptions,
    progress: ProgressFn | None,
    cancel: threading.Event | None,
    started: float,
    lower: int = 0,
) -> tuple[int, dict[int, int] | None]:
    """Prove "at least k breaks" by refuting "at most k - 1", for k = lower + 1 up to 3
    (``lower`` is already proven).

    Refuting a tiny total is often pure propagation (a fraction of a second), while the
    optimising workers may never settle it: the proven bound is what the result reports if
    the time runs out, and a schedule that meets it is optimal, as is one found on the way.
    """
    budget = min(6.0, 0.05 * options.time_limit_s)
    deadline = time.perf_counter() + budget
    while lower < 3 and time.perf_counter() < deadline:
        if cancel is not None and cancel.is_set():
            break
        probe = model.with_breaks_at_most(lower)
        probe.clear_objective()  # type: ignore[no-untyped-call]
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, min(2.0, deadline - time.perf_counter()))
        solver.parameters.num_workers = max(1, options.workers)
        solver.parameters.random_seed = options.seed
        with SearchControl(solver, None, cancel, options.progress_interval_s):
            code = solver.solve(probe)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return lower, model.chosen_slots(solver)
        if code != cp_model.INFEASIBLE:
            break
        lower += 1
        if progress is not None:
            progress(Progress(None, float(lower), time.perf_counter() - started))
    return lower, None
