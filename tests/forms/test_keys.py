"""Readable ASCII keys for form fields, made from Vietnamese labels."""

import unicodedata

import pytest

from forms.keys import FALLBACK_KEY, MAX_KEY_LENGTH, field_key, fold, unique_key


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Số điện thoại", "so_dien_thoai"),
        ("Họ và chữ đệm", "ho_va_chu_dem"),
        ("Địa chỉ thường trú", "dia_chi_thuong_tru"),
        ("ĐƠN VỊ CÔNG TÁC", "don_vi_cong_tac"),
        ("Ngày sinh (dd/mm/yyyy):", "ngay_sinh_dd_mm_yyyy"),
        ("  Email / thư điện tử  ", "email_thu_dien_tu"),
        ("Quan hệ với trẻ em?", "quan_he_voi_tre_em"),
        ("Lần đề nghị cấp hộ chiếu — lần 2!", "lan_de_nghi_cap_ho_chieu_lan_2"),
    ],
)
def test_field_key_is_ascii_snake_case_of_the_label(label, key):
    assert field_key(label) == key


def test_both_tone_placements_and_decomposed_input_give_the_same_key():
    composed_old_style = "Khánh Hoà"  # grave on the a
    composed_new_style = "Khánh Hòa"  # grave on the o
    decomposed = unicodedata.normalize("NFD", composed_new_style)
    assert field_key(composed_old_style) == field_key(composed_new_style) == field_key(decomposed) == "khanh_hoa"


def test_fold_maps_stroked_d_which_nfd_does_not_decompose():
    assert fold("Đặng Đình Đức") == "dang dinh duc"


@pytest.mark.parametrize("label", ["", "   ", "?!…", "—", "中文"])
def test_key_is_never_empty(label):
    assert field_key(label) == FALLBACK_KEY == "truong"


def test_key_starting_with_a_digit_is_prefixed_so_it_is_an_identifier():
    assert field_key("1. Họ tên") == "truong_1_ho_ten"
    assert field_key("1. Họ tên").isidentifier()


def test_long_label_is_cut_at_a_word_boundary_within_sixty_characters():
    label = "Tên cơ quan, tổ chức nơi làm việc hoặc học tập hiện nay của người đề nghị cấp hộ chiếu"
    key = field_key(label)
    assert len(key) <= MAX_KEY_LENGTH == 60
    # Cut after "cua", not inside "nguoi".
    assert key == "ten_co_quan_to_chuc_noi_lam_viec_hoac_hoc_tap_hien_nay_cua"


def test_one_very_long_word_is_cut_hard():
    assert field_key("a" * 100) == "a" * 60


def test_unique_key_adds_a_number_when_the_key_is_taken():
    existing = {"so_dien_thoai"}
    assert unique_key("Số điện thoại", set()) == "so_dien_thoai"
    assert unique_key("Số điện thoại", existing) == "so_dien_thoai_2"
    existing.add("so_dien_thoai_2")
    assert unique_key("Số  ĐIỆN thoại", existing) == "so_dien_thoai_3"


def test_unique_key_stays_within_sixty_characters():
    label = "x" * 80
    first = unique_key(label, [])
    second = unique_key(label, [first])
    assert len(first) == len(second) == 60
    assert second.endswith("_2")
    assert second != first
