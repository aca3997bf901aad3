"""stmh-analysis."""
