"""A proven lower bound on the breaks of a strict schedule, from the slots' table load.

The relaxation forgets who meets whom and keeps, per participant, only which slots they are
busy in (their *pattern*):

- as many busy slots as meetings, all among the slots their meetings allow, including the
  slot of every meeting that allows only one;
- at most the fairness limit in breaks, where every schedule keeps everyone within it
  (someone has a single meeting, so the best-off participant has no break);
- per slot, at most twice as many busy participants as there are tables.

Participants alike in these terms (same number of meetings, usable slots, fixed slots and
limit) form a class, and the model counts how many of each class take each pattern, as a
linear programme without the symmetry between interchangeable people: solved in a few
hundredths of a second where patterns are few (a day of 10 slots). Its optimum, rounded up,
is at most the breaks of any schedule. On JAIR it is the optimum itself on tic-13crafc (4,
where the exact model's own proof took a minute) and the four forumt instances
(docs/benchmarks/meetings.md).

Only for strict solves where every meeting takes a shared table (no online meetings, no
booths), and only up to ``MAX_PATTERNS`` candidate patterns: a day of 21 slots has hundreds
of thousands, and on the JAIR instances of 21-22 slots the bound, computed offline, was 0.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter

from ortools.linear_solver import pywraplp

from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.objective import count_breaks

# Candidate patterns (usable slots holding every fixed slot, before the fairness filter)
# enumerated at most, over all classes: the 10-slot JAIR instances have a few thousand; 21
# slots, hundreds of thousands.
MAX_PATTERNS = 20_000

# A class: (meetings, usable slots, slots that must be busy, most breaks or None).
PatternClass = tuple[int, tuple[int, ...], frozenset[int], int | None]


def pattern_classes(instance: MeetingInstance) -> Counter[PatternClass] | None:
    """How many participants fall in each class, or None where the relaxation does not
    apply (online meetings, booths, a meeting without an allowed slot) or has more than
    ``MAX_PATTERNS`` candidate patterns."""
    inst = instance
    if not inst.meetings or any(not inst.uses_shared_table(m) for m in inst.meetings):
        return None
    if any(not slots for slots in inst.allowed_slots):
        return None
    limited = inst.fairness is not None and (
        inst.fairness_excludes_forced or any(len(ms) == 1 for ms in inst.meetings_of.values())
    )
    classes: Counter[PatternClass] = Counter()
    for p in inst.participants:
        mine = inst.meetings_of[p.id]
        if not mine:
            continue
        usable = tuple(sorted({s for m in mine for s in inst.allowed_slots[m]}))
        fixed = frozenset(inst.allowed_slots[m][0] for m in mine if len(inst.allowed_slots[m]) == 1)
        limit = inst.break_limit(p.id) if limited else None
        classes[len(mine), usable, fixed, limit] += 1
    # Patterns hold every fixed slot: choose the others among the remaining usable slots.
    candidates = (math.comb(len(u) - len(fixed), n - len(fixed)) for n, u, fixed, _l in classes)
    if sum(candidates) > MAX_PATTERNS:
        return None
    return classes


def load_lower_bound(instance: MeetingInstance, time_limit: float) -> int:
    """The fewest breaks the relaxation's linear programme proves for a schedule placing
    every meeting, rounded up: 0 where it does not apply, runs out of ``time_limit`` or
    admits no solution at all (the exact model then finds out on its own).

    The linear programme (GLOP) rather than the integer one: on the 20 JAIR originals and
    their 120 crafted variants, wherever the relaxation applies, its rounded-up optimum
    equalled the integer optimum, in 0.01-0.11 s against 0.01-1.2 s with CP-SAT
    (docs/benchmarks/meetings.md)."""
    classes = pattern_classes(instance)
    if classes is None:
        return 0
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with every OR-Tools wheel
        return 0
    load: list[list[pywraplp.Variable]] = [[] for _ in range(instance.n_slots)]
    cost: list[tuple[int, pywraplp.Variable]] = []
    for (n, usable, fixed, limit), count in classes.items():
        chosen: list[pywraplp.Variable] = []
        for pattern in itertools.combinations(usable, n):
            breaks = count_breaks(pattern)
            if (limit is not None and breaks > limit) or not fixed.issubset(pattern):
                continue
            var = solver.NumVar(0, count, "")
            chosen.append(var)
            for s in pattern:
                load[s].append(var)
            if breaks:
                cost.append((breaks, var))
        if not chosen:
            return 0
        solver.Add(solver.Sum(chosen) == count)
    if not cost:
        return 0
    busy_most = 2 * len(instance.shared_tables)
    for busy in load:
        if busy:
            solver.Add(solver.Sum(busy) <= busy_most)
    objective = solver.Objective()
    for breaks, var in cost:
        objective.SetCoefficient(var, breaks)
    objective.SetMinimization()
    solver.SetTimeLimit(max(1, int(1000 * time_limit)))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return 0
    # Breaks are whole: round up, after a margin far above GLOP's tolerances.
    value: float = objective.Value()
    return max(0, math.ceil(value - 1e-4))
