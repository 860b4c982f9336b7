"""The committed message catalogs are complete: every string of our apps has a checked translation.

Every ``<app>/locale/<lang>/LC_MESSAGES/*.po`` under the repository (the virtualenv aside) is
found automatically, so a new app's catalog (for example ``forms/review/locale``) is covered
as soon as it is committed. For each catalog:

* no entry is untranslated or fuzzy (a fuzzy entry is left out of the compiled .mo, so the
  page would show the Vietnamese source);
* the placeholders (``%(name)s``, ``%s``, ``{name}``) and HTML tags of msgid and msgstr agree;
* the strings in the app's source are all in its catalog: the messages are extracted again
  (``makemessages``, into a copy of the app) and compared, so a new string that nobody
  translated fails here rather than showing up in Vietnamese on an English page.
"""

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", "node_modules", ".git", "staticfiles", ".cache"}


def _catalogs():
    return sorted(
        path
        for path in ROOT.glob("**/locale/*/LC_MESSAGES/*.po")
        if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts)
    )


CATALOGS = _catalogs()
CATALOG_IDS = [str(path.relative_to(ROOT)) for path in CATALOGS]

# printf style, as Python's % operator reads it: %(name)s, %s, %5.2f; "%%" is a literal percent.
PRINTF = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<type>[diouxXeEfFgGcrsa%])")
# str.format style: {name}, {0}, {name!r:>10}; "{{" and "}}" are literal braces.
BRACES = re.compile(r"(?<!\{)\{(?P<field>[A-Za-z_0-9.\[\]]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def _printf(text):
    """Named placeholders as a set (a translation may use one twice or reword around it);
    positional ones counted, since each consumes one argument in order."""
    named, positional = set(), Counter()
    for match in PRINTF.finditer(text):
        if match.group("type") == "%":
            continue
        if match.group("name") is not None:
            named.add(match.group(0))
        else:
            positional[match.group(0)] += 1
    return named, positional


def _braces(text):
    fields = [match.group(0) for match in BRACES.finditer(text)]
    if any(field.startswith(("{}", "{!", "{:")) for field in fields):
        return Counter(fields)  # automatic numbering: each one consumes an argument in order
    return set(fields)


def _tags(text):
    return Counter(match.group(0) for match in HTML_TAG.finditer(text))


def _live_entries(catalog):
    return [entry for entry in catalog if not entry.obsolete]


def _pairs(entry):
    """(source, translation) pairs to compare: the singular, and each plural form."""
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr)]
    return [
        (entry.msgid if int(index) == 0 else entry.msgid_plural, text)
        for index, text in sorted(entry.msgstr_plural.items(), key=lambda item: int(item[0]))
    ]


def _nplurals(catalog):
    match = re.search(r"nplurals\s*=\s*(\d+)", catalog.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else None


def _describe(entry):
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:3])
    return f"{entry.msgid!r} ({where})" if where else repr(entry.msgid)


def test_catalogs_of_our_apps_are_found():
    found = set(CATALOG_IDS)
    for app in ("cms", "guides", "forms"):
        assert f"{app}/locale/en/LC_MESSAGES/django.po" in found


@pytest.mark.parametrize("po_path", CATALOGS, ids=CATALOG_IDS)
def test_every_entry_is_translated_and_checked(po_path):
    catalog = polib.pofile(str(po_path))
    nplurals = _nplurals(catalog)
    problems = []
    for entry in _live_entries(catalog):
        if entry.fuzzy:
            problems.append(f"fuzzy: {_describe(entry)}")
        elif entry.msgid_plural:
            if nplurals is None:
                problems.append(f"plural entry but no Plural-Forms header: {_describe(entry)}")
            elif sorted(int(index) for index in entry.msgstr_plural) != list(range(nplurals)) or not all(
                entry.msgstr_plural.values()
            ):
                problems.append(f"plural forms missing: {_describe(entry)}")
        elif not entry.msgstr:
            problems.append(f"untranslated: {_describe(entry)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("po_path", CATALOGS, ids=CATALOG_IDS)
def test_placeholders_and_tags_match(po_path):
    catalog = polib.pofile(str(po_path))
    problems = []
    for entry in _live_entries(catalog):
        # Only strings that are formatted can break on a placeholder; "5% off" in plain text is not one.
        check_printf = "python-format" in entry.flags or any("%(" in text for pair in _pairs(entry) for text in pair)
        for source, translation in _pairs(entry):
            if not translation:
                continue  # reported by the test above
            if check_printf and _printf(source) != _printf(translation):
                problems.append(f"%-placeholders differ: {_describe(entry)} -> {translation!r}")
            if _braces(source) != _braces(translation):
                problems.append(f"{{}}-placeholders differ: {_describe(entry)} -> {translation!r}")
            if _tags(source) != _tags(translation):
                problems.append(f"HTML tags differ: {_describe(entry)} -> {translation!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("po_path", CATALOGS, ids=CATALOG_IDS)
def test_gettext_accepts_catalog(po_path, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed")
    result = subprocess.run(  # noqa: S603 - a fixed tool on a file of this repository
        [msgfmt, "--check-format", "--check-domain", "-o", str(tmp_path / "django.mo"), str(po_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _app_catalogs():
    """Catalogs that belong to a Django app (a directory with apps.py), not to LOCALE_PATHS."""
    return [path for path in CATALOGS if path.name == "django.po" and (path.parents[3] / "apps.py").is_file()]


def _nested_apps(app_dir):
    """Apps inside the app (``forms/review``), as path parts relative to it: each has its own catalog."""
    return [config.parent.relative_to(app_dir).parts for config in app_dir.glob("*/**/apps.py")]


def _copy_app(app_dir, target):
    """The app without nested apps (they keep their own catalog), caches and static files."""

    def ignore(directory, names):
        return {
            name
            for name in names
            if name in {"__pycache__", "static", "node_modules"}
            or name.endswith((".mo", ".pyc"))
            or (Path(directory, name, "apps.py").is_file() and Path(directory, name) != app_dir)
        }

    shutil.copytree(app_dir, target, ignore=ignore)


@pytest.mark.parametrize("po_path", _app_catalogs(), ids=[str(path.relative_to(ROOT)) for path in _app_catalogs()])
def test_catalog_has_every_string_of_its_app(po_path, tmp_path, monkeypatch, settings):
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("xgettext/msgmerge (gettext) are not installed")
    app_dir = po_path.parents[3]
    language = po_path.parents[1].name
    copy = tmp_path / app_dir.name
    _copy_app(app_dir, copy)
    monkeypatch.chdir(copy)
    settings.LOCALE_PATHS = []  # the copy's own locale/ only; nothing is written to the repository
    call_command("makemessages", locale=[language], domain="django", keep_pot=True, verbosity=0)

    extracted = polib.pofile(str(copy / "locale" / "django.pot"))
    committed = polib.pofile(str(po_path))
    known = {(entry.msgctxt, entry.msgid) for entry in _live_entries(committed)}
    missing = [_describe(entry) for entry in extracted if entry.msgid and (entry.msgctxt, entry.msgid) not in known]
    ignores = "".join(f" --ignore={'/'.join(parts)}/*" for parts in _nested_apps(app_dir))
    command = f"cd {app_dir.relative_to(ROOT)} && django-admin makemessages -l {language} --no-obsolete{ignores}"
    assert not missing, (
        f"Strings of {app_dir.relative_to(ROOT)} missing from {po_path.relative_to(ROOT)} "
        f"(run `{command}`, then translate them):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("po_path", _app_catalogs(), ids=[str(path.relative_to(ROOT)) for path in _app_catalogs()])
def test_catalog_leaves_nested_apps_to_their_own_catalog(po_path):
    """forms/locale holds the forms app's strings only; forms/review keeps its own catalog."""
    app_dir = po_path.parents[3]
    nested = _nested_apps(app_dir)
    catalog = polib.pofile(str(po_path))
    stray = [
        f"{path}:{line}"
        for entry in _live_entries(catalog)
        for path, line in entry.occurrences
        if any(Path(path).parts[: len(parts)] == parts for parts in nested)
    ]
    assert not stray, "Strings of a nested app in this catalog:\n" + "\n".join(stray)
