"""Data-quality gates: Great Expectations suites from ``expectations/`` run against the warehouse."""
