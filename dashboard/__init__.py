"""The operators' dashboard (`siyu dashboard`): Streamlit pages over the published copy of the marts.

It reads only the published copy (schemas `marts` and `quality`), never the warehouse the pipeline
writes, and opens it read-only for each query, so the copy swapped in by tonight's run is what the
next page load shows (README, "The operators' dashboard").
"""
