"""Settings are safe by default; production refuses to start without its secrets."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_base_settings_define_no_debug_or_secret():
    source = (ROOT / "site_config" / "settings" / "base.py").read_text()
    assert not re.search(r"^(SECRET_KEY|DEBUG)\s*=", source, re.MULTILINE)


def _check_production(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}}
    env.update({"DJANGO_SETTINGS_MODULE": "site_config.settings.production", **env_overrides})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_without_secret_key_stops_with_one_clear_line():
    result = _check_production({"DATABASE_URL": "sqlite:////tmp/x.sqlite3", "ALLOWED_HOSTS": "portal.example"})
    assert result.returncode != 0
    assert result.stderr.strip() == "Missing required environment variable: SECRET_KEY"


def test_production_names_each_missing_variable():
    result = _check_production({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portal.example"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_production_is_secure():
    env = {
        "SECRET_KEY": "k" * 60,
        "DATABASE_URL": "sqlite:////tmp/x.sqlite3",
        "ALLOWED_HOSTS": "portal.example",
    }
    script = (
        "from django.conf import settings;"
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS > 0, settings.DEBUG)"
    )
    full_env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "site_config.settings.production"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1].split() == ["True", "True", "True", "False"]
