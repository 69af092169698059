"""A schedule without a single break, looked for by a SAT solver beside the annealing.

A schedule has no break exactly when every participant's meetings fill one run of as many
consecutive slots as they have meetings. Whether such a schedule exists is a pure
feasibility question, and on tight events (hosts busy in every slot of their window) the
local search levels off at 5-10 breaks per 100 participants while a CDCL SAT solver finds
the 0-break schedule outright at a few hundred participants (docs/benchmarks/meetings.md,
"A SAT solver on the tight family"). The encoding:

- per participant the runs that can hold all their meetings (each meeting its own slot of
  the run, among those it allows and its partner's possible runs cover: a matching), pruned
  until nothing changes; a Boolean per run, exactly one;
- a Boolean per meeting and slot both sides' possible runs cover, exactly one per meeting;
- per participant and slot "busy" (one meeting) exactly when their chosen run covers the
  slot: a Boolean where the choice of run decides it, a constant where every possible run
  or none covers it (a host of a tight event is busy all through their window);
- each meeting's two runs share a slot it allows (implied, but the search is faster);
- per slot, at most twice as many people busy as there are tables (unless no choice of
  runs can exceed them);
- per slot and bipartite part of the meeting graph, as many people busy on one side as on
  the other: true of every schedule, and what made the search hold up across seeds;
- a meeting that must come after another in a slot only after one the other may take.

Both counts are over the busy Booleans, the constants moved to the bound: counting the
runs instead took 6 times the clauses and 10 times the time (docs/benchmarks/meetings.md).

CaDiCaL (python-sat) cannot be interrupted inside python-sat, so the search runs in a child
process (``python -m scheduler.meetings.zero_break``, plain JSON on stdin and stdout) that
:class:`ZeroBreakProbe` kills at its deadline or when the caller stops it. A found schedule
is optimal (nothing scores better than no break with every meeting placed); a proof that
none exists is reported too, and the caller keeps searching.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from scheduler.meetings.child import limit_child, start_child
from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.interrupts import interrupting

if TYPE_CHECKING:
    from pysat.formula import IDPool
    from pysat.solvers import Solver

# Above this many (meeting, slot) pairs the probe is not started: the tight family's 3,000
# participants have about 103,000 pairs (1.7 million clauses, 1.5 GB in the child); its
# 10,000 would not fit the child's memory.
MAX_PAIRS = 110_000
# The child's address space, so that a big encoding fails there rather than swapping.
CHILD_MEMORY_BYTES = 3 << 30
SOLVER = "cadical195"
# CaDiCaL's configuration for satisfiable formulas (its ``--sat``: less effort on variable
# elimination and subsumption, stable mode only), for the child's searches, whose question
# has a yes answer on the tight family. At 1,000 participants, two searches at a time: the
# unguided search answered on 5 of 10 seeds within 100 s against 3, and the guided search
# on the four dumped guides in 15.7-39.1 s against 19.2-58.2 s (docs/benchmarks/meetings.md).
SAT_OPTIONS = {"elimreleff": 10, "stabilizeonly": 1, "subsumereleff": 60}
# Nobody meets more people than this in one run (the matching that checks a run recurses
# once per meeting): a day of 24 slots holds 24.
MAX_RUN = 200
# A guided search drops the guide's runs that conflict as long as the solver finds such a
# conflict within this many conflicts (they come within a second on the tight family;
# docs/benchmarks/meetings.md).
GUIDE_CONFLICTS = 2_000
# A guided search first keeps the guide's runs exactly; where those admit no schedule (in 3
# of 4 failed solves at 1,000 participants, refuted within seconds), it keeps each guided
# participant's run within one slot of the guide's (docs/benchmarks/meetings.md).
GUIDE_WIDTHS = (0, 1)


@dataclass(frozen=True)
class RunsProblem:
    """What the child needs: per meeting its two participants (indices) and allowed slots;
    ``precedences``, pairs of meeting indices (earlier, later): the later in a later slot;
    ``guide``, if given, per participant the first slot of their run in a schedule to
    follow (-1 where they have a break there; see :func:`solve_runs`); ``seed``, CaDiCaL's
    random seed (0: its default), so that two searches of one problem differ."""

    n_slots: int
    tables: int
    ends: tuple[tuple[int, int], ...]
    allowed: tuple[tuple[int, ...], ...]
    guide: tuple[int, ...] = ()
    precedences: tuple[tuple[int, int], ...] = ()
    seed: int = 0

    @property
    def n_people(self) -> int:
        return 1 + max(max(pair) for pair in self.ends)

    @property
    def pairs(self) -> int:
        """How many (meeting, slot) pairs the meetings allow."""
        return sum(len(slots) for slots in self.allowed)

    def meetings_by_participant(self) -> list[list[int]]:
        """Per participant index, the indices of their meetings."""
        mine: list[list[int]] = [[] for _ in range(self.n_people)]
        for m, (a, b) in enumerate(self.ends):
            mine[a].append(m)
            mine[b].append(m)
        return mine

    def to_json(self) -> str:
        return json.dumps(
            {
                "n_slots": self.n_slots,
                "tables": self.tables,
                "ends": self.ends,
                "allowed": self.allowed,
                "guide": self.guide,
                "precedences": self.precedences,
                "seed": self.seed,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> RunsProblem:
        data = json.loads(text)
        return cls(
            n_slots=int(data["n_slots"]),
            tables=int(data["tables"]),
            ends=tuple((int(a), int(b)) for a, b in data["ends"]),
            allowed=tuple(tuple(int(s) for s in slots) for slots in data["allowed"]),
            guide=tuple(int(a) for a in data.get("guide", ())),
            precedences=tuple((int(e), int(lt)) for e, lt in data.get("precedences", ())),
            seed=int(data.get("seed", 0)),
        )

    def following(self, slots: Mapping[int, int], seed: int = 0) -> RunsProblem:
        """The same problem guided by a schedule (meeting index -> slot, unplaced meetings
        left out): whoever has all their meetings in one run there is asked to keep it;
        searched with CaDiCaL's ``seed``."""
        n_people = self.n_people
        taken: list[list[int]] = [[] for _ in range(n_people)]
        whole = [True] * n_people
        for m, pair in enumerate(self.ends):
            for p in pair:
                if m in slots:
                    taken[p].append(slots[m])
                else:
                    whole[p] = False
        guide = tuple(
            min(mine) if whole[p] and mine and max(mine) - min(mine) == len(mine) - 1 else -1
            for p, mine in enumerate(taken)
        )
        return replace(self, guide=guide, seed=seed)


def runs_problem(instance: MeetingInstance) -> RunsProblem | None:
    """The problem for a strict solve of ``instance``, or None where the encoding does not
    fit: re-solves (moves count), online meetings and booths (tables are one shared pool
    here), a meeting without an allowed slot, more than ``MAX_PAIRS`` pairs, or someone
    with more than ``MAX_RUN`` meetings."""
    allowed = instance.allowed_slots
    if (
        instance.previous
        or not instance.meetings
        or any(m.is_online for m in instance.meetings)
        or any(t.reserved_for is not None for t in instance.tables)
        or any(not slots for slots in allowed)
        or instance.pairs > MAX_PAIRS
        or max(len(mine) for mine in instance.meetings_of.values()) > MAX_RUN
    ):
        return None
    index = instance.participant_index
    return RunsProblem(
        n_slots=instance.n_slots,
        tables=len(instance.tables),
        ends=tuple((index[m.participant_a], index[m.participant_b]) for m in instance.meetings),
        allowed=allowed,
        precedences=tuple(
            (instance.meeting_index[earlier], instance.meeting_index[later])
            for earlier, later in instance.precedences
        ),
    )


def _sides(problem: RunsProblem, n_people: int) -> tuple[list[int], list[int]]:
    """Per participant its connected part of the meeting graph and its side in it (0 or 1);
    a part that is not bipartite gets side -1 for everyone in it."""
    partners: list[list[int]] = [[] for _ in range(n_people)]
    for a, b in problem.ends:
        partners[a].append(b)
        partners[b].append(a)
    part = [-1] * n_people
    side = [-1] * n_people
    for root in range(n_people):
        if part[root] != -1:
            continue
        part[root], side[root] = root, 0
        members, stack, bipartite = [root], [root], True
        while stack:
            x = stack.pop()
            for y in partners[x]:
                if part[y] == -1:
                    part[y], side[y] = root, 1 - side[x]
                    members.append(y)
                    stack.append(y)
                elif side[y] == side[x]:
                    bipartite = False
        if not bipartite:
            for x in members:
                side[x] = -1
    return part, side


def fits(slots_of: list[set[int]]) -> bool:
    """Whether every meeting gets its own slot, meeting k one of ``slots_of[k]`` (Kuhn's
    augmenting paths, as deep as the run is long: at most ``MAX_RUN``). By hand rather than
    scipy's matching: thousands of matchings of at most 24 meetings each, where building a
    sparse matrix per call would cost more than the search."""
    holder: dict[int, int] = {}

    def place(k: int, seen: set[int]) -> bool:
        for s in slots_of[k]:
            if s not in seen:
                seen.add(s)
                if s not in holder or place(holder[s], seen):
                    holder[s] = k
                    return True
        return False

    return all(place(k, set()) for k in range(len(slots_of)))


def possible_runs(problem: RunsProblem, mine: list[list[int]]) -> dict[int, list[int]] | None:
    """Per participant with meetings, the first slots of the runs that can hold them all:
    inside the run, each meeting gets its own slot among those it allows and its partner's
    possible runs cover (a matching). Pruned until nothing changes, as a partner losing runs
    can leave none that fit. None when someone has no run left."""
    starts: dict[int, list[int]] = {}
    for p, meetings in enumerate(mine):
        length = len(meetings)
        if length:
            starts[p] = list(range(problem.n_slots - length + 1))
    changed = True
    while changed:
        changed = False
        span = {
            p: {s for a in firsts for s in range(a, a + len(mine[p]))}
            for p, firsts in starts.items()
        }
        for p, firsts in starts.items():
            length = len(mine[p])
            usable = [
                {s for s in problem.allowed[m] if s in span[_partner(problem, m, p)]}
                for m in mine[p]
            ]
            kept = [
                a for a in firsts if fits([{s for s in u if a <= s < a + length} for u in usable])
            ]
            if not kept:
                return None
            if len(kept) < len(firsts):
                starts[p], changed = kept, True
    return starts


def _partner(problem: RunsProblem, m: int, p: int) -> int:
    a, b = problem.ends[m]
    return b if a == p else a


Encoding = tuple[list[list[int]], dict[tuple[int, int], int], dict[tuple[int, int], int]]


def encode(problem: RunsProblem) -> Encoding | None:
    """CNF clauses, the variable of each (meeting, slot) that some pair of runs allows and
    of each possible run (participant, first slot); None when some participant has no run
    at all (no 0-break schedule, without a search)."""
    from pysat.card import CardEnc, EncType
    from pysat.formula import IDPool

    n_people = problem.n_people
    mine = problem.meetings_by_participant()
    starts = possible_runs(problem, mine)
    if starts is None:
        return None
    pool = IDPool()
    clauses: list[list[int]] = []

    def run(p: int, a: int) -> int:
        return int(pool.id(("run", p, a)))

    def covers(p: int, a: int, s: int) -> bool:
        return a <= s < a + len(mine[p])

    x: dict[tuple[int, int], int] = {}
    for m, (p, q) in enumerate(problem.ends):
        slots = [
            s
            for s in problem.allowed[m]
            if any(covers(p, a, s) for a in starts[p]) and any(covers(q, b, s) for b in starts[q])
        ]
        lits = [x.setdefault((m, s), pool.id(("x", m, s))) for s in slots]
        clauses.append(lits)
        clauses.extend(CardEnc.atmost(lits, 1, vpool=pool, encoding=EncType.seqcounter).clauses)
        # The two runs share a slot the meeting allows (unless any run of the other does).
        for me, other in ((p, q), (q, p)):
            for a in starts[me]:
                together = [
                    run(other, b)
                    for b in starts[other]
                    if any(covers(me, a, s) and covers(other, b, s) for s in slots)
                ]
                if len(together) < len(starts[other]):
                    clauses.append([-run(me, a), *together])
    # Per participant and slot: busy (one meeting) exactly when the chosen run covers the
    # slot. A Boolean where the choice of run decides it; True or False where every run or
    # none covers the slot (the hosts of a tight event are busy all through their window).
    busy: dict[tuple[int, int], int | bool] = {}
    for p, firsts in starts.items():
        runs = [run(p, a) for a in firsts]
        clauses.append(runs)
        clauses.extend(CardEnc.atmost(runs, 1, vpool=pool, encoding=EncType.seqcounter).clauses)
        for s in range(problem.n_slots):
            meetings = [x[m, s] for m in mine[p] if (m, s) in x]
            clauses.extend(
                CardEnc.atmost(meetings, 1, vpool=pool, encoding=EncType.seqcounter).clauses
            )
            cover = [run(p, a) for a in firsts if covers(p, a, s)]
            if not cover:
                busy[p, s] = False
                clauses.extend([-lit] for lit in meetings)
            elif len(cover) == len(firsts):
                busy[p, s] = True
                clauses.append(meetings)
            else:
                b = busy[p, s] = int(pool.id(("busy", p, s)))
                clauses.extend([-lit, b] for lit in meetings)
                clauses.append([-b, *meetings])
                clauses.extend([-r, b] for r in cover)
                clauses.append([-b, *cover])
    clauses.extend(per_slot_counts(problem, n_people, busy, pool))
    clauses.extend(precedence_clauses(problem, x))
    run_of = {(p, a): run(p, a) for p, firsts in starts.items() for a in firsts}
    return clauses, x, run_of


def precedence_clauses(problem: RunsProblem, x: dict[tuple[int, int], int]) -> list[list[int]]:
    """A later meeting in slot s needs its earlier one in a slot before s; ``x`` maps
    (meeting, slot) to the literal "meeting in slot"."""
    clauses: list[list[int]] = []
    for earlier, later in problem.precedences:
        for s in problem.allowed[later]:
            if (later, s) in x:
                before = [x[earlier, t] for t in range(s) if (earlier, t) in x]
                clauses.append([-x[later, s], *before])
    return clauses


def per_slot_counts(
    problem: RunsProblem, n_people: int, busy: dict[tuple[int, int], int | bool], pool: IDPool
) -> list[list[int]]:
    """Per slot and bipartite part of the meeting graph, as many busy on one side as on the
    other; per slot at most twice as many busy as there are tables, unless no choice of runs
    can exceed them. Participants whose runs decide the slot count as constants."""
    from pysat.card import CardEnc, EncType

    clauses: list[list[int]] = []
    part, side = _sides(problem, n_people)
    for s in range(problem.n_slots):
        free: dict[int, tuple[list[int], list[int]]] = {}  # per part, the undecided per side
        fixed: dict[int, list[int]] = {}  # per part, how many per side are surely busy
        people: dict[int, list[int]] = {}  # per part, how many per side can be busy
        unsided = 0  # people of parts that are not bipartite who can be busy
        everyone: list[int] = []
        surely = 0
        for p in range(n_people):
            state = busy.get((p, s), False)
            if state is False:
                continue
            if state is True:
                surely += 1
            else:
                everyone.append(state)
            if side[p] < 0:
                unsided += 1
                continue
            people.setdefault(part[p], [0, 0])[side[p]] += 1
            if state is True:
                fixed.setdefault(part[p], [0, 0])[side[p]] += 1
            else:
                free.setdefault(part[p], ([], []))[side[p]].append(state)
        for key in people:
            left, right = free.get(key, ([], []))
            on_left, on_right = fixed.get(key, [0, 0])
            # left + on_left = right + on_right, i.e. left + (not right) = |right| + shift.
            need = len(right) + on_right - on_left
            lits = left + [-r for r in right]
            if not 0 <= need <= len(lits):
                return [[]]  # the surely busy sides differ more than the others can make up
            clauses.extend(_exactly(lits, need, pool))
        # Meetings in the slot (half the people busy) within the tables; in a bipartite part
        # at most its smaller side meets.
        most = unsided // 2 + sum(min(counts) for counts in people.values())
        if most > problem.tables:
            room = 2 * problem.tables - surely
            if room < 0:
                return [[]]
            if room < len(everyone):
                clauses.extend(
                    CardEnc.atmost(everyone, room, vpool=pool, encoding=EncType.cardnetwrk).clauses
                )
    return clauses


def _exactly(lits: list[int], k: int, pool: IDPool) -> list[list[int]]:
    from pysat.card import CardEnc, EncType

    if k == 0:
        return [[-lit] for lit in lits]
    if k == len(lits):
        return [[lit] for lit in lits]
    return list(CardEnc.equals(lits, k, vpool=pool, encoding=EncType.cardnetwrk).clauses)


class Answer(StrEnum):
    FOUND = "found"
    NONE = "none"  # proven: every schedule has a break
    UNKNOWN = "unknown"  # stopped first, or a guided search gave up


def solve_runs(problem: RunsProblem) -> tuple[Answer, list[int] | None]:
    """The slot of every meeting in a schedule without breaks (``Answer.FOUND``), or
    ``Answer.NONE`` where there is none. Runs until it knows: call it where it can be killed
    (the child process).

    With a guide, the search first keeps the guide's runs (:func:`_follow`); where what it
    keeps admits no schedule, it keeps each guided participant within ``GUIDE_WIDTHS[1]``
    slots of their guided run instead. A guide that fails both ways ends the search with
    ``Answer.UNKNOWN``: the whole problem is the unguided search's (which the large path
    stops once guided searches run; ``large_event.GUIDED``). ``problem.seed`` is CaDiCaL's
    random seed in every solver here."""
    encoded = encode(problem)
    if encoded is None:
        return Answer.NONE, None
    clauses, x, runs = encoded
    if problem.guide:
        for width in GUIDE_WIDTHS:
            answer, model = _follow(problem, clauses, runs, width)
            if answer is Answer.NONE:
                return Answer.NONE, None
            if answer is Answer.FOUND:
                return Answer.FOUND, _slots(problem, x, model)
        return Answer.UNKNOWN, None
    with _cadical(clauses, problem.seed) as solver:
        if not solver.solve():
            return Answer.NONE, None
        return Answer.FOUND, _slots(problem, x, solver.get_model())


def _cadical(clauses: list[list[int]], seed: int = 0) -> Solver:
    """A CaDiCaL solver with ``SAT_OPTIONS`` and random ``seed`` (0: CaDiCaL's own), set
    before the clauses come in."""
    from pysat.solvers import Solver

    solver = Solver(name=SOLVER)
    solver.configure({**SAT_OPTIONS, "seed": seed} if seed else SAT_OPTIONS)
    solver.append_formula(clauses)
    return solver


def _follow(
    problem: RunsProblem,
    clauses: list[list[int]],
    runs: dict[tuple[int, int], int],
    width: int,
) -> tuple[Answer, list[int] | None]:
    """A search that keeps each guided participant's run start within ``width`` slots of
    the guide's: it assumes all of these guesses, drops those in each conflict that the
    solver finds within ``GUIDE_CONFLICTS``, then takes the rest as facts in a fresh solver,
    whose preprocessing works on them (as assumptions they are frozen). ``Answer.FOUND``
    with the SAT model; ``Answer.NONE`` when no schedule exists whatever is kept (an empty
    conflict); ``Answer.UNKNOWN`` when what is kept admits none."""
    # Exact runs are assumed as they are; a wider window gets a selector literal, numbered
    # after the encoding's, for whoever has runs outside it.
    choices: dict[int, int] = {}
    top = 0
    if width:
        for p, _a in runs:
            choices[p] = choices.get(p, 0) + 1
        top = max(abs(lit) for clause in clauses for lit in clause)
    guesses: dict[int, list[int]] = {}  # assumed literal -> the runs it keeps
    extra: list[list[int]] = []
    for p, guided in enumerate(problem.guide):
        if (p, guided) not in runs:
            continue
        near = [runs[p, a] for a in range(guided - width, guided + width + 1) if (p, a) in runs]
        if len(near) == 1:
            guesses[near[0]] = near
        elif len(near) < choices[p]:
            top += 1
            guesses[top] = near
            extra.append([-top, *near])
    kept = set(guesses)
    with _cadical(clauses + extra, problem.seed) as solver:
        while True:
            solver.conf_budget(GUIDE_CONFLICTS)
            answer = solver.solve_limited(assumptions=sorted(kept))
            if answer:
                return Answer.FOUND, list(solver.get_model() or ())
            if answer is None:
                break  # no conflict among the guesses found quickly: keep the rest
            core = set(solver.get_core() or ())
            if not core:
                return Answer.NONE, None
            kept -= core
    with _cadical(clauses + [guesses[lit] for lit in kept], problem.seed) as solver:
        if solver.solve():
            return Answer.FOUND, list(solver.get_model() or ())
        return Answer.UNKNOWN, None


def _slots(
    problem: RunsProblem, x: dict[tuple[int, int], int], model: list[int] | None
) -> list[int]:
    """Per meeting, the slot whose variable the SAT model sets."""
    true = {lit for lit in model or () if lit > 0}
    return [
        next(s for s in slots if x.get((m, s)) in true) for m, slots in enumerate(problem.allowed)
    ]


def search_here(
    problem: RunsProblem, seconds: float, cancel: threading.Event | None = None
) -> tuple[Answer, dict[int, int] | None]:
    """The same search in the calling thread with Glucose 4, which python-sat can interrupt:
    for small models (the JAIR instances with optimum 0: 0.03-2.2 s in the solve).
    Stops after ``seconds`` or when ``cancel`` is set."""
    from pysat.solvers import Solver

    encoded = encode(problem)
    if encoded is None:
        return Answer.NONE, None
    clauses, x, _runs = encoded
    with Solver(name="g4", bootstrap_with=clauses) as solver:
        deadline = time.perf_counter() + seconds
        with interrupting(solver.interrupt, deadline, cancel, "zero-break-watch"):
            answer = solver.solve_limited(expect_interrupt=True)
        if answer is None:
            return Answer.UNKNOWN, None
        if not answer:
            return Answer.NONE, None
        return Answer.FOUND, dict(enumerate(_slots(problem, x, solver.get_model())))


class ZeroBreakProbe:
    """The search in a child process, watched by a thread; ``done`` is set when it ends.

    Afterwards ``slots`` (meeting index -> slot) holds a schedule without breaks, or
    ``infeasible`` says the child proved there is none; both stay empty when it was stopped,
    ran out of time, gave up on its guide or failed (``detail`` says how).
    """

    def __init__(self, problem: RunsProblem, deadline: float) -> None:
        self.problem = problem
        self.done = threading.Event()
        self.slots: dict[int, int] | None = None
        self.infeasible = False
        self.detail = ""
        self._deadline = deadline
        self._lock = threading.Lock()
        self._stopped = False
        self._process: subprocess.Popen[str] | None = None
        self._thread = threading.Thread(
            target=self._watch, args=(problem,), name="zero-break", daemon=True
        )
        self._thread.start()

    @classmethod
    def start(cls, instance: MeetingInstance, deadline: float) -> ZeroBreakProbe | None:
        """A running probe for ``instance``, or None where :func:`runs_problem` declines."""
        problem = runs_problem(instance)
        return None if problem is None else cls(problem, deadline)

    def follow(self, slots: Mapping[int, int], seed: int = 0) -> ZeroBreakProbe:
        """Another search, guided by a schedule (meeting index -> slot), to the same
        deadline, with CaDiCaL's random ``seed``; it gives up where the guide's runs, exactly
        or within a slot, admit no schedule."""
        return ZeroBreakProbe(self.problem.following(slots, seed), self._deadline)

    def _watch(self, problem: RunsProblem) -> None:
        try:
            self._run(problem)
        except (OSError, ValueError, subprocess.SubprocessError) as exc:
            self.detail = f"child failed: {exc.__class__.__name__}"
        finally:
            self.done.set()

    def _run(self, problem: RunsProblem) -> None:
        cpu_seconds = 1 + math.ceil(max(0.0, self._deadline - time.perf_counter()))
        with self._lock:
            if self._stopped:
                self.detail = "stopped"
                return
            # Its own CPU limit too, should this process die without killing it.
            self._process = start_child("scheduler.meetings.zero_break", str(cpu_seconds))
        process = self._process
        try:
            out, _ = process.communicate(
                problem.to_json(), timeout=max(0.0, self._deadline - time.perf_counter())
            )
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            self.detail = "time limit"
            return
        if self._stopped:
            self.detail = "stopped"
            return
        if process.returncode != 0:
            self.detail = f"child exited with {process.returncode}"
            return
        answer = json.loads(out)
        if answer["status"] == Answer.NONE:
            self.infeasible = True
        elif answer["status"] == Answer.FOUND:
            self.slots = dict(enumerate(int(s) for s in answer["slots"]))
        else:
            self.detail = "the guide's runs admit no schedule; the whole search is the first's"

    def stop(self) -> None:
        """Kill the child (if it still runs) and wait for the watcher."""
        with self._lock:
            self._stopped = True
            if self._process is not None and self._process.poll() is None:
                self._process.kill()
        self._thread.join()


def main(argv: list[str]) -> int:
    """The child: a :class:`RunsProblem` as JSON on stdin, the answer as JSON on stdout;
    ``argv[0]``, if given, is the CPU time it may use in seconds (then the kernel ends it)."""
    limit_child(CHILD_MEMORY_BYTES, int(argv[0]) if argv else None)
    answer, slots = solve_runs(RunsProblem.from_json(sys.stdin.read()))
    sys.stdout.write(json.dumps({"status": answer.value, "slots": slots}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
