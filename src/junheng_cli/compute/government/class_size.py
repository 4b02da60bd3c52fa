"""Class size (班额): large and very large classes per level, from 班级 sheets or the school
sheet's band counts.
"""

from __future__ import annotations

import pandas as pd

from junheng_cli.io.sheet_table.tables import SchoolTable
from junheng_cli.io.side_tables import read_classes
from junheng_cli.model.fields import Level
from junheng_cli.model.findings import Finding
from junheng_cli.model.government_results import ClassSizeCount
from junheng_cli.standards.government import ClassSizeRule


def class_rows(
    schools: pd.DataFrame, table: SchoolTable, known: pd.DataFrame
) -> tuple[pd.DataFrame | None, list[Finding]]:
    """Rows of every 班级 sheet, matched to schools by code, then by name. Classes of schools
    out of the standard's scope are left out quietly; of unknown schools, with a warning."""
    if not table.class_sheets:
        return None, []
    frames, findings = [], []
    for sheet in table.class_sheets:
        parsed = read_classes(sheet)
        frames.append(parsed.frame)
        findings += parsed.findings
    rows = pd.concat(frames, ignore_index=True)
    by_code = {c: i for i, c in zip(schools.index, schools["code"], strict=True) if c}
    by_name = {n: i for i, n in zip(schools.index, schools["name"], strict=True)}
    matched = [
        by_code.get(c) if c else by_name.get(n)
        for c, n in zip(rows["code"], rows["name"], strict=True)
    ]
    rows["school"] = matched
    known_codes = set(known["code"]) - {""}
    known_names = set(known["name"])
    unknown = rows["school"].isna() & ~(
        rows["code"].isin(known_codes) | (rows["code"].eq("") & rows["name"].isin(known_names))
    )
    for _, r in rows[unknown].iterrows():
        findings.append(
            Finding(
                "W_CLASS_UNKNOWN_SCHOOL",
                r["file"],
                r["sheet"],
                int(r["row"]),
                None,
                "学校",
                None,
                r["code"] or r["name"],
                "学校表中的学校",
            )
        )
    return rows[rows["school"].notna()], findings


def class_sizes(
    schools: pd.DataFrame, classes: pd.DataFrame | None, rule: ClassSizeRule
) -> tuple[list[ClassSizeCount] | None, list[ClassSizeCount], str | None]:
    columns = [f"classes_{lv.value}" for lv in rule.limits]
    has_bands = any(c in schools and schools[c].notna().any() for c in columns)
    if classes is None:
        return (None, [], None) if not has_bands else _from_band_counts(schools, rule)
    listed = schools.index.isin(set(classes["school"]))
    levels, per_school, source = _from_class_rows(schools, classes, rule)
    if not has_bands or listed.all():
        return levels, per_school, source
    # schools the 班级 sheet does not list keep their own band counts
    rest_levels, rest_schools, _ = _from_band_counts(schools[~listed], rule)
    if not rest_levels:
        return levels, per_school, source
    merged = _merge_counts(levels, rest_levels)
    return merged, per_school + rest_schools, "班级表（所列学校）和学校表（其余学校的班额分档）"


def _from_class_rows(
    schools: pd.DataFrame, classes: pd.DataFrame, rule: ClassSizeRule
) -> tuple[list[ClassSizeCount], list[ClassSizeCount], str]:
    size = classes["students"]
    limit = classes["level"].map({lv.value: n for lv, n in rule.limits.items()})
    flags = pd.DataFrame(
        {
            "classes": 1,
            "large": ((size >= rule.large_from) & (size < rule.huge_from)).astype(int),
            "huge": (size >= rule.huge_from).astype(int),
            "over": (size > limit).astype(int),
            "school": classes["school"],
            "level": classes["level"],
        }
    )
    county = flags.groupby("level")[["classes", "large", "huge", "over"]].sum()
    levels = [
        _count(lv, county.loc[lv.value], rule) for lv in rule.limits if lv.value in county.index
    ]
    per_school = flags.groupby(["school", "level"], sort=False)[
        ["classes", "large", "huge", "over"]
    ].sum()
    schools_out = [
        _count(Level(level), row, rule, schools.at[school, "code"], schools.at[school, "name"])
        for (school, level), row in per_school.iterrows()
    ]
    return levels, schools_out, "班级表"


def _band_frame(schools: pd.DataFrame, level: Level) -> pd.DataFrame | None:
    """classes / large / huge of the schools that report classes of ``level``; None if none."""
    columns = [f"{f}_{level.value}" for f in ("classes", "large_classes", "huge_classes")]
    if columns[0] not in schools:
        return None
    data = schools.reindex(columns=columns).fillna(0)
    data.columns = ["classes", "large", "huge"]
    has = data["classes"] > 0
    return data[has] if has.any() else None


def _from_band_counts(
    schools: pd.DataFrame, rule: ClassSizeRule
) -> tuple[list[ClassSizeCount], list[ClassSizeCount], str]:
    levels, per_school = [], []
    for level in rule.limits:
        data = _band_frame(schools, level)
        if data is None:
            continue
        totals = data.sum()
        levels.append(_count(level, {**totals, "over": None}, rule))
        records = data.assign(code=schools["code"], name=schools["name"]).to_dict("records")
        per_school += [
            _count(level, {**r, "over": None}, rule, r["code"], r["name"]) for r in records
        ]
    return levels, per_school, "学校表（班额分档）"


def _merge_counts(
    first: list[ClassSizeCount], second: list[ClassSizeCount]
) -> list[ClassSizeCount]:
    """County counts from two sources; classes over the limit are known only if both know."""
    by_level: dict[Level, ClassSizeCount] = {}
    for count in first + second:
        seen = by_level.get(count.level)
        if seen is None:
            by_level[count.level] = count
            continue
        over = (
            None
            if seen.over_limit is None or count.over_limit is None
            else seen.over_limit + count.over_limit
        )
        by_level[count.level] = ClassSizeCount(
            count.level,
            seen.classes + count.classes,
            seen.large + count.large,
            seen.huge + count.huge,
            over,
            count.limit,
        )
    return [by_level[lv] for lv in Level if lv in by_level]


def _count(
    level: Level, row: object, rule: ClassSizeRule, code: str = "", name: str = ""
) -> ClassSizeCount:
    get = row.get if isinstance(row, dict) else row.__getitem__  # type: ignore[union-attr]
    over = get("over")
    return ClassSizeCount(
        level=level,
        classes=int(get("classes")),
        large=int(get("large")),
        huge=int(get("huge")),
        over_limit=None if over is None else int(over),
        limit=rule.limits[level],
        code=code,
        name=name,
    )


def grouped_band_counts(
    schools: pd.DataFrame,
    county: pd.Series,
    rule: ClassSizeRule,
    level_counts: dict[str, list[ClassSizeCount]],
    school_counts: dict[str, list[ClassSizeCount]],
) -> str | None:
    found = False
    for level in rule.limits:
        data = _band_frame(schools, level)
        if data is None:
            continue
        found = True
        data = data.assign(_county=county[data.index].astype(str))
        for name, totals in (
            data.groupby("_county", sort=False)[["classes", "large", "huge"]].sum().iterrows()
        ):
            level_counts.setdefault(str(name), []).append(
                _count(level, {**totals.to_dict(), "over": None}, rule)
            )
        records = data.assign(code=schools["code"], name=schools["name"]).to_dict("records")
        for r in records:
            school_counts.setdefault(r["_county"], []).append(
                _count(level, {**r, "over": None}, rule, r["code"], r["name"])
            )
    return "学校表（班额分档）" if found else None
