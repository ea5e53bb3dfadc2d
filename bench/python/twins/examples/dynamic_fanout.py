"""flytekit's golden dynamic_fanout (shared/golden/flytekit/dynamic_fanout): the twin of the bench's fan-out rows."""
import typing

from flytekit import dynamic, task


@task
def t1(a: int) -> str:
    return f"v{a}"


@dynamic
def my_dynamic_subwf(a: int) -> typing.Tuple[typing.List[str], int]:
    s = []
    for i in range(a):
        s.append(t1(a=i))
    return s, 5
