"""Telling the text encoding of an export that is not UTF-8: NUL bytes (UTF-16 without
its byte-order mark, or not text) and Windows-1251 (Cyrillic) against Windows-1252 /
Latin-1 (Western) by which reading gives plausible words."""

from __future__ import annotations

import re

from orient.errors import DataError

__all__ = ["check_nul", "cyrillic_or_latin"]


def check_nul(raw: bytes, file: str) -> None:
    """NUL bytes in text: UTF-16 without its byte-order mark, or not a text file at all."""
    at = raw.find(b"\x00")
    if at < 0:
        return
    sample = raw[:4096]
    utf16 = sample.count(b"\x00") >= len(sample) // 3
    raise DataError(
        "the file holds NUL bytes"
        + (
            ": it looks like UTF-16 text without a byte-order mark"
            if utf16
            else ", so it is not a text export"
        ),
        file=file,
        row=raw[:at].count(b"\n") + 1,
        expected="read: {encoding: utf-16-le} (or utf-16-be) in company.yaml, or the file "
        "saved as UTF-8"
        if utf16
        else "a CSV/TSV text file (or a .xlsx, .parquet, .sav, .dta file under its own extension)",
    )


_WORD = re.compile(r"[^\W\d_]+")


def cyrillic_or_latin(raw: bytes, file: str) -> str:
    """Windows-1251 (Cyrillic) or Windows-1252/Latin-1 (Western) for text that is not UTF-8.

    Read as cp1251, Russian text gives words wholly in Cyrillic letters, while a Western
    file gives single Cyrillic letters inside Latin words ('Entreprisй'); the reading
    with more plausible words wins, and a tie is refused (read.encoding decides)."""
    text = raw[:1_000_000].decode("cp1251", errors="replace")  # a sample is enough
    pure = mixed = 0
    for w in _WORD.findall(text):
        cyr = sum("\u0400" <= ch <= "\u04ff" for ch in w)
        if not cyr:
            continue
        if cyr == len(w):
            pure += 1
        elif any(ch.isascii() for ch in w):
            mixed += 1
    if mixed > pure:
        for enc in ("cp1252", "latin-1"):
            try:
                raw.decode(enc)
                return enc
            except UnicodeDecodeError:
                continue
    if pure > mixed or (pure == mixed == 0):
        try:
            raw.decode("cp1251")
            return "cp1251"
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise DataError(
                "the file is neither UTF-8 nor Windows-1251 text",
                file=file,
                row=line,
                expected="a CSV exported as UTF-8 or Windows-1251 (or a .xlsx, .parquet, "
                ".sav, .dta file under its own extension)",
            ) from None
    raise DataError(
        "cannot tell whether the file is Cyrillic (Windows-1251) or Western "
        "(Windows-1252/Latin-1) text",
        file=file,
        expected="read: {encoding: cp1251} or read: {encoding: cp1252} under this file in "
        "company.yaml, or the file saved as UTF-8",
    )
