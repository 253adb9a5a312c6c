"""PDF printing: orient.report.html_to_pdf against the previous method, in one run.

    python benchmarks/pdf.py [--html-dir DIR] [--repeat 2]

For each sample company in data/companies/ takes its report.html (from
``--html-dir/<slug>/report.html`` if present, else built once with
``orient.report.build(..., pdf=False)`` into a temporary folder), then times, in
this process, CPU seconds per report (``time.process_time``, best of ``--repeat``):

previous
    The method before this benchmark: lay the whole report out with WeasyPrint,
    find the tables wider than the page, lay the whole report out again with a
    smaller font (or a landscape page) for them, then write the PDF.
now
    ``orient.report.html_to_pdf``: the tables that might be too wide, judged from
    their text, are measured in a small document of their own, so the report is
    laid out once.

Both must leave no table wider than its page; the page counts are shown side by side.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from orient import report

ROOT = Path(__file__).resolve().parents[1]


def previous_document(html_text: str):
    """The fitting method before the single layout (two full layouts)."""
    import weasyprint

    document = weasyprint.HTML(string=html_text, base_url=None).render()
    scales: dict[str, float] = {}
    landscape: set[str] = set()
    for _ in range(2):
        overflow = report._overflowing_tables(document)
        if not overflow:
            break
        for ident, ratio in overflow.items():
            if ident not in landscape and scales.get(ident, 1.0) * ratio < 0.6:
                landscape.add(ident)
                ratio *= report._LANDSCAPE_GAIN
            scales[ident] = max(0.4, min(1.0, scales.get(ident, 1.0) * ratio * 0.92))
        rules = [f'figure[data-table="{i}"] {{ page: landscape; }}' for i in sorted(landscape)]
        rules += [
            f'.table-wrap[data-table="{i}"] table {{ font-size: {s * 100:.1f}%; }}'
            for i, s in sorted(scales.items())
        ]
        css = "\n".join(rules)
        fitted = html_text.replace(
            "</head>", f"<style>@media print {{\n{css}\n}}</style>\n</head>", 1
        )
        document = weasyprint.HTML(string=fitted, base_url=None).render()
    return document


def _cpu(fn, repeat: int):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        best = min(best, time.process_time() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--html-dir",
        type=Path,
        default=None,
        help="folder with <slug>/report.html (built if missing)",
    )
    parser.add_argument("--repeat", type=int, default=2, help="runs per method (best kept)")
    args = parser.parse_args()
    import weasyprint

    weasyprint.HTML(string="<p>warm up</p>").render().write_pdf()  # imports, fonts
    companies = sorted(
        p for p in (ROOT / "data" / "companies").iterdir() if (p / "company.yaml").exists()
    )
    html_dir = args.html_dir or Path(tempfile.mkdtemp(prefix="orient-pdf-bench-"))
    print(
        f"{'company':<18}{'previous s':>11}{'now s':>8}{'ratio':>7}"
        f"{'pages before':>14}{'pages now':>11}"
    )
    totals = [0.0, 0.0]
    for company in companies:
        page = html_dir / company.name / "report.html"
        if not page.exists():
            page = report.build(company, html_dir, pdf=False)
        html_text = page.read_text(encoding="utf-8")

        def previous(html_text=html_text):
            document = previous_document(html_text)
            return document, document.write_pdf()

        def now(html_text=html_text):
            document = report.fit_document(html_text)
            return document, document.write_pdf()

        old_s, (old_doc, _) = _cpu(previous, args.repeat)
        new_s, (new_doc, _) = _cpu(now, args.repeat)
        for document in (old_doc, new_doc):
            assert report._overflowing_tables(document) == {}, company.name
        totals[0] += old_s
        totals[1] += new_s
        print(
            f"{company.name:<18}{old_s:>11.2f}{new_s:>8.2f}{old_s / new_s:>6.1f}x"
            f"{len(old_doc.pages):>14}{len(new_doc.pages):>11}",
            flush=True,
        )
    print(f"{'all':<18}{totals[0]:>11.2f}{totals[1]:>8.2f}{totals[0] / totals[1]:>6.1f}x")


if __name__ == "__main__":
    main()
