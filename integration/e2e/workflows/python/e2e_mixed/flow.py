"""
A flytekit workflow mixing Python and TypeScript tasks, for the end-to-end suite: Python summarizes
scores into a dataclass, the TypeScript task e2e.mixed.grade (../../mixed.ts, registered by
`flyte-ts register`, called here by reference) grades it, and Python doubles the count it returns.
"""
import typing
from dataclasses import dataclass

from flytekit import reference_task, task, workflow


@dataclass
class Summary:
    name: str
    total: float
    count: int


@task
def summarize(name: str, scores: typing.List[float]) -> Summary:
    return Summary(name=name, total=sum(scores), count=len(scores))


Graded = typing.NamedTuple("Graded", [("o0", str), ("o1", int)])


@reference_task(project="flytesnacks", domain="development", name="e2e.mixed.grade", version="e2e-v1")
def grade(s: Summary) -> Graded:
    ...


@task
def double(x: int) -> int:
    return x * 2


@workflow
def mixed_wf(name: str, scores: typing.List[float]) -> typing.Tuple[str, int]:
    graded = grade(s=summarize(name=name, scores=scores))
    return graded.o0, double(x=graded.o1)
