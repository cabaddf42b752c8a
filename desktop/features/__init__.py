"""Features that add docks, keys and paint layers to the window through the feature registry:
suggestion review, alignment, agreement and adjudication, the comparison dashboard."""
