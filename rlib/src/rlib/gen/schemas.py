"""JSON Schemas of every operation's input and ``data``, sharing one set of components.

pydantic generates them in one pass, so two models of the same name in different modules get
distinct, stable component names. A type pydantic cannot describe becomes ``{}`` (any value).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import PydanticSchemaGenerationError, PydanticUserError, TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue
from pydantic_core import core_schema

from rlib.gen.model import Operation

REF_PREFIX = "#/components/schemas/"


@dataclass(slots=True)
class SchemaSet:
    """Component schemas plus, per operation id, the input and ``data`` schema (refs)."""

    components: dict[str, JsonSchemaValue] = field(default_factory=dict)
    inputs: dict[str, JsonSchemaValue] = field(default_factory=dict)
    outputs: dict[str, JsonSchemaValue] = field(default_factory=dict)

    def optional(self, schema: JsonSchemaValue) -> bool:
        """True when an empty object is valid input (an object model with no required field)."""
        resolved = self.resolve(schema)
        return resolved.get("type") == "object" and not resolved.get("required")

    def resolve(self, schema: JsonSchemaValue) -> JsonSchemaValue:
        """Follow a top-level ``$ref`` into the components."""
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            return self.components[ref.removeprefix(REF_PREFIX)]
        return schema


class _Generator(GenerateJsonSchema):
    """pydantic's schemas, with what a Decimal's ``max_digits`` and ``decimal_places`` allow.

    pydantic describes an input Decimal as any number or any string, so a client (and contract
    fuzzing, issue 19) took ``"abc"`` or ``0.123`` for valid money that the app refuses (422).
    """

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        found = super().decimal_schema(schema)
        places, digits = schema.get("decimal_places"), schema.get("max_digits")
        if self.mode != "validation" or (places is None and digits is None):
            return found
        whole = None if digits is None else digits - (places or 0)
        lower = schema.get("ge", schema.get("gt"))
        sign = "" if lower is not None and lower >= 0 else "-?"
        integer = r"\d+" if whole is None else (rf"\d{{1,{whole}}}" if whole > 0 else "0")
        fraction = r"(\.\d+)?" if places is None else (rf"(\.\d{{1,{places}}})?" if places else "")
        branches = found.get("anyOf", [found])
        if any(schema.get(k) is not None for k in ("gt", "lt", "le")) or (lower or 0) > 0:
            # A pattern cannot say "more than zero": such a Decimal is documented as a number.
            branches[:] = [b for b in branches if b.get("type") != "string"] or branches
        for branch in branches:
            if branch.get("type") == "string":
                branch["pattern"] = f"^{sign}{integer}{fraction}$"
            elif branch.get("type") == "number":
                if places is not None:
                    branch["multipleOf"] = 10.0**-places if places else 1
                if whole is not None:
                    branch["exclusiveMaximum"] = 10**whole
        return found


def _adapter(annotation: Any) -> TypeAdapter[Any] | None:
    # None: the type cannot be described; validated here so one odd model never breaks gen.
    if annotation is None:  # no return annotation: the shape is unknown
        return None
    try:
        adapter: TypeAdapter[Any] = TypeAdapter(annotation)
        adapter.json_schema()
    except (PydanticSchemaGenerationError, PydanticUserError, TypeError):
        return None
    return adapter


def _input_of(op: Operation) -> Any:
    # A multipart endpoint's input is its form (files as binary strings), not a JSON payload.
    return op.endpoint.input_model or op.endpoint.form


def build_schemas(ops: list[Operation]) -> SchemaSet:
    """Generate every schema the operations need, in their (sorted) order."""
    inputs: list[tuple[str, JsonSchemaMode, TypeAdapter[Any]]] = []
    for op in ops:
        model = _adapter(_input_of(op))
        if model is not None:
            inputs.append((op.op_id, "validation", model))
        adapter = _adapter(op.data_type)
        if adapter is not None:
            inputs.append((op.op_id, "serialization", adapter))
    found, definitions = TypeAdapter.json_schemas(
        inputs, ref_template=REF_PREFIX + "{model}", schema_generator=_Generator
    )
    result = SchemaSet(components=dict(sorted(definitions.get("$defs", {}).items())))
    for op in ops:
        if (op.op_id, "validation") in found:
            result.inputs[op.op_id] = found[(op.op_id, "validation")]
        elif _input_of(op) is not None:
            result.inputs[op.op_id] = {"type": "object"}  # a model pydantic cannot describe
        result.outputs[op.op_id] = found.get((op.op_id, "serialization"), {})
    for op in ops:
        if op.endpoint.crud is not None and op.endpoint.crud[1] == "":
            result.inputs[op.op_id] = _dispatcher_body(op, ops, result)
    return result


def _dispatcher_body(
    dispatcher: Operation, ops: list[Operation], found: SchemaSet
) -> JsonSchemaValue:
    """The seed-style body: one of ``{"action": <verb>, ...<that action's input>}``, or a
    create body without ``action`` (architecture.md section 5)."""
    resource = dispatcher.endpoint.crud[0] if dispatcher.endpoint.crud else ""
    variants: list[JsonSchemaValue] = []
    create: JsonSchemaValue | None = None
    for op in ops:
        crud = op.endpoint.crud
        if op.domain is not dispatcher.domain or crud is None or crud[0] != resource:
            continue
        schema = found.inputs.get(op.op_id)
        if not crud[1] or schema is None:
            continue
        if crud[1] == "create":
            create = schema
            continue
        tag = {
            "type": "object",
            "required": ["action"],
            "properties": {"action": {"const": crud[1]}},
        }
        variants.append({"title": crud[1], "allOf": [tag, schema]})
    if create is not None:
        variants.append(create)
    return {"anyOf": variants} if variants else found.inputs.get(dispatcher.op_id, {})
