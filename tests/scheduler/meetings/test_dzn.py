from pathlib import Path

import pytest

from benchkit.data import b2b_instances_dir
from scheduler.meetings import InstanceFormatError, read_dzn
from scheduler.meetings.dzn import instance_from_dzn_text

BENCH = b2b_instances_dir()
FILES = sorted(BENCH.glob("*.dzn"))


@pytest.mark.skipif(not FILES, reason="benchmark instances not available")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_benchmark_file_parses(path: Path) -> None:
    inst = read_dzn(path)
    assert inst.participants and inst.meetings
    assert all(0 not in [s + 1 for s in p.forbidden_slots] for p in inst.participants)
    assert all(inst.allowed_slots), "every meeting keeps at least one slot"


def test_small_text_maps_numbers_to_zero_based_slots() -> None:
    text = """
    nBusiness = 3; nMeetings = 2; nTables = 1; nTotalSlots = 4; nMorningSlots = 2;
    requested = [| 1, 2, 1 | 2, 3, 2 |];
    nMeetingsBusiness = [1, 2, 1];
    meetingsxBusiness = [{1,2}, {1,2,3}, {1,3}];
    forbidden = [{0, 2}, {0}, {0, 3..4}];
    fixed = [0, 3];
    precedences = [{}, {1}];
    """
    inst = instance_from_dzn_text(text, name="tiny")
    assert [p.forbidden_slots for p in inst.participants] == [
        frozenset({1}),
        frozenset(),
        frozenset({2, 3}),
    ]
    assert inst.meetings[1].fixed_slot == 2
    assert inst.precedences == (("1", "2"),)
    assert len(inst.tables) == 1


def test_garbage_raises_format_error() -> None:
    with pytest.raises(InstanceFormatError):
        instance_from_dzn_text("nBusiness = ;")
    with pytest.raises(InstanceFormatError):
        instance_from_dzn_text("nBusiness = 2;")
