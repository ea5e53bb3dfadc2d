"""
pyflyte-execute with its peak RSS recorded: the console script's own two lines, after registering an
exit hook that writes this process's VmHWM (kB) to $FLYTE_TS_RSS_FILE (and its CPU time, µs, to
$FLYTE_TS_CPU_FILE when set), as bench/fixtures/report-rss.cjs does for the TypeScript
entrypoint. Nothing is imported before flytekit that pyflyte-execute would not.
"""
import atexit
import os
import sys


def _write_peak() -> None:
    path = os.environ.get("FLYTE_TS_RSS_FILE")
    if not path:
        return
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(path, "w") as out:
        out.write(peak)


def _write_cpu() -> None:
    # The process's own CPU time (µs, user + system), which shows the work itself on a loaded machine.
    path = os.environ.get("FLYTE_TS_CPU_FILE")
    if not path:
        return
    times = os.times()
    with open(path, "w") as out:
        out.write(str(round((times.user + times.system) * 1e6)))


atexit.register(_write_peak)
atexit.register(_write_cpu)
sys.argv[0] = "pyflyte-execute"
from flytekit.bin.entrypoint import execute_task_cmd  # noqa: E402

sys.exit(execute_task_cmd())
