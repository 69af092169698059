"""Matching benchmarks: the synthetic population, the realistic hand-written set, the runner.

Nothing here is imported by :mod:`matchmaking`; the recommender never loads test data.
"""
