"""The option and argument types several commands share (help texts in Chinese)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from junheng_cli.api.stats import InputKind


class Lang(StrEnum):
    zh = "zh"
    en = "en"


FilesArgument = Annotated[
    list[Path],
    typer.Argument(
        help="学校情况工作簿（.xlsx/.xlsm/.xls/.ods/.csv），可多个，合并计算", metavar="文件"
    ),
]
StandardOption = Annotated[
    str,
    typer.Option(
        "--standard",
        "-s",
        help="评估标准：id（basic-2012、quality-2017）、简称（基本均衡、优质均衡）或 .yaml 路径",
    ),
]
SheetOption = Annotated[
    list[str] | None,
    typer.Option("--sheet", help="只读这个工作表（可重复）；默认读表头最像模板的工作表"),
]
HeaderRowsOption = Annotated[
    str | None, typer.Option("--header-rows", help="表头所在行，如 3 或 3-4（多行表头）")
]
ColumnsOption = Annotated[
    Path | None,
    typer.Option("--columns", help="列名映射文件（YAML：表头文字: 字段名），用于无法自动识别的列"),
]
LangOption = Annotated[Lang, typer.Option("--lang", help="数据问题提示的语言")]
IndicatorsOption = Annotated[
    str | None,
    typer.Option(
        "--indicators",
        help="只评估这些指标（id 或中文简称，逗号分隔，如 books_per_student,图书）："
        "只需这些指标的列，报告各项差异系数和逐校情况，不给总体结论",
    ),
]
InputKindOption = Annotated[
    InputKind,
    typer.Option(
        "--input-kind",
        help="auto：给出文件夹或 .zip 且其中多数是教育统计报表时按统计报表读；"
        "template：全县工作簿；stats：各校的教育事业统计报表（每校一个工作簿）",
    ),
]
FormsOption = Annotated[
    Path | None,
    typer.Option("--forms", help="报表映射文件夹（.yaml）：补充或更正内置的统计报表映射"),
]
SupplementOption = Annotated[
    Path | None,
    typer.Option(
        "--supplement",
        help="补充工作簿（模板格式）：统计报表中没有的数（按学校标识码、学校名称对应）",
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")]
