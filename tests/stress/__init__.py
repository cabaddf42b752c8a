"""Harness code of the hardening suites: the crash driver and its parent, shared texts.

``make test`` runs short versions through ``tests/test_hardening_*.py``; ``make stress`` runs
``tests/stress/run.py`` (long crash campaign, long concurrency run, fuzzing with many examples).
"""
