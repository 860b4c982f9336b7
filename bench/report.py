"""Turn one bench/run's files into the table, the summary lines and bench/results/<date>.json.

Called by bench/run. Exits 1 when a correctness check fails (errors in a scenario, an invalid
submission that was not refused with 400 or that left rows behind, duplicate dossier codes, a
worker restarted during the run): those mean the portal or the harness is broken. Ratios
below the goals are reported, not fatal: the machine is shared and the numbers are noisy.
"""

import argparse
import datetime
import json
import os
import platform
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
START, END = "<!-- bench:latest -->", "<!-- /bench:latest -->"
GOALS = {
    "guide_x_peer": 3.0,
    "guide_x_ceiling": 0.7,
    "home_x_peer": 3.0,
    "index_x_peer": 3.0,
    "form_post_x_peer": 1.0,
    "inbox_p95_ms": 150,
    "detail_p95_ms": 100,
    "lookup_p95_ms": 50,
    "generate_s": 600,
    "rss_mb": 250,
}


def emit(line=""):
    sys.stdout.write(f"{line}\n")


def jsonl(path):
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def ratio(a, b):
    return round(a / b, 2) if a and b else None


def fmt(value, digits=1):
    return "–" if value is None else f"{value:.{digits}f}"


def build(args):
    work = Path(args.work)
    peer = json.loads((work / "peer.json").read_text())
    peer16 = json.loads((work / "peer16.json").read_text())
    rows = {r["name"]: r for r in peer["results"]}
    rows16 = {r["name"]: r for r in peer16["results"]}
    rows["peer form POST c16"] = {**rows16["peer form POST"], "name": "peer form POST c16"}
    portal = {r["name"]: r for r in jsonl(work / "portal.jsonl")}
    rows.update(portal)
    sync = {r["name"]: r for r in jsonl(work / "sync.jsonl")}
    rows.update(sync)
    timing = {r["name"]: r for r in jsonl(work / "timing.jsonl")}
    topup = jsonl(work / "topup.jsonl")
    counts = [json.loads((work / f"counts{i}.json").read_text()) for i in range(3)]
    duplicates = int((work / "duplicates.txt").read_text().strip() or 0)
    generate = json.loads((work / "generate.json").read_text())
    rss = [line.split() for line in (work / "rss.txt").read_text().splitlines() if line.strip()]
    rss_mb = {pid: round(int(kb) / 1024, 1) for pid, kb in rss}

    ref, ceiling = rows["peer guide GET"], rows["ceiling GET"]
    ratios = {}
    for name in ("portal guide GET", "portal home GET", "portal index GET", *sync):
        r = rows[name]
        ratios[name] = {
            "x_peer_guide_rps": ratio(r["rps"], ref["rps"]),
            "x_ceiling_rps": ratio(r["rps"], ceiling["rps"]),
            "p95_vs_peer_guide": ratio(r["p95_ms"], ref["p95_ms"]),
        }
    post8, post16 = rows["portal form POST"], rows["portal form POST c16"]
    ratios["portal form POST"] = {
        "x_peer_form_post_rps": ratio(post8["rps"], rows["peer form POST"]["rps"]),
        "p95_vs_peer_form_post": ratio(post8["p95_ms"], rows["peer form POST"]["p95_ms"]),
    }
    ratios["portal form POST c16"] = {
        "x_peer_form_post_rps": ratio(post16["rps"], rows["peer form POST c16"]["rps"]),
        "p95_vs_peer_form_post": ratio(post16["p95_ms"], rows["peer form POST c16"]["p95_ms"]),
    }

    # Rows a valid submission creates (from the two valid runs), then the mixed run: its row
    # deltas must be exactly its 2xx answers times those, so the invalid ones made nothing.
    mixed = rows["portal form POST 10% invalid"]
    made = {k: counts[1][k] - counts[0][k] for k in counts[0]}
    per_dossier = {k: round(v / made["dossiers"], 3) for k, v in made.items()} if made["dossiers"] else {}
    mixed_made = {k: counts[2][k] - counts[1][k] for k in counts[0]}
    valid_ok = sum(n for s, n in mixed["statuses"].get("valid", {}).items() if 200 <= int(s) < 400)
    invalid = mixed["statuses"].get("invalid", {})
    expected = {k: round(valid_ok * per_dossier.get(k, 0)) for k in counts[0]}
    checks = {
        "no errors in any scenario": all(r.get("errors", 0) == 0 for r in [*rows.values(), *timing.values()]),
        "every invalid submission answered 400": bool(invalid) and set(invalid) == {"400"},
        "invalid submissions created nothing": mixed_made == expected and mixed_made["dossiers"] == valid_ok,
        "a valid submission makes dossier, files, history and notification rows": all(
            per_dossier.get(k, 0) >= 1 for k in ("dossiers", "files", "history", "notifications")
        ),
        "no duplicate dossier codes": duplicates == 0,
        "no worker restarted during the run": args.workers_at_start.split() == args.workers_at_end.split(),
    }
    # The sync-worker server is a separate one: its requests do not count for the workers' memory.
    served = sum(r["requests"] for r in portal.values()) + sum(r["requests"] for r in topup)
    summary = {
        "date": datetime.date.today().isoformat(),
        "started": args.started,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_before": args.load_before,
            "load_after": args.load_after,
        },
        "gunicorn_workers": args.workers,
        "concurrency": args.concurrency,
        "duration_s": args.duration,
        "smoke": bool(args.smoke),
        "guide_path": args.guide_path,
        "results": list(rows.values()),
        "ratios": ratios,
        "officer_and_lookup": list(timing.values()),
        "generate_dossiers": generate,
        "memory": {
            "requests_served": served,
            "target_per_worker": args.rss_requests,
            "worker_rss_mb": rss_mb,
        },
        "submissions": {
            "rows_before_after": counts,
            "rows_per_valid_submission": per_dossier,
            "mixed_run_rows_made": mixed_made,
            "mixed_run_valid_2xx": valid_ok,
            "mixed_run_invalid_statuses": invalid,
            "duplicate_codes": duplicates,
        },
        "checks": checks,
    }
    post_ratios = [
        ratios["portal form POST"]["x_peer_form_post_rps"],
        ratios["portal form POST c16"]["x_peer_form_post_rps"],
    ]
    summary["summary_lines"] = summary_lines(summary, ratios, timing, generate, rss_mb, post_ratios)
    return summary


def summary_lines(summary, ratios, timing, generate, rss_mb, post_ratios):
    guide = ratios["portal guide GET"]
    lines = [
        f"guide GET: {fmt(guide['x_peer_guide_rps'])}× peer",
        f"guide GET: {fmt(guide['x_ceiling_rps'])}× ceiling",
        f"guide GET p95: {fmt(guide['p95_vs_peer_guide'], 2)}× peer p95",
        f"home GET: {fmt(ratios['portal home GET']['x_peer_guide_rps'])}× peer",
        f"procedure index GET: {fmt(ratios['portal index GET']['x_peer_guide_rps'])}× peer",
        # The lower of concurrency 8 and 16: the goal holds at both.
        f"form POST: {fmt(min(r for r in post_ratios if r is not None) if any(post_ratios) else None)}× peer",
    ]
    sync = ratios.get("portal guide GET, sync workers")
    if sync:
        lines.append(
            f"guide GET on sync workers: {fmt(sync['x_peer_guide_rps'])}× peer, {fmt(sync['x_ceiling_rps'])}× ceiling"
        )
    if timing:
        n = generate.get("dossiers", 0)
        size = "1M" if n == 1_000_000 else f"{n:,}"
        names = (
            ("inbox", "inbox (status 2, by due date)"),
            ("detail", "dossier detail"),
            ("lookup", "tracking lookup API"),
            ("stats page", "statistics page /thong-ke/"),
        )
        for label, name in names:
            p95 = timing.get(name, {}).get("p95_ms")
            lines.append(f"{label} p95 at {size}: {'–' if p95 is None else round(p95)} ms")
        lines.append(f"generate_dossiers {n:,}: {generate.get('seconds')} s")
    if rss_mb:
        lines.append(f"worker RSS after {summary['memory']['requests_served']:,} requests: {max(rss_mb.values())} MB")
    return lines


def table(summary):
    out = ["| scenario | rps | p50 ms | p95 ms | errors |", "|---|---:|---:|---:|---:|"]
    for r in summary["results"]:
        name = r["name"]
        if name.startswith("portal"):
            name = f"**{name}**"
        out.append(f"| {name} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['errors']} |")
    out += ["", "| officer and citizen pages (sequential) | requests | p50 ms | p95 ms | max ms | errors |"]
    out.append("|---|---:|---:|---:|---:|---:|")
    for r in summary["officer_and_lookup"]:
        out.append(f"| {r['name']} | {r['requests']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} | {r['errors']} |")
    return out


def write_readme(summary):
    m = summary["machine"]
    s = summary["submissions"]
    body = [
        START,
        "",
        f"{summary['date']} (started {summary['started']}), {m['cpus']} CPUs, {m['platform']}, "
        f"Python {m['python']}; {summary['gunicorn_workers']} gunicorn workers, concurrency "
        f"{summary['concurrency']}, {summary['duration_s']:g} s per scenario. Load average "
        f"before/after: {m['load_before']} / {m['load_after']} (a shared virtual machine: absolute "
        "figures move between runs and machines, so only same-run ratios count).",
        "",
        "```",
        *summary["summary_lines"],
        "```",
        "",
        *table(summary),
        "",
        f"Rows per valid submission: {s['rows_per_valid_submission']}. Mixed run (every 10th invalid): "
        f"invalid answers {s['mixed_run_invalid_statuses']}, {s['mixed_run_valid_2xx']} valid 2xx, rows made "
        f"{s['mixed_run_rows_made']}. Duplicate codes: {s['duplicate_codes']}. Worker RSS (MB): "
        f"{summary['memory']['worker_rss_mb']}.",
        "",
        "Checks: " + "; ".join(f"{k}: {'yes' if v else '**NO**'}" for k, v in summary["checks"].items()) + ".",
        "",
        END,
    ]
    text = README.read_text()
    block = "\n".join(body)
    if START in text and END in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n## Latest measurement\n\n" + block + "\n"
    README.write_text(text)


def main():
    parser = argparse.ArgumentParser()
    for name in (
        "work",
        "results-dir",
        "started",
        "load-before",
        "load-after",
        "guide-path",
        "workers-at-start",
        "workers-at-end",
    ):
        parser.add_argument(f"--{name}", required=True)
    for name in ("readme", "workers", "concurrency", "rss-requests", "smoke"):
        parser.add_argument(f"--{name}", type=int, required=True)
    parser.add_argument("--duration", type=float, required=True)
    args = parser.parse_args()
    summary = build(args)
    results = Path(args.results_dir)
    results.mkdir(parents=True, exist_ok=True)
    for path in (results / "latest.json", results / f"{summary['date']}.json"):
        path.write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    for line in table(summary):
        emit(line)
    emit()
    for name, ok in summary["checks"].items():
        emit(f"check: {name}: {'ok' if ok else 'FAILED'}")
    emit()
    for line in summary["summary_lines"]:
        emit(line)
    if args.readme:
        write_readme(summary)
    if not all(summary["checks"].values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
