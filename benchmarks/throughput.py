"""Engine throughput against the best hand-written numpy (issue 14, items 1, 2, 5 and 6).

    python benchmarks/throughput.py             # n = 1e6 and 1e7, parallel at 1e8
    python benchmarks/throughput.py --quick     # n = 1e6 only, parallel at 2e7

Everything is measured side by side in this one process: contenders run in interleaved rounds
(the order rotated each round) and are compared by their medians; each row also gives the
minimum and the spread (max / min) and the load average while it ran, since the machine may be
shared. ``benchmarks/run.py`` includes this as its target 7.

* the RNG floor: ns per normal draw (PCG64 ``standard_normal`` into ``out=``) and per uniform;
* for every model (the 6-factor product and every sampled bundled scenario: :mod:`best_numpy`,
  :mod:`best_numpy_scenarios`) at n = 1e6 and 1e7, bioanchors' ``estimate(n, method="mc")``
  plus p5/p50/p95 and the mean against the best numpy and the idiomatic numpy: per row the
  ratio of medians, the range of the per-round ratios, each contender's spread and the load;
  the answers are checked to agree within Monte Carlo error (z-scores printed), and the best
  numpy against the closed form where the output has one; the point-valued scenarios are
  listed with the reason they have nothing to sample;
* the closed form against a hand-written closed form;
* streamed sampling's ns per sample against ns per draw x random columns;
* two worker processes against serial on carlsmith-2020-mechanistic (a graph of 5 random
  columns).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Callable, Collection
from concurrent.futures import ProcessPoolExecutor

import best_numpy  # the models sit beside this script
import numpy as np
from machine import busy_seconds, own_seconds  # beside this script
from threadpoolctl import ThreadpoolController

import bioanchors as ba
from bioanchors._graph.uncertain import Uncertain

run_estimate = Uncertain.estimate
_BLAS = ThreadpoolController()


def rounds(
    contenders: dict[str, Callable[[], object]], repeats: int, warm: Collection[str] | None = None
) -> dict[str, list[float]]:
    """Per contender: its seconds per call in each of ``repeats`` interleaved rounds (the order
    rotated each round), after one warm-up call of each contender in ``warm`` (all if None)."""
    names = list(contenders)
    for name in names if warm is None else warm:
        contenders[name]()  # warm-up: imports, caches, first-touch page faults
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(repeats):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            contenders[name]()
            times[name].append(time.perf_counter() - start)
    return times


def timed(
    contenders: dict[str, Callable[[], object]], repeats: int
) -> dict[str, tuple[float, float, float]]:
    """Per contender: (median, min, max) seconds per call over interleaved rounds."""
    times = rounds(contenders, repeats)
    return {n: (float(np.median(t)), min(t), max(t)) for n, t in times.items()}


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def load() -> str:
    return "/".join(f"{v:.1f}" for v in os.getloadavg())


def other_cores(work: Callable[[], object]) -> tuple[object, float, float]:
    """Run ``work``; also the cores other processes kept busy meanwhile, and our own cores.

    A pool's workers count as our own only once they exit, so for pool work the "other" figure
    includes them: read it from a serial run.
    """
    wall, busy, own = time.perf_counter(), busy_seconds(), own_seconds()
    result = work()
    wall = time.perf_counter() - wall
    mine = (own_seconds() - own) / wall
    return result, max(0.0, (busy_seconds() - busy) / wall - mine), mine


def answers(estimate: ba.Estimate) -> tuple[list[float], float]:
    qs = best_numpy.QS
    return [float(estimate.percentile(q).magnitude) for q in qs], float(estimate.mean.magnitude)


# -- the RNG floor ------------------------------------------------------------------------


def rng_floor(repeats: int) -> tuple[float, float]:
    """ns per standard normal and per uniform draw (PCG64, into ``out=``, 2^20 at a time)."""
    size = 1 << 20
    buffer = np.empty(size)
    generator = np.random.Generator(np.random.PCG64(0))
    result = timed(
        {
            "normal": lambda: generator.standard_normal(out=buffer),
            "uniform": lambda: generator.random(out=buffer),
        },
        repeats,
    )
    return result["normal"][0] / size * 1e9, result["uniform"][0] / size * 1e9


# -- against the best numpy ---------------------------------------------------------------


def agreement(ours: tuple[list[float], float], samples: np.ndarray) -> str:
    """z-scores of bioanchors' p5/p50/p95 and mean against an independent numpy sample.

    A percentile's z: how far the share of the numpy samples below bioanchors' value is from q,
    in standard errors of two independent samples of this size; the mean's: the difference in
    standard errors of the difference of two means.
    """
    n = samples.size
    values, mean = ours
    zs = []
    for q, value in zip(best_numpy.QS, values, strict=True):
        share = float(np.count_nonzero(samples < value)) / n
        p = q / 100.0
        zs.append((share - p) / math.sqrt(2 * p * (1 - p) / n))
    spread = float(samples.std())
    zs.append((mean - float(samples.mean())) / (spread * math.sqrt(2.0 / n)))
    return " / ".join(f"{z:+.1f}" for z in zs)


REPEATS_AT_1E7 = 3  # rounds at n >= 1e7, to keep the whole table near 4 minutes


def versus_numpy(sizes: list[int], repeats: int, summary: dict[str, float]) -> list[str]:
    """One row per model and n; the point-valued scenarios listed with the reason.

    The ratio is of medians; beside it the per-round ratios' range (each round times all
    three contenders back to back, so a burst of load moves a round's ratio less than its
    times), the spread of each contender's own times, and the load average before and after.
    """
    import best_numpy_scenarios

    models = best_numpy.all_models()
    lines = [
        "| model | n | bioanchors | best numpy | idiomatic numpy | bioanchors / best | "
        "per-round ratio (min-max) | bioanchors / idiomatic | spread (max/min) bioanchors, "
        "best | z: p5/p50/p95/mean vs best numpy | z: best numpy vs closed form | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for model in models:
        for n in sizes:
            lines.append(_row(model, n, repeats if n < 10**7 else REPEATS_AT_1E7, summary))
            print(lines[-1], file=sys.stderr, flush=True)
    for name, reason in best_numpy_scenarios.coverage(models).items():
        if reason != "modelled":
            lines.append(f"| {name} | - | {reason} |" + " - |" * 9)
    return lines


def _row(model: best_numpy.Model, n: int, repeats: int, summary: dict[str, float]) -> str:
    buffers = best_numpy.Buffers()
    got: list[tuple[list[float], float]] = []

    def ours() -> object:
        got[:] = [answers(run_estimate(model.graph, n, seed=1, method="mc"))]
        return got[0]

    def best() -> object:
        with _BLAS.limit(limits=1, user_api="blas"):
            x = model.best(np.random.default_rng(1), n, buffers)
        return best_numpy.answers_in_place(x)

    def idiomatic() -> object:
        x = model.idiomatic(np.random.default_rng(1), n)
        return best_numpy.answers_idiomatic(x)

    before = load()
    # At 1e7 the 1e6 row has warmed the imports and caches: only the best numpy's new buffers
    # are touched first (a fresh estimate pays its page faults on every call, so it is timed so).
    warm = None if n < 10**7 else ["best"]
    times = rounds({"bioanchors": ours, "best": best, "idiomatic": idiomatic}, repeats, warm)
    after = load()
    reference = model.best(np.random.default_rng(2), n, buffers).copy()
    check = agreement(got[0], reference)  # the same seed, so the same answers every round
    exact = "-" if model.exact is None else best_numpy.z_exact(model.exact(), reference)
    b, o, i = (np.median(times[k]) for k in ("bioanchors", "best", "idiomatic"))
    per_round = [x / y for x, y in zip(times["bioanchors"], times["best"], strict=True)]
    ratio = float(b / o)
    summary["worst ratio to best numpy"] = max(summary.get("worst ratio to best numpy", 0.0), ratio)
    spread_b, spread_o = (max(times[k]) / min(times[k]) for k in ("bioanchors", "best"))
    return (
        f"| {model.name} | {n:.0e} | {fmt(b)} | {fmt(o)} | {fmt(i)} | {ratio:.2f} | "
        f"{min(per_round):.2f}-{max(per_round):.2f} | {b / i:.2f} | "
        f"{spread_b:.2f}, {spread_o:.2f} | {check} | "
        f"{exact if isinstance(exact, str) else ' / '.join(f'{z:+.1f}' for z in exact)} | "
        f"{before} -> {after} |"
    )


def closed_form(repeats: int, summary: dict[str, float]) -> list[str]:
    import models

    graph = models.product()

    def ours() -> object:
        return answers(graph.estimate())

    def by_hand() -> object:
        return best_numpy.closed_form_product()

    calls = 2000
    result = timed(
        {
            "bioanchors": lambda: [ours() for _ in range(calls)],
            "by hand": lambda: [by_hand() for _ in range(calls)],
        },
        repeats,
    )
    got, mean = answers(graph.estimate())
    exact, exact_mean = best_numpy.closed_form_product()
    error = max(abs(g / e - 1) for g, e in zip([*got, mean], [*exact, exact_mean], strict=True))
    b, h = result["bioanchors"][0] / calls, result["by hand"][0] / calls
    summary["closed form ratio"] = b / h
    return [
        f"Closed form, 6-factor product: bioanchors `estimate()` + p5/p50/p95 + mean "
        f"{fmt(b)} per call, by hand (math, statistics.NormalDist) {fmt(h)}: ratio "
        f"{b / h:.1f}; largest relative difference of the answers {error:.1e}."
    ]


# -- streamed sampling against the RNG floor ----------------------------------------------


def _exps_per_sample(graph: ba.Uncertain) -> int:
    """How many ``exp`` calls per sample the compiled program makes: one per log form."""
    from bioanchors._engine.plan import compile_plan
    from bioanchors._engine.program import FormStep

    program = compile_plan([graph]).program
    return sum(1 for s in program.instructions if isinstance(s, FormStep) and s.form.has_terms)


def streamed(n: int, normal_ns: float, repeats: int, summary: dict[str, float]) -> list[str]:
    """Streamed sampling against the RNG floor, timed in the same interleaved rounds: the
    floor contender draws the same number of normals (columns x n) into a reused buffer.

    A second floor adds the ``exp`` calls the formula cannot do without (one per product of
    lognormals), timed in the same rounds: numpy's float64 ``exp`` is scalar code on a machine
    without AVX-512 (several ns a value), so that floor is the one sampling can approach."""
    del normal_ns  # the floor is re-measured beside each model, not taken from the start
    lines = [
        "| model | random columns | exp per sample | streamed ns per sample | "
        "floor: ns per draw x columns | floor / measured | floor + exps | "
        "(floor + exps) / measured | load |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    block = 1 << 20
    buffer = np.empty(block)
    exps = np.empty(block)
    generator = np.random.Generator(np.random.PCG64(0))
    for model in best_numpy.all_models()[:2]:  # all-normal graphs: the floor is exact for them
        draws = model.columns * n
        count = _exps_per_sample(model.graph)

        def floor(draws: int = draws) -> object:
            for _ in range(draws // block):
                generator.standard_normal(out=buffer)
            return None

        def exp_floor(count: int = count) -> object:
            for _ in range(count * (n // block)):
                np.exp(buffer, out=exps)
            return None

        def ours(model: best_numpy.Model = model) -> object:
            return run_estimate(model.graph, n, seed=0, method="mc", max_in_memory=1 << 20)

        before = load()
        result = timed({"streamed": ours, "floor": floor, "exp": exp_floor}, repeats)
        per_sample = result["streamed"][0] / n * 1e9
        floor_ns = result["floor"][0] / (draws // block * block) * 1e9 * model.columns
        exp_ns = result["exp"][0] / max(1, n // block * block) * 1e9
        summary["lowest share of the RNG floor"] = min(
            summary.get("lowest share of the RNG floor", math.inf), floor_ns / per_sample
        )
        summary["lowest share of the RNG + exp floor"] = min(
            summary.get("lowest share of the RNG + exp floor", math.inf),
            (floor_ns + exp_ns) / per_sample,
        )
        lines.append(
            f"| {model.name} | {model.columns} | {count} | {per_sample:.1f} | {floor_ns:.1f} | "
            f"{100 * floor_ns / per_sample:.0f} % | {floor_ns + exp_ns:.1f} | "
            f"{100 * (floor_ns + exp_ns) / per_sample:.0f} % | {before} -> {load()} |"
        )
        print(lines[-1], file=sys.stderr, flush=True)
    return lines


# -- BLAS held to one thread -------------------------------------------------------------


def blas_hold(repeats: int) -> list[str]:
    """A 2^20-sample chunk of carlsmith-2020-mechanistic with BLAS held to one thread and free:
    wall time and CPU time per sample (the CPU counts OpenBLAS' helper threads), and the cost
    of the hold itself."""
    from bioanchors._engine import interpret
    from bioanchors._engine.plan import compile_plan

    program = compile_plan(ba.load_scenario("carlsmith-2020-mechanistic").output).program
    size = 1 << 20
    rows = []
    default = interpret.SINGLE_THREAD_FROM
    for label, threshold in (("held (default)", default), ("free", 1 << 62)):
        interpret.SINGLE_THREAD_FROM = threshold
        try:
            interpret.evaluate_chunk(program, "mc", 0, 0, size, 0)
            walls, cpus = [], []
            for k in range(repeats):
                cpu, wall = time.process_time(), time.perf_counter()
                interpret.evaluate_chunk(program, "mc", 0, 0, size, k)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
        finally:
            interpret.SINGLE_THREAD_FROM = default
        wall_ns, cpu_ns = np.median(walls) / size * 1e9, np.median(cpus) / size * 1e9
        rows.append(f"{label}: {wall_ns:.1f} ns per sample wall, {cpu_ns:.1f} ns CPU")
    calls = 2000
    start = time.perf_counter()
    for _ in range(calls):
        with interpret.single_blas_thread():
            pass
    cost = (time.perf_counter() - start) / calls
    return [
        f"BLAS, one 2^20 chunk of carlsmith-2020-mechanistic: {'; '.join(rows)} (load "
        f"{load()}). The hold costs {fmt(cost)} per chunk; chunks under "
        f"{default:,} samples skip it."
    ]


# -- parallel -----------------------------------------------------------------------------


def parallel(n: int, repeats: int, summary: dict[str, float]) -> list[str]:
    output = ba.load_scenario("carlsmith-2020-mechanistic").output
    results: dict[str, ba.Estimate] = {}
    with ProcessPoolExecutor(2) as pool:
        run_estimate(output, 1 << 21, seed=0, chunk_size=1 << 20, executor=pool)  # warm up
        before = load()

        def serial() -> object:
            results["serial"] = run_estimate(output, n, seed=0)
            return results["serial"]

        def two() -> object:
            results["parallel"] = run_estimate(output, n, seed=0, executor=pool)
            return results["parallel"]

        result = timed({"serial": serial, "parallel": two}, repeats)
        _, others, _ = other_cores(serial)
    same = results["serial"].to_dict() == results["parallel"].to_dict()
    s, p = result["serial"], result["parallel"]
    summary["parallel speed-up"] = s[0] / p[0]
    summary["parallel identical"] = float(same)
    return [
        f"Parallel, carlsmith-2020-mechanistic (5 random columns) at {n:.0e}, streamed: serial "
        f"{fmt(s[0])} (min {fmt(s[1])}), ProcessPoolExecutor(2) {fmt(p[0])} (min {fmt(p[1])}): "
        f"{s[0] / p[0]:.2f}x by medians, {s[1] / p[1]:.2f}x by minima (target >= 1.8x); "
        f"identical answers: {same}; load average {before} -> {load()} (of {os.cpu_count()} "
        f"cores); other processes kept {others:.2f} cores busy during one more serial run: "
        "above about 0.2, they hold the core the second worker needs."
    ]


def section(quick: bool, summary: dict[str, float] | None = None) -> list[str]:
    """The whole measurement, as Markdown lines; ``summary`` gets the headline numbers."""
    summary = {} if summary is None else summary
    repeats = 3 if quick else 5
    sizes = [10**6] if quick else [10**6, 10**7]
    normal_ns, uniform_ns = rng_floor(15)
    summary["ns per normal draw"] = normal_ns
    lines = [
        f"RNG floor (PCG64, into `out=`, 2^20 per call, median of 15): {normal_ns:.2f} ns per "
        f"normal draw, {uniform_ns:.2f} ns per uniform. Load average at the start: {load()} "
        f"(1/5/15 min, {os.cpu_count()} cores).",
        "",
        *versus_numpy(sizes, repeats, summary),
        "",
        "z: bioanchors' p5/p50/p95 and mean against an independent best-numpy sample of the same "
        "n, and that sample against the output's closed form where it has one (a lognormal, or "
        "constants times a log-uniform), in standard errors (|z| < 3 agrees within Monte Carlo "
        f"error). Ratios are of medians ({repeats} rounds at 1e6"
        + ("" if quick else f", {REPEATS_AT_1E7} at 1e7")
        + ").",
        "",
        *closed_form(repeats, summary),
        "",
        *streamed(10**6 * (2 if quick else 10), normal_ns, repeats, summary),
        "",
        *blas_hold(5 if quick else 11),
        "",
        *parallel(2 * 10**7 if quick else 10**8, 2 if quick else 3, summary),
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print("\n".join(section(args.quick)))


if __name__ == "__main__":
    main()
