"""A citizen on a phone opens the home page and switches to English; an editor logs into the admin."""

import pytest

pytestmark = pytest.mark.browser


def test_phone_visitor_switches_to_english_and_editor_logs_in(portal_server, phone_page, demo_password):
    page = phone_page
    page.goto(portal_server + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").first.inner_text().startswith("Dịch vụ công trực tuyến")
    # Mobile first: nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # The skip link is the first thing a keyboard user reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"

    page.get_by_role("link", name="English").click()
    page.wait_for_url(portal_server + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Online public services" in page.locator("h1").first.inner_text()
    assert page.get_by_role("link", name="Tiếng Việt").is_visible()

    page.goto(portal_server + "/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", demo_password)
    page.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_url(portal_server + "/admin/")
    # The admin speaks Vietnamese by default.
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("link", name="Trang").first.is_visible() or page.locator("#wagtail-sidebar").count() == 1
