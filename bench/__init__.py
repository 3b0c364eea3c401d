"""Benchmarks: a synthetic corpus in the format of docs/design.md, and the timings of `make bench`."""
