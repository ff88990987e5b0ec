"""Results: tallies with small groups suppressed, charts, quotes staff approve, exports for staff."""
