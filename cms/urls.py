"""Public URLs of the cms app that are not Wagtail pages (language-prefixed)."""

urlpatterns = []
