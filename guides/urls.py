"""Public URLs of the guides app that are not Wagtail pages."""

urlpatterns = []
