"""Hand-made profiles: answers written in other words beat look-alikes from the same field."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matchmaking import Matchmaker, Opportunity, OpportunityKind, RequestOutcome
from matchmaking.reasons import BACKING
from tests.matchmaking.conftest import ProfileFactory, offer, request


def _fillers(make_profile: ProfileFactory) -> list:
    """Ordinary marketplace entries that answer nothing here."""
    entries = [
        ("Export consulting", "We accompany SMEs entering Latin American markets."),
        ("Event management", "Conferences and trade fair stands."),
        ("Translation and interpreting", "Thirty languages, sworn translators."),
        ("Pallets and crates", "Wooden packaging for export."),
        ("Office furniture leasing", ""),
        ("Video production", "Product films and animations."),
        ("Accounting for start-ups", ""),
        ("Coworking space", "Desks and meeting rooms in the city centre."),
    ]
    return [
        make_profile(f"filler{i}", opportunities=(offer(title, text),))
        for i, (title, text) in enumerate(entries)
    ]


def _rank(found: list, candidate: str) -> int:
    ids = [r.candidate_id for r in found]
    return ids.index(candidate) if candidate in ids else len(ids) + 100


@pytest.fixture
def cyber_event(make_profile: ProfileFactory) -> list:
    return [
        make_profile(
            "plant",
            sectors=("cybersecurity",),
            description="Mid-sized manufacturer, three people in IT.",
            opportunities=(
                request(
                    "24/7 cyber monitoring",
                    "Nobody watches our network at night or at weekends.",
                    "cybersecurity",
                ),
            ),
        ),
        make_profile(
            "soc",
            opportunities=(
                offer(
                    "Managed SOC for SMEs",
                    "Security operations centre as a service: SIEM, analysts on call.",
                ),
            ),
        ),
        make_profile(
            "pentest",
            sectors=("cybersecurity",),
            interests=("cybersecurity",),
            description="Cyber security consultancy for manufacturers.",
            opportunities=(
                offer(
                    "Penetration testing",
                    "One-off cyber security audits of web applications.",
                    "cybersecurity",
                ),
            ),
        ),
        make_profile(
            "helpdesk",
            sectors=("cybersecurity",),
            opportunities=(offer("IT support", "Helpdesk and laptops for offices."),),
        ),
        *_fillers(make_profile),
    ]


def test_paraphrased_answer_outranks_same_sector_look_alikes(cyber_event: list) -> None:
    found = Matchmaker(cyber_event).recommend_for("plant", k=10)
    assert _rank(found, "soc") == 0
    assert _rank(found, "soc") < _rank(found, "pentest")
    assert _rank(found, "soc") < _rank(found, "helpdesk")


def test_recycled_cathode_material_answers_secondary_raw_materials(
    make_profile: ProfileFactory,
) -> None:
    profiles = [
        make_profile(
            "cathode_plant",
            sectors=("batteries",),
            opportunities=(
                request(
                    "Secondary battery raw materials",
                    "Looking for suppliers of secondary raw materials for battery cathodes.",
                ),
            ),
        ),
        make_profile(
            "recycler",
            opportunities=(
                offer(
                    "Closing the loop on EV batteries",
                    "We produce recycled cathode active material from end-of-life EV packs.",
                ),
            ),
        ),
        make_profile(
            "pack_assembler",
            sectors=("batteries",),
            interests=("batteries",),
            opportunities=(
                offer(
                    "Battery pack assembly",
                    "Contract assembly of battery packs for e-bikes.",
                    "batteries",
                ),
            ),
        ),
        make_profile(
            "cell_lab",
            sectors=("batteries",),
            opportunities=(
                offer("Battery testing lab", "Cycle life testing of lithium-ion battery cells."),
            ),
        ),
        *_fillers(make_profile),
    ]
    found = Matchmaker(profiles).recommend_for("cathode_plant", k=10)
    assert _rank(found, "recycler") < _rank(found, "pack_assembler")
    assert _rank(found, "recycler") < _rank(found, "cell_lab")


def test_every_reason_is_backed_by_a_positive_component(cyber_event: list) -> None:
    checked = 0
    for recommendations in Matchmaker(cyber_event).recommend(k=10).values():
        for recommendation in recommendations:
            parts = recommendation.breakdown.to_dict()
            for reason in recommendation.reasons:
                assert parts[BACKING[reason.kind]] > 0, (reason.text, parts)
                checked += 1
    assert checked > 10


def test_item_reason_quotes_both_items_and_the_shared_meaning(cyber_event: list) -> None:
    top = Matchmaker(cyber_event).recommend_for("plant", k=1)[0]
    reason = top.reasons[0]
    assert reason.their_item is not None and reason.their_item.title == "Managed SOC for SMEs"
    assert reason.your_item is not None and reason.your_item.title == "24/7 cyber monitoring"
    assert "\u201cManaged SOC for SMEs\u201d" in reason.text
    assert "monitoring" in reason.terms


def test_a_german_request_meets_an_english_offer(make_profile: ProfileFactory) -> None:
    profiles = [
        make_profile(
            "stahlwerk",
            opportunities=(
                request(
                    "Wir suchen Lieferanten für grünen Wasserstoff",
                    "Stahlwerk sucht langfristige Lieferverträge ab 2028.",
                ),
            ),
        ),
        make_profile(
            "electrolysis",
            opportunities=(
                offer(
                    "Renewable hydrogen for industrial customers",
                    "Electrolysis powered by offshore wind.",
                ),
            ),
        ),
        *_fillers(make_profile),
    ]
    found = Matchmaker(profiles).recommend_for("stahlwerk", k=3)
    assert found[0].candidate_id == "electrolysis"
    assert found[0].breakdown.they_offer > 0


def test_a_chinese_request_meets_through_shared_vocabulary_and_tags(
    make_profile: ProfileFactory,
) -> None:
    profiles = [
        make_profile(
            "foundry",
            interests=("ai",),
            opportunities=(
                request("铸件表面缺陷自动检测", "寻找机器视觉供应商，替代人工目检。", "ai"),  # noqa: RUF001
            ),
        ),
        make_profile(
            "vision",
            interests=("ai",),
            opportunities=(
                offer(
                    "Deep-learning visual inspection",
                    "Cameras and neural networks find surface defects on castings.",
                    "ai",
                ),
            ),
        ),
        *_fillers(make_profile),
    ]
    found = Matchmaker(profiles).recommend_for("foundry", k=3)
    assert found[0].candidate_id == "vision"


def test_an_edited_profile_is_reranked_without_a_rebuild(cyber_event: list) -> None:
    matchmaker = Matchmaker(cyber_event)
    before = [r.candidate_id for r in matchmaker.recommend_for("filler0", k=3)]
    assert "soc" not in before
    edited = replace(
        cyber_event[4],
        opportunities=(
            Opportunity(
                OpportunityKind.REQUEST,
                "Managed security operations centre",
                "A SOC with SIEM and analysts to watch our network.",
            ),
        ),
    )
    matchmaker.update_profile(edited)
    after = matchmaker.recommend_for("filler0", k=3)
    assert after[0].candidate_id == "soc"
    assert after[0].reasons[0].your_item is not None
    assert after[0].reasons[0].your_item.title == "Managed security operations centre"


def test_accepted_requests_lift_look_alikes_and_declines_lower_them(
    make_profile: ProfileFactory,
) -> None:
    def event() -> list:
        return [
            make_profile(
                "first_farm",
                organisation_id="farm-a",
                opportunities=(request("Lower the climate footprint of our milk"),),
            ),
            make_profile(
                "second_farm",
                organisation_id="farm-b",
                opportunities=(request("Cut the climate footprint of dairy farms"),),
            ),
            make_profile(
                "feed",
                organisation_id="feed-a",
                opportunities=(offer("Seaweed supplement for cows that cuts methane"),),
            ),
            make_profile(
                "feed_twin",
                organisation_id="feed-b",
                opportunities=(offer("Red algae feed additive reducing methane from cattle"),),
            ),
            make_profile(
                "robots",
                organisation_id="robots",
                opportunities=(offer("Milking robots for dairy farms"),),
            ),
        ]

    profiles = event()
    plain = Matchmaker(profiles).explain_many([("second_farm", "feed_twin")])
    assert not any(r.kind.value == "like_accepted" for r in plain[0])
    learned = Matchmaker(
        profiles,
        outcomes=[
            RequestOutcome("first_farm", "feed", accepted=True),
            RequestOutcome("first_farm", "robots", accepted=False),
        ],
    )
    block = learned.model.score_block(1, 2)  # second_farm
    row = {p.participant_id: i for i, p in enumerate(profiles)}
    assert block.feedback[0, row["feed_twin"]] > 0
    assert block.feedback[0, row["robots"]] < block.feedback[0, row["feed_twin"]]
