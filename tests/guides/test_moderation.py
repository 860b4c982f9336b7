"""Guides are published through moderation: an editor submits, a publisher approves."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import WorkflowState

from guides.models import GuidePage


def _user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def guide(demo_site):
    return GuidePage.objects.live().filter(locale__language_code="vi").first()


@pytest.mark.django_db
def test_editor_cannot_publish_a_guide_but_can_submit_it(guide):
    permissions = guide.permissions_for_user(_user("editor"))
    assert permissions.can_edit()
    assert not permissions.can_publish()
    assert permissions.can_submit_for_moderation()


@pytest.mark.django_db
def test_editor_still_publishes_standard_pages_directly(demo_site):
    about = demo_site.get_children().get(slug="gioi-thieu").specific
    assert about.permissions_for_user(_user("editor")).can_publish()


@pytest.mark.django_db
def test_publisher_approves_the_submitted_guide_and_it_goes_live(client, guide):
    editor, publisher = _user("editor"), _user("publisher")
    assert guide.permissions_for_user(publisher).can_publish()
    original = client.get(guide.url)
    assert original.status_code == 200

    guide.title = "Hướng dẫn đã sửa, chờ duyệt"
    revision = guide.save_revision(user=editor)
    workflow = guide.get_workflow()
    state = workflow.start(guide, editor)
    # Not live yet: visitors still get the published version.
    assert "chờ duyệt" not in client.get(guide.url).content.decode()

    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, publisher, "approve")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    guide.refresh_from_db()
    assert guide.live_revision_id == revision.pk
    assert "Hướng dẫn đã sửa, chờ duyệt" in client.get(guide.url).content.decode()


@pytest.mark.django_db
def test_guide_editor_offers_submit_not_publish_to_an_editor(client, guide):
    client.force_login(_user("editor"))
    html = client.get(f"/admin/pages/{guide.pk}/edit/").content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html
    client.force_login(_user("publisher"))
    assert 'name="action-publish"' in client.get(f"/admin/pages/{guide.pk}/edit/").content.decode()
