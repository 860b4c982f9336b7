"""The citizen's draft of a multi-step application, kept in the Django session.

What is kept, per form page: the raw POST data of every step (so going back shows
exactly what was typed, and every step is re-validated on the server before the final
submit), the files uploaded so far (already in private storage under
``drafts/<draft token>/``, never in the session itself), and the one-time submit token
issued with the review page. Nothing here touches the database.
"""

import secrets
from dataclasses import dataclass, field

from django.http import QueryDict

from .builder import Step, build_step_form, page_steps
from .conditions import condition_met
from .constants import HONEYPOT_FIELD
from .models import FieldType
from .storage import private_storage, store_upload

SESSION_PREFIX = "portal_forms.draft."
# POST keys that are not answers and are never kept in the draft.
NON_ANSWER_KEYS = frozenset({"csrfmiddlewaretoken", "action", "submit_token", HONEYPOT_FIELD})


def _upload_descriptor(upload, stored_name):
    return {
        "name": upload.name,
        "content_type": upload.content_type,
        "size": upload.size,
        "sha256": upload.sha256,
        "stored_name": stored_name,
    }


class Draft:
    """A session-backed draft of one form page."""

    def __init__(self, request, page):
        self.session = request.session
        self.key = f"{SESSION_PREFIX}{page.pk}"
        self.data = self.session.get(self.key) or {}

    @property
    def exists(self):
        return bool(self.data)

    @property
    def token(self):
        if "token" not in self.data:
            self.data["token"] = secrets.token_urlsafe(16)
            self._save()
        return self.data["token"]

    def _save(self):
        self.session[self.key] = self.data
        self.session.modified = True

    # --- answers ---------------------------------------------------------------------

    def step_data(self, number):
        """The saved POST data of step `number` as a QueryDict, or None if never sent."""
        raw = (self.data.get("steps") or {}).get(str(number))
        if raw is None:
            return None
        query = QueryDict(mutable=True)
        for name, values in raw.items():
            query.setlist(name, values)
        return query

    def save_step_data(self, number, post, names=None):
        """Keep the POST data of step `number` (only `names`, the step's input names, if given)."""
        raw = {
            name: post.getlist(name)
            for name in post
            if name not in NON_ANSWER_KEYS and (names is None or name in names)
        }
        self.data.setdefault("steps", {})[str(number)] = raw
        self.data.pop("submit_token", None)  # answers changed: the review must be seen again
        self._save()

    # --- uploads ---------------------------------------------------------------------

    def uploads(self):
        """``{field key: [descriptor, …]}`` of the files uploaded in this draft."""
        return dict(self.data.get("uploads") or {})

    def store_uploads(self, key, clean_uploads):
        """Keep new uploads of field `key` (replacing earlier ones); returns their descriptors."""
        if not clean_uploads:
            return self.uploads().get(key, [])
        descriptors = [
            _upload_descriptor(upload, store_upload(upload, prefix=f"drafts/{self.token}")) for upload in clean_uploads
        ]
        self._delete_files(self.uploads().get(key, []))
        self.data.setdefault("uploads", {})[key] = descriptors
        self.data.pop("submit_token", None)
        self._save()
        return descriptors

    @staticmethod
    def _delete_files(descriptors):
        for descriptor in descriptors:
            private_storage.delete(descriptor["stored_name"])

    # --- submit ----------------------------------------------------------------------

    def issue_submit_token(self):
        """The one-time token of the review page's form (kept until answers change)."""
        if not self.data.get("submit_token"):
            self.data["submit_token"] = secrets.token_urlsafe(24)
            self._save()
        return self.data["submit_token"]

    def submit_token_matches(self, token):
        expected = self.data.get("submit_token")
        return bool(token and expected) and secrets.compare_digest(str(token), str(expected))

    def clear(self, keep_stored_names=()):
        """Forget the draft; delete its uploaded files except those now owned by a dossier."""
        keep = set(keep_stored_names)
        for descriptors in self.uploads().values():
            self._delete_files([d for d in descriptors if d["stored_name"] not in keep])
        self.session.pop(self.key, None)
        self.session.modified = True
        self.data = {}


@dataclass
class DraftValidation:
    """Every visible step re-validated from the draft, in order."""

    steps: list  # visible steps (as far as the answers decide them)
    answers: dict = field(default_factory=dict)  # cleaned answers of visible fields
    uploads: dict = field(default_factory=dict)  # descriptors of visible file fields
    forms: dict = field(default_factory=dict)  # step number -> bound form
    first_incomplete: Step | None = None

    @property
    def is_complete(self):
        return self.first_incomplete is None


def step_uploads(step, draft):
    uploads = draft.uploads()
    return {f.key: uploads[f.key] for f in step.input_fields if f.field_type == FieldType.FILE and uploads.get(f.key)}


def validate_draft(page, draft, *, steps=None, stop_at=None, compiled=None):
    """Re-validate the draft step by step (conditions re-evaluated as answers accumulate).

    Stops at the first step never sent or no longer valid (``first_incomplete``), or
    before step number `stop_at`. A hidden step contributes nothing. ``compiled`` is the
    page's ``forms.compiled.CompiledForm`` when the caller has one (not for a preview): its
    steps and validating classes are used instead of building them.
    """
    steps = steps or (compiled.steps if compiled is not None else page_steps(page))
    result = DraftValidation(steps=[])
    for step in steps:
        if stop_at is not None and step.number >= stop_at:
            break
        if not condition_met(step.condition, result.answers):
            continue
        result.steps.append(step)
        data = draft.step_data(step.number)
        uploads = step_uploads(step, draft)
        if data is None:
            result.first_incomplete = step
            break
        form_class = compiled.form_class(step) if compiled is not None else None
        form = build_step_form(page, step, data, None, answers=result.answers, uploads=uploads, form_class=form_class)
        result.forms[step.number] = form
        if not form.is_valid():
            result.first_incomplete = step
            break
        for key, value in form.answers().items():
            if form.field_types.get(key) == FieldType.FILE:
                result.uploads[key] = uploads.get(key, [])
                result.answers[key] = result.uploads[key]
            else:
                result.answers[key] = value
    return result
