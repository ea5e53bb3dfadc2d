"""PERF.md (d)'s perfpkg.big_wf: two 1000-node workflows, the twins of the bench's static rows."""
import typing

from flytekit import task, workflow

N = 1000


@task
def inc(x: int) -> int:
    return x + 1


@workflow
def big_chain_wf(x: int = 0) -> int:
    for _ in range(N):
        x = inc(x=x)
    return x


@workflow
def big_wide_wf(x: int = 0) -> typing.List[int]:
    return [inc(x=x) for _ in range(N)]
