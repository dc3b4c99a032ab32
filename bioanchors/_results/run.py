"""From a graph to an :class:`~bioanchors.Estimate`: the results layer picks the path.

* closed form (``method`` "auto" on a product of lognormals and constants, or "analytic"): the
  engine's ``(mu, sigma)`` (:func:`~bioanchors._engine.plan.analytic_lognormal`); a constant
  is evaluated by plain arithmetic instead;
* in memory (up to ``max_in_memory`` samples): the engine's samples, every answer exact for them;
* streamed (more samples): the engine's merged histogram, so memory does not grow with ``n``.

:func:`run_estimates` answers several outputs at once (a sweep's rows): each estimate is the
one :func:`run_estimate` gives, with the Monte Carlo ones drawn together in shared passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bioanchors._engine.draw import chunk_length, sample, stream_histogram
from bioanchors._engine.options import Progress, SamplingOptions
from bioanchors._engine.plan import Plan, analytic_lognormal, compile_plan, has_closed_form
from bioanchors._engine.scores import draws_uniform
from bioanchors._graph.checks import warn_if_negative
from bioanchors._graph.distributions import Point
from bioanchors._graph.nodes import Leaf, Mix
from bioanchors._graph.streams import StreamKey
from bioanchors._graph.uncertain import Uncertain, walk
from bioanchors._results.estimate import Estimate
from bioanchors._results.record import EstimateMethod
from bioanchors.errors import InvalidInputError, SamplingError

__all__ = ["run_estimate", "run_estimates"]

BATCH_BYTES = 256 << 20
"""Most memory for the samples of one shared pass of :func:`run_estimates` (256 MiB)."""


def run_estimate(output: Uncertain, options: SamplingOptions) -> Estimate:
    """An :class:`~bioanchors.Estimate` of ``output`` (``options`` already checked).

    Up to ``options.max_in_memory`` samples (default 2**24) are kept and every answer is exact
    for them. Above it the estimate is streamed: each chunk is reduced to a histogram where it
    is evaluated and only the merged histogram is kept (``samples`` is None), so memory does
    not grow with ``n``; percentiles are then within a relative ``2**-10`` (0.1 %) of those of
    the same samples held in memory, the mean is exact up to rounding and ``prob_above`` is
    exact outside one histogram bin.

    >>> import bioanchors as ba
    >>> x = ba.normal(10, 2, "s") * ba.lognormal(1, 1.5)
    >>> kept = run_estimate(x, SamplingOptions.of(200_000, seed=1, chunk_size=50_000))
    >>> small = SamplingOptions.of(200_000, seed=1, chunk_size=50_000, max_in_memory=100_000)
    >>> streamed = run_estimate(x, small)
    >>> streamed.streamed, streamed.samples is None
    (True, True)
    >>> abs(streamed.percentile(95) / kept.percentile(95) - 1) < 2**-10
    True
    """
    plan = compile_plan(output)
    method = options.method
    if method == "analytic" or (method == "auto" and has_closed_form(plan)):
        return _closed_form(output, plan, options)
    sampled: EstimateMethod = "qmc" if method == "qmc" else "mc"
    if method != sampled:  # "auto" without a closed form
        options = replace(options, method=sampled)
    try:
        if options.n > options.max_in_memory:
            histogram = stream_histogram(plan, options)
            result = Estimate.from_histogram(
                histogram,
                output.unit,
                n=options.n,
                seed=options.seed,
                method=sampled,
                source=output,
            )
            lowest = histogram.minimum
        else:
            samples = sample(plan, options)[0]
            lowest = float(samples.min())
            result = Estimate.from_samples(
                samples,
                output.unit,
                n=options.n,
                seed=options.seed,
                method=sampled,
                copy=False,
                source=output,
            )
    except (InvalidInputError, SamplingError) as error:
        # Name the quantity: in a scenario, the step whose estimate failed.
        raise type(error)(f"estimate of {output.describe()!r}: {error}") from None
    warn_if_negative(output, lowest, options.n)
    return result


def _closed_form(output: Uncertain, plan: Plan, options: SamplingOptions) -> Estimate:
    mu, sigma = analytic_lognormal(plan)
    if sigma == 0.0:
        # A constant: evaluate it by plain arithmetic rather than exp(log(value)).
        value = sample(plan, SamplingOptions(1, options.seed))[0]
        return Estimate.from_samples(
            value, output.unit, n=options.n, seed=options.seed, method="analytic", source=output
        )
    return Estimate.from_lognormal(
        mu, sigma, output.unit, n=options.n, seed=options.seed, source=output
    )


def run_estimates(
    outputs: Sequence[Uncertain],
    options: SamplingOptions,
    *,
    progress: Progress | None = None,
) -> list[Estimate]:
    """Estimates of ``outputs``, each equal to ``run_estimate(output, options)``, bit for bit;
    ``progress(done, total)`` is called as outputs are done.

    Monte Carlo estimates kept in memory are drawn together: one plan for a group of outputs
    draws every input they share once (an input each of them reads from the same stream is one
    column), in the chunk length each output would use alone, so the numbers are the same.
    At most :data:`BATCH_BYTES` of samples are held per pass. Closed forms, QMC and streamed
    estimates are answered one by one; so is a group whose pass fails, so that the error names
    the output that caused it.

    >>> import bioanchors as ba
    >>> a, b = ba.between(1, 3), ba.lognormal(2, 4)
    >>> rows = run_estimates([a * b, a + b], SamplingOptions.of(1_000, seed=1, method="auto"))
    >>> [r.percentile(50) for r in rows] == [
    ...     run_estimate(x, SamplingOptions.of(1_000, seed=1, method="auto")).percentile(50)
    ...     for x in (a * b, a + b)
    ... ]
    True
    """
    results: list[Estimate | None] = [None] * len(outputs)
    passes: dict[int, list[int]] = {}  # chunk length -> the outputs drawn with it

    def report() -> None:
        if progress is not None:
            progress(sum(r is not None for r in results), len(outputs))

    # A node's log form does not depend on the other outputs of a plan, and an output's
    # chunk length only shrinks with its number of random columns: when even all the
    # outputs' columns together get the longest chunk, every output does, and one plan of
    # them all answers both questions without compiling each output alone.
    together = compile_plan(outputs) if outputs else None
    longest = chunk_length(1, options.n, options.chunk_size)
    alike = (
        together is not None
        and chunk_length(together.dimension, options.n, options.chunk_size) == longest
    )
    for index, output in enumerate(outputs):
        plan = together if alike and together is not None else compile_plan(output)
        closed = plan.forms.get(id(output.node)) is not None
        sampled = options.method == "mc" or (options.method == "auto" and not closed)
        if not sampled or options.n > options.max_in_memory:
            results[index] = run_estimate(output, options)
            report()
            continue
        size = longest if alike else chunk_length(plan.dimension, options.n, options.chunk_size)
        passes.setdefault(size, []).append(index)
    per_pass = max(1, BATCH_BYTES // (8 * options.n))
    for size, indices in passes.items():
        for group in _passes(outputs, indices, per_pass):
            shared = replace(options, method="mc", chunk_size=size)
            try:
                samples = sample(compile_plan([outputs[i] for i in group]), shared)
            except (InvalidInputError, SamplingError):
                for i in group:  # one by one: the error names the output that caused it
                    results[i] = run_estimate(outputs[i], options)
                report()
                continue
            for i, row in zip(group, samples, strict=True):
                results[i] = Estimate.from_samples(
                    row,
                    outputs[i].unit,
                    n=options.n,
                    seed=options.seed,
                    method="mc",
                    copy=False,
                    source=outputs[i],
                )
                warn_if_negative(outputs[i], float(row.min()), options.n)
            report()
    return [result for result in results if result is not None]


def _passes(outputs: Sequence[Uncertain], indices: list[int], most: int) -> list[list[int]]:
    """``indices`` in groups of at most ``most`` that can share one pass: an input stream that
    one output reads as a uniform-kind input and another as a normal one would get normal
    scores in the shared plan (one column, two kinds), not the uniforms it gets alone."""
    if _one_kind_per_stream([outputs[i] for i in indices]):  # no two of them can clash
        return [indices[start : start + most] for start in range(0, len(indices), most)]
    groups: list[tuple[list[int], dict[StreamKey, bool]]] = []
    for index in indices:
        kinds = _stream_kinds(outputs[index])
        for members, seen in groups:
            fits = len(members) < most and all(
                seen.get(key, kind) == kind for key, kind in kinds.items()
            )
            if fits:
                members.append(index)
                seen.update(kinds)
                break
        else:
            groups.append(([index], dict(kinds)))
    return [members for members, _ in groups]


def _one_kind_per_stream(outputs: Sequence[Uncertain]) -> bool:
    """True when, over all of ``outputs`` (one walk of their shared graph), every input stream
    is read either only by uniform-kind inputs or only by others: then any of them can share
    a pass with any other, and the groups of :func:`_passes` are plain slices."""
    seen: dict[StreamKey, bool] = {}
    for node in (item.node for item in walk(outputs)):
        if isinstance(node, Leaf) and node.group is None and not isinstance(node.dist, Point):
            kind = draws_uniform(node.dist)
        elif isinstance(node, Mix):
            kind = False
        else:
            continue
        if seen.setdefault(node.key, kind) != kind:
            return False
    return True


def _stream_kinds(output: Uncertain) -> dict[StreamKey, bool]:
    """Per independent input stream of ``output``: True when every input reading it is of a
    uniform kind (drawn from uniforms in Monte Carlo), else False."""
    kinds: dict[StreamKey, bool] = {}
    for item in output.walk():
        node = item.node
        if isinstance(node, Leaf) and node.group is None and not isinstance(node.dist, Point):
            uniform = draws_uniform(node.dist)
            kinds[node.key] = kinds.get(node.key, uniform) and uniform
        elif isinstance(node, Mix):
            kinds[node.key] = False
    return kinds
