"""Who may publish what.

Guides are checked by a publisher before they go live: editors edit them and submit
them to the moderation workflow; members of the publishers group (and superusers)
approve and publish. Other pages (home, about, contact) editors publish themselves.
"""

from wagtail.models import PagePermissionTester

PUBLISHERS_GROUP = "Phê duyệt nội dung"


def is_publisher(user):
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_portal_is_publisher", None)
    if cached is None:
        cached = user.groups.filter(name=PUBLISHERS_GROUP).exists()
        user._portal_is_publisher = cached
    return cached


class ModeratedPagePermissionTester(PagePermissionTester):
    def can_publish(self):
        return super().can_publish() and is_publisher(self.user)

    def can_unpublish(self):
        return super().can_unpublish() and is_publisher(self.user)

    def can_publish_subpage(self):
        return super().can_publish_subpage() and is_publisher(self.user)


class ModeratedPageMixin:
    """Mix into a Page class whose publication needs a publisher's approval."""

    def permissions_for_user(self, user):
        return ModeratedPagePermissionTester(user, self)
