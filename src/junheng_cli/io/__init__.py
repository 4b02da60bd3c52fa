"""Reading and writing workbooks. Nothing here knows about indicators or standards."""
