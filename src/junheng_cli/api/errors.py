"""The API's errors: every one derives from ``JunhengError`` (anything else raised below the
API is wrapped at its boundary, the original kept as ``__cause__``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from junheng_cli.errors import JunhengError

P = ParamSpec("P")
R = TypeVar("R")


class InputError(JunhengError, ValueError):
    """The input cannot be read as given. The message is for the user (Chinese)."""


class InternalError(JunhengError):
    """Something junheng did not expect: please report it (the cause is attached)."""


def boundary(function: Callable[P, R]) -> Callable[P, R]:
    """Errors leave ``function`` as ``JunhengError``: a file that cannot be read is an
    ``InputError``, anything unexpected an ``InternalError``."""

    @functools.wraps(function)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except JunhengError:
            raise
        except OSError as exc:
            where = f"{exc.filename}：" if exc.filename else ""
            raise InputError(f"无法读写文件：{where}{exc.strerror or exc}") from exc
        except Exception as exc:
            raise InternalError(f"内部错误（{type(exc).__name__}：{exc}）") from exc

    return guarded
