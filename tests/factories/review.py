"""Helpers for the review workflow tests: demo staff, a PA08 dossier, moving it along."""

from django.contrib.auth import get_user_model

from cms.models import Agency
from forms.constants import DossierStatus
from forms.review import services

from .forms import make_dossier, make_form_page, make_guide

PA08 = "000.20.79.H29"  # the demo agency of "officer" and "manager"; "officer2" belongs to PC06

S = DossierStatus


def user(username):
    return get_user_model().objects.get(username=username)


def pa08():
    return Agency.objects.get(code=PA08)


def make_review_dossier(home, *, processing_days=8, agency=None, page=None, **kwargs):
    """A status-1 dossier of PA08 (by default) whose procedure takes `processing_days` working days."""
    if page is None:
        agency = agency or pa08()
        guide = make_guide(home, agency, processing_days=processing_days)
        page = make_form_page(home, guide=guide, agency=agency)
    return make_dossier(page, **kwargs)


# How to reach each status from 1 with the services (actor = an officer of the agency).
def move_to(dossier, status, actor):
    status = S(status)
    steps = {
        S.NEW: [],
        S.ACCEPTED: [lambda: services.receive_dossier(dossier.pk, actor)],
        S.REFUSED: [lambda: services.refuse_dossier(dossier.pk, actor, reason="Ảnh không hợp lệ")],
        S.PROCESSING: [
            lambda: services.receive_dossier(dossier.pk, actor),
            lambda: services.start_processing(dossier.pk, actor),
        ],
        S.SUPPLEMENT_REQUESTED: [
            lambda: services.receive_dossier(dossier.pk, actor),
            lambda: services.start_processing(dossier.pk, actor),
            lambda: services.request_supplement(
                dossier.pk, actor, items=["anh_chan_dung"], message="Ảnh chân dung bị mờ"
            ),
        ],
        S.PAYMENT_REQUESTED: [lambda: services.request_fee(dossier.pk, actor, message="Nộp 200.000 đồng")],
        S.WITHDRAWN: [lambda: services.withdraw_dossier(dossier.pk, reason="Không còn nhu cầu")],
        S.STOPPED: [
            lambda: services.receive_dossier(dossier.pk, actor),
            lambda: services.start_processing(dossier.pk, actor),
            lambda: services.stop_processing(dossier.pk, actor, reason="Không đủ điều kiện"),
        ],
        S.DONE: [
            lambda: services.receive_dossier(dossier.pk, actor),
            lambda: services.start_processing(dossier.pk, actor),
            lambda: services.finish_dossier(dossier.pk, actor),
        ],
        S.DELIVERED: [
            lambda: services.receive_dossier(dossier.pk, actor),
            lambda: services.start_processing(dossier.pk, actor),
            lambda: services.finish_dossier(dossier.pk, actor),
            lambda: services.return_result(dossier.pk, actor, method="truc_tiep"),
        ],
    }[status]
    for step in steps:
        step()
    dossier.refresh_from_db()
    return dossier
