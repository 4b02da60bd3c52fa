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


def package_parts(names: list[str], styles: str, defined_names: str = "") -> dict[str, str]:
    """Every part but the sheets (``xl/worksheets/sheet{n}.xml``, numbered from 1 in the
    order of ``names``): content types, relationships, the workbook and ``styles``."""
    count = len(names)
    defined = f"<definedNames>{defined_names}</definedNames>" if defined_names else ""
    return {
        "[Content_Types].xml": (
            f'{XML}<Types xmlns="{PACKAGE}/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override '
            f'PartName="/xl/workbook.xml" ContentType="{OFFICE}.sheet.main+xml"/><Override '
            f'PartName="/xl/styles.xml" ContentType="{OFFICE}.styles+xml"/>'
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
            + f'<Relationship Id="rId{count + 1}" Type="{RELS}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": styles,
    }


def write_package(parts: dict[str, str], target: Path) -> None:
    """The parts as an .xlsx at ``target``, written atomically."""
    from junheng_cli.io.write import write_atomic  # io.write builds its sheets with this module

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for part, text in parts.items():
                archive.writestr(part, text.encode("utf-8", "replace"))

    write_atomic(target, write)
