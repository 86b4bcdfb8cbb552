"""Benchmarks: run by hand or by CI at smoke size, never collected by pytest."""
