"""Benchmarks of handover at the scale of a health region and of the country (issue 6).

Run ``python -m bench run`` from the repository root (``python -m bench --help``);
``bench/README.md`` says what each number means. Modules, one job each:

- :mod:`bench.datasets` generates datasets once per size and seed and caches them;
- :mod:`bench.worker` runs one measurement in a fresh process (time and peak RSS);
- :mod:`bench.memory` the memory engine against the floor and against naive loops;
- :mod:`bench.graph` Neo4j: bulk-load throughput, queries, PROFILE plans;
- :mod:`bench.process_mining` handover of work against pm4py;
- :mod:`bench.report` ``results.md`` and ``scaling.png`` from ``results.json``.
"""
