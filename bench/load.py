"""The load generator: wrk pinned to the client core, driven by a generated Lua script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench.servers import CLIENT_CORE, ROOT, pinned

_LUA_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"status_errors":%d,"socket_errors":%d,' ..
    '"p50_us":%d,"p99_us":%d,"unexpected":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), count_unexpected()))
end
"""
_LUA_ANY_STATUS = "count_unexpected = function() return -1 end\n"
# With an expected status (b_401), every answer's status is checked: wrk then hands each
# response to Lua, which costs the client a little, the same for every app.
_LUA_EXPECT = """
local threads = {}
setup = function(thread) table.insert(threads, thread) end
unexpected = 0
response = function(status, headers, body)
  if status ~= %d then unexpected = unexpected + 1 end
end
count_unexpected = function()
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("unexpected") end
  return n
end
"""


@dataclass(frozen=True, slots=True)
class LoadResult:
    requests: int
    duration_s: float
    status_errors: int
    socket_errors: int
    p50_ms: float
    p99_ms: float
    unexpected: int | None = None  # answers other than the expected status (when one is set)

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0


def ensure_wrk() -> str:
    """The wrk binary, installed from the Debian packages when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk could not be installed")
    return found


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal here


Target = tuple[str, bytes | None, dict[str, str]]  # path, body, headers


def _lua_table(headers: dict[str, str]) -> str:
    return (
        "{" + ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()) + "}"
    )


def write_script(
    path: Path, method: str, requests: list[Target], expect_status: int | None = None
) -> Path:
    """A Lua script that pre-formats ``requests`` (with their headers) and rotates through them;
    with ``expect_status``, it counts the answers with any other status."""
    lines = ["local items = {"]
    for target, body, headers in requests:
        body_lua = _lua_string(body.decode()) if body is not None else "nil"
        sent = {"Content-Type": "application/json", **headers} if body is not None else headers
        lines.append(f"  {{{_lua_string(target)}, {body_lua}, {_lua_table(sent)}}},")
    lines.append("}")
    lines.append("local reqs = {}")
    lines.append("local n = 0")
    lines.append(
        "init = function(args)\n  for i, item in ipairs(items) do\n"
        f'    reqs[i] = wrk.format("{method}", item[1], item[3], item[2])\n  end\nend'
    )
    lines.append("request = function()\n  n = n + 1\n  return reqs[(n % #reqs) + 1]\nend")
    lines.append(_LUA_ANY_STATUS if expect_status is None else _LUA_EXPECT % expect_status)
    lines.append(_LUA_DONE)
    path.write_text("\n".join(lines))
    return path


def run_open_loop(
    port: int,
    requests_file: Path,
    method: str,
    requests: list[Target],
    *,
    rate: float,
    duration_s: float,
) -> dict[str, Any]:
    """One fixed-rate run of ``bench.openloop`` on the client core; returns its summary."""
    rows = [[method, path, body.decode() if body else None, hdrs] for path, body, hdrs in requests]
    requests_file.write_bytes(orjson.dumps(rows))
    argv = [sys.executable, "-m", "bench.openloop", "--port", str(port), "--rate", str(rate)]
    argv += ["--duration", str(duration_s), "--requests", str(requests_file)]
    done = subprocess.run(
        pinned(CLIENT_CORE, argv),
        capture_output=True,
        text=True,
        check=True,
        timeout=duration_s + 120,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    for line in done.stdout.splitlines():
        if line.startswith("OPENLOOP_JSON "):
            found: dict[str, Any] = orjson.loads(line.removeprefix("OPENLOOP_JSON "))
            return found
    raise RuntimeError(f"the open-loop client printed no summary:\n{done.stdout}\n{done.stderr}")


def run_wrk(base_url: str, script: Path, *, duration_s: float, connections: int = 64) -> LoadResult:
    """One wrk run (one thread, ``connections`` connections) on the client core."""
    argv = [
        ensure_wrk(),
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(duration_s))}s",
        "--latency",
        "-s",
        str(script),
        base_url,
    ]
    done = subprocess.run(
        pinned(CLIENT_CORE, argv),
        capture_output=True,
        text=True,
        check=True,
        timeout=duration_s + 60,
    )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            raw = orjson.loads(line.removeprefix("BENCH_JSON "))
            return LoadResult(
                requests=raw["requests"],
                duration_s=raw["duration_us"] / 1e6,
                status_errors=raw["status_errors"],
                socket_errors=raw["socket_errors"],
                p50_ms=raw["p50_us"] / 1000,
                p99_ms=raw["p99_us"] / 1000,
                unexpected=raw["unexpected"] if raw["unexpected"] >= 0 else None,
            )
    raise RuntimeError(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
