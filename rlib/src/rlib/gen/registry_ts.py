"""``registry.ts``: the seed's ``backendApi`` shape, per domain endpoint name -> [url, ...].

Each line also names the client function, so one search finds a name in either form
(``book_list`` as logs show it, ``client.publish.bookList`` as the client does).
"""

from __future__ import annotations

import json

from rlib.gen.client_ts import HEADER
from rlib.gen.model import Operation, by_domain


def _urls(op: Operation) -> list[str]:
    prefix = op.domain.unhosted_prefix
    urls: list[str] = []
    for route in op.routes:
        path = route.raw_path
        if prefix and path.startswith(prefix):
            path = path[len(prefix) :]
        if path not in urls:
            urls.append(path)
    return urls


def registry_ts(ops: list[Operation]) -> str:
    """The file's text: ``backendApi`` and ``domains`` (host key, unhosted prefix)."""
    lines = [
        HEADER,
        "// backendApi: per domain, endpoint name -> [url, ...aliases] on the domain's own host.",
        "export const backendApi = {",
    ]
    groups = list(by_domain(ops))
    for domain, group in groups:
        lines.append(f"  {json.dumps(domain.name)}: {{")
        for op in group:
            methods = sorted({r.method for r in op.routes})
            urls = ", ".join(json.dumps(u) for u in _urls(op))
            lines.append(
                f"    {op.endpoint.name}: [{urls}], "
                f"// client.{op.domain.name}.{op.client_name} · {op.op_id} · {'/'.join(methods)}"
            )
        lines.append("  },")
    lines += ["} as const;", "", "export type BackendApi = typeof backendApi;", ""]
    lines.append(
        "// Where each domain answers: its host key, and the prefix it takes on one origin."
    )
    lines.append("export const domains = {")
    for domain, _ in groups:
        spec = {"hostKey": domain.host_key, "unhostedPrefix": domain.unhosted_prefix}
        lines.append(f"  {json.dumps(domain.name)}: {json.dumps(spec)},")
    lines += ["} as const;", ""]
    return "\n".join(lines)
