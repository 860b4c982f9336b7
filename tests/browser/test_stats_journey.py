"""The statistics page in Debian's chromium on a phone: filters work without JavaScript,
and both language versions pass an axe-core check (charts included)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from cms.models import Agency

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}


def blocking_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize("path", ["/thong-ke/?ky=nam&nam=2026", "/en/statistics/?ky=quy&quy=4&nam=2026"])
def test_statistics_pages_have_no_serious_accessibility_violations(portal_server, phone_page, path):
    phone_page.goto(portal_server + path)
    assert phone_page.locator("svg[role=img] title").count() == 2
    assert blocking_violations(phone_page) == []


def test_choosing_an_agency_and_a_year_without_javascript(browser, portal_server):
    agency = Agency.objects.filter(dossiers__isnull=False).order_by("name").first()
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{portal_server}/thong-ke/")
    page.select_option("#id_ky", "nam")
    page.fill("#id_nam", "2026")
    page.select_option("#id_co_quan", str(agency.pk))
    page.click("form.statistics-filter button[type=submit]")
    assert "co_quan=" in page.url and "nam=2026" in page.url
    assert page.locator("h2").first.inner_text().startswith("Từ 01/01/2026 đến 31/12/2026")
    assert agency.name in page.content()
    context.close()
