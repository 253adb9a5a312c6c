"""Notebook execution: safe parameters, one fresh kernel per company, nothing leaks, retries."""

from __future__ import annotations

import json

import nbformat
import pytest
from test_report_support import notebook

from orient import report
from orient.errors import ReportError

pytestmark = pytest.mark.slow  # end to end: kernels, notebooks, reports

EVIL = [
    'quote " and \' and """ triple',
    "new\nline and \\ backslash and trailing \\",
    '"); import os; os.system("touch {canary}"); ("',
    "\\\"); import os; os.system('touch {canary}'); #",
    "кириллица, tab\t and \x07 bell",
]


def _run(tmp_path, notebooks, **kw):
    return report.execute_notebooks(notebooks, cwd=tmp_path, **kw)


def _outputs_text(nb) -> str:
    return "".join(
        o.get("text", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )


def test_parameters_cannot_inject_code(tmp_path):
    canary = tmp_path / "PWNED"
    values = [v.format(canary=canary) for v in EVIL]
    nbs = []
    for i, value in enumerate(values):
        nb = notebook("import json; print(json.dumps([company_dir, label]))")
        nbs.append(
            (f"nb{i}", report.parameterise(nb, {"company_dir": value, "label": value[::-1]}))
        )
    executed = _run(tmp_path, nbs)
    for value, nb in zip(values, executed, strict=True):
        # the kernel saw exactly the string passed, character for character
        assert json.loads(_outputs_text(nb)) == [value, value[::-1]]
    assert not canary.exists()


def test_a_notebook_without_parameters_cell_is_refused():
    nb = notebook("1")
    nb.cells[1].metadata["tags"] = []
    with pytest.raises(ReportError, match="parameters"):
        report.parameterise(nb, {"company_dir": "x"}, name="01_strategy")


SET_STATE = """
import os, warnings, random
import numpy as np, pandas as pd, matplotlib as mpl
leaked_variable = company_dir
pd.set_option("display.max_rows", 3)
mpl.rcParams["lines.linewidth"] = 9.5
np.set_printoptions(precision=2)
np.random.seed(123)
random.seed(5)
warnings.simplefilter("error")
os.environ["ORIENT_LEAK"] = company_dir
os.chdir("/")
import sys; sys.path.append("/leak")
"""

CHECK_CLEAN = """
import os, sys, warnings
import numpy as np, pandas as pd, matplotlib as mpl

leaks = []
if "leaked_variable" in globals(): leaks.append("variable")
if pd.get_option("display.max_rows") != 60: leaks.append("pandas option")
if mpl.rcParams["lines.linewidth"] == 9.5: leaks.append("rcParams")
if np.get_printoptions()["precision"] != 8: leaks.append("numpy printoptions")
if "ORIENT_LEAK" in os.environ: leaks.append("environment")
if os.getcwd() == "/": leaks.append("cwd")
if "/leak" in sys.path: leaks.append("sys.path")
if any(f[0] == "error" and f[2] is Warning for f in warnings.filters): leaks.append("warnings")
print("LEAKS", leaks)
"""


def test_nothing_survives_from_one_notebook_into_the_next(tmp_path):
    first = report.parameterise(
        notebook(SET_STATE + CHECK_CLEAN.replace("LEAKS", "SET")), {"company_dir": "a"}
    )
    second = report.parameterise(notebook(CHECK_CLEAN), {"company_dir": "a"})
    done = _run(tmp_path, [("01", first), ("02", second)])
    # the first notebook really changed every setting...
    assert (
        "SET ['variable', 'pandas option', 'rcParams', 'numpy printoptions', 'environment',"
        " 'cwd', 'sys.path', 'warnings']" in _outputs_text(done[0])
    )
    # ...and the second, in the same kernel, saw none of it
    assert "LEAKS []" in _outputs_text(done[1])


def test_each_company_gets_a_fresh_kernel(tmp_path):
    pid = "import os; print('PID', os.getpid())\n"
    a = _run(
        tmp_path, [("01", report.parameterise(notebook(pid + SET_STATE), {"company_dir": "a"}))]
    )
    b = _run(
        tmp_path, [("01", report.parameterise(notebook(pid + CHECK_CLEAN), {"company_dir": "b"}))]
    )
    assert "LEAKS []" in _outputs_text(b[0])
    pid_a = _outputs_text(a[0]).split("PID ")[1].split()[0]
    pid_b = _outputs_text(b[0]).split("PID ")[1].split()[0]
    assert pid_a != pid_b


def test_a_failing_cell_names_notebook_cell_and_error(tmp_path):
    nb = report.parameterise(
        notebook("x = 1", "raise ValueError('boom <here>')", "y = 2"), {"company_dir": "a"}
    )
    with pytest.raises(ReportError) as info:
        _run(
            tmp_path,
            [
                ("01_ok", report.parameterise(notebook("1"), {"company_dir": "a"})),
                ("02_satisfaction", nb),
            ],
        )
    err = info.value
    assert err.notebook == "02_satisfaction"
    # cells: title, parameters, injected parameters, x = 1, raise -> the 5th cell
    assert err.cell == 5
    assert err.error == "ValueError: boom <here>"


def test_the_saved_notebook_has_no_kernel_setup_cell(tmp_path):
    nb = report.parameterise(notebook("1"), {"company_dir": "a"})
    done = _run(tmp_path, [("01", nb), ("02", nb)])
    for executed in done:
        assert [c.source for c in executed.cells] == [c.source for c in nb.cells]
        nbformat.validate(executed)


def test_figures_show_in_every_notebook_of_a_company(tmp_path):
    # a figure left at the end of a cell is shown by the inline backend: in the first
    # notebook and also after the kernel has been reset between notebooks
    plot = "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2]);"
    nbs = [(f"nb{i}", report.parameterise(notebook(plot), {"company_dir": "x"})) for i in range(3)]
    for nb in _run(tmp_path, nbs):
        images = [
            o
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
            if "image/svg+xml" in o.get("data", {})
        ]
        assert len(images) == 1


@pytest.mark.parametrize("value", EVIL)
def test_the_summary_cell_cannot_be_injected_through_the_company_path(tmp_path, value):
    import ast
    from pathlib import Path

    folder = value.format(canary=tmp_path / "PWNED")
    nb = report._summary_notebook(Path("/data") / folder, tmp_path / "s.json")
    tree = ast.parse(nb.cells[0].source)
    call = tree.body[1].value  # _orient_summary(company_dir, path, settings as JSON)
    assert [a.value for a in call.args] == [
        str(Path("/data") / folder),
        str(tmp_path / "s.json"),
        "{}",
        None,  # every headline module
    ]
    nb = report._summary_notebook(Path("/data") / folder, tmp_path / "s.json", None, [folder])
    call = ast.parse(nb.cells[0].source).body[1].value
    assert ast.literal_eval(call.args[3]) == [folder]  # a module list is a literal too
    assert len(tree.body) == 3  # def, call, del: nothing else was smuggled in
