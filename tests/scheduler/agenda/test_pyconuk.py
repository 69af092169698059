"""The PyCon UK 2016 instance builder and the side-by-side benchmark."""

from benchkit.agenda.peer_benchmark import OURS, PEER, run_agenda_bench
from benchkit.agenda.pyconuk import build_instance, generate


def test_generator_is_deterministic_for_a_seed():
    assert generate(7) == generate(7)
    assert build_instance(generate(7)) == build_instance(generate(7))
    assert generate(7) != generate(8)


def test_instance_has_all_talks_and_talk_venues():
    instance = build_instance(generate(2016))
    assert len(instance.sessions) == 69
    assert sorted(room.capacity for room in instance.rooms) == [80, 80, 100, 200, 500]
    assert {s.length for s in instance.sessions} == {2, 3}


def test_both_solvers_agree_on_a_reduced_instance():
    rows = run_agenda_bench(time_limit_s=20, seed=3, talk_limits=(24,))
    by_solver = {row["solver"]: row for row in rows}
    assert by_solver[OURS]["status"] == "optimal"
    assert by_solver[OURS]["valid"] and by_solver[PEER]["valid"]
    assert by_solver[OURS]["objective"] == by_solver[PEER]["objective"]
