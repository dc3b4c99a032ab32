"""The results layer: what users get back from a sampling run.

:mod:`~bioanchors._results.run` picks the path (closed form, samples in memory, or a streamed
histogram) and builds the :class:`~bioanchors.Estimate` (:mod:`~bioanchors._results.estimate`)
around a summary (:mod:`~bioanchors._results.summaries`, :mod:`~bioanchors._results.derived`);
:mod:`~bioanchors._results.sensitivity` and :mod:`~bioanchors._results.compare` answer
questions about several quantities at once; :mod:`~bioanchors._results.brain` reads an
Estimate as the brain of a TAI forecast.
"""
