"""A form page's steps and step form classes, made once per published revision and language.

Making a step's form class creates every Django field afresh (choices, widgets, validators,
the address field's parts): ~10 ms of CPU for the passport form, and a submission through the
API used to pay it three times (the part check, the validation and the dossier's field list),
plus a query for the page's rows and one for its ``FormVersion``. None of it depends on the
answers: only on the page's field rows and title, which change when the page is published (a
new live revision), and on the active language (default texts such as "– Chọn –" are
translated when a field is made).

So each worker keeps what it built in ``_built`` (a ``cms.caching.BoundedStore`` of at most
``MAX_ENTRIES``, the least recently used dropped first), keyed by page id, live revision,
publication time and language. Publishing makes a new key in every worker at once; rows saved
or deleted outside a publication (a script, a test) drop the page's entries in this worker
through the signals wired in ``connect``. Form classes are shared between threads safely:
every form instance gets its own copy of each field (a shallow one: these forms are never
rendered, see ``builder.SharedFields``), and a validating form changes only its copies.

Only a page read from the database as it is live may be looked up here: the API (schema and
submissions) and the HTML journey's steps, review and submit (``compiled_for_request``; every
earlier step is validated again on each request, so the journey used to build all the step
classes every time). A preview carries unsaved rows under the live revision's key, so it builds
its forms itself. The HTML journey shows its current step with ``render_class``, a class whose
forms deep-copy their fields as Django's do.

The API also keeps the live page itself (with its agency and procedure), which it used to read
with a query of a dozen joins for every submission: ``cached_live_page`` keeps it in ``_pages``
(another ``BoundedStore``), stamped with the site-wide generation of ``cms.caching`` read before
it was loaded, the one cached pages use. Publishing or unpublishing any page, and saving an
agency or a view restriction, bump it (cms.signals); each worker trusts its copy of the
generation for ``cms.caching.GENERATION_TTL`` (1 s), so a form unpublished or made private may
still take submissions for that second. Saving the page or its rows directly drops this
worker's copy at once.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from cms.caching import BoundedStore, current_generation

from .builder import input_fields_by_key, page_steps

MAX_ENTRIES = 64  # pages × languages a worker keeps; far more than a province publishes


def input_names(key, formfield):
    """The part names a field reads: its key, or one suffixed name per part of a MultiWidget."""
    suffixes = getattr(formfield.widget, "widgets_names", None)
    return [f"{key}{suffix}" for suffix in suffixes] if suffixes else [key]


class CompiledForm:
    """The steps of one form page, each step's form class and what they say about the inputs."""

    def __init__(self, page):
        self.page_id = page.pk
        self.steps = page_steps(page)
        builder = self._builder = page.form_builder
        # Never rendered (the API validates with them and describes them): see builder.SharedFields.
        self.form_classes = {
            step.number: builder(step.fields).get_form_class(validation_only=True) for step in self.steps
        }
        self.fields_by_key, self.file_keys = input_fields_by_key(self.steps)
        self.inputs = {}
        for form_class in self.form_classes.values():
            for key, formfield in form_class.base_fields.items():
                for name in input_names(key, formfield):
                    self.inputs[name] = (key, formfield)
        self._version = None
        self._render_classes = {}

    def form_class(self, step):
        """The step's class for validating only (never rendered: see ``builder.SharedFields``)."""
        return self.form_classes[step.number]

    def render_class(self, step):
        """The step's class for a form that is shown (the HTML journey's current step): each
        form gets Django's deep copy of its fields, whose widgets rendering may change. Made
        the first time it is asked for (two threads may both make it, harmlessly)."""
        found = self._render_classes.get(step.number)
        if found is None:
            found = self._render_classes[step.number] = self._builder(step.fields).get_form_class()
        return found

    def form_version(self, page):
        """The ``FormVersion`` of this definition, read (or made) once.

        Kept only once committed (at once outside a transaction): a version read or made inside
        a transaction that rolls back is looked up again next time.
        """
        if self._version is not None:
            return self._version
        from .services import current_form_version

        version = current_form_version(page, self.steps)
        transaction.on_commit(lambda: setattr(self, "_version", version))
        return version


_built = BoundedStore(MAX_ENTRIES)  # _key(page) -> CompiledForm
_pages = BoundedStore(MAX_ENTRIES)  # page id -> (generation, page)


def cached_live_page(page_id, load):
    """``load(page_id)`` (a live page, or None), kept for the current site generation."""
    generation = current_generation()  # read first: a page loaded after it is at least as new
    if generation is None:  # a cache that keeps nothing (the browser tests' server): keep nothing
        return load(page_id)
    found = _pages.get(page_id)
    if found is not None and found[0] == generation:
        return found[1]
    page = load(page_id)
    if page is not None:
        _pages.remember(page_id, (generation, page))
    return page


def _key(page):
    return (page.pk, page.live_revision_id, page.last_published_at, translation.get_language())


def compiled_form(page):
    """The ``CompiledForm`` of a live page read from the database (see the module docstring)."""
    key = _key(page)
    built = _built.get(key)
    if built is None:
        built = CompiledForm(page)  # outside the lock: two threads may both build, harmlessly
        _built.remember(key, built)
    return built


def compiled_for_request(request, page):
    """The page's kept forms for a request that shows the live page, or None for a preview
    (its rows are unsaved: the caller builds its forms itself)."""
    if getattr(request, "is_preview", False):
        return None
    return compiled_form(page)


def forget(page_id=None):
    """Drop this worker's forms and page of one page (of every page when ``page_id`` is None)."""
    if page_id is None:
        _built.clear()
        _pages.clear()
    else:
        _built.clear(lambda key: key[0] == page_id)
        _pages.clear(lambda key: key == page_id)


def _row_changed(sender, instance, **_kwargs):
    forget(instance.page_id)


def _page_changed(sender, instance, **_kwargs):
    forget(instance.pk)


def connect():
    from .models import ApplicationFormField, ApplicationFormPage

    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_row_changed, sender=ApplicationFormField, dispatch_uid=f"compiled_form_row_{name}")
        signal.connect(_page_changed, sender=ApplicationFormPage, dispatch_uid=f"compiled_form_page_{name}")
