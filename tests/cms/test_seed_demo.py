"""seed_demo: idempotent, leaves existing content alone, passwords from DEMO_PASSWORD."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page

from cms.models import Agency, AgencyMembership, HomePage, Menu, MenuItem


def _counts():
    return {
        "pages": Page.objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "agencies": Agency.objects.count(),
        "memberships": AgencyMembership.objects.count(),
        "menus": Menu.objects.count(),
        "menu_items": MenuItem.objects.count(),
    }


@pytest.mark.django_db
def test_running_twice_creates_nothing_new(monkeypatch, demo_site):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-2026")
    first = _counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert _counts() == first
    assert "Đã tạo 0 mục mới" in out.getvalue()


@pytest.mark.django_db
def test_demo_users_roles_and_agencies(demo_site):
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    editor = users.get(username="editor")
    assert not editor.is_superuser
    assert editor.check_password("demo-pass-2026")
    assert editor.has_perm("wagtailadmin.access_admin")
    officer, officer2 = users.get(username="officer"), users.get(username="officer2")
    assert officer.agencies.get() != officer2.agencies.get()


@pytest.mark.django_db
def test_random_password_is_printed_once(monkeypatch, demo_site):
    get_user_model().objects.filter(username="editor").delete()
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    out = StringIO()
    call_command("seed_demo", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.strip().startswith("editor"))
    password = line.split("mật khẩu:")[1].split()[0]
    assert get_user_model().objects.get(username="editor").check_password(password)
    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert password not in again.getvalue()


@pytest.mark.django_db
def test_existing_content_and_passwords_are_left_alone(monkeypatch, demo_site):
    home = HomePage.objects.get(locale__language_code="vi")
    home.hero_title = "Tiêu đề do biên tập viên sửa"
    home.save_revision().publish()
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("editor-chose-this")
    editor.save()
    monkeypatch.setenv("DEMO_PASSWORD", "another-pass")
    call_command("seed_demo", stdout=StringIO())
    home.refresh_from_db()
    assert home.hero_title == "Tiêu đề do biên tập viên sửa"
    assert get_user_model().objects.get(username="editor").check_password("editor-chose-this")
