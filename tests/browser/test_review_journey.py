"""The review journey end to end: an officer receives a dossier and asks for a supplement, the
citizen tracks it on a phone and sends the supplement, the officer finishes and returns the
result electronically, the citizen downloads it and rates the service."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from cms.models import HomePage
from forms.constants import DossierStatus
from forms.models import Dossier, FormVersion
from forms.review.models import DossierRating
from tests.factories.forms import make_form_page, make_guide
from tests.factories.review import make_review_dossier, pa08

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def _blocking_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


@pytest.fixture
def journey_dossier(committed_changes):
    # Committed data (the server is another process): no `db`/`demo_site` transaction here.
    home = HomePage.objects.get(locale__language_code="vi")
    guide = make_guide(home, pa08(), processing_days=8)
    page = make_form_page(home, guide=guide, agency=pa08())
    dossier = make_review_dossier(home, page=page)

    def undo():
        Dossier.objects.filter(form_page=page).delete()
        FormVersion.objects.filter(form_page=page).delete()
        guide.get_parent().delete()

    committed_changes.undo(undo)
    return dossier


@pytest.fixture
def officer_page(browser, portal_server, demo_password):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(portal_server + "/admin/login/")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", demo_password)
    page.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_url(portal_server + "/admin/")
    yield page
    context.close()


def act(page, dossier, action):
    return page.locator(f"form[action$='/action/{dossier.pk}/{action}/']")


def test_officer_and_citizen_journey(portal_server, officer_page, phone_page, journey_dossier, tmp_path):
    dossier = journey_dossier
    officer = officer_page

    # The officer finds the new dossier in the inbox and opens it.
    officer.goto(portal_server + "/admin/dossiers/")
    officer.get_by_role("link", name=dossier.code).first.click()
    officer.wait_for_url(f"**/admin/dossiers/inspect/{dossier.pk}/")
    act(officer, dossier, "receive").locator("button[type=submit]").click()
    officer.wait_for_load_state()
    assert "Được tiếp nhận" in officer.content()
    act(officer, dossier, "start").locator("button[type=submit]").click()
    officer.wait_for_load_state()
    supplement = act(officer, dossier, "request_supplement")
    supplement.get_by_label("Họ và tên", exact=True).check()
    supplement.locator("textarea[name=message]").fill("Họ tên chưa đúng với thẻ căn cước, đề nghị khai lại.")
    supplement.locator("button[type=submit]").click()
    officer.wait_for_load_state()
    assert "Chờ người dân bổ sung" in officer.content()

    # The citizen tracks the dossier on a phone and sends the supplement.
    citizen = phone_page
    citizen.goto(portal_server + "/tra-cuu/")
    assert _blocking_violations(citizen) == []
    citizen.get_by_label("Mã hồ sơ").fill(dossier.code)
    citizen.get_by_label("4 số cuối của số điện thoại trong hồ sơ").fill("5678")
    citizen.get_by_role("button", name="Tra cứu").click()
    citizen.wait_for_url(f"**/tra-cuu/ho-so/{dossier.code}/")
    assert citizen.locator("[data-status]").inner_text() == "Chờ bổ sung hồ sơ"
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 375
    assert _blocking_violations(citizen) == []
    citizen.get_by_role("link", name="Bổ sung hồ sơ").click()
    citizen.locator("input[name=ho_ten]").fill("nguyễn văn bình")
    citizen.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    citizen.wait_for_url(f"**/tra-cuu/ho-so/{dossier.code}/")
    assert citizen.locator("[data-status]").inner_text() == "Đang xử lý"

    # The officer sees old and new, finishes with an electronic result and returns it.
    officer.reload()
    assert "NGUYỄN VĂN BÌNH" in officer.content()
    result = tmp_path / "ket-qua.pdf"
    result.write_bytes(b"%PDF-1.4 ket qua dien tu")
    finish = act(officer, dossier, "finish")
    finish.locator("input[type=file]").set_input_files(str(result))
    finish.locator("button[type=submit]").click()
    officer.wait_for_load_state()
    give_back = act(officer, dossier, "return_result")
    give_back.locator("select[name=method]").select_option("dien_tu")
    give_back.locator("button[type=submit]").click()
    officer.wait_for_load_state()
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DELIVERED

    # The citizen downloads the result and rates the service.
    citizen.reload()
    assert citizen.locator("[data-status]").inner_text() == "Đã trả kết quả"
    with citizen.expect_download() as download_info:
        citizen.locator("[data-result-download]").click()
    assert download_info.value.suggested_filename == "ket-qua.pdf"
    citizen.get_by_label("Rất hài lòng").check()
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    citizen.wait_for_load_state()
    assert "Cảm ơn bạn" in citizen.content()
    assert DossierRating.objects.get(dossier_id=dossier.pk).satisfaction == "rat_hai_long"
