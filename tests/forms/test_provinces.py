"""Provinces and wards after the 2025 reform, and the public JSON endpoint for the wards."""

import pytest
from django.http import Http404
from django.urls import include, path, reverse

from forms.data.old_province_codes import OLD_PROVINCE_CODES
from forms.keys import fold
from forms.provinces import (
    format_address,
    province_name,
    provinces,
    ward_belongs_to,
    ward_name,
    ward_province,
    wards,
)
from forms.views_public_data import wards_json

# This module doubles as the URLconf of its endpoint tests (pytest.mark.urls below), as
# the lead includes forms.urls_data under /du-lieu/.
urlpatterns = [path("du-lieu/", include("forms.urls_data"))]

# New province codes from the domain brief (QĐ 19/2025/QĐ-TTg).
NEW_PROVINCE_CODES = {
    "01", "04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25", "31", "33", "37", "38", "40",
    "42", "44", "46", "48", "51", "52", "56", "66", "68", "75", "79", "80", "82", "86", "91", "92", "96",
}  # fmt: skip


def test_there_are_34_provinces_with_the_codes_of_the_reform():
    codes = [code for code, _name in provinces()]
    assert len(codes) == 34
    assert set(codes) == NEW_PROVINCE_CODES


def test_there_are_3321_communes_wards_and_special_zones():
    all_wards = [ward for code, _name in provinces() for ward in wards(code)]
    assert len(all_wards) == 3321
    assert len({code for code, _name in all_wards}) == 3321


def test_every_new_province_code_is_also_an_old_birth_registration_code():
    # The merged provinces kept the code of one of their predecessors.
    assert {f"0{code}" for code in NEW_PROVINCE_CODES} <= set(OLD_PROVINCE_CODES)


def test_provinces_are_sorted_by_name_without_diacritics_or_city_prefix():
    names = [name for _code, name in provinces()]
    assert names[0] == "An Giang"
    assert names.index("Thành phố Hà Nội") < names.index("Hà Tĩnh") < names.index("Thành phố Hải Phòng")
    assert names.index("Đắk Lắk") < names.index("Điện Biên") < names.index("Đồng Nai")
    assert names.index("Thành phố Hồ Chí Minh") < names.index("Thành phố Huế")


def test_wards_of_a_province_are_sorted_by_name_without_their_type():
    names = [name for _code, name in wards("79")]
    assert "Phường Sài Gòn" in names
    assert "Đặc khu Côn Đảo" in names
    bare = [fold(name).split(" ", 1)[1] if not name.startswith("Đặc khu") else fold(name)[8:] for name in names]
    assert bare == sorted(bare)


def test_names_and_codes_are_looked_up_both_ways():
    assert province_name("79") == "Thành phố Hồ Chí Minh"
    assert province_name(1) == province_name("1") == province_name("01") == "Thành phố Hà Nội"
    assert province_name("46") == "Thành phố Huế"
    assert ward_name("26740") == ward_name(26740) == "Phường Sài Gòn"
    assert ward_name("00070") == ward_name(70) == "Phường Hoàn Kiếm"
    assert ward_province("26740") == "79"


def test_unknown_codes_have_no_name():
    assert province_name("99") is None
    assert province_name("abc") is None
    assert ward_name("99999") is None
    assert ward_province("99999") is None
    assert wards("99") == []


def test_ward_belongs_only_to_its_own_province():
    assert ward_belongs_to("26740", "79")
    assert ward_belongs_to(70, 1)
    assert not ward_belongs_to("26740", "01")
    assert not ward_belongs_to("99999", "79")


def test_names_have_no_doubled_spaces():
    # The package has a few ("Phường  An Nhơn").
    names = [name for code, _ in provinces() for _ward, name in wards(code)]
    assert all("  " not in name and name == name.strip() for name in names)
    assert "Phường An Nhơn" in [name for _code, name in wards("79")]


def test_address_reads_as_one_line():
    address = {
        "province": "79",
        "province_name": "Thành phố Hồ Chí Minh",
        "ward": "26740",
        "ward_name": "Phường Sài Gòn",
        "street": "12 Lê Lợi",
    }
    assert format_address(address) == "12 Lê Lợi, Phường Sài Gòn, Thành phố Hồ Chí Minh"
    assert format_address(None) == ""


# The JSON endpoint --------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_wards_json_lists_the_wards_of_a_province(client):
    url = reverse("forms_data:wards", args=["79"])
    assert url == "/du-lieu/tinh-thanh/79/xa-phuong.json"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"]
    data = response.json()
    assert data["province"] == "79"
    assert data["province_name"] == "Thành phố Hồ Chí Minh"
    assert {"code": "26740", "name": "Phường Sài Gòn"} in data["wards"]
    assert [ward["code"] for ward in data["wards"]] == [code for code, _name in wards("79")]


@pytest.mark.urls(__name__)
def test_wards_json_accepts_an_unpadded_code(client):
    response = client.get(reverse("forms_data:wards", args=["1"]))
    assert response.status_code == 200
    assert response.json()["province"] == "01"


@pytest.mark.parametrize("code", ["99", "xyz"])
def test_wards_json_of_an_unknown_province_is_404(rf, code):
    # Called directly: through the client, a 404 would also run Wagtail's redirect lookup.
    with pytest.raises(Http404):
        wards_json(rf.get(f"/du-lieu/tinh-thanh/{code}/xa-phuong.json"), code)


@pytest.mark.urls(__name__)
def test_wards_json_answers_only_get(client):
    assert client.post(reverse("forms_data:wards", args=["79"])).status_code == 405


@pytest.mark.urls(__name__)
def test_provinces_json_lists_the_34_provinces(client):
    response = client.get(reverse("forms_data:provinces"))
    assert response.status_code == 200
    data = response.json()["provinces"]
    assert len(data) == 34
    assert data[0] == {"code": "91", "name": "An Giang"}


def test_lists_are_copies_so_callers_cannot_change_the_cached_data():
    provinces().clear()
    wards("79").clear()
    assert len(provinces()) == 34
    assert len(wards("79")) > 100
