"""
The Python half of examples/workflows/src/mixed-language.ts: flytekit tasks that a TypeScript
workflow calls, run locally by the real pyflyte-execute (source root: examples/workflows/python).
"""
import typing
from dataclasses import dataclass

from flytekit import task


@dataclass
class Summary:
    name: str
    total: float
    count: int


@task
def summarize(name: str, scores: typing.List[float]) -> Summary:
    return Summary(name=name, total=sum(scores), count=len(scores))


@task
def double(x: int) -> int:
    return x * 2
