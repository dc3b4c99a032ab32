"""Timelines benchmark (issue 14, target 8): P(TAI by year) and the arrival years, fast against
the sample-by-sample loop they replaced, plus the whole ``bioanchors timelines`` command and the
peak memory of one forecast at a large n.

    python benchmarks/timelines.py            # prints the section (run.py --only 8: a target row)
    python benchmarks/timelines.py --quick

The loop below is the implementation before the thresholds (every sample tested in every
year), copied as it was; ``tests/test_timelines_fast.py`` holds the same oracle and checks the
numbers, this file only times them. The two sides run in interleaved rounds on the same
requirement samples, and each round gives one ratio: the table shows the median ratio and the
spread over rounds, with the load average of the machine before and after (shared machines
are noisy; a ratio measured in one run is what counts). Both sides must give identical
answers, or the row says so.
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bioanchors.timelines.cotra.affordability import _saturating_log10, log10_affordable_flop
from bioanchors.timelines.cotra.model import Cotra2020
from bioanchors.timelines.cotra.params import MAX_YEAR, AffordabilityParams
from bioanchors.timelines.cotra.progress import anchor_index_of, anchor_schedules, schedule

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
_LOG10_2 = math.log10(2.0)
CLI_GOAL_SECONDS = 0.8
SPEED_GOAL = 100.0


def _schedules(
    samples: Any, req: NDArray[np.float64], params: AffordabilityParams
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp]]:
    labels = anchor_index_of(samples, req.size)
    if labels is None or params.algo_progress_by == "requirement":
        halving, cap = schedule(np.where(np.isfinite(req), req, 0.0), params)
        return halving, cap, np.arange(req.size)
    halving, cap = anchor_schedules(params)
    return halving, cap, labels.astype(np.intp)


def loop_prob_tai_by(
    years: NDArray[np.float64], samples: Any, params: AffordabilityParams
) -> NDArray[np.float64]:
    """The loop before the thresholds: every sample in every year."""
    req = np.asarray(samples, dtype=np.float64)
    keep = np.isfinite(req)
    finite = req[keep]
    halving, cap, index = _schedules(samples, req, params)
    index = index[keep]
    affordable = log10_affordable_flop(years, params)
    out = np.empty(years.size)
    for i in range(years.size):
        growth = (years[i] - params.base_year) * _LOG10_2 / halving
        effective = finite - _saturating_log10(growth, cap)[index]
        out[i] = np.count_nonzero(effective <= affordable[i]) / req.size
    return out


def loop_arrival_years(samples: Any, params: AffordabilityParams) -> NDArray[np.float64]:
    """The loop before the thresholds: every pending sample in every year of the grid."""
    req = np.asarray(samples, dtype=np.float64)
    grid = params.base_year + np.arange(0.0, math.floor(MAX_YEAR - params.base_year) + 1.0)
    affordable = log10_affordable_flop(grid, params)
    out = np.full(req.size, np.inf)
    active = np.flatnonzero(np.isfinite(req))
    halving, cap, index = _schedules(samples, req, params)
    index = index[active]
    previous_gap = np.full(active.size, np.nan)
    for i in range(grid.size):
        if active.size == 0:
            break
        growth = (grid[i] - params.base_year) * _LOG10_2 / halving
        effective = req[active] - _saturating_log10(growth, cap)[index]
        gap = effective - affordable[i]
        new = effective <= affordable[i]
        if i == 0:
            out[active[new]] = grid[0]
        else:
            frac = previous_gap[new] / (previous_gap[new] - gap[new])
            out[active[new]] = grid[i - 1] + frac * (grid[i] - grid[i - 1])
        keep = ~new
        active, index, previous_gap = active[keep], index[keep], gap[keep]
    return out


def ratios(slow: Callable[[], object], fast: Callable[[], object], rounds: int) -> dict[str, Any]:
    """Median wall and CPU seconds of each side and the per-round ratios slow/fast, in
    interleaved rounds (the order swapped each round). CPU time (this thread's) leaves out the
    time the scheduler gives to other processes, which on a loaded machine swamps a
    millisecond call's wall time."""
    slow(), fast()  # warm-up
    times: dict[str, dict[str, list[float]]] = {
        side: {"wall": [], "cpu": []} for side in ("slow", "fast")
    }
    pair = [("slow", slow), ("fast", fast)]
    for round_ in range(rounds):
        for side, call in pair if round_ % 2 == 0 else pair[::-1]:
            wall, cpu = time.perf_counter(), time.thread_time()
            call()
            times[side]["cpu"].append(time.thread_time() - cpu)
            times[side]["wall"].append(time.perf_counter() - wall)
    out: dict[str, Any] = {}
    for clock in ("wall", "cpu"):
        per_round = [
            s / max(f, 1e-9)
            for s, f in zip(times["slow"][clock], times["fast"][clock], strict=True)
        ]
        out[clock] = {
            "loop": float(np.median(times["slow"][clock])),
            "fast": float(np.median(times["fast"][clock])),
            "ratio": float(np.median(per_round)),
            "spread": (float(np.percentile(per_round, 25)), float(np.percentile(per_round, 75))),
        }
    return out


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms"


def child_rss(n: int) -> None:
    """In a fresh process: one forecast of Cotra's reference brain at ``n``; print the time and
    the peak RSS (VmHWM: this process image only)."""
    from bioanchors.timelines import tai_forecast

    start = time.perf_counter()
    forecast = tai_forecast("cotra-2020-brain", n=n)
    seconds = time.perf_counter() - start
    peak = math.nan
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    print(
        json.dumps(
            {"n": n, "seconds": seconds, "peak_rss_mib": peak, "median": forecast.median_year}
        )
    )


_PYCACHE = tempfile.TemporaryDirectory(prefix="bioanchors-pycache-")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple):
        return all(bool(np.array_equal(x, y)) for x, y in zip(a, b, strict=True))
    return bool(np.array_equal(a, b))


def _python(*args: str) -> subprocess.CompletedProcess[str]:
    """``python *args`` in a fresh process, with a warm bytecode cache of its own (as an
    installed package has; PYTHONDONTWRITEBYTECODE would make every run compile the library)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=_PYCACHE.name)
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=True, env=env, cwd="/"
    )


_WITHOUT_DASK = (
    "import sys; sys.modules['dask'] = None; sys.argv = ['bioanchors', 'timelines']; "
    "from bioanchors.cli import main; main()"
)


def _has_dask() -> bool:
    try:
        _python("-c", "import dask")
    except subprocess.CalledProcessError:
        return False
    return True


def _command_times(runs: int) -> dict[str, list[float]]:
    """Wall and CPU (user + system) seconds of ``bioanchors timelines`` (default: the progress
    bar's standard error piped) and of ``timelines -q``, interleaved, after one warm-up run."""
    commands = {
        "timelines": ("-m", "bioanchors", "timelines"),
        "quiet": ("-m", "bioanchors", "timelines", "-q"),
    }
    if _has_dask():  # pint imports dask when it is installed; a clean install has none
        commands["no_dask"] = ("-c", _WITHOUT_DASK)
    for command in commands.values():
        _python(*command)  # writes the bytecode cache
    times: dict[str, list[float]] = {f"{k}{c}": [] for k in commands for c in ("", "_cpu")}
    for _ in range(runs):
        for name, command in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            _python(*command)
            times[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times[f"{name}_cpu"].append(
                after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            )
    return times


_PROBABILITIES = (0.1, 0.5, 0.9)


def loop_summary(
    years: NDArray[np.float64], samples: Any, params: AffordabilityParams
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """What a forecast asked of the loop: P(TAI) by each year, and the percentile years of
    the arrival years (inverted CDF, from a sort)."""
    arrivals = np.sort(loop_arrival_years(samples, params))
    index = [max(0, math.ceil(p * arrivals.size - 1e-9) - 1) for p in _PROBABILITIES]
    return loop_prob_tai_by(years, samples, params), arrivals[index]


def measure(quick: bool) -> dict[str, Any]:
    """Every number of the section, measured in this run."""
    load_before = os.getloadavg()
    model = Cotra2020.from_anchors()
    params = model.affordability
    n = 20_000 if quick else 100_000
    rounds = 7 if quick else 15
    brain = np.random.default_rng(1).normal(15.0, 1.5, n)
    req = model.log10_requirements(brain, rng=np.random.default_rng([0, 2020]))
    years = np.arange(2025.0, 2101.0)
    rows = []
    cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        (
            "prob_tai_by, 76 years",
            lambda: loop_prob_tai_by(years, req, params),
            lambda: model.prob_tai_by(years, req),
        ),
        (
            "prob_tai_by, 1 year",
            lambda: loop_prob_tai_by(years[15:16], req, params),
            lambda: model.prob_tai_by(years[15:16], req),
        ),
        (
            "arrival_years, 181-year grid",
            lambda: loop_arrival_years(req, params),
            lambda: model.arrival_years(req),
        ),
        (
            "a forecast's numbers: P(TAI) in 76 years and p10/p50/p90 years",
            lambda: loop_summary(years, req, params),
            lambda: model.tai_summary(years, req, _PROBABILITIES),
        ),
    ]
    for name, slow, fast in cases:
        same = _same(slow(), fast())
        rows.append({"name": name, "same": same, **ratios(slow, fast, rounds)})
    command = _command_times(3 if quick else 10)
    imports = []
    for _ in range(3 if quick else 5):
        start = time.perf_counter()
        _python("-c", "import bioanchors.cli")
        imports.append(time.perf_counter() - start)
    big = 1_000_000 if quick else 5_000_000
    rss = json.loads(_python(str(Path(__file__).resolve()), "--child-rss", str(big)).stdout)
    return {
        "n": n,
        "rounds": rounds,
        "rows": rows,
        "cli": command["timelines"],
        "cli_cpu": command["timelines_cpu"],
        "quiet": command["quiet"],
        "no_dask": command.get("no_dask"),
        "imports": imports,
        "rss": rss,
        "load": (load_before, os.getloadavg()),
    }


def section(result: dict[str, Any]) -> list[str]:
    """The measured numbers as Markdown lines."""
    (b1, b5, _), (a1, a5, _) = result["load"]
    lines = [
        f"Requirement samples of Cotra's reference brain, n = {result['n']:,}; "
        f"{result['rounds']} interleaved rounds; load average (1 min / 5 min) {b1:.2f} / "
        f"{b5:.2f} before, {a1:.2f} / {a5:.2f} after, on {os.cpu_count()} cores.",
        "",
        "| call | clock | loop (before) | thresholds (after) | ratio (median) | ratio "
        "interquartile | same answers |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        for clock in ("cpu", "wall"):
            got = row[clock]
            lo, hi = got["spread"]
            lines.append(
                f"| {row['name']} | {clock} | {_ms(got['loop'])} | {_ms(got['fast'])} | "
                f"x{got['ratio']:.1f} | x{lo:.1f} - x{hi:.1f} | "
                f"{'yes' if row['same'] else 'NO'} |"
            )
    cli, quiet, imports, rss = result["cli"], result["quiet"], result["imports"], result["rss"]
    lines += [
        "",
        f"`bioanchors timelines` (25 brains, n = 100,000), a fresh process each run with a warm "
        f"bytecode cache: wall min {min(cli):.2f} s, median {np.median(cli):.2f} s over "
        f"{len(cli)} runs (goal {CLI_GOAL_SECONDS} s); CPU (user + system) min "
        f"{min(result['cli_cpu']):.2f} s; with `-q` min {min(quiet):.2f} s, median "
        f"{np.median(quiet):.2f} s; `import bioanchors.cli` alone takes "
        f"{np.median(imports):.2f} s (median).",
    ]
    if result.get("no_dask"):
        without = result["no_dask"]
        lines += [
            "",
            f"dask is installed here (the `bench` extra, for the executor benchmark), and pint "
            f"imports it at start-up when it is; a clean install (`pip install bioanchors`) "
            f"has none. The same command with dask's import refused: wall min "
            f"{min(without):.2f} s, median {np.median(without):.2f} s. The goal is judged on "
            f"this one, the command a user runs.",
        ]
    lines += [
        "",
        f"Peak RSS of one forecast at n = {rss['n']:,} in a fresh process: "
        f"{rss['peak_rss_mib']:.0f} MiB ({rss['seconds']:.1f} s).",
    ]
    return lines


def verdict(result: dict[str, Any]) -> tuple[str, bool]:
    """The summary line and whether the targets are met: identical answers, the 76-year
    P(TAI) call ``SPEED_GOAL`` times faster in CPU time, the command under the goal."""
    rows = {row["name"]: row for row in result["rows"]}
    prob, arrival = (
        rows["prob_tai_by, 76 years"]["cpu"],
        rows["arrival_years, 181-year grid"]["cpu"],
    )
    summary = rows["a forecast's numbers: P(TAI) in 76 years and p10/p50/p90 years"]["cpu"]
    with_dask = float(np.median(result["cli"]))
    without = result.get("no_dask")
    cli = float(np.median(without)) if without else with_dask
    said = f"{cli:.2f} s" + (f" ({with_dask:.2f} s with dask installed)" if without else "")
    same = all(row["same"] for row in result["rows"])
    text = (
        f"prob_tai_by x{prob['ratio']:.1f}, arrival_years x{arrival['ratio']:.1f}, a "
        f"forecast's numbers x{summary['ratio']:.1f} (CPU, identical answers: "
        f"{'yes' if same else 'NO'}); `bioanchors timelines` {said}; "
        f"peak RSS {result['rss']['peak_rss_mib']:.0f} MiB at n = {result['rss']['n']:.0e}"
    )
    return text, same and prob["ratio"] >= SPEED_GOAL and cli <= CLI_GOAL_SECONDS


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child-rss":
        child_rss(int(sys.argv[2]))
        return
    print("\n".join(section(measure("--quick" in sys.argv))))


if __name__ == "__main__":
    main()
