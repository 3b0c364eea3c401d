"""Benchmarks: a synthetic corpus in the DESIGN.md format, and the timings of `make bench`."""
