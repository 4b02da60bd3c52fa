"""Re-exports of the statistics import's reports, which live by format: ``terminal/stats.py``,
``json/stats.py`` and ``xlsx/stats.py``. Kept for the imports of the CLI; new code imports
from those modules."""

from junheng_cli.report.json.stats import import_document
from junheng_cli.report.terminal.stats import render_import
from junheng_cli.report.xlsx.stats import write_import

__all__ = ["import_document", "render_import", "write_import"]
