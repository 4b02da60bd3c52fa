"""The reports' tables as DataFrames, shared by the xlsx, CSV and HTML writers: an
evaluation's (``evaluation``, ``inequality``), a comparison's, a plan's and a batch ranking's.
Numbers stay numbers here; formats are the writers' business."""
