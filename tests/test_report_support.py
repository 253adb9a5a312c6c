"""Helpers shared by the report and batch tests (no tests here): tiny stage notebooks."""

from __future__ import annotations

from pathlib import Path

import nbformat

PARAMETERS = 'company_dir: str = ""  # company folder; empty: the bundled sample'


def notebook(*cells: str | tuple[str, str], title: str = "Stage") -> nbformat.NotebookNode:
    """A notebook: a title, the tagged parameters cell, then code (str) or ("md", text) cells."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(PARAMETERS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\nWhat this stage shows."), params]
    for cell in cells:
        if isinstance(cell, tuple):
            nb.cells.append(nbformat.v4.new_markdown_cell(cell[1]))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(cell))
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "language": "python",
        "display_name": "Python 3",
    }
    return nb


def write_notebooks(folder: Path, notebooks: dict[str, nbformat.NotebookNode]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, nb in notebooks.items():
        nbformat.write(nb, folder / f"{stem}.ipynb")
    return folder


FIGURE = (
    "import matplotlib.pyplot as plt\n"
    "print('a stray print')\n"
    "fig, ax = plt.subplots(figsize=(5, 2.5))\n"
    "ax.bar(['a', 'b'], [3, 5]); ax.set_title('Bars'); ax.set_ylabel('count')\n"
    "plt.show()"
)
TABLE = (
    "import pandas as pd, orient\n"
    "company = orient.load_company(company_dir)\n"
    "pd.DataFrame({'item': ['name', 'respondents'],\n"
    "              'value': [company.name, len(company.survey)]}).set_index('item')"
)


def demo_notebooks(folder: Path) -> Path:
    """Two small stage notebooks with a figure, a table, a stray print and an object repr."""
    return write_notebooks(
        folder,
        {
            "01_strategy": notebook(
                ("md", "## Goals\n\nThe goals of the company."),
                FIGURE,
                "object()",
                title="Stage I: Strategy",
            ),
            "02_satisfaction": notebook(
                ("md", "## The data\n\nWho answered."),
                TABLE,
                "import warnings; warnings.warn('careful')",
                title="Stage II: Satisfaction",
            ),
        },
    )
