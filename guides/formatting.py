"""How fee amounts are written on the portal, in the active language.

Vietnamese practice groups thousands with a dot, uses a comma before decimals and writes
the dong sign after the number (``200.000 đ``, ``12,50 USD``). English pages group with
a comma, use a decimal point and write the ISO code after the number for both currencies
(``200,000 VND``, ``12.50 USD``). A zero amount is "Miễn phí" / "Free", translated like
every other interface string. The API keeps the raw amount beside this text.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language, gettext

VND = "VND"
USD = "USD"

# (thousands separator, decimal separator, VND unit) per language; anything else reads Vietnamese.
NUMBER_STYLES = {
    "vi": (".", ",", "đ"),
    "en": (",", ".", VND),
}


def group_thousands(number, separator="."):
    """``200000`` -> ``200.000``: digits grouped by three, whatever the active locale."""
    sign = "-" if number < 0 else ""
    digits = str(abs(int(number)))
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sign + separator.join(groups)


def _number_style():
    language = (get_language() or "vi").split("-")[0]
    return NUMBER_STYLES.get(language, NUMBER_STYLES["vi"])


def format_fee_amount(amount, currency=VND):
    """Text for a fee in the active language: ``200.000 đ`` / ``200,000 VND``,
    ``12,50 USD`` / ``12.50 USD``, or "Miễn phí" / "Free" when nothing is due."""
    amount = Decimal(amount)
    if amount == 0:
        return gettext("Miễn phí")
    thousands, decimal_mark, dong = _number_style()
    if currency == USD:
        whole = amount.to_integral_value()
        if amount == whole:
            return f"{group_thousands(whole, thousands)} USD"
        cents = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        fraction = str(cents).split(".")[1]
        return f"{group_thousands(cents, thousands)}{decimal_mark}{fraction} USD"
    # The dong has no minor unit in use: round to whole dong.
    whole = amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return f"{group_thousands(whole, thousands)} {dong}"
