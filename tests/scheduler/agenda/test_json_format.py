"""JSON instances: round trip, and errors that name the bad field."""

import json

import pytest

from scheduler.agenda import (
    Availability,
    CoAttendance,
    InvalidAgendaInstance,
    Pin,
    Placement,
    Room,
    SessionKind,
    Weights,
)
from scheduler.agenda.json_format import (
    dump_instance,
    instance_from_dict,
    instance_to_dict,
    load_instance,
)


@pytest.fixture
def instance(make_instance, make_session):
    sessions = (
        make_session("open", length=2, kind=SessionKind.PLENARY, pinned=Pin("r1", 0)),
        make_session(
            "ws",
            length=2,
            kind=SessionKind.WORKSHOP,
            theme="ai",
            audience=30,
            speakers=("ann",),
            moderators=("bob",),
            panellists=("cy",),
            required_features=frozenset({"hybrid"}),
            start_slots=frozenset({2, 5}),
        ),
    )
    rooms = (Room("r1", "Hall", 300, frozenset({"hybrid", "streaming"})), Room("r2", "B", 20))
    return make_instance(
        sessions,
        slots_per_day=4,
        days=2,
        rooms=rooms,
        blocked=frozenset({3}),
        availability=(Availability("ann", frozenset({2, 3, 4, 5})),),
        co_attendance=(CoAttendance("open", "ws", 12),),
        min_pause=1,
        weights=Weights(1, 2, 3, 4, 5, 6),
        previous=(Placement("ws", "r1", 5),),
    )


def test_round_trip_through_a_file(instance, tmp_path):
    path = tmp_path / "agenda.json"
    dump_instance(instance, path)
    assert load_instance(path) == instance
    assert instance_from_dict(json.loads(path.read_text())) == instance


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["sessions"][1].update(kind="lecture"), "sessions[1].kind"),
        (lambda d: d["sessions"][0].pop("length"), "sessions[0].length"),
        (lambda d: d["rooms"][0].update(capacity="big"), "rooms[0].capacity"),
        (lambda d: d["grid"].update(slots_per_day=0), "grid.slots_per_day"),
        (lambda d: d["sessions"][0]["pinned"].update(room="r9"), "sessions[open].pinned.room"),
        (lambda d: d["co_attendance"][0].update(second="nope"), "co_attendance[open,nope]"),
        (lambda d: d["weights"].update(moves=-1), "weights.moves"),
        (lambda d: d.update(format="other/2"), "format"),
        (lambda d: d["availability"].update(ann=[99]), "availability[ann].slots"),
    ],
)
def test_errors_name_the_field(instance, change, field):
    data = instance_to_dict(instance)
    change(data)
    with pytest.raises(InvalidAgendaInstance) as error:
        instance_from_dict(data)
    assert error.value.field == field


def test_not_json_is_reported(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{nope")
    with pytest.raises(InvalidAgendaInstance, match="not valid JSON"):
        load_instance(path)
