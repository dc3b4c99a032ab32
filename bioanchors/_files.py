"""Reading untrusted data files: regular files only, of bounded size, UTF-8 text, TOML.

Every file the library reads (scenarios, ``references.toml``, anchors parameter files) goes
through :func:`read_text`, so that no path can make it hang or exhaust memory:

* the file is opened without blocking (``O_NONBLOCK``), so a FIFO with no writer does not
  wait, and only a *regular* file is read (checked with ``fstat`` on the opened file, so a
  symlink to ``/dev/zero``, a FIFO, a socket or a directory is refused; a symlink to a
  regular file is fine);
* at most :data:`MAX_FILE_BYTES` bytes are read: a larger file is refused, even one that
  grows while it is read;
* the bytes must be UTF-8 (strictly); line endings ``\\r\\n`` and ``\\r`` become ``\\n``.

:func:`read_toml` adds TOML parsing with the standard library's :mod:`tomllib` and turns a
too deeply nested document (``tomllib`` recurses) into an error instead of a
``RecursionError``. Problems raise :class:`DataFileError` (an ``InvalidInputError``), whose
``detail`` callers may re-raise with their own context (a ``ScenarioError`` naming the file).

>>> from bioanchors.timelines.cotra import cotra_2020_params_path
>>> "anchors" in read_toml(cotra_2020_params_path(), what="an anchors parameter file")
True
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any, Final

from bioanchors.errors import InvalidInputError

__all__ = ["MAX_FILE_BYTES", "DataFileError", "read_text", "read_toml"]

MAX_FILE_BYTES: Final = 16 * 1024 * 1024
"""Largest data file read, in bytes (16 MiB); a bundled scenario is a few kilobytes."""

_READ_BLOCK: Final = 1 << 20
_FLAGS: Final = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOCTTY", 0)
)


class DataFileError(InvalidInputError):
    """A data file that cannot be read: not a regular file, too large, not UTF-8, bad TOML.

    ``path`` is the file, ``detail`` the problem without the file name (for callers that put
    the file into their own error, such as :class:`~bioanchors.ScenarioError`).
    """

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(f"{path}: {detail}")


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def read_text(path: str | os.PathLike[str], *, what: str) -> str:
    """The text of the regular file ``path`` (at most :data:`MAX_FILE_BYTES`, UTF-8).

    ``what`` says what the file is for, for the messages (``"a scenario file"``). Raises
    :class:`DataFileError` naming the file and the problem.
    """
    name = os.fspath(path)
    cap = MAX_FILE_BYTES
    try:
        fd = os.open(name, _FLAGS)
    except OSError as error:
        raise DataFileError(name, f"cannot read {what}: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DataFileError(
                name, f"{what} must be a regular file; this is {_kind(info.st_mode)}"
            )
        if info.st_size > cap:
            raise DataFileError(name, _too_large(what, cap))
        blocks: list[bytes] = []
        remaining = cap + 1  # one byte more than allowed tells a file that is too large
        while remaining > 0:
            block = os.read(fd, min(remaining, _READ_BLOCK))
            if not block:
                break
            blocks.append(block)
            remaining -= len(block)
    except OSError as error:
        raise DataFileError(name, f"cannot read {what}: {error.strerror or error}") from None
    finally:
        os.close(fd)
    data = b"".join(blocks)
    if len(data) > cap:
        raise DataFileError(name, _too_large(what, cap))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataFileError(
            name,
            f"{what} must be UTF-8 text; byte 0x{data[error.start]:02x} at offset "
            f"{error.start} is not ({error.reason})",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_large(what: str, cap: int) -> str:
    return f"{what} is larger than {cap} bytes (bioanchors._files.MAX_FILE_BYTES)"


def _strict_float(text: str) -> float:
    """A TOML float that keeps its value: ``1e-400`` is not silently 0."""
    value = float(text)
    if value == 0.0 and any(digit in text.split("e")[0].split("E")[0] for digit in "123456789"):
        raise ValueError(f"{text} is below the smallest float (it would read as 0)")
    return value


def read_toml(path: str | os.PathLike[str], *, what: str) -> dict[str, Any]:
    """The TOML document in ``path`` (read with :func:`read_text`), as a dict."""
    text = read_text(path, what=what)
    try:
        return tomllib.loads(text, parse_float=_strict_float)
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(os.fspath(path), f"not valid TOML: {error}") from None
    except RecursionError:
        raise DataFileError(
            os.fspath(path), f"{what} is nested too deeply (arrays or tables within each other)"
        ) from None
    except ValueError as error:  # e.g. an integer of more than 4300 digits
        raise DataFileError(os.fspath(path), f"not valid TOML: {error}") from None


def data_dir() -> Path:
    """The bundled data folder: ``_data`` inside an installed wheel, or ``data/`` of a checkout.

    The one place that knows where bundled scenarios, anchors and references live.
    """
    package = Path(__file__).resolve().parent
    packaged = package / "_data"
    if packaged.is_dir():
        return packaged
    return package.parent / "data"
