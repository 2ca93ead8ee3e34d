"""Performance scripts: ``python -m bench`` (``make bench``) and ``python -m bench.loadtest``.

Results are printed and written to ``bench/results.json``; budgets are checked there, never in
the tests.  See ``bench/README.md``.
"""
