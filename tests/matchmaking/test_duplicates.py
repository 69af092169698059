"""Near-identical entries: grouped as a reader would, listed once, the copies pushed down."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matchmaking import (
    Matchmaker,
    Opportunity,
    OpportunityKind,
    ParticipantProfile,
    Recommendation,
    ScoringWeights,
)
from matchmaking.duplicates import DuplicateGroups, normal_text, repeats_last
from matchmaking.reasons import BACKING
from tests.matchmaking.conftest import ProfileFactory, offer, request

ROBOTS = ("Solar panel cleaning robots", "Autonomous robots clean PV modules without water.")
NO_DIVERSITY = ScoringWeights(repeats_last=False, repeat_share=1.0)


def _fillers(make_profile: ProfileFactory) -> list[ParticipantProfile]:
    entries = [
        ("Export consulting", "We accompany SMEs entering Latin American markets."),
        ("Event management", "Conferences and trade fair stands."),
        ("Translation and interpreting", "Thirty languages, sworn translators."),
        ("Pallets and crates", "Wooden packaging for export."),
        ("Video production", "Product films and animations."),
        ("Coworking space", "Desks and meeting rooms in the city centre."),
    ]
    return [
        make_profile(f"filler{i}", opportunities=(offer(title, text),))
        for i, (title, text) in enumerate(entries)
    ]


def _ids(found: list[Recommendation]) -> list[str]:
    return [r.candidate_id for r in found]


def test_normal_text_ignores_case_punctuation_and_spacing() -> None:
    assert normal_text("  Solar-panel  CLEANING, robots! ") == "solar panel cleaning robots"


def test_groups_read_title_and_description() -> None:
    full = offer(*ROBOTS)
    same = offer("solar panel cleaning robots.", "Autonomous robots clean PV modules without water")
    title_only = offer("Solar panel cleaning robots")
    other_text = offer("Solar panel cleaning robots", "Brushes mounted on tractors.")
    asked = request(*ROBOTS)
    groups = DuplicateGroups([])
    assert groups.item(full) == groups.item(same)
    assert groups.item(full) != groups.item(other_text)
    # A request is never the same entry as an offer, even word for word.
    assert groups.item(asked) != groups.item(full)
    # Without knowing any described item of that title, a title alone is its own group.
    assert groups.item(title_only) not in {groups.item(full), groups.item(other_text)}


def test_a_title_alone_joins_its_only_description(make_profile: ProfileFactory) -> None:
    people = [
        make_profile("full", opportunities=(offer(*ROBOTS),)),
        make_profile("short", opportunities=(offer(ROBOTS[0]),)),
    ]
    groups = DuplicateGroups(people)
    assert groups.item(offer(ROBOTS[0])) == groups.item(offer(*ROBOTS))
    # Two different descriptions under one title: a title alone could be either.
    people.append(
        make_profile("other", opportunities=(offer(ROBOTS[0], "Brushes mounted on tractors."),))
    )
    ambiguous = DuplicateGroups(people)
    assert ambiguous.item(offer(ROBOTS[0])) != ambiguous.item(offer(*ROBOTS))


def test_descriptions_are_grouped_apart_from_items() -> None:
    groups = DuplicateGroups([])
    first, second, third = groups.descriptions(
        ["Family-owned, 45 people.", "family owned 45 people", "Start-up, 8 people."]
    )
    assert first == second != third
    assert first != groups.item(offer("Family-owned, 45 people."))


def test_repeats_last_keeps_first_of_each_group_in_place() -> None:
    groups = np.array([[5, 3, 5, 7, 3, 9], [1, 1, 1, 2, 2, 4]], dtype=np.int64)
    valid = np.array([[1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 1]], dtype=np.bool_)
    order = repeats_last(groups, valid)
    # Row 0: 5, 3, 7 first; the repeats of 5 and 3 next; the invalid entry stays last.
    assert order[0].tolist() == [0, 1, 3, 2, 4, 5]
    assert order[1].tolist() == [0, 3, 5, 1, 2, 4]
    assert repeats_last(groups[:0], valid[:0]).shape == (0, 6)


@pytest.fixture
def robots_event(make_profile: ProfileFactory) -> list[ParticipantProfile]:
    """One request; four firms post the same robot offer; one answers in other words."""
    copies = [
        make_profile(f"copy{n}", opportunities=(offer(*ROBOTS),), country=country)
        for n, country in enumerate(("FR", "IT", "ES", "PL"))
    ]
    return [
        make_profile(
            "farm",
            description="We run solar parks in Andalusia.",
            opportunities=(
                request(
                    "Cleaning our solar panels",
                    "Dust on the PV modules costs us yield; we need robots or another way "
                    "to clean them without water.",
                ),
            ),
        ),
        *copies,
        make_profile(
            "coating",
            opportunities=(
                offer(
                    "Anti-soiling coating for PV modules",
                    "A nano coating keeps dust off the panels, so they need less cleaning.",
                ),
            ),
        ),
        *_fillers(make_profile),
    ]


def test_copies_crowd_the_list_without_diversification(
    robots_event: list[ParticipantProfile],
) -> None:
    found = _ids(Matchmaker(robots_event, weights=NO_DIVERSITY).recommend_for("farm", k=4))
    assert sorted(found) == ["copy0", "copy1", "copy2", "copy3"]


def test_one_copy_is_shown_and_a_different_answer_keeps_its_place(
    robots_event: list[ParticipantProfile],
) -> None:
    found = Matchmaker(robots_event).recommend_for("farm", k=4)
    ids = _ids(found)
    assert ids[0].startswith("copy")
    assert ids[1] == "coating"
    # The other copies are pushed down, not dropped.
    assert sorted(ids[2:]) == sorted(set(("copy0", "copy1", "copy2", "copy3")) - {ids[0]})[:2]
    for recommendation in found:
        for reason in recommendation.reasons:
            assert recommendation.breakdown.to_dict()[BACKING[reason.kind]] > 0


def test_the_best_of_near_duplicates_is_the_one_shown(make_profile: ProfileFactory) -> None:
    people = [
        make_profile(
            "farm",
            opportunities=(
                request("Solar panel cleaning", "Robots that clean PV modules without water."),
            ),
        ),
        # The same entry; one firm wrote only its title.
        make_profile("short", opportunities=(offer(ROBOTS[0]),)),
        make_profile("full", opportunities=(offer(*ROBOTS),)),
        make_profile("coating", opportunities=(offer("Anti-soiling coating for PV panels"),)),
        *_fillers(make_profile),
    ]
    plain = _ids(Matchmaker(people, weights=NO_DIVERSITY).recommend_for("farm", k=5))
    assert plain[:3] == ["full", "short", "coating"]
    ids = _ids(Matchmaker(people).recommend_for("farm", k=5))
    # The fuller text matches better and is shown; its copy follows the other answer.
    assert ids[:2] == ["full", "coating"]
    assert "short" in ids[2:]


def test_colleagues_do_not_demote_the_answer(make_profile: ProfileFactory) -> None:
    """An organisation with several people: the one with the answer comes first; a
    colleague posting the same offer follows the distinct answers."""
    about = "Robotics start-up: autonomous robots that clean solar panels without water."
    people = [
        make_profile(
            "farm",
            opportunities=(request("Cleaning our solar panels", "Robots, without water."),),
        ),
        make_profile("seller", organisation_id="acme", description=about),
        make_profile(
            "engineer", organisation_id="acme", description=about, opportunities=(offer(*ROBOTS),)
        ),
        make_profile(
            "ceo", organisation_id="acme", description=about, opportunities=(offer(*ROBOTS),)
        ),
        make_profile(
            "coating",
            opportunities=(
                offer("Anti-soiling coating for PV modules", "Keeps dust off solar panels."),
            ),
        ),
        *_fillers(make_profile),
    ]
    ids = _ids(Matchmaker(people).recommend_for("farm", k=5))
    assert ids[0] in {"engineer", "ceo"}
    assert ids[1] == "coating"
    assert ids.index("seller") > 1


def test_an_edited_profile_that_copies_an_entry_is_pushed_down(
    robots_event: list[ParticipantProfile],
) -> None:
    matchmaker = Matchmaker(robots_event)
    shown = _ids(matchmaker.recommend_for("farm", k=3))
    filler = next(p for p in robots_event if p.participant_id == "filler0")
    matchmaker.update_profile(
        replace(filler, opportunities=(Opportunity(OpportunityKind.OFFER, *ROBOTS),))
    )
    after = _ids(matchmaker.recommend_for("farm", k=3))
    assert after[1] == "coating" == shown[1]
    assert "filler0" not in after[:2]
