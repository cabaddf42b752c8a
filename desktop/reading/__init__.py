"""The reading columns: the reader widget, span painting, the comparison of 2-4 articles, coding
by keyboard, the alignment gutters, the suggestion layer and the word-diff view."""
