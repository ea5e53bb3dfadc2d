"""The twin of bench/fixtures/flows.mjs's `hello`: the entrypoint's trivial-task row (PERF-2.md (b) measured `add`)."""
from flytekit import task


@task
def hello(a: int) -> int:
    return a + 1
