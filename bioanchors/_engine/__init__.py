"""The sampling engine: normal scores -> inputs -> vectorised graph evaluation.

It returns plain data (sample arrays, a streamed :class:`Histogram`, closed-form ``(mu,
sigma)``); the results layer (:mod:`bioanchors._results`) picks the path and builds the
:class:`~bioanchors.Estimate`. The modules, bottom up:

* :mod:`~bioanchors._engine.options`: :class:`SamplingOptions`, the argument checks, limits;
* :mod:`~bioanchors._engine.logform`: products of lognormals as linear forms in log space;
* :mod:`~bioanchors._engine.program`: the register program (small frozen steps) and its compiler;
* :mod:`~bioanchors._engine.plan`: :func:`compile_plan` and the closed form
  :func:`analytic_lognormal`;
* :mod:`~bioanchors._engine.scores`: MC and QMC normal scores;
* :mod:`~bioanchors._engine.interpret`: :func:`execute` and :func:`evaluate_chunk`;
* :mod:`~bioanchors._engine.ranks`, :mod:`~bioanchors._engine.histogram`: the streamed summary;
* :mod:`~bioanchors._engine.draw`: chunks, executors, progress, :func:`sample`,
  :func:`stream_histogram` and their keyword forms :func:`draw`, :func:`draw_many`.

The names other layers use are importable from this package.
"""

from __future__ import annotations

from bioanchors._engine.draw import chunk_tasks, draw, draw_many, sample, stream_histogram
from bioanchors._engine.histogram import HISTOGRAM_BITS, Histogram
from bioanchors._engine.interpret import evaluate_chunk, execute
from bioanchors._engine.logform import LogForm
from bioanchors._engine.options import (
    DEFAULT_MAX_IN_MEMORY,
    MAX_SAMPLES,
    METHODS,
    SAMPLING_METHODS,
    SCORE_BYTES,
    Progress,
    SamplingOptions,
    check_method,
    check_n,
    check_seed,
)
from bioanchors._engine.plan import Plan, analytic_lognormal, compile_plan, has_closed_form

__all__ = [
    "DEFAULT_MAX_IN_MEMORY",
    "HISTOGRAM_BITS",
    "MAX_SAMPLES",
    "METHODS",
    "SAMPLING_METHODS",
    "SCORE_BYTES",
    "Histogram",
    "LogForm",
    "Plan",
    "Progress",
    "SamplingOptions",
    "analytic_lognormal",
    "check_method",
    "check_n",
    "check_seed",
    "chunk_tasks",
    "compile_plan",
    "draw",
    "draw_many",
    "evaluate_chunk",
    "execute",
    "has_closed_form",
    "sample",
    "stream_histogram",
]
