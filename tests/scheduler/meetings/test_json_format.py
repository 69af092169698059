import json
import re
from pathlib import Path

import pytest

from scheduler.meetings import DayPart, InstanceFormatError, Placement, Table, solve, validate
from scheduler.meetings.json_format import (
    instance_from_dict,
    instance_to_dict,
    read_json,
    write_json,
)

from .conftest import MakeInstance

DOC = Path(__file__).resolve().parents[3] / "docs" / "formats" / "meetings-instance.md"


def test_round_trip_keeps_every_field(make_instance: MakeInstance, tmp_path: Path) -> None:
    inst = make_instance(
        [("a", "b"), ("a", "c"), ("b", "c")],
        n_slots=4,
        n_morning=2,
        tables=(Table("T1", "Table 1"), Table("B1", "Booth", reserved_for="c")),
        forbidden={"a": {3}},
        caps={"b": 2},
        day_parts={1: DayPart.MORNING},
        fixed={2: 1},
        priorities={3: 2},
        online=[3],
        precedences=(("m1", "m3"),),
        fairness=None,
        fairness_excludes_forced=True,
        previous={"m1": Placement(0, "T1")},
        pinned=frozenset({"m1"}),
        name="rt",
        slot_labels=("a", "b", "c", "d"),
    )
    path = tmp_path / "inst.json"
    write_json(inst, path)
    assert read_json(path) == inst
    assert instance_from_dict(json.loads(json.dumps(instance_to_dict(inst)))) == inst


def test_table_count_shorthand() -> None:
    inst = instance_from_dict(
        {"slots": {"count": 2}, "tables": 3, "participants": [], "meetings": []}
    )
    assert [t.id for t in inst.tables] == ["T1", "T2", "T3"]
    assert inst.fairness == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"participants": [], "meetings": []}, "instance.slots"),
        (
            {"slots": {"count": 2}, "participants": [{"id": 1}], "meetings": []},
            "participants[0].id",
        ),
        (
            {
                "slots": {"count": 2},
                "participants": [{"id": "a"}],
                "meetings": [{"id": "m", "participants": ["a", "zz"]}],
            },
            "meetings[m].participants",
        ),
        (
            {
                "slots": {"count": 2},
                "participants": [{"id": "a"}, {"id": "b"}],
                "meetings": [{"id": "m", "participants": ["a", "b"], "session": "noon"}],
            },
            "meetings[0].session",
        ),
        (
            {
                "slots": {"count": 2},
                "participants": [{"id": "a", "forbidden_slots": [5]}],
                "meetings": [],
            },
            "participants[a].forbidden_slots",
        ),
    ],
)
def test_bad_fields_are_named(data: dict[str, object], field: str) -> None:
    with pytest.raises(InstanceFormatError, match=re.escape(field)):
        instance_from_dict(data)


def test_documented_example_solves(tmp_path: Path) -> None:
    block = re.search(r"```json\n(.*?)```", DOC.read_text(), re.S)
    assert block is not None
    path = tmp_path / "example.json"
    path.write_text(block.group(1))
    inst = read_json(path)
    result = solve(inst)
    assert result.status.value == "optimal"
    assert validate(inst, result) == []
    assert result.assignments["m2"].table == "B1"
    assert result.assignments["m3"].table is None
