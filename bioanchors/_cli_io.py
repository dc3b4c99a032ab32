"""How the ``bioanchors`` command writes: text any terminal can show, JSON any parser can read.

* :class:`FallbackWriter` wraps the output stream so that a character the stream cannot
  encode (an ASCII-only locale, ``PYTHONIOENCODING=ascii``) becomes an ASCII fallback
  ("\u2013" -> "-", "\u2264" -> "<=", anything else -> "?") instead of a ``UnicodeEncodeError``.
* :func:`command_line_wording` rewrites a library message that names a Python keyword
  (``method='mc'``, ``n >= 1000``, ``penalty:``) in terms of the command's options
  (``--method mc``, ``--samples >= 1000``, ``--penalty:``): what ``bioanchors`` prints for an
  error or a warning.
* :class:`ProgressBar` shows a long run's progress on a terminal: a ``tqdm`` bar with an ETA
  on standard error, behind the library's ``progress(done, total)`` callback (the engine
  reports chunks through that callback and never imports tqdm). It writes nothing when
  standard error is not a terminal (piped, a file, CI), or when told to be quiet, and never
  touches standard output.
* :func:`write_json` never writes ``NaN`` or ``Infinity`` (not JSON, and refused by strict
  parsers): a non-finite number becomes ``null``; the records that can hold one say what
  ``null`` means next to it (e.g. ``median_reached`` in ``bioanchors timelines --json``).
"""

from __future__ import annotations

import json
import math
import numbers
import re
import sys
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, TextIO

if TYPE_CHECKING:
    from tqdm import tqdm

__all__ = [
    "ASCII_FALLBACKS",
    "OPTION_WORDING",
    "FallbackWriter",
    "ProgressBar",
    "ascii_fallback",
    "command_line_wording",
    "finite_json",
    "sanitize_json_text",
    "write_json",
]

ASCII_FALLBACKS: Final[Mapping[str, str]] = {
    "\u2013": "-",  # en dash, as in "90% CI a \u2013 b"
    "\u2014": "-",  # em dash
    "\u2212": "-",  # minus sign
    "\u2264": "<=",
    "\u2265": ">=",
    "\u00d7": "x",
    "\u2026": "...",
    "\u2192": "->",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
}
"""ASCII stand-ins for the non-ASCII characters the library prints; any other becomes "?"."""


def ascii_fallback(text: str, encoding: str) -> str:
    """``text`` with every character that ``encoding`` cannot encode replaced."""
    out = []
    for char in text:
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            out.append(ASCII_FALLBACKS.get(char, "?"))
        else:
            out.append(char)
    return "".join(out)


class FallbackWriter:
    """A write-only text stream over ``stream`` that never fails to encode (see module doc)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except UnicodeEncodeError:  # raised before anything is written: encoding comes first
            return self._stream.write(ascii_fallback(text, self.encoding))

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        isatty = getattr(self._stream, "isatty", None)
        return bool(isatty()) if callable(isatty) else False


def finite_json(value: Any) -> Any:
    """``value`` with every non-finite float (at any depth) replaced by ``None``."""
    if isinstance(value, Mapping):
        return {key: finite_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite_json(item) for item in value]
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else None
    return value


def write_json(record: Any, out: TextIO) -> None:
    """``record`` as indented JSON and a newline; non-finite numbers are written as ``null``."""
    out.write(json.dumps(finite_json(record), indent=2, allow_nan=False) + "\n")


def sanitize_json_text(text: str) -> str:
    """JSON text with any ``NaN``/``Infinity`` turned into ``null``, in the same layout."""
    record = json.loads(text, parse_constant=lambda _name: None)
    return json.dumps(record, indent=2, allow_nan=False) + "\n"


_VALUE = r"""['"]?([\w.+-]+)['"]?"""  # a keyword's value, quoted or not: 'mc', 1, 1e3

_HEAD = r"(?:^|(?<=: )|(?<=; ))"  # "penalty:" names the argument at the head of a message
_KEYWORDS = "penalty|tolerance|years"  # spelt as their options (log10_flop_per_param below)

OPTION_WORDING: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    # method='auto', 'mc' or 'qmc' -> --method auto, mc or qmc
    (re.compile(r"\bmethod='(\w+)', '(\w+)' or '(\w+)'"), r"--method \1, \2 or \3"),
    (re.compile(rf"\bmethod={_VALUE}"), r"--method \1"),
    (re.compile(r"\bn=(\d[\w.+]*) samples are\b"), r"--samples \1 is"),
    (re.compile(r"\bn=(\d[\w.+]*) samples\b"), r"--samples \1"),
    (re.compile(rf"\bn={_VALUE}"), r"--samples \1"),
    (re.compile(r"\bn (>=|<=)"), r"--samples \1"),
    (re.compile(rf"{_HEAD}n must\b"), "--samples must"),
    (re.compile(rf"\bseed={_VALUE}"), r"--seed \1"),
    (re.compile(rf"{_HEAD}seed must\b"), "--seed must"),
    (re.compile(rf"{_HEAD}log10_flop_per_param(?=:| must\b)"), "--log10-flop-per-param"),
    (re.compile(r"(?<![\w-])log10_flop_per_param(?==)"), "--log10-flop-per-param"),
    (re.compile(r"--log10-flop-per-param="), "--log10-flop-per-param "),
    (re.compile(rf"(?<![\w-])({_KEYWORDS})={_VALUE}"), r"--\1 \2"),
    (re.compile(rf"{_HEAD}({_KEYWORDS})(:| must\b)"), r"--\1\2"),
    (re.compile(r"\btornado_plot: the estimate\b"), "--kind tornado: the scenario"),
    (re.compile(r"\baudit_plot:"), "--kind audit:"),
)
"""How a library message's Python keyword reads on the command line: (pattern, replacement),
applied in order. Only the spellings the library uses for an argument (``n=``, ``method='x'``,
``penalty:`` at the head of a message) are rewritten, never words in prose."""


def command_line_wording(message: str) -> str:
    """``message`` with each Python keyword it names put as the command's option.

    >>> command_line_wording("Use method='auto', 'mc' or 'qmc' to sample it.")
    'Use --method auto, mc or qmc to sample it.'
    >>> command_line_wording("sensitivity: n=10 samples are too few; use n >= 1000")
    'sensitivity: --samples 10 is too few; use --samples >= 1000'
    >>> command_line_wording("penalty: must be in [-20, 20], got 99")
    '--penalty: must be in [-20, 20], got 99'
    >>> command_line_wording("log10_flop_per_param: expected 'cotra'; the penalty: none")
    "--log10-flop-per-param: expected 'cotra'; the penalty: none"
    """
    for pattern, replacement in OPTION_WORDING:
        message = pattern.sub(replacement, message)
    return message


class ProgressBar:
    """A ``progress(done, total)`` callback drawn as a tqdm bar on standard error.

    ``label`` names the run and ``unit`` what is counted ("chunk", "scenario", "brain"). The
    bar appears on the first call with ``total >= 2`` (a one-step run has nothing to show),
    shows the rate and the time left, and is cleared when ``done == total``; a later call
    starts a new bar (a command that runs several sweeps of the same kind). ``quiet`` never
    draws one; otherwise tqdm draws it only when standard error is a terminal. Use it as a
    context manager so that an error or Ctrl-C clears a bar left half-way.
    """

    def __init__(self, label: str, *, unit: str = "chunk", quiet: bool = False) -> None:
        self.label = label
        self.unit = unit
        self.quiet = quiet
        self._bar: tqdm[Any] | None = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if total < 2 or done >= total or not self._shown():
                return
            from tqdm import tqdm  # imported when a bar is first drawn

            self._bar = tqdm(
                total=total,
                desc=self.label,
                unit=self.unit,
                file=sys.stderr,
                disable=None,  # None: only on a terminal (quiet never gets here)
                leave=False,
                dynamic_ncols=True,
            )
        self._bar.update(done - self._bar.n)
        if done >= total:
            self.close()

    def _shown(self) -> bool:
        """Whether tqdm would draw the bar: not ``quiet``, and standard error a terminal (or
        a stream that cannot tell); else tqdm is not even imported."""
        isatty = getattr(sys.stderr, "isatty", None)
        return not self.quiet and (isatty is None or bool(isatty()))

    def close(self) -> None:
        """Clear the bar, if one is showing."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
