"""A citizen scans a leaflet's QR code on a phone and lands on the right step;
the public pages pass an axe-core accessibility check."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from guides.models import GuidePage, QRCode

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}


def _blocking_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]


def test_qr_link_opens_the_guide_at_the_step_anchor(portal_server, phone_page, committed_changes):
    guide = GuidePage.objects.live().filter(locale__language_code="vi", title__icontains="hộ chiếu").first()
    qr = QRCode.objects.filter(page=guide, is_active=True).first()
    old_anchor = qr.anchor
    qr.anchor = "buoc-3"
    qr.save(update_fields=["anchor"])
    committed_changes.undo(lambda: QRCode.objects.filter(pk=qr.pk).update(anchor=old_anchor))

    phone_page.goto(f"{portal_server}/q/{qr.code}")
    assert phone_page.url == f"{portal_server}{guide.url}#buoc-3"
    step = phone_page.locator("#buoc-3")
    assert step.count() == 1
    assert step.is_visible()
    # The browser scrolled the step into view.
    assert phone_page.evaluate("document.getElementById('buoc-3').getBoundingClientRect().top") < 740


@pytest.mark.parametrize("path", ["/", "guide", "/tim-kiem/?q=ho+chieu", "/en/"])
def test_public_pages_have_no_serious_accessibility_violations(portal_server, phone_page, path):
    if path == "guide":
        path = GuidePage.objects.live().filter(locale__language_code="vi").first().url
    phone_page.goto(portal_server + path)
    assert _blocking_violations(phone_page) == []
