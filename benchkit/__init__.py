"""Benchmark and demo tooling, outside the domain packages' import path."""
