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


def _staff_profile(user):
    """The user's staff groups and agencies, read once per user object.

    The inbox asks these questions for every row and every permission check; the
    request's user object carries the answer for the rest of the request.
    """
    profile = getattr(user, "_portal_staff_profile", None)
    if profile is None:
        groups = frozenset(user.groups.filter(name__in=STAFF_GROUPS).values_list("name", flat=True))
        agencies = frozenset(AgencyMembership.objects.filter(user=user).values_list("agency_id", flat=True))
        profile = (groups, agencies)
        user._portal_staff_profile = profile
    return profile


def is_dossier_staff(user):
    """Officer or manager of some agency (may open the inbox)."""
    if not _is_active(user):
        return False
    if user.is_superuser:
        return True
    groups, agencies = _staff_profile(user)
    return bool(groups) and bool(agencies)


def is_manager(user, agency_id=None):
    if not _is_active(user):
        return False
    if user.is_superuser:
        return True
    groups, agencies = _staff_profile(user)
    if MANAGERS_GROUP not in groups:
        return False
    return bool(agencies) if agency_id is None else agency_id in agencies


def inbox_agency_ids(user):
    """The agencies whose dossiers `user` lists in the inbox, as a sorted list; None for a
    superuser (all agencies); empty for anyone else."""
    if not _is_active(user):
        return []
    if user.is_superuser:
        return None
    _groups, agencies = _staff_profile(user)
    return sorted(agencies)


def can_act_on(user, dossier):
    """True when `user` may change the status of `dossier` (or assign, or add notes)."""
    if not _is_active(user):
        return False
    if user.is_superuser:
        return True
    groups, agencies = _staff_profile(user)
    return bool(groups) and dossier.agency_id in agencies


def can_be_assigned(user, dossier):
    """An assignee must be an active officer (or manager) of the dossier's agency."""
    if not _is_active(user):
        return False
    groups, agencies = _staff_profile(user)
    return bool(groups) and dossier.agency_id in agencies
