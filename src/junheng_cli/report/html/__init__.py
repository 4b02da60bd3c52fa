"""One self-contained, printable HTML page: inline CSS and SVG charts, nothing from the
network. For the leaders' meeting."""

from junheng_cli.report.html.page import css_string, page_css, render_html, write_html

__all__ = ["css_string", "page_css", "render_html", "write_html"]
