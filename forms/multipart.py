"""The API's ``multipart/form-data`` bodies, read with python-multipart.

Django's ``MultiPartParser`` is pure Python down to the byte: for the passport application
(25 parts, a 300 KB portrait and two ID-card photos) it took ~1.9 ms of CPU per submission,
about an eighth of all the work of a submission, most of it finding boundaries and reading
part headers a few bytes at a time. python-multipart, the parser Starlette and FastAPI use,
finds boundaries with ``bytes.find`` and reads the same body in ~0.15 ms.

``read_multipart`` gives what ``request.POST`` and ``request.FILES`` would: a ``QueryDict`` of
the text parts (decoded in the request's encoding, base64 parts decoded) and a
``MultiValueDict`` of ``InMemoryUploadedFile``, and raises the exceptions Django's parser raises
for the same faults, so the caller handles both alike:

* a body that is not well-formed multipart (no boundary, cut off before the closing boundary,
  a part without a name): ``MultiPartParserError``;
* more parts than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` or more files than
  ``DATA_UPLOAD_MAX_NUMBER_FILES``: ``TooManyFieldsSent`` / ``TooManyFilesSent``;
* text parts larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` in all: ``RequestDataTooBig``.

As with Django's parser, a part with an empty file name (an empty file input) is an empty text
answer, and a file's name loses any folder (``C:\\fakepath\\anh.jpg`` is ``anh.jpg``). The
whole body is held in memory: the caller has already refused one longer than the form can need
(``api.body_limit``). The HTML journey keeps Django's parser (its CSRF check reads
``request.POST`` first).
"""

import base64
import binascii
import html
import io
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.http import QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.http import parse_header_parameters
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser

READ_CHUNK = 64 * 1024
MAX_BOUNDARY_LENGTH = 70  # RFC 2046


class _Part:
    __slots__ = ("chunks", "headers", "header_name", "header_value")

    def __init__(self):
        self.chunks = []
        self.headers = {}
        self.header_name = b""
        self.header_value = b""


class _Collector:
    """python-multipart's callbacks: each part's headers and data, then a field or a file."""

    def __init__(self, encoding):
        self.encoding = encoding
        self.data = QueryDict(mutable=True, encoding=encoding)
        self.files = MultiValueDict()
        self.part = None
        self.parts = 0
        self.file_count = 0
        self.text_bytes = 0
        self.finished = False
        self.max_fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        self.max_files = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        self.max_text = settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def callbacks(self):
        return {
            "on_part_begin": self.part_begin,
            "on_header_field": self.header_field,
            "on_header_value": self.header_value,
            "on_header_end": self.header_end,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
            "on_end": self.end,
        }

    def part_begin(self):
        self.parts += 1
        if self.max_fields is not None and self.parts > self.max_fields:
            raise TooManyFieldsSent("The number of parts exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS.")
        self.part = _Part()

    def header_field(self, data, start, end):
        self.part.header_name += data[start:end]

    def header_value(self, data, start, end):
        self.part.header_value += data[start:end]

    def header_end(self):
        part = self.part
        name = part.header_name.decode("latin-1").strip().lower()
        part.headers[name] = part.header_value.decode(self.encoding, "replace").strip()
        part.header_name = part.header_value = b""

    def part_data(self, data, start, end):
        self.part.chunks.append(data[start:end])

    def part_end(self):
        part, self.part = self.part, None
        disposition, params = _disposition(part.headers.get("content-disposition", ""))
        field_name = params.get("name")
        if disposition != "form-data" or not field_name:
            raise MultiPartParserError("A multipart part has no form-data name.")
        content = b"".join(part.chunks)
        if part.headers.get("content-transfer-encoding", "").lower() == "base64":
            try:
                content = base64.b64decode(content)
            except (binascii.Error, ValueError) as error:
                raise MultiPartParserError("A base64 part could not be decoded.") from error
        if not params.get("filename"):  # as Django: a part with an empty file name is a text part
            self.text_bytes += len(content)
            if self.max_text is not None and self.text_bytes > self.max_text:
                raise RequestDataTooBig("The text parts exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
            self.data.appendlist(field_name, content.decode(self.encoding, "replace"))
            return
        self.file_count += 1
        if self.max_files is not None and self.file_count > self.max_files:
            raise TooManyFilesSent("The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES.")
        file_name = _base_name(params["filename"])
        if not file_name:
            return
        content_type, type_params = parse_header_parameters(part.headers.get("content-type", ""))
        upload = InMemoryUploadedFile(
            file=io.BytesIO(content),
            field_name=field_name,
            name=file_name,
            content_type=content_type or "application/octet-stream",
            size=len(content),
            charset=type_params.get("charset"),
        )
        self.files.appendlist(field_name, upload)

    def end(self):
        self.finished = True


# What browsers and HTTP clients send: parsed here without Django's general header parser,
# which goes through email.message and cost a fifth of reading the passport application.
_PLAIN_DISPOSITION = re.compile(r'form-data; name="([^"\\]+)"(?:; filename="([^"\\]*)")?')


def _disposition(value):
    """``(disposition, params)`` of a part's Content-Disposition, as ``parse_header_parameters``."""
    plain = _PLAIN_DISPOSITION.fullmatch(value)
    if plain is None:  # escapes, filename*=, other spacing or case: the general parser
        return parse_header_parameters(value)
    name, file_name = plain.groups()
    return "form-data", ({"name": name} if file_name is None else {"name": name, "filename": file_name})


def _base_name(file_name):
    """The file's own name as Django's parser leaves it: HTML entities decoded, without any
    folder a browser or client put before it, printable characters only; None for ".", ".."."""
    name = html.unescape(file_name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable())
    return None if name in {"", ".", ".."} else name


def _boundary(request):
    _content_type, params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
    boundary = params.get("boundary", "")
    if not boundary or len(boundary) > MAX_BOUNDARY_LENGTH:
        raise MultiPartParserError("Invalid boundary in multipart.")
    try:
        return boundary.encode("ascii")
    except UnicodeEncodeError as error:
        raise MultiPartParserError("Invalid boundary in multipart.") from error


def read_multipart(request):
    """``(data, files)`` of a ``multipart/form-data`` request: see the module docstring.

    Sets ``request.POST`` and ``request.FILES`` to them too (the body can be read only once).
    """
    boundary = _boundary(request)
    collector = _Collector(request.encoding or settings.DEFAULT_CHARSET)
    parser = MultipartParser(boundary, collector.callbacks())
    try:
        while chunk := request.read(READ_CHUNK):
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as error:
        raise MultiPartParserError(f"Malformed multipart body: {error}") from error
    if not collector.finished:
        raise MultiPartParserError("The multipart body ends before its closing boundary.")
    data = collector.data
    data._mutable = False
    request._post, request._files = data, collector.files
    return data, collector.files
