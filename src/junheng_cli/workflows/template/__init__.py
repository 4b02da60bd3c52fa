"""What a collection template holds: the columns a standard needs (``columns``), the template
with its 填表说明 (``build``) and templates pre-filled from last period's workbook (``prefill``).
No openpyxl here: ``report.xlsx.template`` writes what this package describes."""

from junheng_cli.workflows.template.build import (
    AREA_TYPES,
    DATA_SHEET,
    DEFAULT_BLANK_ROWS,
    INSTRUCTIONS_SHEET,
    Template,
    build_template,
    example_frame,
    instruction_lines,
)
from junheng_cli.workflows.template.columns import (
    ADVISED,
    BY_LEVEL,
    BY_RULES,
    BY_STANDARD,
    OPTIONAL,
    REQUIRED,
    STRUCTURAL_STANDARD,
    TemplateColumn,
    allowance_fields,
    school_types,
    standard_columns,
    standard_for_columns,
    template_column,
)
from junheng_cli.workflows.template.prefill import (
    LastPeriod,
    prefill_rows,
    prefilled_templates,
    read_last_period,
    safe_file_stem,
    school_file_names,
)

__all__ = [
    "ADVISED",
    "AREA_TYPES",
    "BY_LEVEL",
    "BY_RULES",
    "BY_STANDARD",
    "DATA_SHEET",
    "DEFAULT_BLANK_ROWS",
    "INSTRUCTIONS_SHEET",
    "OPTIONAL",
    "REQUIRED",
    "STRUCTURAL_STANDARD",
    "LastPeriod",
    "Template",
    "TemplateColumn",
    "allowance_fields",
    "build_template",
    "example_frame",
    "instruction_lines",
    "prefill_rows",
    "prefilled_templates",
    "read_last_period",
    "safe_file_stem",
    "school_file_names",
    "school_types",
    "standard_columns",
    "standard_for_columns",
    "template_column",
]
