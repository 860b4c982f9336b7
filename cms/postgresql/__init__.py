"""Django's PostgreSQL backend with one change: small bulk inserts are plain ``VALUES`` lists.

Since Django 5.2 every ``bulk_create`` of two rows or more is sent as ``INSERT … SELECT * FROM
UNNEST(%s::type[], …)``, which saves PostgreSQL planning time on large batches. For the few
rows a form submission inserts (its files, its notification messages) the price is the other
way round: psycopg builds an array literal of every column in Python, which cost ~2.5 ms of
the worker's CPU and ~0.5 ms of PostgreSQL's per submission (measured 2026-11-28). Below
``compiler.UNNEST_MIN_ROWS`` rows the insert is the classic one; above it, Django's.

Settings select it as ENGINE ``cms.postgresql`` when DATABASE_URL is a PostgreSQL URL
(site_config/settings/base.py). Everything else, ``connection.vendor`` included, is Django's.
"""
