"""flytekit conformance driver: one long-lived process that answers JSON lines on stdin.

Each request is one line `{"id": N, "op": NAME, "items": [...]}`; each answer is one line
`{"id": N, "results": [...]}` with one result per item, `{"ok": ...}` or `{"error": "..."}`, so one
round trip carries a whole batch of cases and a failing case does not fail its neighbours.

Types arrive as JSON descriptions (see `build_type`) and are built into real Python types once
(dataclasses with `dataclasses.make_dataclass`, enums with `enum.Enum`), then cached by their JSON,
so a type sent twice is the same Python class. Values are described by their type ("typed JSON",
see `value_from_json` / `value_to_json`): ints and durations as decimal strings (int64 and
microseconds do not fit a JSON number), floats as strings (NaN, ±inf and -0.0 survive), datetimes
as ISO 8601 with microseconds and offset.

Ops:
  literal_type  items: [type]                    -> base64 LiteralType bytes
  to_literal    items: [{type, value}]           -> base64 Literal bytes (value built in Python)
  from_literal  items: [{type, literal}]         -> {value, literal}: the Python value read by
                                                    flytekit, and flytekit's re-encoding of it
  version       items: [null]                    -> flytekit's version
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import datetime
import enum
import hashlib
import inspect
import json
import math
import sys
import traceback
import typing

# flytekit logs to stderr on import; the protocol is on stdout only.
import flytekit
from flytekit.core.context_manager import FlyteContextManager
from flytekit.core.type_engine import DataclassTransformer, TypeEngine
from flytekit.models.literals import Literal
from flytekit.models.types import LiteralType
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile
from flytekit.types.structured import StructuredDataset
from flyteidl.core import literals_pb2, types_pb2

_types: dict[str, typing.Any] = {}

# Speed only, behaviour unchanged: flytekit's UnionTransformer asks a dataclass variant for its
# LiteralType on every value it converts, and DataclassTransformer rebuilds the JSON schema (and
# compiles mashumaro code) each time — tens of milliseconds per Optional[dataclass] value. The answer
# depends on the class alone, so it is memoised per class; callers get a copy, since flytekit's
# `_add_tag_to_type` writes into the LiteralType it is given.
_dataclass_literal_types: dict[typing.Any, LiteralType] = {}
_dataclass_get_literal_type = DataclassTransformer.get_literal_type


def _memoised_dataclass_literal_type(self: DataclassTransformer, t: typing.Any) -> LiteralType:
    if t not in _dataclass_literal_types:
        _dataclass_literal_types[t] = _dataclass_get_literal_type(self, t)
    return LiteralType.from_flyte_idl(_dataclass_literal_types[t].to_flyte_idl())


DataclassTransformer.get_literal_type = _memoised_dataclass_literal_type


def build_type(desc: dict) -> typing.Any:
    key = json.dumps(desc, sort_keys=True)
    if key not in _types:
        _types[key] = _build_type(desc)
    return _types[key]


def _build_type(desc: dict) -> typing.Any:
    kind = desc["kind"]
    simple = {
        "int": int,
        "float": float,
        "str": str,
        "bool": bool,
        "datetime": datetime.datetime,
        "duration": datetime.timedelta,
        "none": type(None),
        "json": dict,
        "file": FlyteFile,
        "directory": FlyteDirectory,
        "structured_dataset": StructuredDataset,
    }
    if kind in simple:
        return simple[kind]
    if kind == "list":
        return typing.List[build_type(desc["of"])]
    if kind == "dict":
        return typing.Dict[str, build_type(desc["of"])]
    if kind == "optional":
        return typing.Optional[build_type(desc["of"])]
    if kind == "union":
        return typing.Union[tuple(build_type(d) for d in desc["of"])]
    if kind == "enum":
        return _register(enum.Enum(_unique_name(desc), [(f"V{i}", v) for i, v in enumerate(desc["values"])]))
    if kind == "dataclass":
        fields = []
        for f in desc["fields"]:
            ftype = build_type(f["type"])
            if "default" in f:
                default_json = f["default"]
                if isinstance(default_json, (list, dict)):
                    # Mutable defaults need a factory, as a Python author writes them.
                    factory = lambda dj=default_json, fd=f["type"]: value_from_json(fd, dj)
                    fields.append((f["name"], ftype, dataclasses.field(default_factory=factory)))
                else:
                    fields.append((f["name"], ftype, dataclasses.field(default=value_from_json(f["type"], default_json))))
            else:
                fields.append((f["name"], ftype))
        # Fields without defaults must come first in Python; the TS side orders them the same way.
        return _register(dataclasses.make_dataclass(_unique_name(desc), fields))
    raise ValueError(f"unknown type kind {kind!r}")


def _unique_name(desc: dict) -> str:
    """The described name made unique per shape: flytekit and mashumaro find classes by module and
    name, so two different classes may not share one (nor may they in real Python code)."""
    digest = hashlib.sha256(json.dumps(desc, sort_keys=True).encode()).hexdigest()[:8]
    return f"{desc['name']}_{digest}"


def _register(cls: typing.Any) -> typing.Any:
    """Makes a built class importable as `driver.<name>`, as a class written in a module is."""
    cls.__module__ = __name__
    setattr(sys.modules[__name__], cls.__name__, cls)
    return cls


def float_from_json(s: typing.Any) -> float:
    return float(s)


def float_to_json(x: float) -> str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return repr(x)


def value_from_json(desc: dict, v: typing.Any) -> typing.Any:
    kind = desc["kind"]
    if kind == "int":
        return int(v)
    if kind == "float":
        return float_from_json(v)
    if kind in ("str", "bool", "json"):
        return v
    if kind == "none":
        return None
    if kind == "datetime":
        return datetime.datetime.fromisoformat(v)
    if kind == "duration":
        return datetime.timedelta(microseconds=int(v))
    if kind == "list":
        return [value_from_json(desc["of"], x) for x in v]
    if kind == "dict":
        return {k: value_from_json(desc["of"], x) for k, x in v.items()}
    if kind == "optional":
        return None if v is None else value_from_json(desc["of"], v)
    if kind == "union":
        # Typed JSON for a union names its variant: {"variant": i, "value": ...}.
        return value_from_json(desc["of"][v["variant"]], v["value"])
    if kind == "enum":
        return build_type(desc)(v)
    if kind == "dataclass":
        cls = build_type(desc)
        return cls(**{f["name"]: value_from_json(f["type"], v[f["name"]]) for f in desc["fields"] if f["name"] in v})
    if kind in ("file", "directory"):
        return build_type(desc)(path=v)
    if kind == "structured_dataset":
        return StructuredDataset(uri=v["uri"], file_format=v.get("format") or "parquet")
    raise ValueError(f"unknown type kind {kind!r}")


def _matches(desc: dict, v: typing.Any) -> bool:
    kind = desc["kind"]
    py = build_type(desc)
    if kind == "none":
        return v is None
    if kind == "int":
        return isinstance(v, int) and not isinstance(v, bool)
    if kind == "float":
        return isinstance(v, float)
    if kind == "list":
        return isinstance(v, list)
    if kind == "dict" or kind == "json":
        return isinstance(v, dict)
    if kind in ("optional", "union"):
        return False
    return isinstance(v, py)


def value_to_json(desc: dict, v: typing.Any) -> typing.Any:
    kind = desc["kind"]
    if kind == "int":
        if not isinstance(v, int) or isinstance(v, bool):
            raise TypeError(f"expected int, got {type(v).__name__} {v!r}")
        return str(v)
    if kind == "float":
        if not isinstance(v, float):
            raise TypeError(f"expected float, got {type(v).__name__} {v!r}")
        return float_to_json(v)
    if kind in ("str", "bool", "json"):
        return v
    if kind == "none":
        if v is not None:
            raise TypeError(f"expected None, got {v!r}")
        return None
    if kind == "datetime":
        return v.isoformat(timespec="microseconds")
    if kind == "duration":
        return str((v.days * 86400 + v.seconds) * 1_000_000 + v.microseconds)
    if kind == "list":
        return [value_to_json(desc["of"], x) for x in v]
    if kind == "dict":
        return {k: value_to_json(desc["of"], x) for k, x in v.items()}
    if kind == "optional":
        return None if v is None else value_to_json(desc["of"], v)
    if kind == "union":
        for i, d in enumerate(desc["of"]):
            if _matches(d, v):
                return {"variant": i, "value": value_to_json(d, v)}
        raise TypeError(f"value {v!r} matches no variant")
    if kind == "enum":
        return v.value
    if kind == "dataclass":
        return {f["name"]: value_to_json(f["type"], getattr(v, f["name"])) for f in desc["fields"]}
    if kind in ("file", "directory"):
        return v.remote_source or v.path
    if kind == "structured_dataset":
        # Read from a literal, the dataset keeps its uri on the literal, not on itself.
        uri = v.uri if v.uri is not None else (v.literal.uri if v.literal is not None else None)
        return {"uri": uri, "format": v.file_format}
    raise ValueError(f"unknown type kind {kind!r}")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


_literal_types: dict[str, LiteralType] = {}


def literal_type_of(desc: dict) -> LiteralType:
    # Building a dataclass's LiteralType (its JSON schema) costs more than converting a value: once per type.
    key = json.dumps(desc, sort_keys=True)
    if key not in _literal_types:
        _literal_types[key] = TypeEngine.to_literal_type(build_type(desc))
    return _literal_types[key]


def op_literal_type(item: typing.Any) -> str:
    return b64(literal_type_of(item).to_flyte_idl().SerializeToString())


# flytekit's sync TypeEngine.to_literal / to_python_value hand every async transformer (lists, dicts,
# unions, dataclasses, files) to an event loop on another thread and wait; on a loaded machine each
# hand-off costs milliseconds. The driver awaits the same async entry points on its own loop instead.
async def _to_literal(desc: dict, value: typing.Any) -> Literal:
    ctx = FlyteContextManager.current_context()
    return await TypeEngine.async_to_literal(ctx, value, build_type(desc), literal_type_of(desc))


async def op_to_literal(item: dict) -> str:
    value = value_from_json(item["type"], item["value"])
    return b64((await _to_literal(item["type"], value)).to_flyte_idl().SerializeToString())


async def op_from_literal(item: dict) -> dict:
    ctx = FlyteContextManager.current_context()
    pb = literals_pb2.Literal()
    pb.ParseFromString(base64.b64decode(item["literal"]))
    desc = item["type"]
    value = await TypeEngine.async_to_python_value(ctx, Literal.from_flyte_idl(pb), build_type(desc))
    again = await _to_literal(desc, value)
    return {"value": value_to_json(desc, value), "literal": b64(again.to_flyte_idl().SerializeToString())}


OPS = {
    "literal_type": op_literal_type,
    "to_literal": op_to_literal,
    "from_literal": op_from_literal,
    "version": lambda _item: flytekit.__version__,
}


_loop = asyncio.new_event_loop()


def answer(request: dict) -> dict:
    op = OPS.get(request.get("op"))
    if op is None:
        return {"id": request.get("id"), "fatal": f"unknown op {request.get('op')!r}"}
    return {"id": request.get("id"), "results": _loop.run_until_complete(_answer_items(op, request.get("items", [])))}


async def _answer_items(op: typing.Callable, items: list) -> list:
    results = []
    for item in items:
        try:
            result = op(item)
            if inspect.isawaitable(result):
                result = await result
            results.append({"ok": result})
        except Exception as error:  # a failing case is reported with its own result, not fatally
            results.append({"error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc(limit=6)})
    return results


def main() -> None:
    out = sys.stdout
    # Anything flytekit prints goes to stderr, so that stdout carries only answers.
    sys.stdout = sys.stderr
    out.write(json.dumps({"ready": flytekit.__version__}) + "\n")
    out.flush()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            response = answer(json.loads(line))
        except Exception as error:
            response = {"id": None, "fatal": f"{type(error).__name__}: {error}"}
        out.write(json.dumps(response) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
