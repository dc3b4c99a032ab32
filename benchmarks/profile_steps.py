"""Where a chunk's time goes: ns per sample of each register-program step (issue 14, item 1).

    python benchmarks/profile_steps.py                      # every comparator's model
    python benchmarks/profile_steps.py irving-2021 merkle   # models whose name contains these

For one 2^20-sample chunk of each model: the draws (``scores``), every instruction of
``compile_plan([output]).program`` (timed by wrapping the interpreter's per-step ``_run``),
the finite/overflow check, the whole chunk, and the best numpy's sampler for the same model
(:mod:`best_numpy`, BLAS held to one thread) alternating with it. A reference line gives this
run's ns per element of a normal and a uniform draw, ``exp``, ``log``, ``power`` and a
multiply, since the machine may be shared: read the steps against it, not as absolutes.
Medians of 7 chunks. Reads private names of ``bioanchors._engine.interpret``; where the
interpreter no longer has them, only the whole chunk is timed.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import best_numpy  # beside this script
import numpy as np
from threadpoolctl import ThreadpoolController

from bioanchors._engine import interpret
from bioanchors._engine.plan import compile_plan

SIZE = 1 << 20
REPEATS = 7
_BLAS = ThreadpoolController()


def _ns(function: Callable[[], object]) -> float:
    function()
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times)) / SIZE * 1e9


def reference() -> str:
    rng = np.random.default_rng(0)
    out, a, b = np.empty(SIZE), rng.random(SIZE) + 0.5, rng.random(SIZE)
    parts = {
        "normal": lambda: rng.standard_normal(out=out),
        "uniform": lambda: rng.random(out=out),
        "exp": lambda: np.exp(a, out=out),
        "log": lambda: np.log(a, out=out),
        "power": lambda: np.power(a, b, out=out),
        "multiply": lambda: np.multiply(a, 1.5, out=out),
    }
    return "this run, ns per element: " + ", ".join(f"{k} {_ns(f):.2f}" for k, f in parts.items())


def _describe(step: Any) -> str:
    kind = type(step).__name__
    for field in ("op", "form", "dist", "check", "value"):
        if hasattr(step, field):
            return f"{kind} {field}={str(getattr(step, field))[:80]}"
    return kind


def profile(model: best_numpy.Model) -> list[str]:
    program = compile_plan([model.graph]).program
    spent: dict[Any, list[float]] = defaultdict(list)
    names = ("_run", "scores", "refuse_lost_values")
    originals = {name: getattr(interpret, name, None) for name in names}

    def wrapped(name: str, key: Callable[..., Any]) -> Callable[..., Any]:
        original = originals[name]
        assert original is not None

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            result = original(*args, **kwargs)
            spent[key(*args)].append(time.perf_counter() - start)
            return result

        return timed

    keys = {"_run": lambda step, *_: id(step), "scores": lambda *_: "draws"}
    keys["refuse_lost_values"] = lambda *_: "finite check"
    chunks: list[float] = []
    bests: list[float] = []
    buffers = best_numpy.Buffers()

    def best() -> object:
        with _BLAS.limit(limits=1, user_api="blas"):
            return model.best(np.random.default_rng(1), SIZE, buffers)

    try:
        for name in names:
            if originals[name] is not None:
                setattr(interpret, name, wrapped(name, keys[name]))
        for chunk in range(REPEATS + 1):  # the first of each: a warm-up
            spent.clear() if chunk == 1 else None
            start = time.perf_counter()
            interpret.evaluate_chunk(program, "mc", 0, 0, SIZE, chunk)
            chunks.append(time.perf_counter() - start)
            start = time.perf_counter()
            best()
            bests.append(time.perf_counter() - start)
    finally:
        for name, original in originals.items():
            if original is not None:
                setattr(interpret, name, original)

    def ns(key: Any) -> float:
        return float(np.median(spent[key])) / SIZE * 1e9 if spent.get(key) else 0.0

    chunk_ns, best_ns = (float(np.median(t[1:])) / SIZE * 1e9 for t in (chunks, bests))
    lines = [
        f"== {model.name}: chunk {chunk_ns:.1f} ns per sample, best numpy {best_ns:.1f} "
        f"(interleaved); "
        f"draws {ns('draws'):.1f}, finite check {ns('finite check'):.1f}"
    ]
    for step in program.instructions:
        lines.append(f"  {ns(id(step)):6.2f}  t{step.target} <- {step.args}  {_describe(step)}")
    return lines


def main() -> None:
    wanted = sys.argv[1:]
    print(reference())
    for model in best_numpy.all_models():
        if not wanted or any(w in model.name for w in wanted):
            print("\n".join(profile(model)), flush=True)


if __name__ == "__main__":
    main()
