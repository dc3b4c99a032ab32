"""The error a refused or failing formula raises, and how messages quote formula text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from bioanchors.errors import BioanchorsError

__all__ = ["FormulaError", "clip", "quote", "quote_formula"]

MAX_QUOTED: Final = 120  # characters of a formula or segment quoted in a message


def clip(text: str, limit: int = MAX_QUOTED) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def quote_formula(text: str) -> str:
    text = clip(text)
    if '"' not in text and "\\" not in text and text.isprintable():
        return f'"{text}"'
    return repr(text)


def quote(text: str) -> str:
    return repr(clip(text))


class FormulaError(BioanchorsError, ValueError):
    """A formula was refused at parse time or could not be evaluated.

    The message is built from structured attributes, so callers can inspect or extend them:

    * ``reason``: what is wrong, e.g. ``"attribute access '.b' is not allowed"``;
    * ``formula``: the formula text (``None`` if unknown);
    * ``offending``: the exact source segment at fault (``None`` if not applicable);
    * ``suggestions``: close matches for a misspelled name or function;
    * ``hint``: what is allowed instead;
    * ``file`` and ``step``: where the formula came from, see :meth:`with_context`.

    >>> err = FormulaError("unknown name 'neuronz'", formula="2 * neuronz",
    ...                    offending="neuronz", suggestions=("neurons",))
    >>> print(err)
    formula "2 * neuronz": unknown name 'neuronz'; did you mean 'neurons'?
    >>> err.context is None, err.offending
    (True, 'neuronz')
    >>> print(err.with_context("human.yaml", "brain_flops"))
    human.yaml, step 'brain_flops': formula "2 * neuronz": unknown name 'neuronz'; did you ...
    """

    def __init__(
        self,
        reason: str,
        *,
        formula: str | None = None,
        offending: str | None = None,
        suggestions: Iterable[str] = (),
        hint: str | None = None,
        file: str | None = None,
        step: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.formula = formula
        self.offending = offending
        self.suggestions: tuple[str, ...] = tuple(suggestions)
        self.hint = hint
        self.file = file
        self.step = step

    @property
    def context(self) -> str | None:
        """Where the formula came from, e.g. ``"human.yaml, step 'brain_flops'"``."""
        parts: list[str] = []
        if self.file is not None:
            parts.append(self.file)
        if self.step is not None:
            parts.append(f"step {self.step!r}")
        return ", ".join(parts) or None

    @property
    def message(self) -> str:
        """The full, human-readable message (also returned by ``str()``)."""
        text = self.reason
        if self.formula is not None:
            text = f"formula {quote_formula(self.formula)}: {text}"
        context = self.context
        if context is not None:
            text = f"{context}: {text}"
        if self.suggestions:
            text += f"; did you mean {' or '.join(map(repr, self.suggestions))}?"
        if self.hint:
            text += f"; {self.hint}"
        return text

    def __str__(self) -> str:
        return self.message

    def with_context(self, file: str | None = None, step: str | None = None) -> FormulaError:
        """Return a copy that also names the source ``file`` and/or scenario ``step``.

        Arguments left as ``None`` keep the current value. The copy keeps ``__cause__``, so
        ``raise err.with_context(path, step) from err.__cause__`` preserves the chain.
        """
        new = FormulaError(
            self.reason,
            formula=self.formula,
            offending=self.offending,
            suggestions=self.suggestions,
            hint=self.hint,
            file=self.file if file is None else file,
            step=self.step if step is None else step,
        )
        new.__cause__ = self.__cause__
        return new
