"""Online, hybrid and cross-border events (issue 12): every bug of the issue has a test here."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.extensions import db
from api.models import Job, MeetingPlacement, MeetingRequest, ScheduleVersion, SessionPlacement
from api.solving.execute import run_job
from tests.api.conftest import Caller

DAY = "2027-03-10"
BERLIN = ZoneInfo("Europe/Berlin")
TAIPEI = ZoneInfo("Asia/Taipei")


def _person(
    factory: Any, event_id: int, country: str, *, online: bool = False, **extra: Any
) -> Caller:
    caller: Caller = factory(
        event_id=event_id,
        attendance="online" if online else "on_site",
        organisation={
            "name": f"Org {country} {extra.pop('tag', '')}",
            "type": "sme",
            "country": country,
        },
        **extra,
    )
    return caller


def _meet(client: FlaskClient, event_id: int, organiser: Caller, a: Caller, b: Caller) -> None:
    response = client.post(
        f"/api/v1/events/{event_id}/meeting-requests",
        json={"requester_id": a.id, "invitee_id": b.id},
        headers=organiser.headers,
    )
    assert response.status_code == 201, response.json


def _run(event_id: int, kind: str = "meetings") -> Job:
    # A proof-sized limit: these instances solve to optimality in well under a second.
    job = Job(event_id=event_id, kind=kind, params={"time_limit": 60, "workers": 1})
    db.session.add(job)
    db.session.commit()
    run_job(job.id)
    db.session.refresh(job)
    return job


def _placements(job: Job) -> list[MeetingPlacement]:
    return list(
        db.session.scalars(
            select(MeetingPlacement).where(MeetingPlacement.version_id == job.result["version_id"])
        )
    )


def _settings(**overrides: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "meeting_length_min": 30,
        "blocks": [{"day": DAY, "start": "09:00", "end": "12:00"}],
    }
    settings.update(overrides)
    return settings


def _event(event_factory: Any, **settings: Any) -> dict[str, Any]:
    event: dict[str, Any] = event_factory(
        timezone="Europe/Berlin",
        start_date=DAY,
        end_date=DAY,
        meeting_settings=_settings(**settings),
    )
    return event


@pytest.mark.postgres
def test_meetings_of_online_participants_are_online_with_a_secret_link_and_no_table(
    client: FlaskClient, organiser: Caller, event_factory: Any, participant_factory: Any
) -> None:
    """41 online participants and no tables used to "succeed" with 0 placed."""
    event = _event(
        event_factory, video_link_template="https://meet.example.org/{event_slug}-{meeting_secret}"
    )
    eid = event["id"]
    taipei = [_person(participant_factory, eid, "TW", online=True, tag=n) for n in range(3)]
    berlin = [_person(participant_factory, eid, "DE", tag=n) for n in range(3)]
    for a in taipei:
        for b in berlin[:2]:
            _meet(client, eid, organiser, a, b)
    job = _run(eid)
    assert job.status == "succeeded", job.error
    assert job.result["complete"] is True
    assert job.result["scheduled"] == job.result["meetings"] == 6
    placements = _placements(job)
    assert len(placements) == 6
    links = {p.online_url for p in placements}
    assert all(p.table_id is None for p in placements)
    assert len(links) == 6  # one link per meeting
    for placement in placements:
        assert placement.online_url is not None
        prefix = f"https://meet.example.org/{event['slug']}-"
        assert placement.online_url.startswith(prefix)
        secret = placement.online_url.removeprefix(prefix)
        assert len(secret) == 20 and str(placement.meeting_id) != secret
    listed = client.get(f"/api/v1/events/{eid}/jobs/{job.id}", headers=organiser.headers).json
    assert listed["is_complete"] is True


def test_a_job_with_on_site_meetings_and_no_tables_fails_before_solving(
    client: FlaskClient, organiser: Caller, event_factory: Any, participant_factory: Any
) -> None:
    eid = _event(event_factory)["id"]
    a, b = (_person(participant_factory, eid, c) for c in ("DE", "FR"))
    _meet(client, eid, organiser, a, b)
    job = _run(eid)
    assert job.status == "failed"
    assert "no tables" in job.error and "1 of 1 meetings" in job.error
    versions = select(func.count()).select_from(ScheduleVersion)
    assert db.session.scalar(versions.where(ScheduleVersion.event_id == eid)) == 0


def test_a_result_that_leaves_meetings_out_says_so(
    client: FlaskClient, organiser: Caller, event_factory: Any, participant_factory: Any
) -> None:
    """One slot, one table, two on-site meetings of four different people."""
    eid = _event(event_factory, blocks=[{"day": DAY, "start": "09:00", "end": "09:30"}])["id"]
    response = client.post(
        f"/api/v1/events/{eid}/tables", json={"name": "Table 1"}, headers=organiser.headers
    )
    assert response.status_code == 201, response.json
    people = [
        _person(participant_factory, eid, c, tag=n) for n, c in enumerate(["DE", "FR", "BE", "IT"])
    ]
    _meet(client, eid, organiser, people[0], people[1])
    _meet(client, eid, organiser, people[2], people[3])
    job = _run(eid)
    assert job.status == "succeeded", job.error
    assert (job.result["complete"], job.result["unscheduled_count"]) == (False, 1)
    assert len(job.result["unscheduled"]) == 1
    shown = client.get(f"/api/v1/events/{eid}/jobs/{job.id}", headers=organiser.headers).json
    assert shown["is_complete"] is False


def test_virtual_rooms_come_first_then_the_template(
    client: FlaskClient, organiser: Caller, event_factory: Any, participant_factory: Any
) -> None:
    """One slot: three online meetings, two rooms; the third gets a templated link."""
    rooms = [
        {"name": "Room A", "url": "https://rooms.example.org/a"},
        {"name": "Room B", "url": "https://rooms.example.org/b"},
    ]
    event = _event(
        event_factory,
        blocks=[{"day": DAY, "start": "09:00", "end": "09:30"}],
        virtual_rooms=rooms,
        video_link_template="https://meet.example.org/{meeting_secret}",
        online_policy="all_online",
    )
    eid = event["id"]
    # Organisers' virtual room links are not public, and a PATCH keeps them.
    assert "virtual_rooms" not in event["meeting_settings"]
    assert event["meeting_settings"]["virtual_room_count"] == 2
    patched = client.patch(
        f"/api/v1/events/{eid}", json={"name": "Renamed"}, headers=organiser.headers
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["meeting_settings"]["virtual_room_count"] == 2
    people = [
        _person(participant_factory, eid, c, tag=n)
        for n, c in enumerate(["DE", "FR", "BE", "IT", "ES", "PT"])
    ]
    for a, b in zip(people[::2], people[1::2], strict=True):
        _meet(client, eid, organiser, a, b)
    job = _run(eid)
    assert job.status == "succeeded", job.error
    links = sorted(p.online_url or "" for p in _placements(job))
    assert links[1:] == ["https://rooms.example.org/a", "https://rooms.example.org/b"]
    assert links[0].startswith("https://meet.example.org/")


def test_on_site_only_puts_online_participants_at_tables(
    client: FlaskClient, organiser: Caller, event_factory: Any, participant_factory: Any
) -> None:
    eid = _event(event_factory, online_policy="on_site_only")["id"]
    client.post(f"/api/v1/events/{eid}/tables", json={"name": "T1"}, headers=organiser.headers)
    a = _person(participant_factory, eid, "TW", online=True)
    b = _person(participant_factory, eid, "DE")
    _meet(client, eid, organiser, a, b)
    job = _run(eid)
    assert job.status == "succeeded", job.error
    (placement,) = _placements(job)
    assert placement.table_id is not None and placement.online_url is None


@pytest.mark.postgres
def test_meetings_lie_inside_both_sides_working_hours_and_show_both_local_times(
    client: FlaskClient, organiser: Caller, event_factory: Any, participant_factory: Any
) -> None:
    """Berlin 09:00-17:00 is 16:00-24:00 in Taipei: only 09:00-11:00 Berlin suits both."""
    eid = _event(
        event_factory,
        blocks=[{"day": DAY, "start": "09:00", "end": "17:00"}],
        video_link_template="https://meet.example.org/{meeting_secret}",
    )["id"]
    taipei = _person(participant_factory, eid, "TW", online=True, timezone="Asia/Taipei")
    others = [_person(participant_factory, eid, "DE", tag=n) for n in range(5)]
    for other in others:
        _meet(client, eid, organiser, taipei, other)
    job = _run(eid)
    assert job.status == "succeeded", job.error
    placements = _placements(job)
    # Four 30-minute slots fit in 16:00-18:00 Taipei: one meeting is left out, on purpose.
    assert len(placements) == 4 and job.result["complete"] is False
    for placement in placements:
        local = placement.start_dt.astimezone(TAIPEI)
        assert time(9) <= local.time() and placement.end_dt.astimezone(TAIPEI).time() <= time(18)
    version_id = job.result["version_id"]
    published = client.post(
        f"/api/v1/events/{eid}/schedules/{version_id}/publish", headers=organiser.headers
    )
    assert published.status_code == 200, published.json
    mine = client.get(
        f"/api/v1/events/{eid}/participants/{taipei.id}/schedule", headers=taipei.headers
    ).json
    assert mine["timezone"] == "Asia/Taipei"
    item = mine["items"][0]
    assert item["start_dt"].endswith("+08:00")
    assert item["partner_timezone"] == "Europe/Berlin"
    assert item["partner_start_dt"].endswith("+01:00")
    assert datetime.fromisoformat(item["start_dt"]) == datetime.fromisoformat(
        item["partner_start_dt"]
    )
    assert item["is_online"] is True and item["online_url"].startswith("https://meet.example")
    partners = [
        client.get(
            f"/api/v1/events/{eid}/participants/{other.id}/schedule", headers=other.headers
        ).json
        for other in others
    ]
    theirs = [schedule["items"][0] for schedule in partners if schedule["items"]]
    assert len(theirs) == 4
    for partner_item in theirs:
        assert partner_item["start_dt"].endswith("+01:00")
        assert partner_item["partner_start_dt"].endswith("+08:00")


@pytest.mark.postgres
def test_working_hours_are_editable_and_checked(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    me = participant_factory(working_hours_start="07:30", working_hours_end="15:00")
    url = f"/api/v1/events/{event['id']}/participants/{me.id}"
    shown = client.get(url, headers=me.headers).json
    assert (shown["working_hours_start"], shown["working_hours_end"]) == ("07:30", "15:00")
    refused = client.patch(url, json={"working_hours_end": "07:00"}, headers=me.headers)
    assert refused.status_code == 422
    assert "working_hours_end" in str(refused.json)
    default = participant_factory()
    shown = client.get(
        f"/api/v1/events/{event['id']}/participants/{default.id}", headers=default.headers
    ).json
    assert (shown["working_hours_start"], shown["working_hours_end"]) == ("09:00", "18:00")


def _session(client: FlaskClient, eid: int, organiser: Caller, **values: Any) -> int:
    response = client.post(
        f"/api/v1/events/{eid}/sessions",
        json={"title": "Workshop", "kind": "workshop", "length_min": 60, **values},
        headers=organiser.headers,
    )
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def test_the_agenda_grid_comes_from_the_programme_settings(
    client: FlaskClient, organiser: Caller, event_factory: Any
) -> None:
    """An online talk from 08:30 to 09:45: every session lands inside it."""
    eid = event_factory(
        timezone="Europe/Brussels",
        start_date=DAY,
        end_date=DAY,
        programme_settings={"day_start": "08:30", "day_end": "09:45", "breaks": []},
    )["id"]
    client.post(
        f"/api/v1/events/{eid}/rooms",
        json={"name": "Studio", "capacity": 500},
        headers=organiser.headers,
    )
    ids = [
        _session(client, eid, organiser, title=title, kind="plenary", length_min=length)
        for title, length in (("News", 15), ("Keynote", 30), ("Panel", 30))
    ]
    job = _run(eid, "agenda")
    assert job.status == "succeeded", job.error
    placements = list(
        db.session.scalars(
            select(SessionPlacement).where(SessionPlacement.version_id == job.result["version_id"])
        )
    )
    assert sorted(p.session_id for p in placements) == sorted(ids)
    zone = ZoneInfo("Europe/Brussels")
    for placement in placements:
        assert placement.start_dt.astimezone(zone).time() >= time(8, 30)
        assert placement.end_dt.astimezone(zone).time() <= time(9, 45)


def test_a_workshop_never_lands_outside_the_day_or_its_speakers_working_hours(
    client: FlaskClient, organiser: Caller, event_factory: Any, participant_factory: Any
) -> None:
    """A Taipei speaker (09:00-18:00 +08:00) of a Berlin day: 09:00-11:00 Berlin only."""
    eid = event_factory(
        timezone="Europe/Berlin",
        start_date=DAY,
        end_date=DAY,
        programme_settings={"day_start": "09:00", "day_end": "17:00", "breaks": []},
    )["id"]
    speaker = _person(participant_factory, eid, "TW", online=True, timezone="Asia/Taipei")
    client.post(
        f"/api/v1/events/{eid}/rooms",
        json={"name": "Hall", "capacity": 100},
        headers=organiser.headers,
    )
    _session(client, eid, organiser, speakers=[{"participant_id": speaker.id}])
    job = _run(eid, "agenda")
    assert job.status == "succeeded", job.error
    (placement,) = db.session.scalars(
        select(SessionPlacement).where(SessionPlacement.version_id == job.result["version_id"])
    )
    assert placement.start_dt.astimezone(TAIPEI).time() >= time(9)
    assert placement.end_dt.astimezone(TAIPEI).time() <= time(18)
    assert placement.start_dt.astimezone(BERLIN).time() >= time(9)


def test_bad_programme_settings_and_link_templates_are_422(
    client: FlaskClient, organiser: Caller
) -> None:
    from tests.api.conftest import event_payload

    for overrides, field in (
        ({"programme_settings": {"day_start": "18:00", "day_end": "09:00"}}, "day_end"),
        ({"programme_settings": {"day_start": "9h"}}, "day_start"),
        ({"meeting_settings": _settings(video_link_template="https://x.org/{room}")}, "video_link"),
        ({"meeting_settings": _settings(video_link_template="http://x.org/{meeting_id}")}, "https"),
        ({"meeting_settings": _settings(online_policy="sometimes")}, "online_policy"),
    ):
        response = client.post(
            "/api/v1/events", json=event_payload(**overrides), headers=organiser.headers
        )
        assert response.status_code == 422, overrides
        assert field in str(response.json), response.json


@pytest.mark.parametrize(
    ("countries", "allowed"),
    [(("DE", "TW"), True), (("DE", "FR"), False), (("TW", "TW"), False), (("CA", "IT"), True)],
)
def test_country_sets_say_who_meets_whom(
    client: FlaskClient,
    organiser: Caller,
    event_factory: Any,
    participant_factory: Any,
    countries: tuple[str, str],
    allowed: bool,
) -> None:
    """EU meets Taiwan and EU meets Canada; Europeans do not meet each other (a participant
    asks; organisers may arrange any meeting)."""
    eid = event_factory(
        rules={"cross_border_only": True, "allowed_country_set_pairs": [["EU", "TW"], ["EU", "CA"]]}
    )["id"]
    a, b = (_person(participant_factory, eid, c, tag=n) for n, c in enumerate(countries))
    response = client.post(
        f"/api/v1/events/{eid}/meeting-requests",
        json={"invitee_id": b.id},
        headers=a.headers,
    )
    assert response.status_code == (201 if allowed else 422), response.json


def test_an_organisers_own_country_set_and_an_unknown_one(
    client: FlaskClient, organiser: Caller, event_factory: Any, participant_factory: Any
) -> None:
    from tests.api.conftest import event_payload

    eid = event_factory(
        rules={
            "country_sets": {"SMED": ["MA", "TN", "EG"]},
            "allowed_country_set_pairs": [["EU", "SMED"]],
        }
    )["id"]
    a = _person(participant_factory, eid, "ES")
    b = _person(participant_factory, eid, "MA")
    _meet(client, eid, organiser, a, b)
    refused = client.post(
        "/api/v1/events",
        json=event_payload(rules={"allowed_country_set_pairs": [["EU", "MEDS"]]}),
        headers=organiser.headers,
    )
    assert refused.status_code == 422
    assert "MEDS" in str(refused.json)


def test_recommendations_and_auto_matching_keep_to_country_sets_and_groups(
    client: FlaskClient, organiser: Caller, event_factory: Any, participant_factory: Any
) -> None:
    """EU buyers meet Taiwanese suppliers: never a European supplier, never a buyer."""
    eid = event_factory()["id"]
    client.post(
        f"/api/v1/events/{eid}/tags",
        json={"slug": "batteries", "label": "Batteries", "kind": "sector"},
        headers=organiser.headers,
    )

    def make(group: str, country: str, kind: str, n: int) -> Caller:
        caller: Caller = participant_factory(
            event_id=eid,
            group=group,
            organisation={"name": f"{group} {country} {n}", "type": "sme", "country": country},
        )
        response = client.post(
            f"/api/v1/events/{eid}/opportunities",
            json={"kind": kind, "title": f"Battery recycling cells {n}", "tags": ["batteries"]},
            headers=caller.headers,
        )
        assert response.status_code == 201, response.json
        return caller

    buyers = [make("buyer", c, "request", n) for n, c in enumerate(("DE", "FR", "TW"))]
    suppliers = [make("supplier", c, "offer", n) for n, c in enumerate(("TW", "TW", "IT", "FR"))]
    response = client.patch(
        f"/api/v1/events/{eid}",
        json={
            "rules": {
                "allowed_group_pairs": [["buyer", "supplier"]],
                "allowed_country_set_pairs": [["EU", "TW"]],
            }
        },
        headers=organiser.headers,
    )
    assert response.status_code == 200, response.json
    country = {c.id: cc for c, cc in zip(buyers, ("DE", "FR", "TW"), strict=True)}
    country |= {c.id: cc for c, cc in zip(suppliers, ("TW", "TW", "IT", "FR"), strict=True)}
    taiwanese_suppliers = {s.id for s in suppliers[:2]}
    recommended = client.get(
        f"/api/v1/events/{eid}/participants/{buyers[0].id}/recommendations",
        headers=buyers[0].headers,
    ).json
    assert isinstance(recommended, list), recommended
    assert {r["candidate"]["id"] for r in recommended} == taiwanese_suppliers
    taiwan_buyer = client.get(
        f"/api/v1/events/{eid}/participants/{buyers[2].id}/recommendations",
        headers=buyers[2].headers,
    ).json
    assert {r["candidate"]["id"] for r in taiwan_buyer} == {s.id for s in suppliers[2:]}
    job = Job(event_id=eid, kind="automatch", params={"time_limit": 60, "workers": 1})
    db.session.add(job)
    db.session.commit()
    assert run_job(job.id) == "succeeded"
    proposals = list(
        db.session.scalars(
            select(MeetingRequest).where(
                MeetingRequest.event_id == eid, MeetingRequest.origin == "auto_match"
            )
        )
    )
    assert proposals
    buyer_ids = {b.id for b in buyers}
    for proposal in proposals:
        pair = {country[proposal.requester_id], country[proposal.invitee_id]}
        assert "TW" in pair and len(pair) == 2
        assert (proposal.requester_id in buyer_ids) != (proposal.invitee_id in buyer_ids)
