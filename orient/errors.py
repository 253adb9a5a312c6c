"""Exceptions and warnings raised by orient.

Every problem with a user's data is an :class:`DataError` whose message names the
file, the column (or YAML key path), the first offending row as a spreadsheet user
counts it (the header is row 1) with its value, and what was expected.
"""

from __future__ import annotations

from typing import Any

__all__ = ["OrientError", "DataError", "ReportError", "OrientWarning"]


class OrientError(Exception):
    """Base class of every error orient raises on purpose."""


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class DataError(OrientError, ValueError):
    """A data file or company profile does not meet the data contract.

    Parameters
    ----------
    problem : str
        What is wrong, in plain words ("rating outside the scale").
    file : str, optional
        The file name (as the user knows it, e.g. ``survey.csv``).
    column : str, optional
        The column, or for ``company.yaml`` the key path (``survey.attributes.delivery``).
    row : int, optional
        The first offending row as a spreadsheet counts it: the header is row 1,
        the first data row is row 2.
    value : object, optional
        The offending value.
    expected : str, optional
        What was expected instead.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        column: str | None = None,
        row: int | None = None,
        value: Any = None,
        expected: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.column = column
        self.row = row
        self.value = value
        self.expected = expected
        super().__init__(self._message())

    @classmethod
    def at_first(
        cls, bad: Any, problem: str, *, values: Any = None, shown=None, **where: Any
    ) -> DataError:
        """The error at the first row where ``bad`` (a boolean array or Series, in row
        order) is true: ``row`` counts the header as row 1; ``value`` is that row's entry
        of ``values`` (passed through ``shown``, e.g. ``str``, when given)."""
        import numpy as np

        i = int(np.flatnonzero(np.asarray(bad, dtype=bool))[0])
        value = None
        if values is not None:
            value = values.iloc[i] if hasattr(values, "iloc") else values[i]
            value = shown(value) if shown is not None else value
        return cls(problem, row=i + 2, value=value, **where)

    def _message(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        text = ", ".join(where)
        text = f"{text}: {self.problem}" if text else self.problem
        if self.value is not None:
            text += f" (found {_show(self.value)})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text

    def __reduce__(self):  # keep the fields when pickled (batch workers, Dask)
        return (
            _rebuild_data_error,
            (self.problem, self.file, self.column, self.row, self.value, self.expected),
        )


def _rebuild_data_error(problem, file, column, row, value, expected):
    return DataError(problem, file=file, column=column, row=row, value=value, expected=expected)


class ReportError(OrientError):
    """A stage notebook failed while a report was being built.

    Carries the notebook and the failing cell so a batch run can say where.
    """

    def __init__(
        self,
        message: str,
        *,
        notebook: str | None = None,
        cell: int | None = None,
        error: str | None = None,
    ) -> None:
        self.notebook = notebook
        self.cell = cell
        self.error = error
        parts = [message]
        if notebook:
            parts.append(f"notebook {notebook}")
        if cell is not None:
            parts.append(f"cell {cell}")
        super().__init__(", ".join(parts) + (f": {error}" if error else ""))

    def __reduce__(self):
        return (_rebuild_report_error, (self.args[0], self.notebook, self.cell, self.error))


def _rebuild_report_error(message, notebook, cell, error):
    err = ReportError.__new__(ReportError)
    OrientError.__init__(err, message)
    err.notebook, err.cell, err.error = notebook, cell, error
    return err


class OrientWarning(UserWarning):
    """A result is computed but should be read with care (small base, collinearity...)."""
