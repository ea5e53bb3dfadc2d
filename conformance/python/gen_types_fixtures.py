"""Writes packages/types/test/fixtures/flytekit-structs.json: what flytekit 1.16.24 writes for a few
dataclasses with defaults, optionals and enums (their LiteralTypes, and an Optional[Config] value as a
union literal), as proto3 JSON. The unit tests of @flytekit-ts/types check against it without Python.

Run with the conformance venv: `$(bash install.sh)/bin/python gen_types_fixtures.py`.
"""

import enum
import json
import pathlib
import typing
from dataclasses import dataclass, field

import flytekit
from flytekit.core.context_manager import FlyteContextManager
from flytekit.core.type_engine import TypeEngine
from google.protobuf.json_format import MessageToDict


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


@dataclass
class Config:
    lr: float
    epochs: int
    color: Color = Color.RED
    tags: typing.List[str] = field(default_factory=list)


@dataclass
class Shape:
    width: float
    height: typing.Optional[float]
    name: typing.Optional[str] = None
    scale: typing.Optional[float] = None
    labels: typing.Dict[str, int] = field(default_factory=dict)
    inner: typing.Optional[Config] = None


def lt(t):
    return MessageToDict(TypeEngine.to_literal_type(t).to_flyte_idl())


ctx = FlyteContextManager.current_context()
optional_config = typing.Optional[Config]
value = TypeEngine.to_literal(ctx, Config(lr=0.5, epochs=3), optional_config, TypeEngine.to_literal_type(optional_config))
out = {
    "flytekit": flytekit.__version__,
    "Config": lt(Config),
    "Shape": lt(Shape),
    "OptionalConfig": lt(optional_config),
    "OptionalConfigValue": MessageToDict(value.to_flyte_idl()),
}
target = pathlib.Path(__file__).resolve().parents[2] / "packages/types/test/fixtures/flytekit-structs.json"
target.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
print(target)
