from __future__ import annotations

from collections import Counter

from benchkit.matching.synthetic import generate_population
from matchmaking import OpportunityKind, OrganisationType


def test_same_seed_gives_the_same_population() -> None:
    assert generate_population(120, seed=3) == generate_population(120, seed=3)
    assert generate_population(120, seed=3) != generate_population(120, seed=4)


def test_population_has_the_requested_size_and_variety() -> None:
    population = generate_population(300, seed=1)
    assert len(population.participants) == 300
    countries = {o.country for o in population.organisations}
    assert len(countries - {"TW", "CA", "TN", "MA", "JP"}) >= 20
    assert countries & {"TW", "CA", "TN", "MA", "JP"}
    assert {o.organisation_type for o in population.organisations} == set(OrganisationType)
    per_org = Counter(p.organisation_id for p in population.participants)
    assert set(per_org.values()) <= {1, 2, 3}
    kinds = {o.kind for p in population.profiles for o in p.opportunities}
    assert {OpportunityKind.OFFER, OpportunityKind.REQUEST, OpportunityKind.INVESTMENT} <= kinds
    slugs = {t.slug for t in population.taxonomy.tags}
    assert {"hydrogen", "batteries", "green-transition", "digital-transition"} <= slugs


def test_planted_pairs_are_offers_written_for_requests() -> None:
    population = generate_population(200, seed=5)
    profiles = {p.participant_id: p for p in population.profiles}
    assert len(population.planted_pairs) == 40  # 40 % of 200 participants, two per pair
    for pair in population.planted_pairs:
        requester, offerer = profiles[pair.requester_id], profiles[pair.offerer_id]
        assert requester.organisation_id != offerer.organisation_id
        requests = [
            o
            for o in requester.opportunities
            if o.kind is OpportunityKind.REQUEST and pair.capability in o.tags
        ]
        offers = [
            o
            for o in offerer.opportunities
            if o.kind is OpportunityKind.OFFER and pair.capability in o.tags
        ]
        assert requests and offers
        assert {r.description for r in requests}.isdisjoint({o.description for o in offers})
