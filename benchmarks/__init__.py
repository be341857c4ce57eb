"""Benchmarks: scripts that print comparable numbers (run them all with `make bench`)."""
