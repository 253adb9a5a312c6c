"""Presentation: what readers see of the results, made once, at the source.

Nothing is imported here, so ``import orient.present`` stays cheap; import the
subpackages themselves (``from orient.present import plots``).

Subpackages
-----------
plots
    Every figure orient draws, one module per stage (``orient.present.plots.strategy``,
    ``satisfaction``, ``priorities``, ``implementation``, ``operations``), with the
    palette and the language pass in ``common``.
widgets
    Classroom and JupyterLab explorers (ipywidgets), one module per stage, the
    explorer frame in ``explorer`` and answer checking in ``classroom``.
"""
