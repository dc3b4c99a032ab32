"""The numpy operation behind each :class:`~bioanchors._graph.uncertain.Op` of an apply step.

One table for the interpreter (:mod:`bioanchors._engine.interpret`), which applies it to
chunks of samples, and for constant folding (:mod:`bioanchors._engine.fold`), which applies it
once to 0-d arrays when a step's arguments are all constants: the same ufunc on the same
numbers, so a folded constant has the bits the interpreter would have computed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

from bioanchors._graph.uncertain import Op

__all__ = ["apply_op"]

FloatArray: TypeAlias = NDArray[np.float64]

_BINARY: dict[Op, Callable[..., FloatArray]] = {
    Op.ADD: np.add,
    Op.SUB: np.subtract,
    Op.MUL: np.multiply,
    Op.DIV: np.divide,
    Op.POW_UNCERTAIN: np.power,
    Op.MIN: np.minimum,
    Op.MAX: np.maximum,
}
_UNARY: dict[Op, Callable[..., FloatArray]] = {
    Op.NEG: np.negative,
    Op.SQRT: np.sqrt,
    Op.EXP: np.exp,
    Op.LOG: np.log,
    Op.LOG10: np.log10,
}


def apply_op(
    op: Op, param: float, args: list[FloatArray], out: FloatArray | None = None
) -> FloatArray:
    """``op`` on ``args`` (``param``: the constant exponent or factor of POW and SCALE)."""
    result: FloatArray
    if op is Op.POW:
        result = np.power(args[0], param, out=out)
    elif op is Op.SCALE:
        result = np.multiply(args[0], param, out=out)
    elif op in _BINARY:
        result = _BINARY[op](args[0], args[1], out=out)
    else:
        result = _UNARY[op](args[0], out=out)
    return result
