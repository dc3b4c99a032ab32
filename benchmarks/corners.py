"""No quadratic corners (issue 14 item 10): long chains compile linearly; executors batch chunks.

    PYTHONPATH=. python benchmarks/corners.py          # both sections (~5 minutes)
    PYTHONPATH=. python benchmarks/corners.py --quick  # shorter chains, 2e7 samples
    PYTHONPATH=. python benchmarks/corners.py --only chains   # or: --only executors

*Chains*: ``x = x * between(0.5, 2)`` (and quotients, powers, a mixed chain, and the chain on
the right, ``x = y * x``) built to each length, then compiled and estimated once (Monte Carlo,
n = 1000) and again with another seed; the times by length are fitted with ``t ~ n^k``
(least squares on logs): k near 1 is linear. *Executors*: one scenario at 1e8 samples (streamed),
serially, on a dask ``LocalCluster`` of 2 single-thread worker processes and on a
``ProcessPoolExecutor(2)``, in interleaved rounds (medians), with the cores other processes
kept busy meanwhile (machine CPU time less this process's and the workers'), and whether the
answers are bit-identical to the serial run. dask is optional (``pip install
"dask[distributed]"``): without it that column is skipped.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from machine import busy_seconds, own_seconds  # beside this script

import bioanchors as ba
from bioanchors._engine.logform import dict_copies

SCENARIO = "carlsmith-2020-mechanistic"


# -- chains --------------------------------------------------------------------------------


def _chain(n: int, kind: str) -> ba.Uncertain:
    x = ba.between(0.5, 2, "")
    for i in range(n - 1):
        y = ba.between(0.5, 2, "")
        if kind == "mul":
            x = x * y
        elif kind == "div":
            x = x / y
        elif kind == "pow":
            x = (x * y) ** 0.999
        elif kind == "right":
            x = y * x
        else:  # mixed: products, quotients, sums, powers, scalings
            x = [x * y, x / y, x + y, (x * y) ** 0.5, x * 3.0][i % 5]
    return x


def _fit(lengths: list[int], times: list[float]) -> float:
    slope, _ = np.polyfit(np.log(lengths), np.log(times), 1)
    return float(slope)


def chains(quick: bool) -> None:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))  # pint/pydantic reprs
    base = [1_250, 2_500, 5_000] if quick else [2_500, 5_000, 10_000, 20_000]
    kinds = {"mul": base, "div": base, "pow": base, "mixed": base, "right": base[:3]}
    print("Chains: compile + first estimate (mc, n=1000), second estimate (another seed)")
    print(f"{'chain':<8}{'length':>8}{'build':>9}{'first':>9}{'second':>9}{'dicts':>7}")
    for kind, lengths in kinds.items():
        firsts: list[float] = []
        for n in lengths:
            gc.collect()
            started = time.perf_counter()
            x = _chain(n, kind)
            built = time.perf_counter()
            copies = dict_copies()
            x.estimate(1000, seed=1, method="mc")
            first = time.perf_counter()
            copies = dict_copies() - copies
            x.estimate(1000, seed=2, method="mc")
            second = time.perf_counter()
            firsts.append(first - built)
            print(
                f"{kind:<8}{n:>8}{built - started:>8.2f}s{first - built:>8.2f}s"
                f"{second - first:>8.2f}s{copies:>7}"
            )
            del x
        print(f"{kind:<8} fitted exponent of the first estimate: {_fit(lengths, firsts):.2f}")
    print(
        "'right' (x = y * x) is a tree of sums: its coefficients come from one walk "
        "(logform._tree_coefs), not a dictionary per step."
    )


# -- executors -----------------------------------------------------------------------------


def _cpu_of(pids: list[int]) -> float:
    """CPU seconds of running processes (Linux /proc), 0 for any that is gone."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _timed(call: Callable[[], Any], pids: Callable[[], list[int]]) -> tuple[float, float, Any]:
    """Wall seconds, cores other processes kept busy meanwhile, and the result."""
    workers = pids()
    busy, own, theirs = busy_seconds(), own_seconds(), _cpu_of(workers)
    started = time.perf_counter()
    result = call()
    wall = time.perf_counter() - started
    other = busy_seconds() - busy - (own_seconds() - own) - (_cpu_of(workers) - theirs)
    return wall, max(0.0, other / wall), result


def _identical(a: ba.Estimate, b: ba.Estimate) -> bool:
    probes = (0, 0.1, 5, 50, 95, 99.9, 100)
    return a.to_dict() == b.to_dict() and all(
        a.percentile(q).magnitude == b.percentile(q).magnitude for q in probes
    )


def executors(quick: bool) -> None:
    graphs = {
        SCENARIO: ba.load_scenario(SCENARIO).output,
        "one lognormal (~10 ms chunks)": ba.between(1e14, 1e16, "FLOP/s"),
    }
    for name, output in graphs.items():
        _executors(name, output, quick)


def _executors(title: str, output: ba.Uncertain, quick: bool) -> None:
    n = 2 * 10**7 if quick else 10**8
    repeats = 2 if quick else 3
    contenders: dict[str, tuple[Callable[[], Any], Callable[[], list[int]]]] = {}
    contenders["serial"] = (lambda: output.estimate(n, seed=0, method="mc"), list)
    pool = ProcessPoolExecutor(2)
    pool.submit(os.getpid).result()
    contenders["processes"] = _run_on(output, n, pool, lambda: list(pool._processes))
    cluster = client = None
    try:
        import distributed

        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = distributed.Client(cluster)
        pids = list(client.run(os.getpid).values())
        contenders["dask"] = _run_on(output, n, client.get_executor(), lambda: pids)
    except ImportError:
        print("dask.distributed is not installed: the dask column is skipped")
    try:
        _rounds(title, contenders, repeats, n)
    finally:
        pool.shutdown()
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


def _run_on(
    output: ba.Uncertain, n: int, executor: Executor, pids: Callable[[], list[int]]
) -> tuple[Callable[[], Any], Callable[[], list[int]]]:
    output.estimate(2**22, seed=0, method="mc", executor=executor)  # warm the workers
    return (lambda: output.estimate(n, seed=0, method="mc", executor=executor)), pids


def _rounds(
    title: str,
    contenders: dict[str, tuple[Callable[[], Any], Callable[[], list[int]]]],
    repeats: int,
    n: int,
) -> None:
    names = list(contenders)
    walls: dict[str, list[float]] = {name: [] for name in names}
    loads: dict[str, list[float]] = {name: [] for name in names}
    results: dict[str, Any] = {}
    for round_ in range(repeats):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            call, pids = contenders[name]
            wall, other, results[name] = _timed(call, pids)
            walls[name].append(wall)
            loads[name].append(other)
    serial = float(np.median(walls["serial"]))
    print(f"Executors: {title}, {n:.2g} samples, streamed; {repeats} interleaved rounds")
    print(f"load average (1, 5, 15 min): {os.getloadavg()}")
    print(f"{'run':<11}{'median':>9}{'spread':>8}{'speed-up':>10}{'other cores':>13}  identical")
    for name in names:
        times = walls[name]
        median = float(np.median(times))
        spread = (max(times) - min(times)) / median
        identical = _identical(results[name], results["serial"])
        print(
            f"{name:<11}{median:>8.2f}s{spread:>7.0%}{serial / median:>9.2f}x"
            f"{float(np.median(loads[name])):>13.2f}  {identical}"
        )
    if any(math.isnan(x) for xs in loads.values() for x in xs):
        print("(no /proc/stat: the other load is unknown)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=["chains", "executors"])
    args = parser.parse_args()
    if args.only in (None, "chains"):
        chains(args.quick)
    if args.only in (None, "executors"):
        executors(args.quick)


if __name__ == "__main__":
    main()
