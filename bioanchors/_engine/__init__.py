"""The sampling engine: normal scores -> inputs -> vectorised graph evaluation.

It returns plain data (sample arrays, a streamed :class:`Histogram`, closed-form ``(mu,
sigma)``); the results layer (:mod:`bioanchors._results`) picks the path and builds the
:class:`~bioanchors.Estimate`. The modules, bottom up:

* :mod:`~bioanchors._engine.options`: :class:`SamplingOptions`, the argument checks, limits;
* :mod:`~bioanchors._engine.logform`: products of lognormals as linear forms in log space;
* :mod:`~bioanchors._engine.program`: the register program (small frozen steps) and its compiler;
* :mod:`~bioanchors._engine.ops`: each operation's numpy ufunc (interpreter and folding alike);
* :mod:`~bioanchors._engine.fold`: constant folding, once per compiled program;
* :mod:`~bioanchors._engine.plan`: :func:`compile_plan` and the closed form
  :func:`analytic_lognormal`;
* :mod:`~bioanchors._engine.scores`: MC and QMC normal scores;
* :mod:`~bioanchors._engine.mixtures`: which component each sample of a mixture takes;
* :mod:`~bioanchors._engine.blas`: BLAS held to one thread while a large chunk runs;
* :mod:`~bioanchors._engine.interpret`: :func:`execute` and :func:`evaluate_chunk` (a chunk
  in cache-sized blocks);
* :mod:`~bioanchors._engine.ranks`, :mod:`~bioanchors._engine.histogram`: the streamed summary;
* :mod:`~bioanchors._engine.draw`: chunks (serially, each evaluated into its slice of the
  result), executors, progress, :func:`sample`,
  :func:`stream_histogram` and their keyword forms :func:`draw`, :func:`draw_many`.

Import from the modules themselves: this package imports nothing, so that importing one
module (the results layer needs only :mod:`~bioanchors._engine.histogram` at start-up) does
not load the whole engine.
"""
