"""Pydantic's validation errors in Chinese, for the analysts who edit junheng's YAML files
(standard files, form maps): one translation, used by every file that is validated."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

# pydantic's error types → Chinese; {…} are filled from the error's context
ERRORS_ZH = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识的键（拼写是否有误？）",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "list_type": "应为列表（每项一行，以 - 开头）",
    "dict_type": "应为键值对（键: 值）",
    "too_short": "至少应有 {min_length} 项",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
}


def pydantic_error_zh(error: Any) -> str:
    """One error of ``ValidationError.errors()`` in Chinese (our own validators' messages,
    already Chinese, as they are; an error type not translated, as pydantic words it)."""
    kind = error.get("type", "")
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    template = ERRORS_ZH.get(kind)
    if template is None:
        return str(error["msg"])
    try:
        return template.format(**{k: v for k, v in error.get("ctx", {}).items()})
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip("：")


def pydantic_errors_zh(heading: str, exc: ValidationError, key_word: str = "字段") -> str:
    """``heading 有 N 处错误：`` and one line per error: ``key_word a.b.0：message``."""
    lines = [f"{heading} 有 {exc.error_count()} 处错误："]
    for error in exc.errors():
        location = ".".join(str(part) for part in error["loc"]) or "（顶层）"
        lines.append(f"  {key_word} {location}：{pydantic_error_zh(error)}")
    return "\n".join(lines)
