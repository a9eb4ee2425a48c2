"""`make bench`: measurements on this machine, written to docs/benchmarks.md and the README."""
