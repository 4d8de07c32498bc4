"""Benchmark harness: four apps over one data set, measured side by side (see bench/README.md)."""
