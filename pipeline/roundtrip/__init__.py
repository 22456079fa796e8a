"""The round-trip corpus: known models typeset, extracted and normalised again, scored against the model."""
