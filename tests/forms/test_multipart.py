"""forms.multipart reads an API body as Django's own parser would, and refuses the same faults."""

import base64

import pytest
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http.multipartparser import MultiPartParserError
from django.test import RequestFactory

from forms.multipart import read_multipart

BOUNDARY = "ranh-gioi-7d1f"


def text_part(name, value, extra_headers=""):
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n{extra_headers}\r\n'.encode()
        + (value if isinstance(value, bytes) else value.encode())
        + b"\r\n"
    )


def file_part(name, filename, content, content_type="image/jpeg"):
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    )
    return head.encode() + content + b"\r\n"


def body(*parts, close=True):
    return b"".join(parts) + (f"--{BOUNDARY}--\r\n".encode() if close else b"")


def request_with(raw, boundary=BOUNDARY):
    content_type = f"multipart/form-data; boundary={boundary}" if boundary else "multipart/form-data"
    return RequestFactory().generic("POST", "/api/", raw, content_type=content_type)


def django_reads(raw):
    request = request_with(raw)
    return request.POST, request.FILES


def summary(data, files):
    return (
        {key: data.getlist(key) for key in data},
        {key: [(f.name, f.content_type, f.size, f.read()) for f in files.getlist(key)] for key in files},
    )


PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 400 + b"--" + BOUNDARY.encode()[:5] + b"\xff\xd9"

SAMPLE = body(
    text_part("ho_ten", "Nguyễn Văn An"),
    text_part("giay_to", "ho_chieu"),
    text_part("giay_to", "thi_thuc"),
    text_part("ghi_chu", ""),
    file_part("anh_chan_dung", "C:\\fakepath\\ảnh chân dung.jpg", PHOTO),
    file_part("anh_giay_to", "mat-truoc.png", b"\x89PNG front", "image/png"),
    file_part("anh_giay_to", "mat-sau.png", b"\x89PNG back", "image/png"),
    file_part("tep_rong", "", b""),
    file_part("cha", "..", b"x"),
    file_part("ky_tu", "a&amp;b\x07.jpg", b"y"),
)


def test_reads_the_same_fields_and_files_as_djangos_parser():
    ours = summary(*read_multipart(request_with(SAMPLE)))
    assert ours == summary(*django_reads(SAMPLE))
    data, files = ours
    assert data["ho_ten"] == ["Nguyễn Văn An"]
    assert data["giay_to"] == ["ho_chieu", "thi_thuc"]
    assert files["anh_chan_dung"] == [("ảnh chân dung.jpg", "image/jpeg", len(PHOTO), PHOTO)]
    assert len(files["anh_giay_to"]) == 2
    # an empty file input sends a part with an empty file name: an empty text answer, no file
    assert data["tep_rong"] == [""] and "tep_rong" not in files


def test_the_request_keeps_what_was_read():
    request = request_with(SAMPLE)
    data, files = read_multipart(request)
    assert request.POST is data and request.FILES is files
    assert not data._mutable


@pytest.mark.parametrize(
    "disposition",
    [
        'form-data; name="anh"; filename="ảnh.jpg"',
        'form-data; name="anh"; filename=""',
        'form-data; name="ho_ten"',
        "form-data; name=\"anh\"; filename*=UTF-8''%E1%BA%A3nh%20th%E1%BA%BB.jpg",
        'form-data; name="a\\"b"; filename="x\\".jpg"',
        "Form-Data;name=ho_ten",
        'form-data; filename="x.jpg"; name="anh"',
    ],
)
def test_part_headers_read_as_djangos_parser_reads_them(disposition):
    from django.utils.http import parse_header_parameters

    from forms.multipart import _disposition

    assert _disposition(disposition) == parse_header_parameters(disposition)


def test_a_base64_part_is_decoded():
    encoded = base64.b64encode("Lê Thị Bình".encode())
    raw = body(text_part("ho_ten", encoded, "Content-Transfer-Encoding: base64\r\n"))
    assert read_multipart(request_with(raw))[0]["ho_ten"] == "Lê Thị Bình"


@pytest.mark.parametrize(
    ("raw", "boundary"),
    [
        (body(text_part("ho_ten", "An"), close=False), BOUNDARY),  # cut off before the closing boundary
        (b"", BOUNDARY),
        (b"ho_ten=An", BOUNDARY),
        (body(text_part("ho_ten", "An")), None),  # no boundary in the Content-Type
        (body(text_part("ho_ten", "An")), "x" * 71),
        (f"--{BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nAn\r\n--{BOUNDARY}--\r\n".encode(), BOUNDARY),
        (f"--{BOUNDARY}\r\ngarbage without a colon\r\n\r\nAn\r\n--{BOUNDARY}--\r\n".encode(), BOUNDARY),
    ],
    ids=["cut-off", "empty", "not-multipart", "no-boundary", "long-boundary", "no-name", "bad-header"],
)
def test_a_malformed_body_is_refused(raw, boundary):
    with pytest.raises(MultiPartParserError):
        read_multipart(request_with(raw, boundary))


def test_limits_are_djangos(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    with pytest.raises(TooManyFieldsSent):
        read_multipart(request_with(body(*(text_part(f"f{n}", "x") for n in range(4)))))
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    with pytest.raises(TooManyFilesSent):
        read_multipart(request_with(body(*(file_part("anh", f"{n}.jpg", b"x") for n in range(3)))))
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    with pytest.raises(RequestDataTooBig):
        read_multipart(request_with(body(text_part("a", "x" * 60), text_part("b", "x" * 60))))
    # files do not count against the text limit
    data, files = read_multipart(request_with(body(text_part("a", "x" * 60), file_part("anh", "a.jpg", b"x" * 500))))
    assert data["a"] == "x" * 60 and files["anh"].size == 500
