from __future__ import annotations

from collections import Counter

from flask import Flask
from sqlalchemy import func, select

from api.demo.build import build_demo_event
from api.extensions import db
from api.models import Event, Organisation, Participant, Session, SignUp


def test_demo_event_is_realistic_and_reproducible(sqlite_app: Flask) -> None:
    build_demo_event(120, seed=5)
    db.session.commit()
    organisations = list(db.session.scalars(select(Organisation)))
    countries = Counter(org.country for org in organisations)
    assert len(countries) >= 20
    assert {"TW", "CA", "JP", "TN", "MA"} & set(countries)
    assert {org.type for org in organisations} >= {
        "sme",
        "large_company",
        "cluster_organisation",
        "research",
        "university",
        "public_authority",
        "investor",
    }
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 120
    assert db.session.scalar(select(func.count()).select_from(SignUp)) > 120
    pinned = db.session.scalars(select(Session).where(Session.is_pinned.is_(True))).all()
    assert [s.kind for s in pinned] == ["plenary"]
    emails = sorted(db.session.scalars(select(Participant.email)))

    # Building again replaces the event with the same one.
    build_demo_event(120, seed=5)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Event)) == 1
    assert sorted(db.session.scalars(select(Participant.email))) == emails
