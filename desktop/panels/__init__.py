"""Docked panels: codebook, corpus, article metadata, annotations table, learned-suggester box."""
