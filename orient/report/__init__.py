"""One company's report: run the stage notebooks, render HTML and PDF, write summary.json.

:func:`build` is what ``orient report DIR -o OUT`` calls; it writes ``OUT/<slug>/``
with ``report.html``, ``report.pdf``, ``summary.json`` and the executed notebooks.

Modules:

- :mod:`~orient.report.builder`: :func:`build`, :func:`build_company`, the shipped stage
  notebooks (package data), their parameters, safe output folders and atomic writes.
- :mod:`~orient.report.summary`: :func:`summarise` and :func:`summary_json` (summary.json).
- :mod:`~orient.report.kernel`: :class:`CompanyKernel` and :func:`execute_notebooks`, one
  fresh kernel per company, reset between its notebooks, retried when it dies or hangs.
- :mod:`~orient.report.forkkernel`: kernels forked from a warm template process.
- :mod:`~orient.report.render`: :func:`render_html`, the report page (executive summary,
  contents, numbered figures and tables).
- :mod:`~orient.report.sanitize`: :func:`sanitize_html` for notebook outputs (nh3, and
  orient's own CSS filter).
- :mod:`~orient.report.pdf`: :func:`html_to_pdf` by headless Chromium (else WeasyPrint),
  wide tables fitted.
- :mod:`~orient.report.texts`: the language texts, numbers and plurals of the report.
- :mod:`~orient.report.sample`: :func:`sample_company_dir`, the sample company notebooks
  open when given no company folder.

Nothing heavy is imported here (papermill, nbconvert, WeasyPrint load on first use).
"""

# public names, and (``_x as _x``) the private ones other modules, tests and benchmarks use
from orient.report.builder import (
    NOTEBOOKS,
    BuildResult,
    build,
    build_company,
    default_notebooks_dir,
    parameterise,
    safe_output_dir,
    stage_notebooks,
)
from orient.report.builder import _atomic_write as _atomic_write
from orient.report.builder import _remove_file as _remove_file
from orient.report.kernel import CompanyKernel, execute_notebooks
from orient.report.kernel import _error_cell as _error_cell
from orient.report.kernel import _kernel_template as _kernel_template
from orient.report.kernel import _quiet_shutdown as _quiet_shutdown
from orient.report.kernel import _summary_notebook as _summary_notebook
from orient.report.pdf import _LANDSCAPE_GAIN as _LANDSCAPE_GAIN
from orient.report.pdf import _maybe_wide_tables as _maybe_wide_tables
from orient.report.pdf import _overflowing_tables as _overflowing_tables
from orient.report.pdf import _render as _render
from orient.report.pdf import fit_document, html_to_pdf
from orient.report.render import MAX_FINDINGS, render_html
from orient.report.render import _biggest_risk as _biggest_risk
from orient.report.render import _findings as _findings
from orient.report.render import _key_figures as _key_figures
from orient.report.render import _labels as _labels
from orient.report.render import _report_cells as _report_cells
from orient.report.sample import sample_company_dir
from orient.report.sanitize import sanitize_html
from orient.report.summary import HEADLINE_MODULES, SCHEMA_VERSION, summarise, summary_json
from orient.report.summary import _json_safe as _json_safe
from orient.report.texts import _plural_word as _plural_word
from orient.report.texts import _sentence_env as _sentence_env
from orient.report.texts import _texts as _texts
from orient.report.texts import format_number, plural

__all__ = [
    "NOTEBOOKS",
    "HEADLINE_MODULES",
    "SCHEMA_VERSION",
    "MAX_FINDINGS",
    "BuildResult",
    "CompanyKernel",
    "build",
    "build_company",
    "default_notebooks_dir",
    "execute_notebooks",
    "fit_document",
    "format_number",
    "html_to_pdf",
    "parameterise",
    "plural",
    "render_html",
    "safe_output_dir",
    "sample_company_dir",
    "sanitize_html",
    "stage_notebooks",
    "summarise",
    "summary_json",
]
