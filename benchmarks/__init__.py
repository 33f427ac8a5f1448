"""Benchmarks: `python -m benchmarks [NAME ...]` (or `make bench`). Each prints its figures and the
ratio to a baseline measured in the same run."""
