"""Performance and scale benchmarks (issues 6 and 14), run on demand.

    python benchmarks/run.py            # full run (~25 minutes); rewrites docs/performance.md
    python benchmarks/run.py --quick    # smaller sizes (~8 minutes); prints only
    python benchmarks/run.py --only 7 9 # some targets; prints only

Targets 7-10 are issue 14's: throughput against the best hand-written numpy
(``throughput.py``), the timelines command (``timelines.py``), small n, sweeps, memory and
start-up (``latency.py``), and long chains and executors (``corners.py``).

Every target is a ratio measured side by side in this one process: the contenders are timed in
interleaved repetitions (the order rotated each round) and compared by their medians, so a
noisy, shared machine slows both sides alike. Needs the ``bench`` extra (squigglepy, dask).

OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, set on some machines of this workplace to protect old
OpenBLAS builds, slow a current numpy: this script re-runs itself without them (for its own
process only) and says so in the results.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import multiprocessing
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import models  # the models sit beside this script
import numpy as np
import numpy_models
from machine import busy_seconds, own_seconds  # beside this script
from numpy.typing import NDArray

import bioanchors as ba
from bioanchors._engine.histogram import HISTOGRAM_BITS
from bioanchors._graph.uncertain import Uncertain

run_estimate = Uncertain.estimate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
OPENBLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
UNSET_MARK = "BIOANCHORS_BENCH_UNSET"
SCALE_SCENARIO = "beniaguev-2021-tcn"
QS = (5.0, 50.0, 95.0)
MiB = 1024 * 1024


@dataclass
class Target:
    """One row of the summary table."""

    number: int
    name: str
    measured: str
    goal: str
    passed: bool
    details: list[str] = field(default_factory=list)
    background: float = math.nan  # cores used by other processes while it ran

    @property
    def status(self) -> str:
        return "PASS" if self.passed else "MISS"


# -- timing -------------------------------------------------------------------------------


def measured(runner: Callable[[bool], Target], quick: bool) -> Target:
    """Run one target and note how many cores other processes kept busy meanwhile."""
    wall, busy, own = time.perf_counter(), busy_seconds(), own_seconds()
    target = runner(quick)
    wall = time.perf_counter() - wall
    target.background = max(0.0, (busy_seconds() - busy) - (own_seconds() - own)) / wall
    return target


def interleaved(
    contenders: dict[str, Callable[[], object]],
    repeats: int,
    inner: dict[str, int] | None = None,
) -> dict[str, float]:
    """Median seconds per call of each contender, timed in rotating interleaved rounds."""
    inner = inner or {}
    names = list(contenders)
    for name in names:  # warm-up: imports, caches, first-touch page faults
        contenders[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(repeats):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            calls = inner.get(name, 1)
            call = contenders[name]
            start = time.perf_counter()
            for _ in range(calls):
                call()
            times[name].append((time.perf_counter() - start) / calls)
    return {name: float(np.median(values)) for name, values in times.items()}


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def answers(estimate: ba.Estimate) -> tuple[list[float], float]:
    """p5, p50, p95 and the mean: what each benchmark asks of every implementation."""
    return [float(estimate.percentile(q).magnitude) for q in QS], float(estimate.mean.magnitude)


# -- target 1: closed form ----------------------------------------------------------------


def target_closed_form(quick: bool) -> Target:
    import squiggle_models

    model = models.product()
    squiggle = squiggle_models.product()
    n = 1_000_000

    def bioanchors_analytic() -> object:
        return answers(model.estimate())

    def squigglepy_sampled() -> object:
        return numpy_models.summarise(np.asarray(squiggle_models.sample(squiggle, n)))

    medians = interleaved(
        {"bioanchors": bioanchors_analytic, "squigglepy": squigglepy_sampled},
        repeats=5 if quick else 15,
        inner={"bioanchors": 200},
    )
    ratio = medians["squigglepy"] / medians["bioanchors"]
    estimate = model.estimate()
    exact = models.exact_product_percentiles(QS)
    got, _ = answers(estimate)
    error = max(abs(g / e - 1) for g, e in zip(got, exact, strict=True))
    squiggled, _ = numpy_models.summarise(np.asarray(squiggle_models.sample(squiggle, n)))
    squiggle_error = max(abs(g / e - 1) for g, e in zip(squiggled, exact, strict=True))
    return Target(
        1,
        "closed form vs squigglepy at 1e6",
        f"{ratio:,.0f}x faster; max rel. error {error:.1e}",
        ">= 1000x, exact",
        ratio >= 1000 and error <= 1e-12 and estimate.method == "analytic",
        [
            f"6 lognormal factors, each a 90% interval. bioanchors `estimate()` + p5/p50/p95 + "
            f"mean: {fmt_time(medians['bioanchors'])} (method={estimate.method}); squigglepy "
            f"`sample(n=1e6)` + the same answers: {fmt_time(medians['squigglepy'])}.",
            f"Largest relative error of p5/p50/p95 against the lognormal closed form computed "
            f"independently with scipy: bioanchors {error:.1e}, squigglepy (1e6 samples) "
            f"{squiggle_error:.1e}.",
        ],
    )


# -- target 2: Monte Carlo overhead -------------------------------------------------------


def target_monte_carlo(quick: bool) -> Target:
    import squiggle_models

    n = 1_000_000
    rows = []
    passed = True
    for name in ("carlsmith", "mixture"):
        model = getattr(models, name)()
        squiggle = getattr(squiggle_models, name)()
        by_hand = getattr(numpy_models, f"{name}_samples")
        tuned = getattr(numpy_models, f"{name}_tuned")

        def run_bioanchors(model: ba.Uncertain = model) -> object:
            return answers(model.estimate(n, seed=1, method="mc"))

        def run_numpy(by_hand: Callable[..., Any] = by_hand) -> object:
            return numpy_models.summarise(by_hand(np.random.default_rng(1), n))

        def run_tuned(tuned: Callable[..., Any] = tuned) -> object:
            return numpy_models.summarise(tuned(np.random.default_rng(1), n))

        def run_squigglepy(squiggle: Any = squiggle) -> object:
            return numpy_models.summarise(np.asarray(squiggle_models.sample(squiggle, n)))

        medians = interleaved(
            {
                "bioanchors": run_bioanchors,
                "numpy": run_numpy,
                "numpy_tuned": run_tuned,
                "squigglepy": run_squigglepy,
            },
            repeats=3 if quick else 11,
        )
        versus_numpy = medians["bioanchors"] / medians["numpy"]
        versus_squiggle = medians["bioanchors"] / medians["squigglepy"]
        passed = passed and versus_numpy <= 1.0 and versus_squiggle < 1.0
        medians_p50 = [
            answers(model.estimate(n, seed=1, method="mc"))[0][1],
            numpy_models.summarise(by_hand(np.random.default_rng(1), n))[0][1],
            numpy_models.summarise(np.asarray(squiggle_models.sample(squiggle, n)))[0][1],
        ]
        rows.append((name, medians, versus_numpy, versus_squiggle, medians_p50))
    details = [
        "| model | bioanchors | numpy (idiomatic) | numpy (tuned) | squigglepy | bioanchors / "
        "numpy | bioanchors / tuned | bioanchors / squigglepy | p50: bioanchors, numpy, "
        "squigglepy |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, medians, versus_numpy, versus_squiggle, p50 in rows:
        details.append(
            f"| {name} | {fmt_time(medians['bioanchors'])} | {fmt_time(medians['numpy'])} | "
            f"{fmt_time(medians['numpy_tuned'])} | {fmt_time(medians['squigglepy'])} | "
            f"{versus_numpy:.2f} | {medians['bioanchors'] / medians['numpy_tuned']:.2f} | "
            f"{versus_squiggle:.2f} | {', '.join(f'{v:.3g}' for v in p50)} |"
        )
    measured = "; ".join(
        f"{name}: {versus_numpy:.2f} of numpy, {versus_squiggle:.2f} of squigglepy"
        for name, _, versus_numpy, versus_squiggle, _ in rows
    )
    return Target(
        2,
        "Monte Carlo at 1e6, time ratio",
        measured,
        "<= 1.0 of numpy (0.8 hoped), < 1 of squigglepy",
        passed,
        [
            "Each contender draws 1e6 samples and answers p5, p50, p95 and the mean; bioanchors "
            "through `estimate(1e6, method='mc')`. numpy (idiomatic) is the comparator; numpy "
            "(tuned) folds each lognormal product into log space by hand, as bioanchors does.",
            *details,
        ],
    )


# -- target 3: QMC accuracy ---------------------------------------------------------------


Floats = NDArray[np.float64]


def _log_percentiles(model: ba.Uncertain, n: int, seed: int, method: str) -> Floats:
    estimate = model.estimate(n, seed=seed, method=method)
    return np.log10([estimate.percentile(q).magnitude for q in QS])


def _rmse(model: ba.Uncertain, reference: Floats, n: int, method: str, seeds: int) -> Floats:
    errors = [_log_percentiles(model, n, seed, method) - reference for seed in range(seeds)]
    out: Floats = np.sqrt(np.mean(np.square(errors), axis=0))
    return out


def target_qmc(quick: bool) -> Target:
    seeds = 30
    sizes = (2**14, 2**16)
    carlsmith = models.carlsmith()
    reference_n = 2**20 if quick else 2**22
    reference = _log_percentiles(carlsmith, reference_n, 10**6, "qmc")
    exact = np.log10(models.exact_product_percentiles(QS))
    product = models.product()
    passed = True
    lines = [
        "| model | n | RMSE log10 p5 / p50 / p95, MC | QMC | QMC / MC |",
        "|---|---|---|---|---|",
    ]
    worst = 0.0
    for label, model, truth, counts in (
        ("carlsmith (target)", carlsmith, reference, True),
        ("6-factor product (context)", product, exact, False),
    ):
        for n in sizes:
            mc = _rmse(model, truth, n, "mc", seeds)
            qmc = _rmse(model, truth, n, "qmc", seeds)
            ratio = qmc / mc
            if counts:
                worst = max(worst, float(ratio.max()))
                passed = passed and bool(np.all(ratio <= 0.5))
            lines.append(
                f"| {label} | 2^{int(math.log2(n))} | {' / '.join(f'{v:.4f}' for v in mc)} | "
                f"{' / '.join(f'{v:.4f}' for v in qmc)} | "
                f"{' / '.join(f'{v:.2f}' for v in ratio)} |"
            )
    return Target(
        3,
        "QMC accuracy at equal n",
        f"worst QMC/MC RMSE ratio {worst:.2f}",
        "<= 0.5 at 2^14 and 2^16",
        passed,
        [
            f"RMSE over {seeds} seeds of log10 of p5, p50, p95. The target model is the Carlsmith "
            f"mechanistic sum (a graph that needs sampling); its reference is a QMC run of "
            f"2^{int(math.log2(reference_n))} samples. The product of six lognormals is shown "
            "against its exact closed form for context only: `method='auto'` never samples it.",
            *lines,
        ],
    )


# -- target 4: scale ----------------------------------------------------------------------


def child_scale(n: int, max_in_memory: int | None) -> None:
    """Run in a fresh process: one estimate of the scale scenario; print time and peak RSS."""
    output = ba.load_scenario(SCALE_SCENARIO).output
    start = time.perf_counter()
    estimate = run_estimate(output, n, seed=0, max_in_memory=max_in_memory)
    seconds = time.perf_counter() - start
    peak = peak_rss_mib()
    percentiles, mean = answers(estimate)
    record = {
        "n": n,
        "seconds": seconds,
        "peak_rss_mib": peak,
        "streamed": estimate.streamed,
        "percentiles": percentiles,
        "mean": mean,
    }
    print(json.dumps(record))


def peak_rss_mib() -> float:
    """This process's peak resident memory.

    Linux's ``ru_maxrss`` survives ``exec``, so a child started by a big parent would report the
    parent's peak; ``VmHWM`` belongs to the new process image alone.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(*args: str) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    record: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return record


def target_scale(quick: bool) -> Target:
    # (n, max_in_memory): 0 is the default (2**24). Time per sample is compared between the two
    # streamed runs; the largest run uses the default settings, as a user would.
    forced = 2**20
    if quick:
        settings = [(10**6, 0), (4 * 10**6, forced), (16 * 10**6, forced)]
    else:
        settings = [(10**6, 0), (10**7, 0), (10**7, forced), (10**8, 0)]
    repeats = 1 if quick else 3
    runs: dict[tuple[int, int], list[dict[str, Any]]] = {key: [] for key in settings}
    for _ in range(repeats):
        for n, limit in settings:
            runs[(n, limit)].append(run_child("scale", str(n), str(limit)))
    seconds = {key: float(np.median([r["seconds"] for r in runs[key]])) for key in settings}
    peaks = {key: max(r["peak_rss_mib"] for r in runs[key]) for key in settings}
    baseline = run_child("scale", "1000", "0")["peak_rss_mib"]
    largest, middle = settings[-1], settings[-2]
    largest_n = largest[0]
    linearity = (seconds[largest] / largest[0]) / (seconds[middle] / middle[0])
    linear = 0.75 <= linearity <= 1.33

    # Streamed against in memory: the same draws (same seed, n and chunks), two summaries.
    output = ba.load_scenario(SCALE_SCENARIO).output
    n_compare = 2 * 10**6 if quick else 10**7
    kept = run_estimate(output, n_compare, seed=0, max_in_memory=n_compare)
    streamed = run_estimate(output, n_compare, seed=0, max_in_memory=2**20)
    probes = (0.1, 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9)
    errors = [
        abs(streamed.percentile(q).magnitude / kept.percentile(q).magnitude - 1) for q in probes
    ]
    mean_error = abs(streamed.mean.magnitude / kept.mean.magnitude - 1)
    threshold = kept.median
    prob_error = abs(streamed.prob_above(threshold) - kept.prob_above(threshold))
    bound = 2.0**-HISTOGRAM_BITS
    # The big streamed run against the in-memory one: different draws, so sampling noise too.
    big = runs[largest][0]
    kept_answers, _ = answers(kept)
    big_error = max(abs(a / b - 1) for a, b in zip(big["percentiles"], kept_answers, strict=True))
    accurate = max(errors) <= min(0.005, bound) and big_error <= 0.005
    memory_ok = peaks[largest] < 400
    table = [
        "| n | max_in_memory | streamed | median time | time per 1e6 | peak RSS |",
        "|---|---|---|---|---|---|",
        *(
            f"| {n:.2g} | {'2^20' if limit else 'default (2^24)'} | "
            f"{runs[(n, limit)][0]['streamed']} | {fmt_time(seconds[(n, limit)])} | "
            f"{fmt_time(seconds[(n, limit)] / n * 1e6)} | {peaks[(n, limit)]:.0f} MiB |"
            for n, limit in settings
        ),
    ]
    return Target(
        4,
        f"scale: {largest_n:.2g} samples of {SCALE_SCENARIO}",
        f"peak RSS {peaks[largest]:.0f} MiB; time per sample x{linearity:.2f} from "
        f"{middle[0]:.2g} to {largest_n:.2g} (streamed); streamed vs in-memory max rel. error "
        f"{max(errors):.1e}",
        "< 400 MiB, linear, within 0.5%",
        memory_ok and linear and accurate,
        [
            f"Each size runs in a fresh process ({repeats} run(s), median time; peak RSS is the "
            f"process's high-water mark, {baseline:.0f} MiB for importing and running a 1000-sample"
            " estimate).",
            *table,
            "",
            f"Streamed (`max_in_memory=2**20`) against in-memory on the same {n_compare:.2g} "
            f"draws: largest relative percentile error over p{', p'.join(f'{q:g}' for q in probes)}"
            f" = {max(errors):.1e} (documented bound 2^-{HISTOGRAM_BITS} = {bound:.1e}); mean "
            f"{mean_error:.1e}; P(> in-memory median) differs by {prob_error:.1e}. The "
            f"{largest_n:.2g}-sample streamed run's p5/p50/p95 are within {big_error:.1e} of the "
            f"{n_compare:.2g}-sample in-memory run (different draws: includes sampling noise).",
        ],
    )


# -- target 5: parallel -------------------------------------------------------------------


def _same(a: ba.Estimate, b: ba.Estimate) -> bool:
    probes = (0, 0.1, 5, 50, 95, 99.9, 100)
    same = a.to_dict() == b.to_dict() and all(
        a.percentile(q).magnitude == b.percentile(q).magnitude for q in probes
    )
    sa, sb = a.samples, b.samples
    if sa is not None or sb is not None:
        same = same and sa is not None and sb is not None
        same = same and bool(np.array_equal(sa.magnitude, sb.magnitude))  # type: ignore[union-attr]
    return same


def target_parallel(quick: bool) -> Target:
    output = ba.load_scenario(SCALE_SCENARIO).output
    n = 2 * 10**7 if quick else 10**8
    repeats = 2 if quick else 3
    results: dict[str, ba.Estimate] = {}
    with ProcessPoolExecutor(2) as pool:
        started = time.perf_counter()
        run_estimate(output, 2**21, seed=0, chunk_size=2**20, executor=pool)  # warm workers
        warm_up = time.perf_counter() - started

        def serial() -> object:
            results["serial"] = run_estimate(output, n, seed=0)
            return results["serial"]

        def parallel() -> object:
            results["parallel"] = run_estimate(output, n, seed=0, executor=pool)
            return results["parallel"]

        medians = interleaved({"serial": serial, "parallel": parallel}, repeats=repeats)
        small_kept = run_estimate(output, 300_000, seed=3, chunk_size=2**16, executor=pool)
    speedup = medians["serial"] / medians["parallel"]
    identical = _same(results["serial"], results["parallel"])
    small_serial = run_estimate(output, 300_000, seed=3, chunk_size=2**16)
    identical = identical and _same(small_serial, small_kept)
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=spawn) as pool:
        spawned = run_estimate(
            output, 3 * 2**20, seed=5, chunk_size=2**19, max_in_memory=2**20, executor=pool
        )
        spawned_kept = run_estimate(output, 300_000, seed=3, chunk_size=2**16, executor=pool)
    spawn_identical = _same(
        spawned,
        run_estimate(output, 3 * 2**20, seed=5, chunk_size=2**19, max_in_memory=2**20),
    ) and _same(spawned_kept, small_serial)
    return Target(
        5,
        f"parallel: ProcessPoolExecutor(2) on {n:.2g} samples",
        f"{speedup:.2f}x; bit-identical: {identical and spawn_identical}",
        ">= 1.6x, identical",
        speedup >= 1.6 and identical and spawn_identical,
        [
            f"{SCALE_SCENARIO}, {n:.2g} samples (streamed, chunks of 2^20 reduced to histograms "
            f"in the workers): serial {fmt_time(medians['serial'])}, two worker processes "
            f"{fmt_time(medians['parallel'])} (pool started and warmed first: "
            f"{fmt_time(warm_up)} including a 2^21-sample run). Identical answers to the serial "
            "run for the streamed run and a 3e5-sample in-memory run (fork), and for a streamed "
            f"and an in-memory run under the 'spawn' start method: {identical}, {spawn_identical}.",
        ],
    )


# -- target 6: start-up -------------------------------------------------------------------


def _python(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    """Run a fresh interpreter that caches bytecode (in ``cache``, not beside the sources).

    Users' installs have compiled bytecode; this environment may set PYTHONDONTWRITEBYTECODE,
    which would make every import of an editable install compile its sources again.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=True, env=env
    )


def _import_breakdown(cache: Path) -> list[tuple[str, float]]:
    """Modules that ``import bioanchors`` loads beyond ``import numpy, pint``: self time, ms."""

    def self_times(statement: str) -> dict[str, float]:
        times = {}
        for line in _python("-X", "importtime", "-c", statement, cache=cache).stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s+(.*)$", line)
            if match:
                times[match.group(2).strip()] = int(match.group(1)) / 1000
        return times

    baseline = self_times("import numpy, pint")
    ours = self_times("import bioanchors")
    extra = {name: ms for name, ms in ours.items() if name not in baseline}
    groups: dict[str, float] = {}
    for name, ms in extra.items():
        top = name.split(".")[0]
        key = name if top == "bioanchors" else top
        groups[key] = groups.get(key, 0.0) + ms
    return sorted(groups.items(), key=lambda item: -item[1])


def target_import(quick: bool) -> Target:
    statements = {
        "bioanchors": "import bioanchors",
        "numpy+pint": "import numpy, pint",
        "numpy+pint+pydantic": "import numpy, pint, pydantic",
    }
    with tempfile.TemporaryDirectory(prefix="bioanchors-pycache-") as folder:
        cache = Path(folder)

        def timed(statement: str) -> Callable[[], object]:
            return lambda: _python("-c", statement, cache=cache)

        medians = interleaved(
            {name: timed(statement) for name, statement in statements.items()},
            repeats=7 if quick else 21,
        )
        heavy = _python(
            "-c",
            "import sys, bioanchors; print(sorted(m for m in ('scipy.stats', 'matplotlib', "
            "'pandas') if m in sys.modules))",
            cache=cache,
        ).stdout.strip()
        breakdown = _import_breakdown(cache)
    ratio = medians["bioanchors"] / medians["numpy+pint"]
    floor = medians["numpy+pint+pydantic"] / medians["numpy+pint"]
    extra_total = sum(ms for _, ms in breakdown)
    rows = ", ".join(f"{name} {ms:.1f}" for name, ms in breakdown[:14])
    return Target(
        6,
        "start-up: `import bioanchors` / `import numpy, pint`",
        f"{ratio:.2f}x ({fmt_time(medians['bioanchors'])} vs {fmt_time(medians['numpy+pint'])})",
        "<= 1.5x; scipy.stats, matplotlib, pandas lazy",
        ratio <= 1.5 and heavy == "[]",
        [
            "Wall time of a fresh interpreter with a warm bytecode cache, median of interleaved "
            f"runs. `import numpy, pint, pydantic` alone takes "
            f"{fmt_time(medians['numpy+pint+pydantic'])} ({floor:.2f}x). Heavy modules loaded by "
            f"`import bioanchors`: {heavy}.",
            f"`python -X importtime`: modules loaded beyond `import numpy, pint`, self time in ms "
            f"(total {extra_total:.0f} ms): {rows}.",
        ],
    )


# -- target 7: throughput against the best numpy (issue 14) -------------------------------


def target_throughput(quick: bool) -> Target:
    import throughput

    summary: dict[str, float] = {}
    lines = throughput.section(quick, summary)
    worst = summary["worst ratio to best numpy"]
    closed = summary["closed form ratio"]
    share = summary["lowest share of the RNG floor"]
    speedup = summary["parallel speed-up"]
    return Target(
        7,
        "throughput vs the best hand-written numpy",
        f"worst ratio {worst:.2f} sampled, {closed:.2f} closed form (against math and "
        f"statistics.NormalDist); streamed at {100 * share:.0f} % of the RNG floor "
        f"({100 * summary['lowest share of the RNG + exp floor']:.0f} % of RNG + exp); "
        f"2 workers {speedup:.2f}x",
        "<= 1.0; >= 90 %; >= 1.8x, identical",
        max(worst, closed) <= 1.0
        and share >= 0.9
        and speedup >= 1.8
        and bool(summary["parallel identical"]),
        lines,
    )


# -- target 9: latency (small n, sweep, memory, start-up) ---------------------------------


def _row_passes(row: str) -> bool:
    """A latency.py row's verdict: its ratio cell against its target cell (``<= 2.0``, or
    ``< 200 MB``/``MiB`` for a memory row, whose ratio cell is the fraction of the bound)."""
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    ratio = float(re.findall(r"[0-9.]+", cells[3])[0])
    goal = cells[4]
    if goal.startswith("<="):
        return ratio <= float(goal[2:])
    return ratio < 1.0


def target_latency(quick: bool) -> Target:
    import latency  # beside this script

    repeats = 5 if quick else 15
    rows = [
        *latency.small_n(repeats),
        *latency.sweep(3 if quick else 7),
        *latency.memory(),
        *latency.startup(10),
    ]
    verdicts = [_row_passes(row) for row in rows]
    header = (
        "| what | bioanchors | best numpy | ratio | target | spread (IQR/median): ours / "
        "numpy | load (other cores) |\n|---|---|---|---|---|---|---|"
    )
    missed = [row.split("|")[1].strip() for row, ok in zip(rows, verdicts, strict=True) if not ok]
    return Target(
        9,
        "latency: small n, sweep, memory, start-up",
        f"{sum(verdicts)} of {len(rows)} rows met"
        + (f"; missed: {'; '.join(missed)}" if missed else ""),
        "small n <= 2x, sweep <= 1.1x, < 200 MB, start-up <= 1.5x",
        all(verdicts),
        [header, *rows],
    )


# -- target 10: no quadratic corners, batched executors -------------------------------------


def target_corners(quick: bool) -> Target:
    command = [sys.executable, str(HERE / "corners.py"), *(["--quick"] if quick else [])]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=HERE)
    lines = result.stdout.splitlines()
    exponents = {
        line.split()[0]: float(line.rsplit(":", 1)[1])
        for line in lines
        if "fitted exponent" in line
    }
    speedups: dict[str, float] = {}
    identical = True
    for line in lines:
        parts = line.split()
        if parts and parts[0] in ("dask", "processes") and parts[-1] in ("True", "False"):
            speedups.setdefault(parts[0], float(parts[3].rstrip("x")))  # the first graph's
            identical = identical and parts[-1] == "True"
    linear = exponents.get("mul", math.inf) <= 1.2
    dask = speedups.get("dask", math.nan)
    return Target(
        10,
        "no quadratic corners; dask with 2 workers",
        f"10,000-factor chain exponent {exponents.get('mul', math.nan):.2f}; "
        f"dask {dask:.2f}x, processes {speedups.get('processes', math.nan):.2f}x on "
        f"carlsmith-2020-mechanistic; identical: {identical}",
        "exponent <= 1.2; dask >= 1.6x, identical",
        linear and dask >= 1.6 and identical,
        ["```\n" + "\n".join(lines) + "\n```"],
    )


# -- target 8: timelines ------------------------------------------------------------------


def target_timelines(quick: bool) -> Target:
    import timelines as timelines_bench  # beside this script

    result = timelines_bench.measure(quick)
    text, passed = timelines_bench.verdict(result)
    goal = (
        f"x{timelines_bench.SPEED_GOAL:.0f}, same answers, < {timelines_bench.CLI_GOAL_SECONDS} s"
    )
    return Target(
        8,
        "timelines: thresholds vs the per-sample loop",
        text,
        goal,
        passed,
        timelines_bench.section(result),
    )


# -- report -------------------------------------------------------------------------------


def environment(unset: list[str]) -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    packages = ["numpy", "scipy", "pint", "pydantic", "squigglepy"]
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in packages)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.strip()
    return [
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; bioanchors {ba.__version__} at {commit or '?'}"
        f"{' (uncommitted changes)' if dirty else ''}; {versions}",
        f"- OpenBLAS variables unset for this run: {', '.join(unset) or 'none were set'}",
    ]


def render(targets: list[Target], quick: bool, unset: list[str]) -> str:
    lines = [
        f"Produced by `python benchmarks/run.py{' --quick' if quick else ''}`.",
        "",
        *environment(unset),
        "",
        "| # | target | measured | goal | status | background load |",
        "|---|---|---|---|---|---|",
        *(
            f"| {t.number} | {t.name} | {t.measured} | {t.goal} | **{t.status}** | "
            f"{t.background:.2f} cores |"
            for t in targets
        ),
        "",
        "Background load: CPU that other processes used while a target ran, in cores (of "
        f"{os.cpu_count()}); above about 0.2 the timings, the parallel speed-up above all, are "
        "disturbed.",
    ]
    for target in targets:
        lines += ["", f"#### {target.number}. {target.name}: {target.status}", ""]
        for detail in target.details:
            lines.append(detail)
            if not detail.startswith("|"):
                lines.append("")
    return "\n".join(lines).replace("\n\n\n", "\n\n").rstrip() + "\n"


def write(section: str) -> None:
    text = DOC.read_text() if DOC.exists() else f"# Performance\n\n{START}\n{END}\n"
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    DOC.write_text(f"{before}{START}\n{section}{END}{after}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, under a minute")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--only", type=int, nargs="*", help="run only these target numbers")
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, n, limit = args.child
        assert kind == "scale"
        child_scale(int(n), int(limit) or None)
        return
    unset = [name for name in OPENBLAS_VARIABLES if name in os.environ]
    if unset:
        env = {k: v for k, v in os.environ.items() if k not in OPENBLAS_VARIABLES}
        env[UNSET_MARK] = ",".join(unset)
        os.execve(sys.executable, [sys.executable, *sys.argv], env)
    unset = [name for name in os.environ.get(UNSET_MARK, "").split(",") if name]
    runners = {
        1: target_closed_form,
        2: target_monte_carlo,
        3: target_qmc,
        4: target_scale,
        5: target_parallel,
        6: target_import,
        7: target_throughput,
        8: target_timelines,
        9: target_latency,
        10: target_corners,
    }
    targets = []
    for number, runner in runners.items():
        if args.only and number not in args.only:
            continue
        started = time.perf_counter()
        target = measured(runner, args.quick)
        print(
            f"[{number}] {target.status} {target.measured} "
            f"({time.perf_counter() - started:.0f} s, background {target.background:.2f} cores)",
            file=sys.stderr,
            flush=True,
        )
        targets.append(target)
    section = render(targets, args.quick, unset)
    print(section)
    if not (args.quick or args.no_write or args.only):
        write(section)
        print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
