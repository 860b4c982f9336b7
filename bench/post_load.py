#!/usr/bin/env python3
"""Form POST load for the portal's headless submission API (runs in the shared bench venv).

    post_load.py URL --valid valid.json [--invalid invalid.json --invalid-every 10]
                 [--concurrency 8] [--duration 15] [--warmup 2]

Why not ../shared/bench/load.py post: that mode GETs the URL once per virtual user for a
CSRF token and then POSTs the same body again and again. The portal's HTML journey is a
multi-step form with a server-side draft and a one-time submit token per draft, so it cannot
be replayed that way; the API (POST /api/v3/forms/<id>/submissions/, forms/api.py) runs the
same validation and the same submit_application as the HTML submit and takes one multipart
request per application, which is what the peer's form POST is. The timing, warm-up and
percentiles follow load.py (its percentile function is imported) so the numbers compare.

Each request is a fresh application (no Idempotency-Key), so each valid one creates a
dossier with its code, files, history entry and notifications. With --invalid, every Nth
request sends the invalid body instead; its expected answer is 400. Prints one JSON object:
requests, errors (valid not 2xx/3xx, or invalid not 400), rps, p50/p95/p99 of every request,
and the counts per kind and status.
"""

import argparse
import asyncio
import importlib.util
import json
import os
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import aiohttp

SHARED_BENCH = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"


def emit(line):
    sys.stdout.write(f"{line}\n")


def shared_percentile():
    path = Path(os.environ.get("SHARED_BENCH", SHARED_BENCH)) / "load.py"
    spec = importlib.util.spec_from_file_location("shared_load", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.percentile


def encode(fields, files):
    """The multipart/form-data body of one application, as bytes, and its Content-Type.

    Encoded once per payload, not per request: the server still gets a complete, fresh
    application each time (no Idempotency-Key), while the load generator, which shares the
    machine's two cores with the servers, no longer spends ~2 ms of CPU per request building
    a 400 KB body (the peer's urlencoded body is a few hundred bytes).
    """
    boundary = "portal-bench-" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        if isinstance(value, dict) and "file" in value:
            content, filename, content_type = files[value["file"]]
            head = (
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            )
            parts.append(f"--{boundary}\r\n{head}".encode() + content + b"\r\n")
        else:
            head = f'Content-Disposition: form-data; name="{name}"\r\n\r\n'
            parts.append(f"--{boundary}\r\n{head}{value}\r\n".encode())
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def load_body(path):
    fields = json.loads(Path(path).read_text())
    files = {}
    for value in fields.values():
        if isinstance(value, dict) and "file" in value:
            file_path = Path(value["file"])
            files[value["file"]] = (file_path.read_bytes(), file_path.name, value.get("type", "image/jpeg"))
    return encode(fields, files)


async def user(session, args, bodies, deadline, stats):
    while time.monotonic() < deadline:
        number = stats["sent"]
        stats["sent"] += 1
        invalid = bool(args.invalid) and args.invalid_every and number % args.invalid_every == 0
        payload, content_type = bodies["invalid" if invalid else "valid"]
        start = time.perf_counter()
        try:
            headers = {"Content-Type": content_type}
            async with session.post(args.url, data=payload, headers=headers, allow_redirects=False) as response:
                await response.read()
                status = response.status
        except aiohttp.ClientError:
            status = 0
        elapsed = (time.perf_counter() - start) * 1000
        if not stats["recording"]:
            continue
        kind = "invalid" if invalid else "valid"
        ok = status == 400 if invalid else 200 <= status < 400
        stats["ms"].append(elapsed)
        stats["errors"] += 0 if ok else 1
        counts = stats["statuses"].setdefault(kind, {})
        counts[str(status)] = counts.get(str(status), 0) + 1


async def run(args):
    bodies = {"valid": load_body(args.valid)}
    if args.invalid:
        bodies["invalid"] = load_body(args.invalid)
    stats = {"sent": 0, "ms": [], "errors": 0, "recording": False, "statuses": {}}
    timeout = aiohttp.ClientTimeout(total=60)
    connector = aiohttp.TCPConnector(limit=args.concurrency)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        if args.warmup:
            end = time.monotonic() + args.warmup
            await asyncio.gather(*(user(session, args, bodies, end, stats) for _ in range(args.concurrency)))
        stats.update(sent=0, recording=True)
        began = time.monotonic()
        end = began + args.duration
        await asyncio.gather(*(user(session, args, bodies, end, stats) for _ in range(args.concurrency)))
        took = time.monotonic() - began
    percentile = shared_percentile()
    ms = sorted(stats["ms"])
    return {
        "scenario": "post",
        "url": args.url,
        "concurrency": args.concurrency,
        "requests": len(ms),
        "errors": stats["errors"],
        "seconds": round(took, 2),
        "rps": round(len(ms) / took, 1) if took else 0,
        "p50_ms": percentile(ms, 0.50),
        "p95_ms": percentile(ms, 0.95),
        "p99_ms": percentile(ms, 0.99),
        "statuses": stats["statuses"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--valid", required=True)
    parser.add_argument("--invalid")
    parser.add_argument("--invalid-every", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=2)
    args = parser.parse_args()
    host = urlparse(args.url).hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        sys.exit("post_load.py only targets loopback addresses")
    emit(json.dumps(asyncio.run(run(args)), ensure_ascii=False))


if __name__ == "__main__":
    main()
