"""Building the NER training data and lexicon from the shared corpora (used only by `ner train`)."""
