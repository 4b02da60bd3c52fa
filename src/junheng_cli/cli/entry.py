"""The ``junheng`` program's entry point.

``junheng`` alone and ``junheng --help`` print the overview kept beside the package
(data/cli-overview.txt, written from the Typer app by docs/make_cli_reference.py and checked
by tests/test_docs.py) without importing Typer, rich or any command, so they answer in a few
hundredths of a second; ``junheng --version`` likewise. Everything else goes to the Typer app.
"""

from __future__ import annotations

import sys
from pathlib import Path

OVERVIEW = Path(__file__).resolve().parent.parent / "data" / "cli-overview.txt"
EXIT_NO_COMMAND = 2  # as click: no command given is a usage error, the overview its message


def main() -> None:
    args = sys.argv[1:]
    if args in ([], ["--help"]) and _printed(_overview()):
        raise SystemExit(EXIT_NO_COMMAND if not args else 0)
    if args == ["--version"]:
        from junheng_cli import __version__

        if _printed(f"junheng {__version__}\n"):
            raise SystemExit(0)
    from junheng_cli.cli.app import main as run_app

    run_app()


def _overview() -> str | None:
    try:
        return OVERVIEW.read_text(encoding="utf-8")
    except OSError:
        return None  # the Typer app renders the same help, only slower


def _printed(text: str | None) -> bool:
    """Whether ``text`` was written; False when it is missing or the terminal's encoding
    cannot show it (the Typer app then answers as it always did)."""
    if text is None:
        return False
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        sys.stdout = None  # type: ignore[assignment]  # nothing more to say to a closed pipe
    return True
