"""Read a user's YAML file (standard, column mapping, county items, scenario) within bounds.

Every YAML file junheng reads from the user goes through ``load_yaml``. PyYAML's safe loader
builds no objects, but a few hundred bytes of nested aliases ("billion laughs") expand to
billions of values as soon as anything walks the data, and deep nesting (20,000 ``[``)
exhausts Python's recursion limit. So the file's size, its nesting depth and its size after
alias expansion are bounded, and anything beyond is refused with a message in Chinese that
names the file (and the line where it is known): ``YamlRefused``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from junheng_cli.errors import JunhengError

MAX_YAML_BYTES = 1_000_000  # hand-written files are a few KB; a saved plan of 1,000 schools ~100 KB
MAX_YAML_DEPTH = 50  # a standard nests 5 deep
MAX_YAML_EXPANDED = 10_000_000  # values plus characters once every alias (*) is expanded


class YamlRefused(JunhengError):
    """The file is beyond junheng's limits for a YAML file. ``str()`` is the user's message."""

    def __init__(self, kind: str, path: Path, reason: str, mark: Any = None) -> None:
        self.kind = kind
        self.path = path
        self.where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列：" if mark is not None else ""
        self.reason = reason
        super().__init__(str(self))

    @property
    def detail(self) -> str:
        """The message without the kind and the file, for errors that name the file already."""
        return f"{self.where}{self.reason}"

    def __str__(self) -> str:
        return f"{self.kind} {self.path} {self.detail}"


# What a YAML file can fail with when read: unreadable, undecodable, not YAML, beyond the limits.
READ_ERRORS = (OSError, UnicodeDecodeError, yaml.YAMLError, YamlRefused)

YAML_PROBLEMS = (  # (words in the parser's message, what to tell the user)
    ("cannot start any token", "这里有不能出现的字符（不能用 Tab 缩进，请用空格）"),
    ("mapping values are not allowed", "这里不能有冒号（内容里有“:”时请给整段加引号）"),
    ("could not find expected ':'", "缺少冒号：每行应是“键: 值”（冒号后空一格）"),
    ("expected <block end>", "缩进不一致：同一层的各行应对齐，列表项以“- ”开头"),
    ("did not find expected '-'", "缩进不一致：同一列表的各项应以对齐的“- ”开头"),
    ("did not find expected key", "缩进不一致或缺少冒号"),
    ("found unexpected end of stream", "引号或括号没有配对"),
    ("expected ',' or ']'", "方括号 [ ] 没有配对，或列表项之间缺少逗号"),
    ("expected ',' or '}'", "花括号 { } 没有配对，或各项之间缺少逗号"),
    ("while scanning a quoted scalar", "引号没有配对"),
    ("found duplicate anchor", "重复的锚点（&）"),
)


def read_failure(exc: BaseException, kind: str, path: Path) -> str:
    """Why a YAML file (one of ``READ_ERRORS``) could not be read, in Chinese, naming the
    file and, for a syntax error, the line and column (1-based)."""
    if isinstance(exc, YamlRefused):
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):
        return f"{kind} {path} 的文字编码无法识别（请存为 UTF-8 或 GBK）"
    if isinstance(exc, yaml.YAMLError):
        return yaml_error_text(kind, path, exc)
    if isinstance(exc, OSError):
        return f"无法读取{kind} {path}：{exc.strerror or exc}"
    return f"无法读取{kind} {path}：{exc}"


def yaml_error_text(kind: str, path: Path, exc: yaml.YAMLError) -> str:
    """A YAML syntax error in Chinese, with the line and column where it was found."""
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    reason = next(
        (text for words, text in YAML_PROBLEMS if words in problem or words in context),
        "格式不对（检查缩进、冒号和引号）",
    )
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else ""
    return f"{kind} {path} {where}有 YAML 格式错误：{reason}（不是有效的 YAML，未读取）"


@dataclass
class YamlDocument:
    """The data and where its mappings and lists start, for messages that name a line."""

    data: Any
    _lines: dict[int, int] = field(default_factory=dict)
    _key_lines: dict[int, dict[str, int]] = field(default_factory=dict)

    def line_of(self, value: object, key: object = None) -> int | None:
        """The 1-based line of a mapping or list of ``data`` (of its ``key`` when given)."""
        if key is not None:
            return self._key_lines.get(id(value), {}).get(str(key))
        return self._lines.get(id(value))


def load_yaml(path: Path, kind: str) -> Any:
    """The data of a user's YAML file (UTF-8, with or without BOM, or GBK/GB18030).

    ``kind`` names the file in messages (列名映射文件 …). Raises ``OSError`` when it cannot
    be read, ``UnicodeDecodeError``, ``yaml.YAMLError`` for a syntax error (each caller words
    those), and ``YamlRefused`` beyond the limits.
    """
    return load_yaml_document(path, kind).data


def load_yaml_document(path: Path, kind: str) -> YamlDocument:
    """``load_yaml`` with the lines where the mappings and lists start."""
    text = decode_text(_read_bounded(path, kind))
    if _FAST and _nests_within_limit(text):
        with contextlib.suppress(yaml.YAMLError):  # the pure reader words the error
            return _load(_CBoundedLoader(text, kind, path), kind, path)
    return _load(_BoundedLoader(text, kind, path), kind, path)


def _load(loader: _BoundedLoader, kind: str, path: Path) -> YamlDocument:
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None)
        _check_expansion(node, kind, path)
        data = loader.construct_document(node)
    except (MemoryError, RecursionError) as exc:
        raise YamlRefused(kind, path, "内容过于复杂，超出了可读取的范围") from exc
    finally:
        loader.dispose()
    return YamlDocument(data, loader.lines, loader.key_lines)


def decode_text(raw: bytes) -> str:
    """A small text file saved as UTF-8 (with or without BOM) or GBK/GB18030 (Windows
    Notepad's default on Chinese systems)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def _read_bounded(path: Path, kind: str) -> bytes:
    # read() with a bound, not stat(): a pipe or /dev/zero has no size
    with path.open("rb") as stream:
        raw = stream.read(MAX_YAML_BYTES + 1)
    if len(raw) > MAX_YAML_BYTES:
        raise YamlRefused(
            kind,
            path,
            f"文件太大（超过 {MAX_YAML_BYTES // 1_000_000} MB）：这类文件通常只有几 KB，"
            "请检查是否选错了文件",
        )
    return raw


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses nesting beyond ``MAX_YAML_DEPTH`` before it recurses
    and notes the line of every mapping and list it builds."""

    def __init__(self, text: str, kind: str, path: Path) -> None:
        super().__init__(text)
        self._bounded(kind, path)

    def _bounded(self, kind: str, path: Path) -> None:
        self.kind = kind
        self.path = path
        self.depth = 0
        self.lines: dict[int, int] = {}
        self.key_lines: dict[int, dict[str, int]] = {}

    def compose_node(self, parent: Node | None, index: object) -> Node:
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                raise YamlRefused(self.kind, self.path, _too_deep(), self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        data = super().construct_object(node, deep)
        if isinstance(node, MappingNode | SequenceNode):
            self.lines[id(data)] = node.start_mark.line + 1
        if isinstance(node, MappingNode):
            self.key_lines[id(data)] = {
                str(key.value): key.start_mark.line + 1
                for key, _ in node.value
                if isinstance(key, ScalarNode)
            }
        return data


try:  # PyYAML built with libyaml
    from yaml.cyaml import CParser
except ImportError:  # the pure reader only
    CParser = None

_FAST = CParser is not None

if CParser is not None:

    class _CBoundedLoader(CParser, _BoundedLoader):  # type: ignore[misc,valid-type]
        """``_BoundedLoader`` with libyaml's C parser (three times faster: every standard is
        read to list them). It composes in C without a depth limit, so it is given only a
        text whose nesting ``_nests_within_limit`` has checked; the lines and the expansion
        are checked as with the pure reader."""

        def __init__(self, text: str, kind: str, path: Path) -> None:
            CParser.__init__(self, text)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._bounded(kind, path)


def load_shipped_yaml(text: str) -> Any:
    """One of junheng's own YAML files (shipped with it, not a user's): read by libyaml
    when PyYAML has it, without the bounds a user's file gets."""
    return yaml.load(text, Loader=yaml.CSafeLoader if _FAST else yaml.SafeLoader)


def _nests_within_limit(text: str) -> bool:
    """Whether no node of the text is deeper than ``MAX_YAML_DEPTH``, counted as
    ``_BoundedLoader`` counts them (every node one level below its list or mapping), from
    libyaml's events without composing; False for a text it cannot parse."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.NodeEvent):  # a scalar, an alias, a list or mapping
                if depth + 1 > MAX_YAML_DEPTH:
                    return False
                depth += isinstance(event, yaml.CollectionStartEvent)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return False
    return True


def _too_deep() -> str:
    return f"嵌套超过 {MAX_YAML_DEPTH} 层（括号或缩进层层套叠），junheng 不读这样的文件"


def _check_expansion(root: Node, kind: str, path: Path) -> None:
    """Refuse a document whose aliases (``*name``) make it too big or too deep once expanded,
    or refer to a node that contains them. Each node is measured once (aliases share nodes),
    without recursion: the walk is linear in the file, whatever the expansion."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        children = _children(node)
        if children_done:
            open_nodes.discard(key)
            size[key] = _own_size(node) + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            if size[key] > MAX_YAML_EXPANDED:
                raise YamlRefused(kind, path, _too_big(), node.start_mark)
            if depth[key] > MAX_YAML_DEPTH:
                raise YamlRefused(kind, path, _too_deep(), node.start_mark)
            continue
        if key in size:
            continue
        if key in open_nodes:  # reached again from inside itself
            raise YamlRefused(kind, path, _cycle(), node.start_mark)
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in size)


def _cycle() -> str:
    return "别名（*）引用了包含它自己的内容，形成循环"


def _too_big() -> str:
    return (
        f"这里起的内容经别名（*）展开后超过 {MAX_YAML_EXPANDED:,} 个值或字符，"
        "junheng 不读这样的文件"
    )


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _own_size(node: Node) -> int:
    return 1 + len(node.value) if isinstance(node, ScalarNode) else 1
