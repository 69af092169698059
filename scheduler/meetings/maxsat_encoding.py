"""The breaks objective of the benchmark problem as weighted partial MaxSAT (Bofill et al.).

Only the pure benchmark problem is encoded: every meeting must be placed, interchangeable
tables bounded by their number per slot, sessions, forbidden slots, fixed meetings,
precedences and the fairness bound. Nothing about priorities, moves, booths or online
meetings: instances with those go to CP-SAT only (:func:`maxsat_unsupported`).

Variables (all Boolean, numbered by :class:`pysat.formula.IDPool`):

- ``x[m, s]``: meeting ``m`` takes slot ``s`` (slots its session, both sides' forbidden
  slots and a fix allow); exactly one per meeting.
- ``u[p, s]``: participant ``p`` is busy in ``s``, equivalent to the disjunction of its
  meetings' ``x`` there; at most one of those is true.
- ``seen[p, s]``: ``p`` is busy somewhere in ``first..s`` (prefix disjunction).
- ``end[p, s]``: a break of ``p`` ends at ``s``: ``p`` idle in ``s``, busy in ``s + 1`` and
  busy before. Every break ends exactly once, so the breaks of ``p`` are its true ``end``
  literals; each ``not end[p, s]`` is a soft clause of weight 1.

All definitions are equivalences, so every assignment of ``x`` fixes everything else and a
model's cost is exactly the schedule's number of breaks. Tables and the fairness bound are
cardinality constraints (:mod:`pysat.card`). Redundant constraints the paper's encodings
also use: a participant is busy in exactly as many slots as it has meetings, and a slot
holds at most two busy participants per table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pysat.card import CardEnc, EncType
from pysat.formula import WCNF, IDPool

from scheduler.meetings.instance import MeetingInstance

_ENCODINGS = {
    "seqcounter": EncType.seqcounter,
    "totalizer": EncType.totalizer,
    "kmtotalizer": EncType.kmtotalizer,
    "sortnetwrk": EncType.sortnetwrk,
    "cardnetwrk": EncType.cardnetwrk,
    "mtotalizer": EncType.mtotalizer,
    "ladder": EncType.ladder,
    "pairwise": EncType.pairwise,
}


@dataclass(frozen=True)
class EncodingOptions:
    """Which cardinality encodings to use, and which redundant constraints to add."""

    tables: str = "seqcounter"
    at_most_one: str = "pairwise"
    busy_count: bool = True
    busy_per_slot: bool = True
    windows: bool = True


def maxsat_unsupported(instance: MeetingInstance) -> str | None:
    """Why the MaxSAT encoding cannot express ``instance`` exactly, or None if it can."""
    if instance.previous or instance.pinned:
        return "re-solves count moves"
    for meeting in instance.meetings:
        if not instance.uses_shared_table(meeting):
            return "booths and online meetings need their own tables"
    if any(p.max_meetings is not None for p in instance.participants):
        return "meeting caps"
    return None


def fairness_per_participant(instance: MeetingInstance) -> bool:
    """Fairness reduces to a bound per participant when measured from zero avoidable breaks
    (real events) or when someone has exactly one meeting and so surely no break."""
    if instance.fairness_excludes_forced:
        return True
    return any(len(mine) == 1 for mine in instance.meetings_of.values())


class BreaksEncoding:
    """Hard clauses and unit soft clauses for ``instance``; decode models with
    :meth:`slots_from_model`."""

    def __init__(self, instance: MeetingInstance, options: EncodingOptions | None = None) -> None:
        reason = maxsat_unsupported(instance)
        if reason is not None:
            raise ValueError(f"instance not expressible in the MaxSAT encoding: {reason}")
        self.instance = instance
        self.options = options or EncodingOptions()
        self.pool = IDPool()
        self.hard: list[list[int]] = []
        self.soft: list[int] = []
        self.x: dict[tuple[int, int], int] = {}
        self.u: dict[tuple[str, int], int] = {}
        self.ends: dict[str, list[int]] = {}
        self._add_meeting_slots()
        self._add_participant_busy()
        self._add_tables()
        self._add_precedences()
        self._add_breaks()
        if self.options.windows:
            self._add_windows()
        self._add_fairness()

    # ---------------------------------------------------------------- helpers
    def _var(self, *key: object) -> int:
        return int(self.pool.id(key))

    def _atmost(self, lits: Sequence[int], bound: int, encoding: str) -> None:
        if len(lits) <= bound:
            return
        if bound == 0:
            self.hard.extend([-lit] for lit in lits)
            return
        cnf = CardEnc.atmost(
            lits=list(lits), bound=bound, vpool=self.pool, encoding=_ENCODINGS[encoding]
        )
        self.hard.extend(cnf.clauses)

    def _equals(self, lits: Sequence[int], bound: int) -> None:
        cnf = CardEnc.equals(
            lits=list(lits), bound=bound, vpool=self.pool, encoding=EncType.seqcounter
        )
        self.hard.extend(cnf.clauses)

    def _define_or(self, target: int, lits: Iterable[int]) -> None:
        """target <-> OR(lits)."""
        lits = list(lits)
        self.hard.append([-target, *lits])
        self.hard.extend([-lit, target] for lit in lits)

    # ------------------------------------------------------------ constraints
    def _add_meeting_slots(self) -> None:
        for m, slots in enumerate(self.instance.allowed_slots):
            lits = [self._var("x", m, s) for s in slots]
            for s, lit in zip(slots, lits, strict=True):
                self.x[m, s] = lit
            self.hard.append(lits)  # empty for an unplaceable meeting: infeasible, as it is
            self._atmost(lits, 1, "pairwise" if len(lits) <= 8 else self.options.at_most_one)

    def _add_participant_busy(self) -> None:
        inst = self.instance
        per_slot: dict[int, list[int]] = {}
        for p in inst.participants:
            mine = inst.meetings_of[p.id]
            here: dict[int, list[int]] = {}
            for m in mine:
                for s in inst.allowed_slots[m]:
                    here.setdefault(s, []).append(self.x[m, s])
            for s in sorted(here):
                busy = self._var("u", p.id, s)
                self.u[p.id, s] = busy
                self._define_or(busy, here[s])
                lits = here[s]
                self._atmost(lits, 1, "pairwise" if len(lits) <= 6 else self.options.at_most_one)
                per_slot.setdefault(s, []).append(busy)
            if self.options.busy_count and len(here) > len(mine) and mine:
                self._equals([self.u[p.id, s] for s in sorted(here)], len(mine))
        if self.options.busy_per_slot:
            seats = 2 * len(inst.shared_tables)
            for lits in per_slot.values():
                self._atmost(lits, seats, self.options.tables)

    def _add_tables(self) -> None:
        inst = self.instance
        per_slot: dict[int, list[int]] = {}
        for (_m, s), lit in self.x.items():
            per_slot.setdefault(s, []).append(lit)
        for s in sorted(per_slot):
            self._atmost(per_slot[s], len(inst.shared_tables), self.options.tables)

    def _at_or_before(self, m: int) -> dict[int, int]:
        """Order encoding of meeting ``m``'s slot: ``le[s]`` <-> slot(m) <= s."""
        slots = self.instance.allowed_slots[m]
        out: dict[int, int] = {}
        prev: int | None = None
        for s in range(self.instance.n_slots):
            here = self.x.get((m, s))
            if here is None and prev is None:
                continue
            lit = self._var("le", m, s)
            parts = [lit_ for lit_ in (prev, here) if lit_ is not None]
            self._define_or(lit, parts)
            out[s] = lit
            prev = lit
        del slots
        return out

    def _add_precedences(self) -> None:
        inst = self.instance
        order: dict[int, dict[int, int]] = {}
        for earlier_id, later_id in inst.precedences:
            e, lt = inst.meeting_index[earlier_id], inst.meeting_index[later_id]
            for m in (e, lt):
                if m not in order:
                    order[m] = self._at_or_before(m)
            # later at s needs earlier at or before s - 1.
            for s in inst.allowed_slots[lt]:
                before = order[e].get(s - 1)
                self.hard.append([-self.x[lt, s]] + ([before] if before is not None else []))

    def _add_breaks(self) -> None:
        inst = self.instance
        for p in inst.participants:
            slots = sorted(s for (pid, s) in self.u if pid == p.id)
            ends: list[int] = []
            if len(slots) >= 2:
                seen_prev: int | None = None
                for s in range(slots[0], slots[-1] + 1):
                    busy = self.u.get((p.id, s))
                    nxt = self.u.get((p.id, s + 1))
                    if seen_prev is not None and busy is None and nxt is not None:
                        end = self._var("end", p.id, s)
                        # end <-> seen(s - 1) & idle(s) & busy(s + 1); idle for sure here.
                        self.hard.append([-end, seen_prev])
                        self.hard.append([-end, nxt])
                        self.hard.append([end, -seen_prev, -nxt])
                        ends.append(end)
                    elif seen_prev is not None and busy is not None and nxt is not None:
                        end = self._var("end", p.id, s)
                        self.hard.append([-end, seen_prev])
                        self.hard.append([-end, -busy])
                        self.hard.append([-end, nxt])
                        self.hard.append([end, -seen_prev, busy, -nxt])
                        ends.append(end)
                    # seen(s) <-> seen(s - 1) | busy(s)
                    parts = [lit for lit in (seen_prev, busy) if lit is not None]
                    if parts and s < slots[-1]:
                        if len(parts) == 1:
                            seen_prev = parts[0]
                        else:
                            seen = self._var("seen", p.id, s)
                            self._define_or(seen, parts)
                            seen_prev = seen
            self.ends[p.id] = ends
            self.soft.extend(-end for end in ends)

    def _add_windows(self) -> None:
        """Redundant: without a break, a participant's ``n`` meetings fill one window of
        ``n`` consecutive slots. ``w[p, f]`` picks the window starting at ``f``; only windows
        where every slot is usable and every meeting has an allowed slot are offered, so
        "no break for p" is at once narrowed to a few windows, each fixing p's busy slots."""
        inst = self.instance
        for p in inst.participants:
            mine = inst.meetings_of[p.id]
            n = len(mine)
            ends = self.ends[p.id]
            if n < 2 or not ends:
                continue
            windows: list[int] = []
            for first in range(inst.n_slots - n + 1):
                span = range(first, first + n)
                if any((p.id, s) not in self.u for s in span):
                    continue
                if any(not any(s in span for s in inst.allowed_slots[m]) for m in mine):
                    continue
                w = self._var("w", p.id, first)
                windows.append(w)
                for s in span:
                    self.hard.append([-w, self.u[p.id, s]])
                for m in mine:
                    self.hard.extend(
                        [-w, -self.x[m, s]] for s in inst.allowed_slots[m] if s not in span
                    )
            # No break ends anywhere: then some window holds everything.
            self.hard.append([*ends, *windows])

    def _add_fairness(self) -> None:
        inst = self.instance
        if inst.fairness is None:
            return
        if fairness_per_participant(inst):
            for p in inst.participants:
                limit = inst.break_limit(p.id)
                if limit is not None:
                    self._atmost(self.ends[p.id], limit, "seqcounter")
            return
        self._add_fairness_range(inst.fairness)

    def _unary_count(self, key: str, lits: Sequence[int]) -> list[int]:
        """``out[j - 1]`` <-> at least ``j`` of ``lits`` are true (sequential counter, both
        directions, so the count can be used as a lower bound as well)."""
        prev: list[int] = []
        for i, lit in enumerate(lits):
            cur = [self._var("cnt", key, i, j) for j in range(i + 1)]
            for j, out in enumerate(cur):
                below = prev[j - 1] if j > 0 else None  # at least j before lit
                same = prev[j] if j < len(prev) else None  # at least j + 1 before lit
                # out <-> same | (below & lit), with below true for j = 0.
                if same is not None:
                    self.hard.append([-same, out])
                self.hard.append([-lit, out] if below is None else [-below, -lit, out])
                self.hard.append([-out, lit] if same is None else [-out, same, lit])
                if below is not None:
                    self.hard.append([-out, below] if same is None else [-out, same, below])
            prev = cur
        return prev

    def _add_fairness_range(self, d: int) -> None:
        """max - min <= d over everyone with a meeting (all, as every meeting is placed):
        ``low[k]`` says the fewest breaks anyone has is at least ``k + 1``."""
        counts = {
            pid: self._unary_count(pid, ends)
            for pid, ends in self.ends.items()
            if self.instance.meetings_of[pid]
        }
        top = max((len(c) for c in counts.values()), default=0)
        low = [self._var("low", k) for k in range(top)]
        for k in range(1, top):
            self.hard.append([-low[k], low[k - 1]])
        for count in counts.values():
            for k in range(top):
                # Nobody can have k + 1 breaks: the minimum stays below k + 1.
                self.hard.append([-low[k], count[k]] if k < len(count) else [-low[k]])
            for j in range(d, len(count)):
                # j + 1 breaks need a minimum of at least j + 1 - d.
                self.hard.append([-count[j], low[j - d]] if j - d >= 0 else [-count[j]])

    # ---------------------------------------------------------------- output
    def wcnf(self) -> WCNF:
        formula = WCNF()
        formula.extend(self.hard)
        for lit in self.soft:
            formula.append([lit], weight=1)
        return formula

    def slots_from_model(self, model: Iterable[int]) -> dict[int, int]:
        """Meeting index -> slot of a satisfying assignment."""
        true = {lit for lit in model if lit > 0}
        return {m: s for (m, s), lit in self.x.items() if lit in true}
