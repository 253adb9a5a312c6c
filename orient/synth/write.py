"""Writing frames to files byte-identically: CSV in a given encoding, XLSX with fixed stamps."""

from __future__ import annotations

import io as _stdio
import re
import zipfile
from pathlib import Path

import pandas as pd

__all__ = ["write_csv", "write_xlsx"]


def write_csv(df: pd.DataFrame, path: Path, fmt: dict) -> None:
    text = df.to_csv(
        index=False, sep=fmt.get("sep", ","), decimal=fmt.get("decimal", "."), lineterminator="\n"
    )
    enc = fmt.get("encoding", "utf-8")
    path.write_bytes(text.encode(enc))


def write_xlsx(df: pd.DataFrame, path: Path) -> None:
    """XLSX with fixed timestamps, so the same seed gives the same bytes."""
    buf = _stdio.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        df.to_excel(xl, index=False, sheet_name="Responses")
        fixed = pd.Timestamp("2026-01-01").to_pydatetime()
        xl.book.properties.created = fixed
        xl.book.properties.modified = fixed
    src = zipfile.ZipFile(_stdio.BytesIO(buf.getvalue()))
    out = _stdio.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", data
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, data)
    path.write_bytes(out.getvalue())
