"""ETL for the poverty-alleviation indicator dashboard: documents -> claims -> DuckDB facts."""
