from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pytest

from scheduler.meetings import (
    DayPart,
    Meeting,
    MeetingInstance,
    Participant,
    Table,
    numbered_tables,
)

MakeInstance = Callable[..., MeetingInstance]


@pytest.fixture
def make_instance() -> MakeInstance:
    """Return a callable building small instances from ``("a", "b")``-style meeting pairs."""

    def build(
        pairs: Iterable[tuple[str, str]],
        *,
        n_slots: int = 4,
        n_morning: int | None = None,
        tables: int | tuple[Table, ...] = 4,
        forbidden: Mapping[str, set[int]] | None = None,
        caps: Mapping[str, int] | None = None,
        day_parts: Mapping[int, DayPart] | None = None,
        fixed: Mapping[int, int] | None = None,
        priorities: Mapping[int, int] | None = None,
        online: Iterable[int] = (),
        extra_participants: Iterable[str] = (),
        **kwargs: Any,
    ) -> MeetingInstance:
        pairs = list(pairs)
        people = sorted({p for pair in pairs for p in pair} | set(extra_participants))
        forbidden = forbidden or {}
        caps = caps or {}
        online_set = set(online)
        return MeetingInstance(
            participants=tuple(
                Participant(
                    p, forbidden_slots=frozenset(forbidden.get(p, set())), max_meetings=caps.get(p)
                )
                for p in people
            ),
            meetings=tuple(
                Meeting(
                    id=f"m{i + 1}",
                    participant_a=a,
                    participant_b=b,
                    day_part=(day_parts or {}).get(i + 1, DayPart.EITHER),
                    fixed_slot=(fixed or {}).get(i + 1),
                    priority=(priorities or {}).get(i + 1, 1),
                    is_online=i + 1 in online_set,
                )
                for i, (a, b) in enumerate(pairs)
            ),
            n_slots=n_slots,
            n_morning_slots=n_slots if n_morning is None else n_morning,
            tables=numbered_tables(tables) if isinstance(tables, int) else tables,
            **kwargs,
        )

    return build
