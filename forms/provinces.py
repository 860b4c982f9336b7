"""Provinces and communes/wards after the 2025 reform, read from the `vietnam-provinces` data.

34 provinces (NQ 202/2025/QH15) and 3,321 xã/phường/đặc khu; the district level is gone.
Codes are the official statistics codes as zero-padded strings: provinces ``"01"``…
``"96"``, wards ``"00004"``…; they are what submissions store, next to the names.

Lists are sorted by the folded name without its "Thành phố"/"Tỉnh"/"Phường"/"Xã"/"Đặc khu"
prefix, because after the reform many citizens know the place's name but not whether it
is now a xã or a phường.
"""

from functools import lru_cache

from vietnam_provinces import Province, Ward

from .keys import fold

_TYPE_PREFIXES = ("thanh pho ", "tinh ", "phuong ", "xa ", "dac khu ")


def _sort_key(name: str) -> tuple[str, str]:
    folded = fold(name)
    for prefix in _TYPE_PREFIXES:
        if folded.startswith(prefix):
            return folded.removeprefix(prefix), folded
    return folded, folded


def _province_code(code) -> str:
    text = str(code).strip()
    return text.zfill(2) if text.isdigit() else text


def _ward_code(code) -> str:
    text = str(code).strip()
    return text.zfill(5) if text.isdigit() else text


def _clean_name(name: str) -> str:
    # A few names in the data have doubled spaces ("Phường  An Nhơn").
    return " ".join(name.split())


@lru_cache(maxsize=1)
def _province_names() -> dict[str, str]:
    return {f"{province.code.value:02d}": _clean_name(province.name) for province in Province.iter_all()}


@lru_cache(maxsize=1)
def _wards_by_code() -> dict[str, tuple[str, str]]:
    """Ward code → (ward name, province code)."""
    return {
        f"{ward.code.value:05d}": (_clean_name(ward.name), f"{ward.province_code.value:02d}")
        for ward in Ward.iter_all()
    }


@lru_cache(maxsize=1)
def _sorted_provinces() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(_province_names().items(), key=lambda item: _sort_key(item[1])))


@lru_cache(maxsize=1)
def _sorted_wards() -> dict[str, tuple[tuple[str, str], ...]]:
    """Province code → its wards as ``(code, name)``, sorted."""
    by_province: dict[str, list[tuple[str, str]]] = {code: [] for code in _province_names()}
    for ward, (name, province) in _wards_by_code().items():
        by_province[province].append((ward, name))
    return {code: tuple(sorted(items, key=lambda item: _sort_key(item[1]))) for code, items in by_province.items()}


def provinces() -> list[tuple[str, str]]:
    """All 34 provinces as ``(code, name)``, e.g. ``("79", "Thành phố Hồ Chí Minh")``."""
    return list(_sorted_provinces())


def wards(province_code) -> list[tuple[str, str]]:
    """The xã/phường/đặc khu of one province as ``(code, name)``; empty for an unknown code."""
    return list(_sorted_wards().get(_province_code(province_code), ()))


def province_name(code) -> str | None:
    """``"79"`` → ``"Thành phố Hồ Chí Minh"``; ``None`` for an unknown code."""
    return _province_names().get(_province_code(code))


def ward_name(code) -> str | None:
    """``"26740"`` → ``"Phường Sài Gòn"``; ``None`` for an unknown code."""
    ward = _wards_by_code().get(_ward_code(code))
    return ward[0] if ward else None


def ward_province(code) -> str | None:
    """The code of the province a ward belongs to; ``None`` for an unknown ward."""
    ward = _wards_by_code().get(_ward_code(code))
    return ward[1] if ward else None


def ward_belongs_to(ward_code, province_code) -> bool:
    """Whether the ward exists and lies in that province."""
    return ward_province(ward_code) == _province_code(province_code)


def format_address(address: dict | None) -> str:
    """One line as written on Vietnamese forms: ``street, ward, province``.

    ``address`` is the value of an ``AddressField``; missing parts are left out.
    """
    if not address:
        return ""
    parts = (address.get("street"), address.get("ward_name"), address.get("province_name"))
    return ", ".join(part for part in parts if part)
