"""The scenario files the catalog finds: each name with its file, and the ambiguous names.

A scenario's name is its file's stem, so two folders (the bundled one and those on
``BIOANCHORS_PATH``) may each hold a ``mine.toml``. Such a name is *ambiguous*: it is an
error only where it is used (loaded by name, extended by another file, or loaded with every
scenario), never for a command that uses other names.

>>> from pathlib import Path
>>> found = Found({"a": Path("x/a.toml")}, {"b": (Path("x/b.toml"), Path("y/b.toml"))})
>>> found.names(), str(found.file("a")), found.file("c")
(['a', 'b'], 'x/a.toml', None)
>>> found.file("b")
Traceback (most recent call last):
...
bioanchors...AmbiguousNameError: scenario 'b' is defined twice: x/b.toml and y/b.toml; ...
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bioanchors.errors import ScenarioError

__all__ = ["AmbiguousNameError", "Found"]


class AmbiguousNameError(ScenarioError):
    """A scenario name defined in several files was used (a :class:`ScenarioError`, told
    apart so that a bundled file extending the name is skipped, not taken for a bug)."""


@dataclass(frozen=True)
class Found:
    """``files``: each name found in one file, with it; ``ambiguous``: each name found in
    several files, with every one of them in the order the folders are searched."""

    files: Mapping[str, Path]
    ambiguous: Mapping[str, tuple[Path, ...]]

    def names(self) -> list[str]:
        """Every name, an ambiguous one included, sorted."""
        return sorted({*self.files, *self.ambiguous})

    def __contains__(self, name: object) -> bool:
        return name in self.files or name in self.ambiguous

    def file(self, name: str) -> Path | None:
        """The file of scenario ``name``, ``None`` for an unknown name; an ambiguous name
        raises :meth:`ambiguous_error`."""
        if name in self.ambiguous:
            raise self.ambiguous_error(name)
        return self.files.get(name)

    def ambiguous_error(self, name: str, *, file: str | None = None) -> AmbiguousNameError:
        """The error for using ambiguous ``name``: every file defining it, and how to fix
        it. ``file`` (with ``field="extends"``): the file that extends ``name``."""
        paths = [str(path) for path in self.ambiguous[name]]
        times = "twice" if len(paths) == 2 else f"{len(paths)} times"
        where = f"{', '.join(paths[:-1])} and {paths[-1]}"
        used = "" if file is None else f"extends {name!r}, but "
        return AmbiguousNameError(
            f"{used}scenario {name!r} is defined {times}: {where}; rename one (a scenario's "
            "name is its file's: rename the file and its `name`, or save a variant under a name "
            "of its own with sc.save('folder/my-name.toml'))",
            file=file,
            field=None if file is None else "extends",
        )
