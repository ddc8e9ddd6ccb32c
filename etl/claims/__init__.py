"""Finding claims in text (pure functions): mentions, time, places, indicators, relations, the pipeline."""
