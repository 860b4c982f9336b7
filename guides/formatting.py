"""How fee amounts are written on the portal.

Vietnamese practice groups thousands with a dot and writes the dong sign after the
number (``200.000 đ``); dollar fees keep the ISO code (``25 USD``). A zero amount is
shown as "Miễn phí" (free), translated like every other interface string.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext

VND = "VND"
USD = "USD"


def group_thousands(number, separator="."):
    """``200000`` -> ``200.000``: digits grouped by three, whatever the active locale."""
    sign = "-" if number < 0 else ""
    digits = str(abs(int(number)))
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sign + separator.join(groups)


def format_fee_amount(amount, currency=VND):
    """Text for a fee: ``200.000 đ``, ``25 USD``, ``12,50 USD`` or "Miễn phí" when nothing is due."""
    amount = Decimal(amount)
    if amount == 0:
        return gettext("Miễn phí")
    if currency == USD:
        whole = amount.to_integral_value()
        if amount == whole:
            return f"{group_thousands(whole)} USD"
        cents = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        fraction = str(cents).split(".")[1]
        return f"{group_thousands(cents)},{fraction} USD"
    # The dong has no minor unit in use: round to whole dong.
    whole = amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return f"{group_thousands(whole)} đ"
