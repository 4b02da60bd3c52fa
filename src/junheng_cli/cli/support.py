"""What the command line does around Typer: usage errors in Chinese with the command's usage,
one last-resort handler (a message and exit 2, never a traceback unless ``--debug`` or
``JUNHENG_DEBUG=1``), and help text that folds instead of being cut with "…".

Typer and its click report usage errors in English through exception classes; they are
recognised by class name so that this works with Typer's vendored click and with click itself.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import os
import re
import signal
import sys
import traceback
from typing import Any

from typer.core import TyperCommand, TyperGroup

DEBUG_FLAG = "--debug"
DEBUG_ENV = "JUNHENG_DEBUG"
EXIT_CANNOT_RUN = 2
EXIT_INTERRUPTED = 130


class _Chinese:
    """Chinese usage line and ``--help`` text for a command or a group."""

    def get_usage(self, ctx: Any) -> str:
        return str(super().get_usage(ctx)).replace("Usage: ", "用法：", 1)  # type: ignore[misc]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "显示本帮助并退出"
        return option


class JunhengCommand(_Chinese, TyperCommand):
    pass


class JunhengGroup(_Chinese, TyperGroup):
    """The ``junheng`` group: every way a run can fail ends in a message and an exit code."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        debug = DEBUG_FLAG in argv or os.environ.get(DEBUG_ENV, "") not in ("", "0")
        argv = [a for a in argv if a != DEBUG_FLAG]
        if not argv or "--help" in argv or "-h" in argv:
            fold_help_text()
        _terminate_as_exit()
        try:
            outcome = super().main(argv, prog_name or "junheng", complete_var, False, **extra)
        except SystemExit:
            raise
        except BaseException as exc:  # the last resort: nothing leaves as a traceback
            sys.exit(report_failure(exc, debug))
        sys.exit(outcome if isinstance(outcome, int) else 0)


def _terminate_as_exit() -> None:
    """SIGTERM (a killed job, a closed session) unwinds like Ctrl-C, so that temporary files
    are removed on the way out."""
    with contextlib.suppress(ValueError):  # not in the main thread
        signal.signal(signal.SIGTERM, _exit_on_signal)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def report_failure(exc: BaseException, debug: bool) -> int:
    """Print what went wrong, in Chinese, and return the exit code."""
    from junheng_cli.api.errors import InternalError

    if isinstance(exc, InternalError) and exc.__cause__ is not None:
        exc = exc.__cause__  # the API's wrapper: reported as what it wraps
    kinds = {cls.__name__ for cls in type(exc).__mro__}
    if "UsageError" in kinds:
        return _usage_error(exc)
    if "Abort" in kinds or isinstance(exc, KeyboardInterrupt):
        _print_error("已中断。")
        return EXIT_INTERRUPTED
    if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
        _silence_stdout()
        return 1
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if type(exc).__module__.startswith("junheng_cli."):  # our own errors speak Chinese
        _print_error(str(exc))
        return EXIT_CANNOT_RUN
    _print_error(unexpected_message(exc))
    return EXIT_CANNOT_RUN


def unexpected_message(exc: BaseException) -> str:
    if isinstance(exc, MemoryError):
        return (
            "内存不足：输入太大，或工作簿的已用区域异常大。"
            "请拆分文件，或检查是否有远处的零散单元格。"
        )
    if isinstance(exc, RecursionError):
        return "输入嵌套过深，无法处理（文件可能已损坏或被构造）。"
    if isinstance(exc, OSError):
        where = f"{exc.filename}：" if exc.filename else ""
        return f"无法读写文件：{where}{exc.strerror or exc}"
    hint = f"用 {DEBUG_FLAG}（或设 {DEBUG_ENV}=1）重新运行可看到详细信息，请把它报告给开发者。"
    return f"内部错误（{type(exc).__name__}：{exc}）。{hint}"


def _usage_error(exc: Any) -> int:
    ctx = getattr(exc, "ctx", None)
    kinds = {cls.__name__ for cls in type(exc).__mro__}
    if "NoArgsIsHelpError" in kinds and ctx is not None:
        print(ctx.get_help(), file=sys.stderr)
        return EXIT_CANNOT_RUN
    _print_error(usage_message_zh(exc))
    if ctx is not None:
        print(ctx.command.get_usage(ctx), file=sys.stderr)
        print(f"查看帮助：{ctx.command_path} --help", file=sys.stderr)
    return EXIT_CANNOT_RUN


def usage_message_zh(exc: Any) -> str:
    """Click's usage errors, said in Chinese."""
    kinds = {cls.__name__ for cls in type(exc).__mro__}
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if "MissingParameter" in kinds:
        return _missing(exc)
    if "NoSuchOption" in kinds:
        near = [p for p in (exc.possibilities or []) if p]
        also = f"（是否要用 {'、'.join(near)}？）" if near else ""
        return f"没有选项 {exc.option_name}{also}"
    if "BadOptionUsage" in kinds:
        if "requires an argument" in message:
            return f"选项 {exc.option_name} 后面需要一个值"
        if "does not take a value" in message:
            return f"选项 {exc.option_name} 不接受值"
        return f"选项 {exc.option_name} 用法有误：{message}"
    if "BadParameter" in kinds:
        return _bad_value(exc, str(getattr(exc, "message", message)))
    return _general_usage(exc, message)


def _missing(exc: Any) -> str:
    param = exc.param
    if param is None:
        return "缺少参数"
    if exc.param_type == "argument" or getattr(param, "param_type_name", "") == "argument":
        what = f"缺少参数 {_param_name(param)}"
    else:
        what = f"缺少选项 {param.opts[0] if param.opts else param.name}"
    helptext = getattr(param, "help", None)
    return f"{what}（{helptext}）" if helptext else what


def _bad_value(exc: Any, message: str) -> str:
    param = exc.param
    name = exc.param_hint or (param.opts[0] if param is not None and param.opts else "")
    if isinstance(name, list | tuple):
        name = " / ".join(name)
    name = str(name).replace("'", "")
    found = re.search(r"'([^']*)' is not one of (.*?)\.?$", message)
    if found:
        listed = "、".join(re.findall(r"'([^']*)'", found.group(2)))
        return f"{name} 的值 {found.group(1)!r} 无效：应为 {listed} 之一"
    if "does not exist" in message:
        return f"{name}：文件或文件夹不存在（{_quoted(message)}）"
    if "is not a valid integer" in message or "is not a valid float" in message:
        return f"{name} 的值应为数字（{_quoted(message)}）"
    return f"{name} 的值无效：{message}"


def _general_usage(exc: Any, message: str) -> str:
    extra = re.match(r"Got unexpected extra arguments? \((.*)\)", message)
    if extra:
        return f"多余的参数：{extra.group(1)}"
    command = re.match(r"No such command '([^']*)'", message)
    if command:
        return _unknown_command(exc, command.group(1))
    return f"用法错误：{message}"


def _unknown_command(exc: Any, name: str) -> str:
    ctx = getattr(exc, "ctx", None)
    known = sorted(ctx.command.list_commands(ctx)) if ctx is not None else []
    near = difflib.get_close_matches(name, known, n=2)
    also = f"是否要用 {'、'.join(near)}？" if near else ""
    return f"没有命令 {name!r}。{also}可用的命令：{'、'.join(known)}"


def _param_name(param: Any) -> str:
    return str(param.metavar or param.name or "").upper()


def _quoted(message: str) -> str:
    found = re.findall(r"'([^']*)'", message)
    return found[-1] if found else message


def _print_error(message: str) -> None:
    from rich.console import Console

    Console(stderr=True).print(f"[bold red]错误[/]：{message}", highlight=False, soft_wrap=True)


def _silence_stdout() -> None:
    """After a closed pipe (``junheng … | head``), nothing more is written to it."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def fold_help_text() -> None:
    """Help text wraps (folds) inside its panel instead of being cut with "…": Chinese text
    has no spaces, so rich sees each phrase as one word too long for the column."""
    from rich.text import Text
    from typer import rich_utils

    make_text = getattr(rich_utils, "_make_rich_text", None)
    parameter_help = getattr(rich_utils, "_get_parameter_help", None)
    if make_text is None or parameter_help is None or getattr(make_text, "_folds", False):
        return

    def folding_text(**kwargs: Any) -> Any:
        text = make_text(**kwargs)
        if isinstance(text, Text):
            text.overflow = "fold"
        return text

    def folding_parameter_help(**kwargs: Any) -> Any:
        columns = parameter_help(**kwargs)
        for item in getattr(columns, "renderables", []):
            if isinstance(item, Text):
                item.overflow = "fold"
        return columns

    folding_text._folds = True  # type: ignore[attr-defined]
    rich_utils._make_rich_text = folding_text
    rich_utils._get_parameter_help = folding_parameter_help
    for name, text in {
        "ARGUMENTS_PANEL_TITLE": "参数",
        "OPTIONS_PANEL_TITLE": "选项",
        "COMMANDS_PANEL_TITLE": "命令",
        "REQUIRED_LONG_STRING": "[必填]",
        "DEFAULT_STRING": "[默认：{}]",
    }.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
