"""JSON Schemas of every operation's input and ``data``, sharing one set of components.

pydantic generates them in one pass, so two models of the same name in different modules get
distinct, stable component names. A type pydantic cannot describe becomes ``{}`` (any value).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import PydanticSchemaGenerationError, PydanticUserError, TypeAdapter
from pydantic.json_schema import JsonSchemaMode, JsonSchemaValue

from rlib.gen.model import Operation

REF_PREFIX = "#/components/schemas/"


@dataclass(slots=True)
class SchemaSet:
    """Component schemas plus, per operation id, the input and ``data`` schema (refs)."""

    components: dict[str, JsonSchemaValue] = field(default_factory=dict)
    inputs: dict[str, JsonSchemaValue] = field(default_factory=dict)
    outputs: dict[str, JsonSchemaValue] = field(default_factory=dict)

    def resolve(self, schema: JsonSchemaValue) -> JsonSchemaValue:
        """Follow a top-level ``$ref`` into the components."""
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            return self.components[ref.removeprefix(REF_PREFIX)]
        return schema


def _adapter(annotation: Any) -> TypeAdapter[Any] | None:
    if annotation is None:  # no return annotation: the shape is unknown
        return None
    try:
        adapter: TypeAdapter[Any] = TypeAdapter(annotation)
        adapter.json_schema()
    except (PydanticSchemaGenerationError, PydanticUserError, TypeError):
        return None
    return adapter


def build_schemas(ops: list[Operation]) -> SchemaSet:
    """Generate every schema the operations need, in their (sorted) order."""
    inputs: list[tuple[str, JsonSchemaMode, TypeAdapter[Any]]] = []
    for op in ops:
        model = op.endpoint.input_model
        if model is not None:
            inputs.append((op.op_id, "validation", TypeAdapter(model)))
        adapter = _adapter(op.data_type)
        if adapter is not None:
            inputs.append((op.op_id, "serialization", adapter))
    found, definitions = TypeAdapter.json_schemas(inputs, ref_template=REF_PREFIX + "{model}")
    result = SchemaSet(components=dict(sorted(definitions.get("$defs", {}).items())))
    for op in ops:
        if (op.op_id, "validation") in found:
            result.inputs[op.op_id] = found[(op.op_id, "validation")]
        result.outputs[op.op_id] = found.get((op.op_id, "serialization"), {})
    return result
