"""Benchmarks: talentwar side by side with Mesa (bench.py), and a profile of one month's step (profile_step.py)."""
