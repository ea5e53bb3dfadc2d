"""
The flytekit side of `pnpm bench`: one long-lived process, JSON lines over stdio. Each request line is
{"id", "op", "args"}; each answer is {"id", "ok": result} or {"id", "error", "trace"}. Timings are taken
here, in-process, with time.perf_counter, around exactly the work PERF.md measured (its methods are
quoted per op), so the pipe costs nothing measured. The twins live in twins/ (put
on sys.path): packages named as PERF.md's, so that task names, and so spec sizes, are the same).
"""
import json
import os
import sys
import tempfile
import time
import traceback
import typing
from collections import OrderedDict
from dataclasses import dataclass

TWINS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "twins")
sys.path.insert(0, TWINS)

import flytekit  # noqa: E402
from flytekit.bin.entrypoint import setup_execution  # noqa: E402
from flytekit.configuration import SerializationSettings  # noqa: E402
from flytekit.core.context_manager import FlyteContextManager  # noqa: E402
from flytekit.core.type_engine import TypeEngine  # noqa: E402
from flytekit.models.literals import Literal, LiteralMap  # noqa: E402
from flytekit.tools.translator import get_serializable  # noqa: E402
from flyteidl.core import literals_pb2  # noqa: E402

IMAGE = "ghcr.io/flyteorg/flytekit:py3.11-1.16.24"
SETTINGS = SerializationSettings.for_image(IMAGE, version="v1", project="flytesnacks", domain="development")
# What propeller gives a task pod (shared/golden/flytekit/README.md): the dynamic's children are compiled under these.
POD_ENV = {
    "FLYTE_INTERNAL_EXECUTION_PROJECT": "flytesnacks",
    "FLYTE_INTERNAL_EXECUTION_DOMAIN": "development",
    "FLYTE_INTERNAL_EXECUTION_ID": "bench0exec",
    "FLYTE_INTERNAL_TASK_PROJECT": "flytesnacks",
    "FLYTE_INTERNAL_TASK_DOMAIN": "development",
    "FLYTE_INTERNAL_TASK_VERSION": "v1",
    "FLYTE_SDK_LOGGING_LEVEL": "30",
}


@dataclass
class SmallDC:
    id: int
    name: str
    score: float
    ok: bool


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def op_types(case: str) -> dict:
    """PERF.md (b): to_literal, Literal -> bytes, bytes -> Literal, to_python_value; _LITERAL_CACHE cleared first."""
    if case == "ints":
        value, py_type = list(range(100_000)), typing.List[int]
    else:
        value = [SmallDC(id=i, name=f"name-{i}", score=i * 0.5, ok=i % 2 == 0) for i in range(10_000)]
        py_type = typing.List[SmallDC]
    ctx = FlyteContextManager.current_context()
    lt = TypeEngine.to_literal_type(py_type)
    TypeEngine._LITERAL_CACHE.clear()
    t = time.perf_counter()
    lit = TypeEngine.to_literal(ctx, value, py_type, lt)
    to_literal = ms(t)
    t = time.perf_counter()
    data = lit.to_flyte_idl().SerializeToString()
    encode = ms(t)
    t = time.perf_counter()
    back = Literal.from_flyte_idl(literals_pb2.Literal.FromString(data))
    decode = ms(t)
    t = time.perf_counter()
    result = TypeEngine.to_python_value(ctx, back, py_type)
    from_literal = ms(t)
    if result != value:
        raise AssertionError("round trip changed the value")
    return {"toLiteral": to_literal, "encode": encode, "decode": decode, "fromLiteral": from_literal, "bytes": len(data)}


def op_dynamic(n: int) -> dict:
    """PERF.md (a'): dispatch_execute inside setup_execution (cached _wf reset), then DynamicJobSpec -> bytes."""
    from examples.dynamic_fanout import my_dynamic_subwf

    os.environ.update(POD_ENV)
    os.environ["_F_SS_C"] = SETTINGS.serialized_context
    work = tempfile.mkdtemp(prefix="flytekit-bench-")
    inputs = TypeEngine.dict_to_literal_map(FlyteContextManager.current_context(), {"a": n}, type_hints={"a": int})
    with setup_execution(raw_output_data_prefix=os.path.join(work, "raw"), output_metadata_prefix=work) as ctx:
        my_dynamic_subwf._wf = None
        t = time.perf_counter()
        spec = my_dynamic_subwf.dispatch_execute(ctx, inputs)
        build = ms(t)
        t = time.perf_counter()
        data = spec.to_flyte_idl().SerializeToString()
        encode = ms(t)
    return {"build": build, "encode": encode, "bytes": len(data), "nodes": len(spec.nodes)}


def op_static(which: str) -> float:
    """PERF.md (d): first wf.compile() + get_serializable + WorkflowSpec -> bytes (compile state reset first)."""
    from perfpkg import big_wf

    wf = big_wf.big_chain_wf if which == "chain" else big_wf.big_wide_wf
    wf.compiled = False
    t = time.perf_counter()
    wf.compile()
    spec = get_serializable(OrderedDict(), SETTINGS, wf)
    spec.to_flyte_idl().SerializeToString()
    return ms(t)


def op_prepare_exec(task: str, a: int, directory: str) -> dict:
    """inputs.pb and the pod's environment for one pyflyte-execute run of a twin (the process is timed by the caller)."""
    ctx = FlyteContextManager.current_context()
    lm = TypeEngine.dict_to_literal_map(ctx, {"a": a}, type_hints={"a": int})
    with open(os.path.join(directory, "inputs.pb"), "wb") as f:
        f.write(lm.to_flyte_idl().SerializeToString())
    module, name = {"hello": ("perfheld.trivial", "hello"), "fan_out": ("examples.dynamic_fanout", "my_dynamic_subwf")}[task]
    env = dict(POD_ENV)
    if task == "fan_out":
        env["_F_SS_C"] = SETTINGS.serialized_context
    env["PYTHONPATH"] = TWINS
    args = [
        "--inputs", os.path.join(directory, "inputs.pb"), "--output-prefix", os.path.join(directory, "out"),
        "--raw-output-data-prefix", os.path.join(directory, "raw"),
        "--resolver", "flytekit.core.python_auto_container.default_task_resolver", "--", "task-module", module, "task-name", name,
    ]
    return {"env": env, "args": args}


OPS = {
    "version": lambda: flytekit.__version__,
    "types": op_types,
    "dynamic": op_dynamic,
    "static": op_static,
    "prepare_exec": op_prepare_exec,
}


def main() -> None:
    out = sys.stdout
    sys.stdout = sys.stderr  # flytekit's prints must not corrupt the protocol
    out.write(json.dumps({"ready": flytekit.__version__}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = {"id": request["id"], "ok": OPS[request["op"]](**request.get("args", {}))}
        except Exception as e:  # reported to the bench, which fails the row loudly
            answer = {"id": request["id"], "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()}
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
