import factory
import wagtail_factories
from django.contrib.auth import get_user_model

from cms.models import Agency, HomePage, StandardPage


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gov.vn")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Phòng Quản lý xuất nhập cảnh số {n}")
    short_name = factory.Sequence(lambda n: f"PA{n:02d}")
    # Never the seeded agencies' codes (000.2x.79.H29): tests share the seeded database.
    code = factory.Sequence(lambda n: f"T{n:03d}.99.99.H99")


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Trang chủ"
    hero_title = "Dịch vụ công trực tuyến"


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Trang {n}")
    intro = "Tóm tắt"
