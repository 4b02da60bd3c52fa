"""The one exception base. Every error junheng raises for its users derives from
:class:`JunhengError`, so a notebook or script can catch them all with one ``except``; each
subclass says which stage failed (reading, a standard, the data, a scenario …) and its message is
the Chinese text the command line prints."""

from __future__ import annotations


class JunhengError(Exception):
    """Base of every junheng error."""
