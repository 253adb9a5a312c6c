"""Tables and queries from a SQL database through SQLAlchemy and :func:`pandas.read_sql`.

A source is any SQLAlchemy URL (``sqlite:///crm.db``, ``postgresql+psycopg://user@host/db``)
with a table name or a query. Errors name the source with its password hidden, and the
table; a relative SQLite path is taken inside the company folder.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from orient.data.read import ReadInfo
from orient.errors import DataError

__all__ = ["read_database", "shown_url"]


def shown_url(url: str) -> str:
    """``url`` as errors and reports show it: the password replaced by ``***``."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy understands, or no SQLAlchemy: hide all after //
        scheme, _, rest = url.partition("://")
        host = rest.rsplit("@", 1)[-1]
        return f"{scheme}://***@{host}" if "@" in rest else f"{scheme}://{rest}"


def read_database(
    url: str,
    *,
    table: str | None = None,
    query: str | None = None,
    base: Path | None = None,
    key: str = "file",
) -> tuple[pd.DataFrame, ReadInfo]:
    """Read ``table`` (``schema.table`` allowed) or the result of ``query`` from ``url``.

    ``base``: the folder a relative SQLite path is taken in. Returns ``(df, info)``;
    ``info.file`` is the source as errors name it (URL without password, table).
    """
    shown = shown_url(url)
    if bool(table) == bool(query):
        raise DataError(
            "a database source needs read.table or read.query (one of them)",
            file=shown,
            column=f"{key}.read",
            expected="read: {table: responses} or read: {query: 'select ...'}",
        )
    source = f"{shown} (table {table})" if table else f"{shown} (query)"
    try:
        import sqlalchemy as sa
    except ImportError:
        raise DataError(
            "reading a database needs the SQLAlchemy package",
            file=source,
            expected="pip install sqlalchemy (and the database's driver, e.g. psycopg)",
        ) from None
    engine = _engine(sa, url, shown, source, base)
    try:
        with engine.connect() as con:
            df = _fetch(sa, con, table, query, source)
    except DataError:
        raise
    except sa.exc.SQLAlchemyError as exc:
        raise DataError(
            f"could not read the database ({type(exc).__name__}: {_reason(exc, url)})",
            file=source,
            expected="a reachable database, the right credentials and an existing table",
        ) from None
    finally:
        engine.dispose()
    if df.columns.size == 0 or len(df) == 0:
        raise DataError(
            "the table or query gave no rows", file=source, expected="at least one data row"
        )
    df.columns = [str(c) for c in df.columns]
    return df, ReadInfo(source, "", "", ".", len(df), 1, "sql")


def _engine(sa, url: str, shown: str, source: str, base: Path | None):
    try:
        u = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise DataError(
            "not a database URL", file=source, expected="dialect://user@host/database"
        ) from None
    if u.get_backend_name() == "sqlite" and u.database not in (None, "", ":memory:"):
        db = Path(u.database)
        if not db.is_absolute() and base is not None:
            db = Path(base) / db
        if not db.exists():  # SQLite would create an empty database
            raise DataError(
                "SQLite database file not found",
                file=source,
                value=str(db),
                expected="an existing .db file (a relative path is taken in the company folder)",
            )
        u = u.set(database=str(db))
    try:
        return sa.create_engine(u)
    except (ImportError, sa.exc.NoSuchModuleError) as exc:
        raise DataError(
            f"no driver for this database ({exc})",
            file=source,
            expected="the driver installed, e.g. pip install psycopg for postgresql+psycopg://",
        ) from None


def _fetch(sa, con, table: str | None, query: str | None, source: str) -> pd.DataFrame:
    if query:
        return pd.read_sql_query(sa.text(query), con)
    schema, _, name = table.rpartition(".")
    schema = schema or None
    names = sa.inspect(con).get_table_names(schema=schema)
    names += sa.inspect(con).get_view_names(schema=schema)
    if name not in names:
        listed = ", ".join(sorted(names)[:20]) or "none"
        raise DataError(
            "table not found in the database",
            file=source,
            column="read.table",
            value=table,
            expected=f"one of its tables: {listed}",
        )
    return pd.read_sql_table(name, con, schema=schema)


def _reason(exc, url: str) -> str:
    """The driver's first line, with the URL's password (should a driver echo it) hidden."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    reason = (text[0] if text else type(exc).__name__)[:200]
    try:
        from sqlalchemy.engine import make_url

        password = make_url(url).password
    except Exception:  # no password to hide in a URL SQLAlchemy cannot read
        password = None
    if password:
        reason = reason.replace(str(password), "***")
    return reason
