"""Latency benchmarks (issue 14 items 3, 4 and 9): small n, sweeps, memory, start-up.

    PYTHONPATH=. python benchmarks/latency.py          # prints one table (~1 minute)
    PYTHONPATH=. python benchmarks/latency.py --quick  # fewer repetitions

Each ratio is measured side by side in one run: bioanchors and the best hand-written numpy for
the same graph (one generator, every normal column drawn at once, each lognormal product one
matrix-vector product and one ``exp`` with its constants folded into the log offset,
percentiles by single-kth partitions) are timed in interleaved rounds with the order rotated,
and compared by medians; the spread is the interquartile range over the median. The
background load (cores other processes kept busy meanwhile) is printed beside each row: on a
shared machine a ratio measured under load is less sure than one measured on an idle machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from machine import busy_seconds, own_seconds  # beside this script
from numpy.typing import NDArray

import bioanchors as ba

FloatArray = NDArray[np.float64]
QS = (5.0, 50.0, 95.0)
ROOT = Path(__file__).resolve().parent.parent


# -- measuring ---------------------------------------------------------------------------


class Load:
    """Cores that other processes kept busy between ``start`` and ``stop``."""

    def __enter__(self) -> Load:
        self.wall, self.busy, self.own = time.perf_counter(), busy_seconds(), own_seconds()
        return self

    def __exit__(self, *_: object) -> None:
        wall = time.perf_counter() - self.wall
        other = (busy_seconds() - self.busy) - (own_seconds() - self.own)
        self.cores = max(0.0, other) / wall


def interleaved(
    contenders: dict[str, Callable[[], object]], repeats: int, calls: int
) -> dict[str, list[float]]:
    """Seconds per call of each contender in each of ``repeats`` rotating rounds."""
    names = list(contenders)
    for name in names:
        contenders[name]()  # warm-up
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(repeats):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            call = contenders[name]
            start = time.perf_counter()
            for _ in range(calls):
                call()
            times[name].append((time.perf_counter() - start) / calls)
    return times


def median(values: list[float]) -> float:
    return float(np.median(values))


def spread(values: list[float]) -> float:
    """Interquartile range over the median."""
    q1, q2, q3 = np.percentile(values, [25, 50, 75])
    return float((q3 - q1) / q2)


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


# -- the best numpy ----------------------------------------------------------------------


def numpy_summary(values: FloatArray) -> tuple[list[float], float]:
    """p5, p50, p95 (numpy's linear definition) by single-kth partitions, and the mean."""
    n = values.size
    out = []
    for q in QS:
        rank = (n - 1) * q / 100.0
        low = math.floor(rank)
        values.partition(low)
        value = float(values[low])
        if rank > low:
            value += (rank - low) * (float(values[low + 1 :].min()) - value)
        out.append(value)
    return out, float(values.mean())


def carlsmith_numpy(seed: int, n: int, synapses: float | None = None) -> tuple[list[float], float]:
    """The bundled carlsmith-2020-mechanistic graph by hand: synapses x spikes x FLOP/spike
    (lognormals: one dot) + neurons (normal) x FLOP/step (lognormal) x 1000 steps/s.
    ``synapses``: a known number of synapses instead of the lognormal input."""
    rng = np.random.default_rng(seed)
    d = 5 if synapses is None else 4
    z = rng.standard_normal((d, n))
    if synapses is None:
        synaptic = np.dot(_SYN_COEFS, z[:3])
        synaptic += _SYN_CONST
    else:
        synaptic = np.dot(_SYN_COEFS[1:], z[:2])
        synaptic += _SYN_CONST - math.log(_SYNAPSES) + math.log(synapses)
    np.exp(synaptic, out=synaptic)
    firing = np.multiply(z[d - 1], _FIRE_COEF)
    firing += _FIRE_CONST + math.log(1000.0)
    np.exp(firing, out=firing)
    neurons = z[d - 2]
    neurons *= 8.1e9
    neurons += 86.1e9
    firing *= neurons
    synaptic += firing
    return numpy_summary(synaptic)


def product_numpy(seed: int, n: int) -> tuple[list[float], float]:
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((3, n))
    log_value = np.dot(_PROD_COEFS, z)
    log_value += _PROD_CONST
    np.exp(log_value, out=log_value)
    return numpy_summary(log_value)


_SYN_COEFS = np.array([math.log(2.013624172069999), math.log(2.455568609781221), math.log(10.0)])
_SYNAPSES = 316227766016839.06
_SYN_CONST = math.log(_SYNAPSES) + math.log(0.316227766016838)
_FIRE_COEF = math.log(7.0)
_FIRE_CONST = math.log(5.0)
_PROD_COEFS = np.array([0.7, 1.1, 0.4])
_PROD_CONST = 2.0


def product_bioanchors() -> ba.Uncertain:
    coefs, const = _PROD_COEFS, _PROD_CONST
    return (
        ba.lognormal(math.exp(const), math.exp(coefs[0]))
        * ba.lognormal(1.0, math.exp(coefs[1]))
        * ba.lognormal(1.0, math.exp(coefs[2]))
    )


def answers(estimate: ba.Estimate) -> tuple[list[float], float]:
    return [float(estimate.percentile(q).magnitude) for q in QS], float(estimate.mean.magnitude)


# -- item 3: small n and sweeps ------------------------------------------------------------


def small_n(repeats: int) -> list[str]:
    carlsmith = ba.load_scenario("carlsmith-2020-mechanistic").output
    product = product_bioanchors()
    rows = []
    n = 1000
    seeds = iter(range(10**9))
    for name, graph, by_hand in (
        ("carlsmith-2020-mechanistic", carlsmith, carlsmith_numpy),
        ("3-lognormal product", product, product_numpy),
    ):
        contenders: dict[str, Callable[[], object]] = {
            "bioanchors": lambda g=graph: answers(g.estimate(n, seed=1, method="mc")),
            "bioanchors, new seed": lambda g=graph: answers(
                g.estimate(n, seed=next(seeds), method="mc")
            ),
            "numpy": lambda f=by_hand: f(1, n),
        }
        with Load() as load:
            times = interleaved(contenders, repeats, 200)
        base = median(times["numpy"])
        for who in ("bioanchors", "bioanchors, new seed"):
            rows.append(
                f"| small n: {name}, n = 1e3, {who} | {fmt(median(times[who]))} | "
                f"{fmt(base)} | {median(times[who]) / base:.2f} | <= 2.0 | "
                f"{spread(times[who]):.2f} / {spread(times['numpy']):.2f} | {load.cores:.2f} |"
            )
    return rows


def sweep(repeats: int) -> list[str]:
    scenario = ba.load_scenario("carlsmith-2020-mechanistic")
    values = [float(v) for v in np.geomspace(1e14, 1e15, 1000)]
    n = 10_000

    def ours() -> object:
        return ba.sweep(scenario, "synapses", values, n=n, seed=1, method="mc")

    def by_hand() -> object:
        return [carlsmith_numpy(1, n, value) for value in values]

    with Load() as load:
        times = interleaved({"bioanchors": ours, "numpy": by_hand}, repeats, 1)
    ratio = median(times["bioanchors"]) / median(times["numpy"])
    return [
        f"| sweep: 1000 values of synapses, n = 1e4 | {fmt(median(times['bioanchors']))} | "
        f"{fmt(median(times['numpy']))} (a loop) | {ratio:.2f} | <= 1.1 | "
        f"{spread(times['bioanchors']):.2f} / {spread(times['numpy']):.2f} | {load.cores:.2f} |"
    ]


# -- item 4: memory ----------------------------------------------------------------------

_MEMORY_CHILD = """
import json, sys
import bioanchors as ba
from bioanchors.methods.population import CellClass, population
def peak():  # VmHWM: this interpreter's own peak (ru_maxrss after fork keeps the parent's)
    return int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024
classes = [
    CellClass(f"c{i}", ba.between(1e6, 1e8, "neuron"), ba.between(1e2, 1e5, "FLOP/neuron/s"))
    for i in range(int(sys.argv[1]))
]
before = peak()
estimate = population(classes).estimate(int(sys.argv[2]), seed=1, method="mc", max_in_memory=1024)
print(json.dumps([before, peak(), estimate.streamed]))
"""


_GROUP_CHILD = """
import json, sys
import numpy as np
import bioanchors as ba
def peak():
    return int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024
k = int(sys.argv[1])
corr = np.full((k, k), 0.3)
np.fill_diagonal(corr, 1.0)
members = ba.correlate([ba.between(1.0, 10.0) for _ in range(k)], corr)
total = members[0]
for m in members[1:]:
    total = total + m
before = peak()
estimate = total.estimate(int(sys.argv[2]), seed=1, method="mc", max_in_memory=1024)
print(json.dumps([before, peak(), estimate.streamed]))
"""


def peak_of(child: str, *args: object) -> tuple[float, float, bool]:
    """(MiB after building, peak MiB, streamed?) of a child script run in a fresh process."""
    result = subprocess.run(
        [sys.executable, "-c", child, *map(str, args)], capture_output=True, text=True, check=True
    )
    before, peak, streamed = json.loads(result.stdout)
    return float(before), float(peak), bool(streamed)


def memory() -> list[str]:
    """Peak RSS of streamed estimates, against 200 MB (the population rows, as measured
    before, against 200 MiB)."""
    cases = [
        (_GROUP_CHILD, 1000, 100_000, "sum of 1000 correlated inputs", 200e6, "200 MB"),
        (_MEMORY_CHILD, 100, 2_000_000, "100-cell-type population", 200 * 2**20, "200 MiB"),
        (_MEMORY_CHILD, 1000, 100_000, "1000-cell-type population", 200 * 2**20, "200 MiB"),
    ]
    rows = []
    for child, size, n, what, bound, name in cases:
        with Load() as load:
            before, peak, streamed = peak_of(child, size, n)
        rows.append(
            f"| memory: {what}, n = {n:.0e}, streamed={streamed} | {peak:.0f} MiB peak RSS | "
            f"{before:.0f} MiB after building | {peak * 2**20 / bound:.2f} of {name} | "
            f"< {name} | - | {load.cores:.2f} |"
        )
    return rows


# -- item 9: start-up --------------------------------------------------------------------

FIRST_ANSWER = "import bioanchors as ba; print(ba.between(1e14, 1e16, 'FLOP/s').estimate().median)"


def startup(runs: int) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="bioanchors-pycache-") as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache

        def timed(statement: str) -> Callable[[], object]:
            command = [sys.executable, "-c", statement]
            return lambda: subprocess.run(command, env=env, check=True, capture_output=True)

        with Load() as load:
            times = interleaved(
                {"ours": timed(FIRST_ANSWER), "numpy+pint": timed("import numpy, pint")},
                runs,
                1,
            )
    best, base = min(times["ours"]), min(times["numpy+pint"])
    middle, middle_base = float(np.median(times["ours"])), float(np.median(times["numpy+pint"]))
    return [
        f"| start-up: import bioanchors + first estimate (min of {runs}; median "
        f"{fmt(middle)} / {fmt(middle_base)} = {middle / middle_base:.2f}) | {fmt(best)} | "
        f"{fmt(base)} (import numpy, pint) | {best / base:.2f} | <= 1.5 | "
        f"{spread(times['ours']):.2f} / {spread(times['numpy+pint']):.2f} | {load.cores:.2f} |"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeats = 5 if args.quick else 15
    print(
        "| what | bioanchors | best numpy | ratio | target | spread (IQR/median): ours / "
        "numpy | load (other cores) |"
    )
    print("|---|---|---|---|---|---|---|")
    for rows in (
        small_n(repeats),
        sweep(3 if args.quick else 7),
        memory(),
        startup(10),
    ):
        for row in rows:
            print(row, flush=True)


if __name__ == "__main__":
    main()
