"""Hand-made profiles: place names are where people are, not what they need or offer."""

from __future__ import annotations

from matchmaking import Matchmaker, ScoringWeights
from matchmaking.places import place_tokens
from matchmaking.reasons import BACKING
from matchmaking.text import Analyzer
from tests.matchmaking.conftest import ProfileFactory, offer, request


def test_place_tokens_hold_countries_regions_and_subdivisions_not_ordinary_words() -> None:
    analyzer = Analyzer()
    tokens = place_tokens(analyzer, countries=["DE", "SI"], regions=["Gorenjska", "North Holland"])
    stem = analyzer.stem
    for name in ("slovenia", "germany", "deutschland", "allemagne", "gorenjska", "bayern"):
        assert stem(name) in tokens, name
    assert stem("holland") in tokens
    for ordinary in ("north", "new", "centre", "capital", "island", "pest", "march", "real"):
        assert stem(ordinary) not in tokens, ordinary
    # Words the lexicon gives a meaning are never place names.
    assert all(not analyzer.has_meaning(t) for t in tokens)


def test_a_shared_region_is_never_quoted_and_does_not_make_a_complement(
    make_profile: ProfileFactory,
) -> None:
    asker = make_profile(
        "asker",
        country="SI",
        region="Gorenjska",
        opportunities=(
            request(
                "Heat pumps for our Gorenjska factories",
                "We need heat pump installation for three plants in Gorenjska.",
            ),
        ),
    )
    answer = make_profile(
        "answer",
        country="AT",
        region="Styria",
        opportunities=(
            offer(
                "Industrial heat pump installation",
                "Design and installation of heat pumps for factories, from Styria.",
            ),
        ),
    )
    neighbour = make_profile(
        "neighbour",
        country="SI",
        region="Gorenjska",
        opportunities=(
            offer(
                "Tourist apartments in Gorenjska",
                "Holiday rentals in Gorenjska, close to Bled, for families.",
            ),
        ),
    )
    fillers = [
        make_profile(f"f{i}", opportunities=(offer(title),))
        for i, title in enumerate(
            ("Translation services", "Video production", "Pallets and crates", "Coworking")
        )
    ]
    matchmaker = Matchmaker([asker, answer, neighbour, *fillers])
    found = matchmaker.recommend_for("asker", 10)
    ids = [r.candidate_id for r in found]
    assert ids[0] == "answer"
    scores = {r.candidate_id: r.score for r in found}
    assert scores["answer"] > 2 * scores.get("neighbour", 0.0)
    for rec in found:
        for reason in rec.reasons:
            assert "gorenjsk" not in " ".join(reason.terms).lower()
            assert "both mention gorenjska" not in reason.text.lower()
            assert getattr(rec.breakdown, BACKING[reason.kind]) > 0
    first = found[0].reasons[0]
    assert "heat pump" in " ".join(first.terms)


def test_place_names_can_weigh_less_in_the_lexical_signal(make_profile: ProfileFactory) -> None:
    people = [
        make_profile("a", region="Bavaria", opportunities=(request("Logistics in Bavaria"),)),
        make_profile("b", opportunities=(offer("Warehouse in Bavaria"),)),
        make_profile("c", opportunities=(offer("Logistics for pharmaceuticals"),)),
    ]
    model = Matchmaker(people, weights=ScoringWeights(place_names=0.2)).model
    column = {str(t): i for i, t in enumerate(model.text.vocabulary)}
    bavaria, logistics = (
        column[model.analyzer.stem("bavaria")],
        column[model.analyzer.stem("logistics")],
    )
    assert model.text.is_place[bavaria] and not model.text.is_place[logistics]
    request_row = model.channels["request"].lexical[0].toarray().ravel()
    assert 0 < request_row[bavaria] < request_row[logistics]


def test_direction_words_of_place_names_are_not_quoted(make_profile: ProfileFactory) -> None:
    people = [
        make_profile(
            "a",
            region="North Brabant",
            opportunities=(request("Cold storage logistics in North Brabant county"),),
        ),
        make_profile(
            "b", opportunities=(offer("Cold storage logistics for the north of the county"),)
        ),
    ]
    found = Matchmaker(people).recommend_for("a", 5)
    assert [r.candidate_id for r in found] == ["b"]
    terms = [t for reason in found[0].reasons for t in reason.terms]
    assert "cold storage" in " ".join(terms) or "storage" in terms
    assert not {"north", "county", "brabant"} & set(terms)
