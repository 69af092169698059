"""Benchmark and demo tooling: generators, benchmark runners, baselines, data lookup.

Kept out of the domain packages' import path: ``import scheduler`` (or ``matchmaking``)
never imports anything here, while ``benchkit`` imports the domain packages freely.
"""
