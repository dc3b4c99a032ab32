"""The cited entry of an anchors parameter file and the tables of them (one per section).

:class:`Cited` is one value with its citation; :func:`cited_table` builds a section's model,
one :class:`Cited` entry per field of a parameter model with that field's type and bound
checked on ``value``; :func:`schema_table` builds the same section with one class
``Cited_<field>`` per field, for the JSON Schema (built only when it is asked for: those 53
classes took a fifth of the command line's start-up).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar, cast, get_type_hints

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    create_model,
    model_validator,
)
from pydantic_core import CoreSchema

from bioanchors.errors import InvalidInputError
from bioanchors.timelines.cotra._fields import Number
from bioanchors.timelines.cotra.params import _Params

__all__ = ["Alternative", "Cited", "CitedTable", "Text", "cited_table", "schema_table"]

T = TypeVar("T")
P = TypeVar("P", bound=_Params)


def _non_empty(text: str) -> str:
    if not text.strip():
        raise ValueError("must be a non-empty string")
    return text


Text = Annotated[str, AfterValidator(_non_empty)]


class _Strict(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", allow_inf_nan=False, protected_namespaces=()
    )


class Alternative(_Strict):
    """A value another source gives, with that source."""

    value: Number | tuple[Number, ...]
    who: Text
    where: Text
    quote: Text | None = None
    page: Text | None = None
    note: Text | None = None


class Cited(_Strict, Generic[T]):
    """A value and where it comes from: ``who``, ``where`` and a ``quote`` or a ``page``."""

    value: T
    who: Text
    where: Text
    quote: Text | None = None
    page: Text | None = None
    unit: Text | None = None
    tag: Text | None = None
    note: Text | None = None
    choice: Text | None = None
    alternatives: tuple[Alternative, ...] = ()

    @model_validator(mode="after")
    def _has_a_locator(self) -> Self:
        if self.quote is None and self.page is None:
            raise ValueError("needs a 'quote' or a 'page' for its citation")
        return self


class CitedTable(_Strict, Generic[P]):
    """One section of the file: a :class:`Cited` entry for every field of a parameter model.

    Built per parameter model by :func:`cited_table` (so that each field keeps its type and bound,
    in validation and in the schema); the model's own checks across fields (weights summing
    to 1, ...) run on the values too.
    """

    params_model: ClassVar[type[_Params]]

    def citation(self, name: str) -> Cited[Any]:
        """The cited entry of field ``name``."""
        entry: Cited[Any] = getattr(self, name)
        return entry

    def values(self) -> dict[str, Any]:
        """The values of every field, without their citations."""
        return {name: self.citation(name).value for name in type(self).model_fields}

    @model_validator(mode="after")
    def _model_checks(self) -> Self:
        try:
            type(self).params_model(**self.values())
        except InvalidInputError as error:
            raise ValueError(str(error)) from None
        return self


class _ValueOf:
    """A table field's validator: the one :class:`Cited` entry's validator with ``value``
    checked as the parameter model's field ``name`` (type and bound). It is the validator a
    class ``Cited_<name>(Cited[Any])`` with that ``value`` field would have, every check in
    the same order and every error at the same location (``(<field>, "value")``), without
    building that class: the shared keys' validators are generated once, not once per field
    (a fifth of the command line's start-up). The JSON Schema is built from those classes,
    by :func:`schema_table`, when it is asked for."""

    def __init__(self, name: str, hint: Any) -> None:
        self.name, self.hint = name, hint

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        # Cited's schema: function-after (its locator check) > model > model-fields > fields.
        shared = handler.resolve_ref_schema(handler(source))
        path = (shared["type"], shared.get("schema", {}).get("type"))
        if path != ("function-after", "model"):  # pragma: no cover - a pydantic change
            # Another pydantic lays the schema out otherwise: build the per-field class after
            # all (slower to import, the same validation).
            own = create_model(f"Cited_{self.name}", __base__=Cited[Any], value=(self.hint, ...))
            return handler.generate_schema(own)
        entry, model, keys = dict(shared), dict(shared["schema"]), dict(shared["schema"]["schema"])
        fields = dict(keys["fields"])
        fields["value"] = {**fields["value"], "schema": handler.generate_schema(self.hint)}
        keys["fields"], model["schema"], entry["schema"] = fields, keys, model
        entry["ref"] = f"{shared['ref']}:{self.name}"
        return cast(CoreSchema, entry)


def _hints(params: type[_Params]) -> dict[str, Any]:
    hints = get_type_hints(params, include_extras=True)
    return {name: hints[name] for name in params.model_fields}


def cited_table(params: type[P]) -> type[CitedTable[P]]:
    """The section model of ``params``: one :class:`Cited` entry per field, its ``value``
    checked as that field (the validator of :func:`schema_table`'s model, built faster)."""
    fields: dict[str, Any] = {
        name: (Annotated[Cited[Any], _ValueOf(name, hint)], ...)
        for name, hint in _hints(params).items()
    }
    return _make_table(params, fields)


def schema_table(params: type[P]) -> type[CitedTable[P]]:
    """The table with one class ``Cited_<field>`` per field, for the JSON Schema."""
    fields: dict[str, Any] = {
        name: (create_model(f"Cited_{name}", __base__=Cited[Any], value=(hint, ...)), ...)
        for name, hint in _hints(params).items()
    }
    return _make_table(params, fields)


def _make_table(params: type[P], fields: dict[str, Any]) -> type[CitedTable[P]]:
    make: Callable[..., type[CitedTable[P]]] = create_model  # one model per parameter model
    table = make(
        f"{params.__name__}Table",
        __base__=CitedTable[params],  # type: ignore[valid-type]
        __doc__=f"The cited fields of {params.__name__}.",
        **fields,
    )
    table.params_model = params
    return table
