"""Storing: the DuckDB file (build, facts, checks, consistency), reviews, locking, ingest."""
