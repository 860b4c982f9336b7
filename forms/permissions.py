"""Who may see a dossier: personal data, for the receiving agency's officers only.

Superusers see all; an officer sees the dossiers of the agencies they are a member of
(cms.AgencyMembership); editors and everyone else see none, whatever their page rights.
"""

from cms.models import AgencyMembership

from .models import Dossier


def _agency_ids(user):
    return AgencyMembership.objects.filter(user=user).values_list("agency_id", flat=True)


def dossiers_visible_to(user):
    """The dossiers `user` may open, as a queryset."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Dossier.objects.none()
    if user.is_superuser:
        return Dossier.objects.all()
    return Dossier.objects.filter(agency_id__in=_agency_ids(user))


def can_view_dossier(user, dossier):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return AgencyMembership.objects.filter(user=user, agency_id=dossier.agency_id).exists()
