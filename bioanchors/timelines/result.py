"""One brain's forecast: :class:`TaiForecast`, P(TAI by year) with how the brain was swapped in.

Besides the CDF, a forecast records the brain's frame (what its number measures), the model
penalty added to it and why (by frame, the model's own, or given; see
:mod:`bioanchors.timelines.swap`), and, for Cotra's model, the log10 FLOP per parameter per
subjective second its parameter counts were inferred with. Its text, repr, HTML and JSON say
all three, so a swapped-in row never hides the assumption that moved it.
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bioanchors._format import format_number
from bioanchors._frames import Frame
from bioanchors._optional import require_pandas
from bioanchors._units.registry import Quantity, get_registry
from bioanchors.errors import InvalidInputError
from bioanchors.timelines._text import TABLE_YEARS, json_number, null_means, pct, year_key
from bioanchors.timelines._text import year_text as _year_text
from bioanchors.timelines._years import check_years
from bioanchors.timelines.cotra.model import Cotra2020
from bioanchors.timelines.cotra.params import DEFAULT_ANCHOR_PARAMS, AffordabilityParams
from bioanchors.timelines.model import TimelinesModel
from bioanchors.timelines.swap import (
    Penalty,
    PenaltyRule,
    emulation_log10_flop_per_param,
    frame_text,
)

__all__ = ["TaiForecast", "flop_per_param_text"]


def flop_per_param_text(value: float | None, shown: str | None = None) -> str:
    """How parameters were inferred from FLOP per subjective second, with both ratios:
    ``"parameters = FLOP per subjective second / 10^1.7 (Cotra's 1.7; a TCN surrogate runs
    3.3)"``; ``""`` for a model that infers none (``None``). ``shown`` replaces the exponent
    (for a table whose rows differ)."""
    if value is None:
        return ""
    own = DEFAULT_ANCHOR_PARAMS.log10_flop_per_param_per_subj_sec
    exponent = f"{value:.2g}" if shown is None else shown
    return (
        f"parameters = FLOP per subjective second / 10^{exponent} (Cotra's {own:.2g}; a TCN "
        f"surrogate runs {emulation_log10_flop_per_param():.2g})"
    )


@dataclass(frozen=True, eq=False)
class TaiForecast:
    """P(TAI by year) when one brain-compute estimate drives a timelines model.

    ``brain`` is a short name (the scenario's, ``NAME:claimed``, or the Uncertain's ``name``),
    ``label`` a longer description. ``years`` and ``prob_by_year`` are the tabulated CDF;
    ``percentiles`` maps 10, 50 and 90 to the year by which P(TAI) reaches that percentage
    (``inf`` if not by the model's last year, 2200 for Cotra; with her 10 % "none of these
    anchors" the 90th never is). ``log10_training_flop`` holds the requirement samples (log10
    FLOP, ``inf`` for "none"), so :meth:`prob_by` answers any year exactly; ``training_flop``
    and :meth:`affordable_flop` give them in FLOP. ``anchors`` says where the model's
    parameters came from; ``model`` is the :class:`~bioanchors.timelines.TimelinesModel`.

    ``frame`` is the brain's frame (``"functional"`` when it carries none, and then
    ``frame_assumed`` is True); ``penalty`` is the model penalty added to its log10 FLOP/s,
    chosen ``penalty_rule`` (``"by frame"``, ``"the model's own"`` or ``"given"``);
    ``log10_flop_per_param`` is the log10 FLOP per parameter per subjective second the model
    inferred parameter counts with (``None`` for a model that infers none).
    """

    brain: str
    label: str
    brain_median_flops: float
    years: NDArray[np.float64]
    prob_by_year: NDArray[np.float64]
    percentiles: Mapping[int, float]
    n: int
    seed: int
    anchors: str
    frame: Frame
    frame_assumed: bool
    penalty: Penalty
    penalty_rule: PenaltyRule
    log10_flop_per_param: float | None
    log10_training_flop: NDArray[np.float64] = field(repr=False)
    model: TimelinesModel = field(repr=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["percentiles"] = dict(self.percentiles)  # a mappingproxy does not pickle
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        state["percentiles"] = MappingProxyType(dict(state["percentiles"]))
        for name in ("years", "prob_by_year", "log10_training_flop"):
            array = state[name]  # fresh from pickle: kept as is, so a model's array subclass
            if not (isinstance(array, np.ndarray) and array.dtype == np.float64):  # survives
                array = np.array(array, dtype=np.float64)
            array.setflags(write=False)  # read-only again: pickle does not keep the flag
            state[name] = array
        self.__dict__.update(state)

    @property
    def median_year(self) -> float:
        """Year by which P(TAI) reaches 50 % (``inf`` if not by the model's last year)."""
        return self.percentiles[50]

    @property
    def is_reference(self) -> bool:
        """Whether this row is the model's own brain input (Cotra's ``"cotra-2020"``)."""
        return self.brain == self.model.reference_name

    @property
    def frame_text(self) -> str:
        """The frame as tables show it: ``"functional (assumed)"`` for a brain without one."""
        return frame_text(None if self.frame_assumed else self.frame)

    @property
    def brain_median(self) -> Quantity:
        """:attr:`brain_median_flops` as a Quantity in FLOP/s."""
        return get_registry().Quantity(self.brain_median_flops, "FLOP/s")

    @property
    def training_flop(self) -> Quantity:
        """The requirement samples in FLOP (``inf``: never), a Quantity array."""
        with np.errstate(over="ignore"):
            flop = np.power(10.0, self.log10_training_flop)
        return get_registry().Quantity(flop, "FLOP")

    def affordable_flop(
        self, years: Sequence[float] | NDArray[np.float64] | None = None
    ) -> Quantity:
        """FLOP the largest training run can buy in each of ``years`` (default: :attr:`years`)."""
        grid = self.years if years is None else self._years(years)
        return get_registry().Quantity(
            np.power(10.0, self.model.log10_affordable_flop(grid)), "FLOP"
        )

    @property
    def affordability(self) -> AffordabilityParams:
        """The affordability trends of a Cotra (2020) forecast (``model.params.affordability``)."""
        if not isinstance(self.model, Cotra2020):
            raise AttributeError(f"a {self.model.name} forecast has no Cotra affordability")
        return self.model.affordability

    def _years(self, years: Sequence[float] | NDArray[np.float64]) -> NDArray[np.float64]:
        return check_years(years, self.model.first_year, self.model.last_year)

    def prob_by(self, year: float) -> float:
        """P(TAI by ``year``), for any year the model covers (``[2020, 2200]`` for Cotra)."""
        lo, hi = self.model.first_year, self.model.last_year
        if isinstance(year, bool) or not isinstance(year, numbers.Real) or not lo <= year <= hi:
            raise InvalidInputError(f"year: must be a number in [{lo:g}, {hi:g}], got {year!r}")
        p = self.model.prob_tai_by(np.array([float(year)]), self.log10_training_flop)
        return float(p[0])

    def year_text(self, year: float) -> str:
        """``year`` rounded, or "after 2200" (the model's last year) when it is ``inf``."""
        return _year_text(year, self.model.last_year)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: years that are not reached by the model's last year are ``None`` (JSON
        ``null``), as ``null_means`` says; ``median_reached`` is False when the median year is
        ``None``."""
        return {
            "brain": self.brain,
            "label": self.label,
            "brain_median_flops": self.brain_median_flops,
            "unit": "FLOP/s",
            "n": self.n,
            "seed": self.seed,
            "anchors": self.anchors,
            "frame": self.frame,
            "frame_assumed": self.frame_assumed,
            "penalty": self.penalty.to_dict(),
            "penalty_rule": self.penalty_rule,
            "log10_flop_per_param": self.log10_flop_per_param,
            "median_year": json_number(self.median_year),
            "median_reached": math.isfinite(self.median_year),
            "percentiles": {str(q): json_number(y) for q, y in self.percentiles.items()},
            "null_means": null_means(self.model.last_year),
            "prob_by_year": {
                year_key(y): float(p) for y, p in zip(self.years, self.prob_by_year, strict=True)
            },
        }

    def to_frame(self) -> Any:
        """The tabulated CDF as a ``pandas.DataFrame``: column ``prob_tai_by`` indexed by
        ``year`` (:attr:`years`), with the brain, frame, penalty, anchors, n and seed in its
        ``attrs`` (needs pandas).

        >>> from bioanchors.timelines import tai_forecast
        >>> frame = tai_forecast("kokotajlod-2021:claimed", n=2_000).to_frame()
        >>> frame.index.name, list(frame.columns), frame.attrs["frame"]
        ('year', ['prob_tai_by'], 'emulation')
        """
        pandas = require_pandas()
        frame = pandas.DataFrame(
            {"prob_tai_by": np.asarray(self.prob_by_year, dtype=float)},
            index=pandas.Index(np.asarray(self.years, dtype=float), name="year"),
        )
        frame.attrs.update(
            brain=self.brain,
            frame=self.frame,
            penalty=str(self.penalty),
            anchors=self.anchors,
            n=self.n,
            seed=self.seed,
            method="mc",
        )
        return frame

    def __str__(self) -> str:
        p10, p90 = self.percentiles[10], self.percentiles[90]
        first, second = (self.prob_by(y) for y in TABLE_YEARS)
        return (
            f"{self.brain}: {self.frame_text}, penalty {self.penalty}; brain "
            f"{format_number(self.brain_median_flops)} FLOP/s -> median TAI "
            f"year {self.year_text(self.median_year)} (10th-90th percentile "
            f"{self.year_text(p10)} - {self.year_text(p90)}); P(TAI by {TABLE_YEARS[0]}) "
            f"{pct(first)}, by {TABLE_YEARS[1]} {pct(second)}" + self._variant_note()
        )

    def _variant_note(self) -> str:
        """``"; anchors <variant>"`` for a forecast under an anchors variant, else ``""``."""
        variant = isinstance(self.model, Cotra2020) and self.model.variant is not None
        return f"; {self.model.source_label}" if variant else ""

    def __repr__(self) -> str:
        ratio = flop_per_param_text(self.log10_flop_per_param)
        return (
            f"<TaiForecast {self.brain!r}: median TAI year {self.year_text(self.median_year)}; "
            f"{self.frame_text}, penalty {self.penalty} ({self.penalty_rule})"
            + (f"; {ratio}" if ratio else "")
            + self._variant_note()
            + f" (n={self.n}, seed={self.seed})>"
        )

    def _repr_html_(self) -> str:
        cells = [
            ("brain", f"{self.brain} ({self.label})"),
            ("brain FLOP/s (median)", format_number(self.brain_median_flops)),
            ("frame", self.frame_text),
            ("model penalty", f"{self.penalty} ({self.penalty_rule})"),
            *(
                (("parameter count", flop_per_param_text(self.log10_flop_per_param)),)
                if self.log10_flop_per_param is not None
                else ()
            ),
            *(
                (f"{q}th percentile TAI year", self.year_text(y))
                for q, y in self.percentiles.items()
            ),
            *((f"P(TAI by {y})", pct(self.prob_by(y))) for y in (2030, *TABLE_YEARS, 2100)),
            (
                "model",
                f"{self.model.name} anchors from {self.anchors}; n={self.n}, seed={self.seed}",
            ),
        ]
        rows = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in cells
        )
        return f"<table>{rows}</table>"
