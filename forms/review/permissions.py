"""Who may act on a dossier: the officers and managers of its agency, and superusers.

Acting needs more than seeing: an active account that belongs to the dossier's agency
(cms.AgencyMembership) and to the officers' or managers' group, or a superuser. Editors
and publishers never act on dossiers, whatever their page rights.
"""

from cms.models import AgencyMembership

OFFICERS_GROUP = "Cán bộ xử lý hồ sơ"  # created by cms.demo
MANAGERS_GROUP = "Lãnh đạo đơn vị"  # created by forms.review.demo
STAFF_GROUPS = (OFFICERS_GROUP, MANAGERS_GROUP)


def _is_active(user):
    return user is not None and user.is_authenticated and user.is_active


def is_dossier_staff(user):
    """Officer or manager of some agency (may open the inbox)."""
    if not _is_active(user):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=STAFF_GROUPS).exists() and AgencyMembership.objects.filter(user=user).exists()


def is_manager(user, agency_id=None):
    if not _is_active(user):
        return False
    if user.is_superuser:
        return True
    if not user.groups.filter(name=MANAGERS_GROUP).exists():
        return False
    memberships = AgencyMembership.objects.filter(user=user)
    if agency_id is not None:
        memberships = memberships.filter(agency_id=agency_id)
    return memberships.exists()


def can_act_on(user, dossier):
    """True when `user` may change the status of `dossier` (or assign, or add notes)."""
    if not _is_active(user):
        return False
    if user.is_superuser:
        return True
    return (
        user.groups.filter(name__in=STAFF_GROUPS).exists()
        and AgencyMembership.objects.filter(user=user, agency_id=dossier.agency_id).exists()
    )


def can_be_assigned(user, dossier):
    """An assignee must be an active officer (or manager) of the dossier's agency."""
    return (
        _is_active(user)
        and user.groups.filter(name__in=STAFF_GROUPS).exists()
        and AgencyMembership.objects.filter(user=user, agency_id=dossier.agency_id).exists()
    )
