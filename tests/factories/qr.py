"""Factories for QR codes, their daily scan counters and QR sets."""

import factory

from guides.models import QRCode, QRScanDaily, QRSet, QRSetItem


class QRCodeFactory(factory.django.DjangoModelFactory):
    """An active code pointing at the national portal; pass ``page=`` (and ``url=""``) for a page."""

    class Meta:
        model = QRCode

    label = factory.Sequence(lambda n: f"Mã QR thử {n}")
    url = "https://dichvucong.gov.vn"
    is_active = True


class QRScanDailyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QRScanDaily

    qr_code = factory.SubFactory(QRCodeFactory)
    day = factory.Faker("date_this_month")
    count = 1


class QRSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QRSet

    title = factory.Sequence(lambda n: f"Bộ mã QR {n}")


class QRSetItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QRSetItem

    qr_set = factory.SubFactory(QRSetFactory)
    qr_code = factory.SubFactory(QRCodeFactory)
    sort_order = factory.Sequence(int)
