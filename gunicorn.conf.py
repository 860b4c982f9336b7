"""Gunicorn settings, read automatically from the working directory.

Worker class: ``gthread`` (our subclass below) with 4 threads per worker, 2 workers per core
plus one. Measured on the 2-core machine (2 workers, concurrency 8, cached guide page,
interleaved runs, 2026-11-27): sync 374 / 560 rps, gthread 948 / 628 rps, gthread without
keep-alive 776 / 627 rps. Threads win even without keep-alive (one thread's socket I/O
overlaps another's Python work); bench/run also measures the portal on sync workers, like
the peer's, for the record. Again on 2026-11-28 (faster machine, full bench run): cached guide
GET 2,362 rps on gthread against 1,449 on sync, while 25-s runs of the form POST in turn gave
sync ~8% more (151 against 140 rps: the four threads contend for the GIL); 2 threads instead of
4 lost 40% of the GETs (1,587 against 2,660). The GETs are most of the traffic: gthread, 4 threads.

Overload: a gthread worker whose threads are all busy (slow uploads, a slow query) still
accepts connections and queues them, so the wait can be measured: our worker stamps each
connection when it is queued, and a request that waited longer than PORTAL_MAX_QUEUE_SECONDS
(5 s) answers 503 with Retry-After at once (cms.middleware.OverloadMiddleware) instead of
being worked on long after its client gave up. A burst then drains at the speed of those tiny
answers (tests/cms/test_overload.py). A sync worker takes a connection only when idle, so the
wait happens in the kernel's listen backlog where nothing can see it; behind nginx the proxy's
``X-Request-Start`` header (``proxy_set_header X-Request-Start "t=${msec}";``) lets the same
middleware shed, so GUNICORN_WORKER_CLASS=sync stays possible. Note that with gthread the
``timeout`` below only catches a worker whose main loop is stuck, not one slow request: the
queue check is what keeps waiting bounded.
"""

import gc
import multiprocessing
import os
import time

from gunicorn.workers.gthread import ThreadWorker


class QueueTimedThreadWorker(ThreadWorker):
    """gthread, plus how long each connection waited for a thread (for OverloadMiddleware)."""

    def enqueue_req(self, conn):
        conn.portal_queued_at = time.monotonic()
        super().enqueue_req(conn)

    def handle(self, conn):
        from cms.middleware import mark_queued

        queued_at = getattr(conn, "portal_queued_at", None)
        mark_queued(None if queued_at is None else time.monotonic() - queued_at)
        try:
            return super().handle(conn)
        finally:
            mark_queued(None)


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # noqa: S104 - inside the container
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
if os.environ.get("GUNICORN_WORKER_CLASS") == "sync":
    worker_class, threads = "sync", 1  # gunicorn turns sync with threads > 1 into gthread
else:
    worker_class, threads = QueueTimedThreadWorker, int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so that memory stays bounded. bench/run sets
# GUNICORN_MAX_REQUESTS=0 to read the workers' memory after a whole run.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500 if max_requests else 0
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Once the worker has loaded Django, Wagtail and the URLconf (~200,000 objects that live as
    long as it does), move them out of the garbage collector's sight: a full collection no longer
    walks them all, and the collections of young objects that requests make stay cheap. A form
    submission spent ~0.4 ms in the collector, ~0.1 ms after (in-process, 2026-11-28). Python's
    own advice for long-lived servers (gc.freeze); ``PORTAL_GC_FREEZE=false`` turns it off."""
    if os.environ.get("PORTAL_GC_FREEZE", "true").lower() in ("0", "false", "no"):
        return
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module now, not on a first request
    gc.collect()
    gc.freeze()
