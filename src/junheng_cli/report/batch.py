"""Re-exports of the batch summary's reports, which live by format: ``terminal/batch.py``,
``json/batch.py``, ``frames/batch.py`` and ``xlsx/batch.py``. Kept for the imports of the CLI
and the tests; new code imports from those modules."""

from junheng_cli.report.frames.batch import ranking_frame
from junheng_cli.report.json.batch import batch_document
from junheng_cli.report.terminal.batch import render_batch, render_written
from junheng_cli.report.xlsx.batch import write_batch_xlsx

__all__ = ["batch_document", "ranking_frame", "render_batch", "render_written", "write_batch_xlsx"]
