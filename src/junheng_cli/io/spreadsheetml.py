"""The parts every workbook written as SpreadsheetML directly shares (``io.write``'s plain
sheets, ``report.xlsx.plain``'s report sheets): the package around the sheets, text made
safe for XML, and the archive written atomically."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# characters XML 1.0 cannot carry (openpyxl refuses them): dropped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: object) -> str:
    """``value`` as XML text: characters XML cannot carry dropped, a lone surrogate as ?."""
    text = _NOT_XML.sub("", str(value))
    text = text.encode("utf-8", "replace").decode("utf-8")
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def package_parts(
    names: list[str],
    styles: str | bytes | None,
    defined_names: str = "",
    shared_strings: bool = False,
) -> dict[str, str | bytes]:
    """Every part but the sheets (``xl/worksheets/sheet{n}.xml``, numbered from 1 in the
    order of ``names``): content types, relationships, the workbook and ``styles`` (None: a
    workbook without); with ``shared_strings``, the workbook refers to an
    ``xl/sharedStrings.xml`` that the caller adds."""
    count = len(names)
    defined = f"<definedNames>{defined_names}</definedNames>" if defined_names else ""
    others = ["styles"] if styles is not None else []  # each part is named as its kind
    if shared_strings:
        others.append("sharedStrings")
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": (
            f'{XML}<Types xmlns="{PACKAGE}/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override '
            f'PartName="/xl/workbook.xml" ContentType="{OFFICE}.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/{part}.xml" ContentType="{OFFICE}.{part}+xml"/>'
                for part in others
            )
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                f'ContentType="{OFFICE}.worksheet+xml"/>'
                for n in range(1, count + 1)
            )
            + "</Types>"
        ),
        "_rels/.rels": (
            f'{XML}<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="rId1" '
            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            + "".join(
                f'<sheet name="{xml_text(name)}" sheetId="{n}" r:id="rId{n}"/>'
                for n, name in enumerate(names, 1)
            )
            + f"</sheets>{defined}</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{XML}<Relationships xmlns="{PACKAGE}/relationships">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" '
                f'Target="worksheets/sheet{n}.xml"/>'
                for n in range(1, count + 1)
            )
            + "".join(
                f'<Relationship Id="rId{count + k}" Type="{RELS}/{part}" Target="{part}.xml"/>'
                for k, part in enumerate(others, 1)
            )
            + "</Relationships>"
        ),
    }
    if styles is not None:
        parts["xl/styles.xml"] = styles
    return parts


def write_package(parts: dict[str, str | bytes], target: Path) -> None:
    """The parts as an .xlsx at ``target``, written atomically."""
    from junheng_cli.io.write import write_atomic  # io.write builds its sheets with this module

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for part, text in parts.items():
                data = text.encode("utf-8", "replace") if isinstance(text, str) else text
                archive.writestr(part, data)

    write_atomic(target, write)
