"""Constant folding: a step whose arguments are all constants becomes one constant.

The interpreter already keeps constants as 0-d arrays, so an operation on constants costs no
full-array pass; folding computes it once, when the program is compiled, instead of once per
chunk, with the same numpy operation on the same 0-d arrays (:func:`~bioanchors._engine.ops.
apply_op`): the folded value has the bits the interpreter would have computed. A step is left
as it is (and so fails, or flags, at evaluation exactly as before) when folding it raises a
floating-point flag (overflow, underflow, an invalid operation, a division by zero), gives a
value that is not finite, or is a domain check that its constant fails. Constants no step
reads any more are dropped.

A multiplication or division by a constant exactly 1 (a unit conversion by 1, say) is dropped
too, its readers reading its argument: ``x * 1.0`` is ``x`` bit for bit, and the full-array pass
it cost is saved. A domain check on a derived argument checks that argument's register in
place (its step's target is its argument) instead of copying it into a register of its own.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from bioanchors._engine.ops import apply_op
from bioanchors._engine.program import ApplyStep, CheckStep, ConstantStep, Instruction, Program
from bioanchors._graph.uncertain import Op

__all__ = ["fold_constants"]


def fold_constants(program: Program) -> Program:
    """``program`` with every step on constants alone replaced by its constant value, and
    every multiplication or division by exactly 1 replaced by its other argument."""
    constants: dict[int, float] = {}  # register -> the constant it holds
    same: dict[int, int] = {}  # register -> the register holding the same values
    steps: list[Instruction] = []
    changed = False
    for step in program.instructions:
        if any(arg in same for arg in step.args):
            args = tuple(same.get(arg, arg) for arg in step.args)
            step = dataclasses.replace(step, args=args)
        value = _folded(step, constants)
        if value is not None:
            step, changed = ConstantStep(target=step.target, value=value), True
        if isinstance(step, ConstantStep):
            constants[step.target] = step.value
        kept = _identity(step, constants)
        if kept is not None:
            same[step.target], changed = kept, True
            continue
        if isinstance(step, CheckStep) and step.target != step.args[0]:
            # Checked where it stands: its readers read the argument, and no copy is made.
            same[step.target], changed = step.args[0], True
            step = dataclasses.replace(step, target=step.args[0])
        steps.append(step)
    if not changed:
        return program
    outputs = tuple(same.get(output, output) for output in program.outputs)
    read = set(outputs).union(*(s.args for s in steps))
    live = [s for s in steps if not isinstance(s, ConstantStep) or s.target in read]
    return dataclasses.replace(program, instructions=_released(live, outputs), outputs=outputs)


def _identity(step: Instruction, constants: dict[int, float]) -> int | None:
    """The argument register ``step`` returns unchanged: ``x * 1``, ``1 * x``, ``x / 1`` and a
    scale by 1 are exactly ``x`` for every double (signed zeros, infinities and NaN alike),
    with no floating-point flag raised."""
    if not isinstance(step, ApplyStep):
        return None
    args = step.args
    if step.op is Op.SCALE and step.param == 1.0:
        return args[0]
    if step.op is Op.MUL or step.op is Op.DIV:
        if constants.get(args[1]) == 1.0 and args[0] not in constants:
            return args[0]
        if step.op is Op.MUL and constants.get(args[0]) == 1.0 and args[1] not in constants:
            return args[1]
    return None


def _released(steps: list[Instruction], outputs: tuple[int, ...]) -> tuple[Instruction, ...]:
    """The steps with ``release`` recomputed: the registers no later step (or output) reads."""
    last_use: dict[int, int] = {}
    for index, step in enumerate(steps):
        for arg in step.args:
            last_use[arg] = index
    for output in outputs:
        last_use[output] = len(steps)
    return tuple(
        dataclasses.replace(
            step, release=tuple(r for r in dict.fromkeys(step.args) if last_use[r] == index)
        )
        for index, step in enumerate(steps)
    )


def _folded(step: Instruction, constants: dict[int, float]) -> float | None:
    """The constant value of ``step`` when all its arguments are constants and it folds."""
    if not isinstance(step, ApplyStep | CheckStep) or not step.args:
        return None
    if any(arg not in constants for arg in step.args):
        return None
    args = [np.asarray(constants[arg], dtype=np.float64) for arg in step.args]
    flagged: list[str] = []
    with np.errstate(all="call", call=lambda kind, _flag: flagged.append(kind)):
        if isinstance(step, CheckStep):
            if step.check.violations(args[0]).any():
                return None  # left to fail at evaluation with its own message
            result = args[0]
        else:
            result = apply_op(step.op, step.param, args)
    value = float(result)
    if flagged or not np.isfinite(value):
        return None
    return value
