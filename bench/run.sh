#!/usr/bin/env bash
# Benchmark the portal against the stock-Wagtail peer and the static ceiling from
# ../shared/bench, in one run, on this machine, loopback only.
#   bench/run.sh [--duration S] [--concurrency N] [--workers N]
# Starts the portal with production settings under gunicorn (same worker settings as
# the peer), PostgreSQL (database portal_bench, recreated) and Redis for the cache,
# runs the peer's run.sh, then the same load.py scenarios against the portal, and
# prints and saves (bench/results/latest.json) the ratios.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
duration=${BENCH_DURATION:-15} concurrency=${BENCH_CONCURRENCY:-8} workers=${BENCH_WORKERS:-2}
while [[ $# -gt 0 ]]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -f $shared/load.py ]] || { echo "shared bench not found at $shared" >&2; exit 2; }

py=$root/.venv/bin/python
out_dir=$root/bench/results
mkdir -p "$out_dir"
work=$(mktemp -d -t portal-bench.XXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The peer and the ceiling (their own venv, cached by run.sh).
bash "$shared/run.sh" --db postgres --duration "$duration" --concurrency "$concurrency" \
  --workers "$workers" --out "$work/peer.json" >"$work/peer.log"
bench_venv=${XDG_CACHE_HOME:-$HOME/.cache}/portal-bench/venv-$(sha256sum "$shared/requirements-bench.txt" | cut -c1-12)
load_py=$bench_venv/bin/python

# 2. The portal, production settings, PostgreSQL + Redis.
export DJANGO_SETTINGS_MODULE=site_config.settings.production
export SECRET_KEY=bench-only-secret-key-not-for-production-0123456789abcdef
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/5}
export ALLOWED_HOSTS=127.0.0.1,localhost
export SECURE_SSL_REDIRECT=false
export STATIC_ROOT=$work/static
export DEMO_PASSWORD=bench-pass-2026
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS portal_bench" -c "CREATE DATABASE portal_bench" >/dev/null
redis-cli -u "$REDIS_URL" flushdb >/dev/null
cd "$root"
"$py" manage.py migrate --noinput -v0
"$py" manage.py seed_demo >/dev/null 2>&1
"$py" manage.py collectstatic --noinput -v0
port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
GUNICORN_BIND=127.0.0.1:$port GUNICORN_WORKERS=$workers \
  "$root/.venv/bin/gunicorn" site_config.wsgi:application --config gunicorn.conf.py \
  --access-logfile /dev/null --error-logfile "$work/portal.log" &
pids+=($!)
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done

guide_path=$("$py" manage.py shell -c "from guides.models import GuidePage; print(GuidePage.objects.live().filter(locale__language_code='vi').order_by('path').first().url)" 2>/dev/null | tail -1)
index_path=$("$py" manage.py shell -c "from guides.models import ProcedureIndexPage; print(ProcedureIndexPage.objects.live().filter(locale__language_code='vi').first().url)" 2>/dev/null | tail -1)
base=http://127.0.0.1:$port
load() { "$load_py" "$shared/load.py" "$@" --concurrency "$concurrency" --duration "$duration"; }
{
  load get "$base$guide_path" | sed 's/^{/{"name": "portal guide GET", /'
  load get "$base/" | sed 's/^{/{"name": "portal home GET", /'
  load get "$base$index_path" | sed 's/^{/{"name": "portal index GET", /'
} >"$work/portal.jsonl"

"$py" - "$work/peer.json" "$work/portal.jsonl" "$out_dir/latest.json" "$guide_path" "$out_dir" <<'PY'
import datetime, json, sys
peer_path, portal_path, out_path, guide_path, out_dir = sys.argv[1:6]
peer = json.load(open(peer_path))
rows = {r["name"]: r for r in peer["results"]}
rows.update({r["name"]: r for r in (json.loads(line) for line in open(portal_path))})
ref = rows["peer guide GET"]
ceiling = rows["ceiling GET"]
ratios = {}
for name in ("portal guide GET", "portal home GET", "portal index GET"):
    r = rows[name]
    ratios[name] = {
        "rps": r["rps"], "p95_ms": r["p95_ms"], "errors": r["errors"],
        "x_peer_guide_rps": round(r["rps"] / ref["rps"], 2),
        "x_ceiling_rps": round(r["rps"] / ceiling["rps"], 2),
        "p95_vs_peer": round(r["p95_ms"] / ref["p95_ms"], 2),
    }
summary = {**{k: v for k, v in peer.items() if k != "results"}, "guide_path": guide_path,
           "results": list(rows.values()), "ratios": ratios}
json.dump(summary, open(out_path, "w"), ensure_ascii=False, indent=1)
json.dump(summary, open(f"{out_dir}/{datetime.date.today().isoformat()}.json", "w"), ensure_ascii=False, indent=1)
print(f"{'scenario':<20}{'rps':>9}{'p95 ms':>9}{'errors':>8}")
for r in rows.values():
    print(f"{r['name']:<20}{r['rps']:>9}{r['p95_ms']:>9}{r['errors']:>8}")
print()
print(f"{'portal scenario':<20}{'× peer guide rps':>18}{'× ceiling rps':>15}{'p95 / peer p95':>16}")
for name, r in ratios.items():
    print(f"{name:<20}{r['x_peer_guide_rps']:>18}{r['x_ceiling_rps']:>15}{r['p95_vs_peer']:>16}")
print()
# Summary lines in a fixed form, for scripts.
guide = ratios["portal guide GET"]
print(f"guide GET: {guide['x_peer_guide_rps']:.1f}× peer")
print(f"guide GET: {guide['x_ceiling_rps']:.1f}× ceiling")
PY
