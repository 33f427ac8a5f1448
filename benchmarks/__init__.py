"""Speed measurements, each printing ratios against a baseline measured in the same run.

`python -m benchmarks` (or `make bench`) runs every module here that has `async def run()`.
"""
