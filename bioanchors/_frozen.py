"""A base for immutable slotted values: assigning or deleting any attribute is refused.

Subclasses set their slots once in ``__init__`` through :func:`set_slots` and name, in
``_CHANGE_HINT``, the method that gives a changed copy; they define ``__reduce__`` so that
pickle and copy rebuild them through their constructor.
"""

from __future__ import annotations

from typing import ClassVar, NoReturn

from bioanchors.errors import FrozenValueError

__all__ = ["Frozen", "set_slots"]


class Frozen:
    """Refuses ``obj.attr = value`` and ``del obj.attr`` with a :class:`FrozenValueError`."""

    __slots__ = ()
    _FROZEN_WHAT: ClassVar[str | None] = None  # how messages name the value (default: class)
    _CHANGE_HINT: ClassVar[str] = "build a new one instead"

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise FrozenValueError(self._refusal("set", name))

    def __delattr__(self, name: str) -> NoReturn:
        raise FrozenValueError(self._refusal("delete", name))

    @classmethod
    def _refusal(cls, action: str, name: str) -> str:
        what = cls._FROZEN_WHAT or cls.__name__
        return f"{what} is immutable: cannot {action} {name!r}; {cls._CHANGE_HINT}"


def set_slots(obj: Frozen, **values: object) -> None:
    """Fill ``obj``'s slots once, past the refusing ``__setattr__`` (for ``__init__`` only)."""
    for name, value in values.items():
        object.__setattr__(obj, name, value)
