"""Developer tools: synthetic corpus and benchmarks."""
