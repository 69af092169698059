"""Agenda benchmarks: the PyCon UK 2016 data and the conference-scheduler comparison."""
