"""The direction of a teacher transfer (交流轮岗).

The direction of a move is that of 交流轮岗 (``TransferRule``): a teacher goes from a school to
one at least as rural (城区 → 城区 / 镇区 / 乡村, 镇区 → 镇区 / 乡村, 乡村 → 乡村, by the
城乡类型 column, read as the statistics system's 城乡分类 too), never towards a more urban one
unless the analyst allows it (``--allow-rural-to-urban``), and never out of a 教学点. A school
whose 城乡类型 is blank (or not one of those) takes part only where the direction is certain
anyway: it gives only to a 乡村 school and receives only from a 城区 one. A workbook without any
城乡类型 cannot be held to the direction: the moves go from stronger to weaker schools only, and
the plan says so (``TransferDirection``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

URBAN, TOWN, RURAL = "城区", "镇区", "乡村"
AREA_TIER = {URBAN: 0, TOWN: 1, RURAL: 2}
AREA_ALIASES = {  # the statistics system's 城乡分类 names and codes (data/forms)
    **{a: URBAN for a in ("城区", "主城区", "城乡结合区", "111", "112")},
    **{a: TOWN for a in ("镇区", "镇中心区", "镇乡结合区", "特殊区域", "121", "122", "123")},
    **{a: RURAL for a in ("乡村", "农村", "乡中心区", "村庄", "210", "220")},
}
TEACHING_POINT = "教学点"


def area_of(text: object) -> str | None:
    """城区 / 镇区 / 乡村 of a 城乡类型 cell (None: blank or not one of them)."""
    return AREA_ALIASES.get(text.strip()) if isinstance(text, str) else None


@dataclass(frozen=True)
class TransferRule:
    """What the analyst allows: moves towards a more urban school (乡村 → 镇区 / 城区,
    镇区 → 城区) only with ``allow_rural_to_urban``. A 教学点 never gives a teacher."""

    allow_rural_to_urban: bool = False


@dataclass(frozen=True)
class TransferDirection:
    """The rule a run used, and what the data let it check."""

    allow_rural_to_urban: bool
    area_known: bool  # some school has a 城乡类型 the rule can read
    without_area: tuple[str, ...] = ()  # schools (names) whose 城乡类型 is blank or unknown


DEFAULT_RULE = TransferRule()
DEFAULT_DIRECTION = TransferDirection(False, True)  # the rule, held on every school's 城乡类型


AREA = "_area"  # 城区 / 镇区 / 乡村 of a unit's school (None: not known)


def area_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def allowed_pairs(units: pd.DataFrame, direction: TransferDirection) -> np.ndarray:
    """units × units: may a teacher go from the row's school to the column's? Never out of a
    教学点; towards a school at least as rural, unless ``allow_rural_to_urban``; a school whose
    城乡类型 is not known gives only to a 乡村 one and receives only from a 城区 one (no
    direction is checked when no school's 城乡类型 is known)."""
    n = len(units)
    donor = ~units["type"].astype(str).str.contains(TEACHING_POINT, regex=False).to_numpy()
    allowed = np.repeat(donor[:, None], n, axis=1)
    if direction.allow_rural_to_urban or not direction.area_known:
        return allowed
    tier = units[AREA].map(AREA_TIER).to_numpy(dtype=float)  # NaN: not known
    source, target = tier[:, None], tier[None, :]
    inward = target >= source  # NaN on either side compares False
    inward |= np.isnan(source) & (target == AREA_TIER[RURAL])
    inward |= np.isnan(target) & (source == AREA_TIER[URBAN])
    return allowed & inward
