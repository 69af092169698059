"""Meeting-scheduling benchmarks: generated events, the JAIR 2022 runner, the FCFS baseline."""
