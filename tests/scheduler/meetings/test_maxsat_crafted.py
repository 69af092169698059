"""The crafted-variant generator (benchkit/meetings/crafted.py) and the engines on small
crafted instances: each variant family changes what it says, is seeded, and solves to the
brute-force optimum (or proven infeasibility) with CP-SAT and MaxSAT alike."""

from __future__ import annotations

import pytest

from benchkit.meetings.crafted import PAPER_VARIANTS, Variant, craft, crafted_variants
from scheduler.meetings import MeetingInstance, SolveOptions, Status, solve, validate
from scheduler.meetings.maxsat import run_maxsat

from .brute_force import brute_force_optimum
from .conftest import MakeInstance

LIMIT = 60.0  # a safety net only


PAIRS = [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("a", "d"), ("d", "e")]


@pytest.fixture
def small(make_instance: MakeInstance) -> MeetingInstance:
    return make_instance(PAIRS, n_slots=5, n_morning=2, tables=2, name="small")


def test_six_paper_variants_with_their_names(small: MeetingInstance) -> None:
    names = [v.name for v in crafted_variants(small)]
    assert names == [
        "small+forbidden-0.3",
        "small+forbidden-0.7",
        "small+fixed-20",
        "small+fixed-40",
        "small+precedences-15",
        "small+precedences-25",
    ]
    assert len(PAPER_VARIANTS) == 6


def test_same_seed_same_variant_other_seed_other_variant(small: MeetingInstance) -> None:
    variant = Variant("fixed", 0.4)
    assert craft(small, variant, seed=1) == craft(small, variant, seed=1)
    fixes = {tuple(m.fixed_slot for m in craft(small, variant, seed=s).meetings) for s in range(8)}
    assert len(fixes) > 1


def test_forbidden_family_adds_the_share_of_pairs(small: MeetingInstance) -> None:
    crafted = craft(small, Variant("forbidden", 0.1))
    added = sum(len(p.forbidden_slots) for p in crafted.participants)
    assert added == round(0.1 * len(small.participants) * small.n_slots)
    assert crafted.meetings == small.meetings


def test_fixed_family_fixes_the_share_without_visible_clashes(small: MeetingInstance) -> None:
    crafted = craft(small, Variant("fixed", 0.4))
    fixed = [(m, m.fixed_slot) for m in crafted.meetings if m.fixed_slot is not None]
    assert len(fixed) == round(0.4 * len(small.meetings))
    seen: set[tuple[str, int]] = set()
    for meeting, slot in fixed:
        assert slot is not None
        assert slot in crafted.allowed_slots[crafted.meeting_index[meeting.id]]
        for p in meeting.participants:
            assert (p, slot) not in seen
            seen.add((p, slot))


def test_precedence_family_links_meetings_of_a_shared_participant(
    small: MeetingInstance,
) -> None:
    crafted = craft(small, Variant("precedences", 0.5))
    assert len(crafted.precedences) == round(0.5 * len(small.meetings))
    index = crafted.meeting_index
    for earlier, later in crafted.precedences:
        a = crafted.meetings[index[earlier]].participants
        b = crafted.meetings[index[later]].participants
        assert set(a) & set(b)


@pytest.mark.parametrize("variant", [*PAPER_VARIANTS, Variant("fixed", 0.6)], ids=str)
@pytest.mark.parametrize("seed", range(2))
def test_engines_resolve_small_variants_to_the_brute_force_optimum(
    small: MeetingInstance, variant: Variant, seed: int
) -> None:
    _assert_engines_agree_with_brute_force(craft(small, variant, seed))


@pytest.mark.parametrize(
    "variant",
    [Variant("fixed", 0.4), Variant("forbidden", 0.2), Variant("precedences", 0.8)],
    ids=str,
)
def test_engines_prove_crafted_infeasibility(make_instance: MakeInstance, variant: Variant) -> None:
    # With fairness 0 these variants of the small instance have no schedule at all.
    fair = make_instance(PAIRS, n_slots=5, n_morning=2, tables=2, name="fair", fairness=0)
    instance = craft(fair, variant, seed=1)
    assert brute_force_optimum(instance) is None
    _assert_engines_agree_with_brute_force(instance)


def _assert_engines_agree_with_brute_force(instance: MeetingInstance) -> None:
    expected = brute_force_optimum(instance)
    result = solve(instance, SolveOptions(time_limit_s=LIMIT, allow_unscheduled=False))
    outcome = run_maxsat(instance, LIMIT)
    if expected is None:
        assert result.status is Status.INFEASIBLE
        assert outcome.status is Status.INFEASIBLE
        return
    assert result.status is Status.OPTIMAL
    assert result.objective == expected
    assert validate(instance, result, require_all=True) == []
    assert outcome.status is Status.OPTIMAL
    assert outcome.bound == expected
