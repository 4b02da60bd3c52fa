"""Write docs/cli.md, the command-line reference, from the Typer app itself.

    python docs/make_cli_reference.py          # rewrite docs/cli.md and the --help overview
    python docs/make_cli_reference.py --check  # exit 1 if either is out of date

The page is built from the click command tree (``typer.main.get_command``): each command's help
text, usage, arguments and options with their defaults. Only click's public attributes are used
(names, help, default, required, flags), not Typer's help renderer, so the page does not change
with the terminal width or Typer's formatting. tests/test_docs.py checks that it is current.

It also writes the overview that ``junheng`` and ``junheng --help`` print
(src/junheng_cli/data/cli-overview.txt): the entry point prints it without importing Typer, rich
or any command, so the overview answers in a few hundredths of a second (issue 17). Plain text
wrapped at 80 columns, a Chinese character counted as two.
"""

from __future__ import annotations

import importlib
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from junheng_cli.io.write import display_width

CLI_MD = Path(__file__).resolve().parent / "cli.md"
OVERVIEW = Path(__file__).resolve().parents[1] / "src" / "junheng_cli" / "data" / "cli-overview.txt"
WIDTH = 80
PROGRAM = "junheng"

HEADER = """\
# 命令行参考（CLI reference）

<!-- 由 docs/make_cli_reference.py 从 Typer 应用生成，请勿手改；改命令的帮助文字后重新运行：
     python docs/make_cli_reference.py （tests/test_docs.py 检查本页是否最新） -->

每个命令的说明、用法、参数和选项，与 `junheng 命令 --help` 同源。
`python -m junheng_cli …` 与 `junheng …` 相同。各命令的用法示例见 [快速上手](quickstart.md)，
evaluate 和 validate 的退出码详见 [输入与检查](input.md)。
"""


def command_tree() -> Any:
    """The click group behind the ``junheng`` command: the Typer ``app`` of
    ``junheng_cli.cli.app`` (the entry point's module answers the overview itself and hands
    everything else to that app)."""
    return typer.main.get_command(importlib.import_module("junheng_cli.cli.app").app)


def render_overview() -> str:
    """What ``junheng --help`` prints: usage, what junheng is, each command's first sentence,
    the global options, and where each command's own help is."""
    group = command_tree()
    root = group.context_class(group, info_name=PROGRAM)
    names = group.list_commands(root)  # type: ignore[attr-defined]
    commands = [(name, group.get_command(root, name)) for name in names]  # type: ignore[attr-defined]
    commands = [(name, c.help) for name, c in commands if not c.hidden]
    options = [p for p in group.params if p.param_type_name == "option" and not p.hidden]
    rows = [(", ".join([*p.opts, *p.secondary_opts]), p.help or "") for p in options]
    help_option = group.get_help_option(root)
    if help_option is not None:
        rows.append((", ".join(help_option.opts), help_option.help or ""))
    lines = [f"用法：{PROGRAM} [全局选项] 命令 [参数] [选项]", ""]
    lines += _wrapped(_first_line(group.help), "", "")
    lines += ["", "命令："]
    lines += _table([(name, _first_sentence(text)) for name, text in commands])
    lines += ["", "全局选项（写在命令之前）："]
    lines += _table(rows)
    lines += [
        "",
        f"每个命令的用法和选项：{PROGRAM} 命令 --help（例如 {PROGRAM} evaluate --help）。",
    ]
    return "\n".join(lines) + "\n"


def _table(rows: list[tuple[str, str]]) -> list[str]:
    left = max(display_width(name) for name, _ in rows) + 4
    lines = []
    for name, text in rows:
        first = "  " + name + " " * (left - 2 - display_width(name))
        lines += _wrapped(text, first, " " * left)
    return lines


def _first_sentence(text: str | None) -> str:
    paragraph = _first_line(text)
    end = paragraph.find("。")
    return paragraph if end < 0 else paragraph[: end + 1]


def _wrapped(text: str, first: str, rest: str) -> list[str]:
    """``text`` after ``first`` then ``rest``, broken at WIDTH display columns (between two
    Chinese characters anywhere, inside ASCII only at a space; never before a closing mark)."""
    lines, line, used = [], first, display_width(first)
    for piece in _pieces(text):
        size = display_width(piece)
        if used + size > WIDTH and line.strip():
            lines.append(line.rstrip())
            line, used = rest, display_width(rest)
            piece = piece.lstrip()
            size = display_width(piece)
        line += piece
        used += size
    lines.append(line.rstrip())
    return lines


CLOSING = set("。，、；：？！）》」』”’")


def _pieces(text: str) -> list[str]:
    """Unbreakable pieces: an ASCII word with the space before it, or one Chinese character
    with the closing marks after it."""
    pieces: list[str] = []
    for char in text:
        glue = pieces and (
            char in CLOSING or (char.isascii() and not char.isspace() and pieces[-1][-1].isascii())
        )
        if glue:
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


def render() -> str:
    """The whole page, as markdown."""
    group = command_tree()
    root = group.context_class(group, info_name=PROGRAM)
    names = group.list_commands(root)  # type: ignore[attr-defined]
    commands = [(name, group.get_command(root, name)) for name in names]  # type: ignore[attr-defined]
    commands = [(name, command) for name, command in commands if not command.hidden]
    lines = [HEADER, "## 总览", "", f"`{PROGRAM} [全局选项] 命令 [参数] [选项]`", ""]
    lines += [_help(group.help), ""]
    lines += ["| 命令 | 作用 |", "| --- | --- |"]
    lines += [f"| [`{name}`](#{name}) | {_cell(_first_line(c.help))} |" for name, c in commands]
    lines += ["", "全局选项（写在命令之前）：", ""]
    lines += _options_table(group.params)
    for name, command in commands:
        lines += ["", f"## {name}", "", _help(command.help), ""]
        lines += ["```text", f"{PROGRAM} {name} {_usage(command.params)}".rstrip(), "```", ""]
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        if arguments:
            lines += ["| 参数 | 说明 |", "| --- | --- |"]
            lines += [f"| `{_argument_name(p)}` | {_cell(p.help)} |" for p in arguments]  # type: ignore[attr-defined]
            lines.append("")
        lines += _options_table(command.params)
    return "\n".join(lines).rstrip() + "\n"


def _options_table(params: list[Any]) -> list[str]:
    options = [p for p in params if p.param_type_name == "option" and not p.hidden]
    rows = ["| 选项 | 取值 | 默认 | 说明 |", "| --- | --- | --- | --- |"]
    for option in options:
        names = ", ".join(f"`{name}`" for name in [*option.opts, *option.secondary_opts])
        rows.append(
            f"| {names} | {_value_kind(option)} | {_default(option)} | {_cell(option.help)} |"
        )
    return rows


def _value_kind(option: Any) -> str:
    if option.is_flag:
        return "开关"
    choices = _choices(option)
    kind = " / ".join(f"`{c}`" for c in choices) if choices else "值"
    if option.required:
        kind += "（必填）"
    if option.multiple:
        kind += "（可重复）"
    return kind


def _choices(param: Any) -> list[str]:
    """The allowed values: click's ``type.choices``, or Typer's type descriptor (newer Typer
    keeps no click type on the parameter)."""
    for holder in (getattr(param, "type", None), getattr(param, "type_descriptor", None)):
        choices = getattr(holder, "choices", None)
        if choices:
            return [_text(c) for c in choices]
    return []


def _default(option: Any) -> str:
    value = option.default
    if option.is_flag or value is None or value == () or value == []:
        return ""
    return f"`{_text(value)}`"


def _text(value: object) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def _usage(params: list[Any]) -> str:
    pieces = ["[选项]"] if any(p.param_type_name == "option" for p in params) else []
    for param in params:
        if param.param_type_name == "argument":
            name = _argument_name(param)
            pieces.append(name if param.required else f"[{name}]")
    return " ".join(pieces)


def _argument_name(param: Any) -> str:
    name = param.metavar or param.name.upper()
    return f"{name}…" if param.nargs == -1 else name


def _help(text: str | None) -> str:
    """A command's help, paragraph by paragraph (click's ``\\b`` markers dropped)."""
    paragraphs = (text or "").replace("\b", "").strip().split("\n\n")
    return "\n\n".join(_one_line(p) for p in paragraphs if p.strip())


def _first_line(text: str | None) -> str:
    return _help(text).split("\n\n")[0]


def _cell(text: str | None) -> str:
    return _one_line(text or "").replace("|", "\\|")


def _one_line(text: str) -> str:
    """Wrapped lines joined: Chinese lines without a space between them, others with one."""
    joined = ""
    for line in (" ".join(part.split()) for part in text.splitlines()):
        if not line:
            continue
        cjk_seam = joined and not joined[-1].isascii() and not line[0].isascii()
        joined += line if cjk_seam or not joined else f" {line}"
    return joined


def main(argv: list[str]) -> int:
    outputs = {CLI_MD: render(), OVERVIEW: render_overview()}
    if "--check" in argv:
        stale = [p for p, text in outputs.items() if _current(p) != text]
        for path in stale:
            print(f"{path} 不是最新的：请运行 python docs/make_cli_reference.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
        print(f"已写出 {path}")
    return 0


def _current(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
