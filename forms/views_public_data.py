"""Public reference data as JSON: the ward list of a province, for the address widget.

No personal data passes here, so responses may be cached by browsers and proxies.
"""

from django.http import Http404, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .provinces import province_name, provinces, wards

ONE_DAY = 24 * 60 * 60


@require_GET
@cache_control(public=True, max_age=ONE_DAY)
def provinces_json(request):
    """``{"provinces": [{"code": "01", "name": "Thành phố Hà Nội"}, …]}``, sorted by name."""
    return JsonResponse({"provinces": [{"code": code, "name": name} for code, name in provinces()]})


@require_GET
@cache_control(public=True, max_age=ONE_DAY)
def wards_json(request, province_code):
    """``{"province": "79", "province_name": …, "wards": [{"code": "26740", "name": …}, …]}``.

    404 for a code that is not one of the 34 provinces.
    """
    name = province_name(province_code)
    if name is None:
        raise Http404("Unknown province code")
    code = province_code.strip().zfill(2)
    return JsonResponse(
        {
            "province": code,
            "province_name": name,
            "wards": [{"code": ward, "name": ward_name} for ward, ward_name in wards(code)],
        }
    )
