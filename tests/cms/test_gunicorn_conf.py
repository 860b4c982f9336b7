"""gunicorn.conf.py's worker hook: what a worker has loaded is kept out of the collector's sight."""

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_a_started_worker_freezes_what_it_has_loaded(monkeypatch):
    hook = runpy.run_path(str(CONF))["post_worker_init"]
    gc.unfreeze()
    try:
        monkeypatch.setenv("PORTAL_GC_FREEZE", "false")
        hook(None)
        assert gc.get_freeze_count() == 0
        monkeypatch.delenv("PORTAL_GC_FREEZE")
        hook(None)
        assert gc.get_freeze_count() > 10_000  # Django, Wagtail and the URLconf's views
    finally:
        gc.unfreeze()
