"""forms.uploads: image metadata removed by rewriting the container, pixels untouched.

Every test compares the decoded pixels of the cleaned file with the original's, so a
walker that dropped or mangled image data would fail, and looks for the metadata's bytes
in the output, so one that kept them would too.
"""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps, PngImagePlugin

from forms.fields import PrivateFileField
from forms.uploads import BadImage, orientation_exif, strip_jpeg, strip_png, strip_webp, tiff_orientation

GPS = 0x8825


def exif_with_gps(orientation=None):
    exif = Image.Exif()
    exif[0x010F] = "PortalTestCam"  # Make
    exif[0x0110] = "Secret Model 9"  # Model
    if orientation is not None:
        exif[0x0112] = orientation
    gps = exif.get_ifd(GPS)
    gps[1] = "N"
    gps[2] = (10.0, 46.0, 30.0)  # the citizen's home
    return exif


def picture(size=(48, 32)):
    """A picture with detail (a gradient), so a lost or shifted scan would show in the pixels."""
    image = Image.new("RGB", size)
    image.putdata([(x * 5 % 256, y * 7 % 256, (x * y) % 256) for y in range(size[1]) for x in range(size[0])])
    return image


def jpeg(orientation=None, **options):
    output = io.BytesIO()
    picture().save(output, "JPEG", exif=exif_with_gps(orientation), comment=b"taken at home", quality=90, **options)
    return output.getvalue()


def pixels(content):
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        return image.mode, image.size, image.tobytes()


def segment(marker, payload):
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def markers(content):
    """The JPEG's marker bytes before the first scan (APPn, COM, tables, frame)."""
    found, position = [], 2
    while content[position + 1] != 0xDA:
        found.append(content[position + 1])
        (length,) = struct.unpack_from(">H", content, position + 2)
        position += 2 + length
    return found


# --- JPEG ---------------------------------------------------------------------------------


def test_jpeg_gps_camera_and_comment_are_gone_and_the_pixels_are_the_same():
    original = jpeg()
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif().get_ifd(GPS)  # the test photo does carry a position
    cleaned = strip_jpeg(original)
    for secret in (b"PortalTestCam", b"Secret Model", b"taken at home", b"Exif\x00\x00"):
        assert secret not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0
        assert "comment" not in image.info
    assert pixels(cleaned) == pixels(original)
    assert 0xE1 not in markers(cleaned) and 0xFE not in markers(cleaned)


def test_a_turned_photo_keeps_only_its_orientation_and_is_shown_upright():
    original = jpeg(orientation=6)  # the phone was turned: rotate 90° clockwise to view
    cleaned = strip_jpeg(original)
    assert b"PortalTestCam" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert dict(image.getexif()) == {0x0112: 6}
        assert not image.getexif().get_ifd(GPS)
        assert image.size == (48, 32)  # stored as the sensor saw it …
        assert ImageOps.exif_transpose(image).size == (32, 48)  # … and shown upright
    assert pixels(cleaned) == pixels(original)


def test_jfif_header_stays_first_and_the_orientation_block_follows_it():
    original = jpeg(orientation=3)
    assert markers(original)[0] == 0xE0  # Pillow writes JFIF APP0 first
    cleaned = strip_jpeg(original)
    assert markers(cleaned)[:2] == [0xE0, 0xE1]
    assert cleaned[6:11] == b"JFIF\x00"


def test_xmp_photoshop_iptc_other_app_segments_and_trailers_are_dropped():
    original = jpeg()
    xmp = segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>GPSLatitude 10,46</x:xmpmeta>")
    iptc = segment(0xED, b"Photoshop 3.0\x008BIM\x04\x04 by-line: Nguyen Van An")
    mpf = segment(0xE2, b"MPF\x00 second picture follows")
    vendor = segment(0xE9, b"phone maker notes")
    thumbnail = segment(0xE0, b"JFXX\x00\x10" + b"\x00" * 30)
    content = original[:2] + xmp + iptc + mpf + vendor + thumbnail + original[2:] + b"trailer: GPS 10.77,106.70"
    cleaned = strip_jpeg(content)
    for secret in (b"xmpmeta", b"by-line", b"MPF\x00", b"maker notes", b"JFXX", b"trailer"):
        assert secret not in cleaned
    assert cleaned.endswith(b"\xff\xd9")
    assert pixels(cleaned) == pixels(original)


def test_jfif_thumbnail_is_cut_off():
    original = jpeg()
    jfif_end = 4 + struct.unpack_from(">H", original, 4)[0]
    jfif = original[6:jfif_end]
    with_thumbnail = jfif[:12] + b"\x02\x02" + b"\x7f" * 12  # a 2×2 RGB thumbnail
    content = original[:2] + segment(0xE0, with_thumbnail) + original[jfif_end:]
    cleaned = strip_jpeg(content)
    assert b"\x7f" * 12 not in cleaned
    assert cleaned[4:6] == struct.pack(">H", 16) and cleaned[18:20] == b"\x00\x00"
    assert pixels(cleaned) == pixels(original)


def test_icc_profile_is_kept():
    profile = b"\x00\x00\x01\x00fake ICC profile" * 4
    output = io.BytesIO()
    picture().save(output, "JPEG", icc_profile=profile, exif=exif_with_gps())
    cleaned = strip_jpeg(output.getvalue())
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.info["icc_profile"] == profile
        assert len(image.getexif()) == 0


@pytest.mark.parametrize("options", [{"progressive": True}, {"restart_marker_rows": 1}, {"subsampling": 0}])
def test_progressive_restart_markers_and_other_layouts_keep_every_scan(options):
    original = jpeg(**options)
    cleaned = strip_jpeg(original)
    assert b"PortalTestCam" not in cleaned
    assert pixels(cleaned) == pixels(original)


def test_a_stripped_jpeg_is_unchanged_by_a_second_pass():
    once = strip_jpeg(jpeg(orientation=8))
    assert strip_jpeg(once) == once


@pytest.mark.parametrize(
    "damage",
    [
        lambda content: content[: len(content) // 2],  # cut off inside the scan
        lambda content: content[:-2],  # no end of image
        lambda content: content[:300],  # the headers only
        lambda content: content[:2] + b"\xff\xe1\xff\xf0" + content[2:],  # a segment longer than the file
        lambda content: content[:2] + b"garbage" + content[2:],  # no marker where one must be
        lambda content: b"\xff\xd8\xff\xd9",  # no frame, no scan
        lambda content: b"GIF89a" + content,
    ],
)
def test_damaged_jpeg_is_refused(damage):
    with pytest.raises(BadImage):
        strip_jpeg(damage(jpeg()))


# --- PNG ----------------------------------------------------------------------------------


def png(orientation=None, mode="RGB"):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Dia chi nha: 12 Le Loi")
    info.add_itxt("Author", "Nguyễn Văn An", zip=True)
    info.add_text("Software", "PhoneEditor", zip=True)
    output = io.BytesIO()
    picture().convert(mode).save(output, "PNG", pnginfo=info, exif=exif_with_gps(orientation))
    return output.getvalue()


def png_chunks(content):
    found, position = [], 8
    while position < len(content):
        length, kind = struct.unpack_from(">I4s", content, position)
        found.append(kind)
        position += 12 + length
    return found


def test_png_text_and_exif_chunks_are_gone_and_the_pixels_are_the_same():
    original = png()
    assert {b"tEXt", b"iTXt", b"zTXt", b"eXIf"} <= set(png_chunks(original))
    cleaned = strip_png(original)
    assert set(png_chunks(cleaned)) == {b"IHDR", b"IDAT", b"IEND"}
    for secret in (b"PortalTestCam", b"Comment", b"Author", b"Software"):
        assert secret not in cleaned
    assert pixels(cleaned) == pixels(original)


def test_png_keeps_a_minimal_orientation_before_its_image_data():
    cleaned = strip_png(png(orientation=8))
    kinds = png_chunks(cleaned)
    assert kinds.index(b"eXIf") < kinds.index(b"IDAT")
    with Image.open(io.BytesIO(cleaned)) as image:
        image.load()
        assert dict(image.getexif()) == {0x0112: 8}
    assert b"PortalTestCam" not in cleaned


def test_png_palette_and_transparency_are_kept():
    image = Image.new("P", (4, 4), 0)
    image.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)
    output = io.BytesIO()
    image.save(output, "PNG", transparency=0)
    cleaned = strip_png(output.getvalue())
    with Image.open(io.BytesIO(cleaned)) as result:
        assert result.info.get("transparency") == 0
    assert pixels(cleaned) == pixels(output.getvalue())


def test_png_private_chunk_is_dropped_and_a_bad_crc_refused():
    original = png()
    private = b"prVt" + b"home address"
    content = original[:33] + struct.pack(">I", 12) + private + struct.pack(">I", zlib.crc32(private)) + original[33:]
    assert b"home address" not in strip_png(content)
    corrupt = bytearray(original)
    corrupt[40] ^= 0xFF
    with pytest.raises(BadImage):
        strip_png(bytes(corrupt))


@pytest.mark.parametrize("cut", [20, 60, -12, -1])
def test_truncated_png_is_refused(cut):
    with pytest.raises(BadImage):
        strip_png(png()[:cut])


# --- WebP ---------------------------------------------------------------------------------


def webp(orientation=None):
    output = io.BytesIO()
    picture().save(output, "WEBP", lossless=True, exif=exif_with_gps(orientation), xmp=b"<x:xmpmeta>GPS</x:xmpmeta>")
    return output.getvalue()


def test_webp_exif_and_xmp_are_gone_and_the_pixels_are_the_same():
    original = webp()
    assert b"PortalTestCam" in original and b"xmpmeta" in original
    cleaned = strip_webp(original)
    assert b"PortalTestCam" not in cleaned and b"xmpmeta" not in cleaned
    assert struct.unpack_from("<I", cleaned, 4)[0] == len(cleaned) - 8
    with Image.open(io.BytesIO(cleaned)) as image:
        assert len(image.getexif()) == 0
    assert pixels(cleaned) == pixels(original)


def test_webp_keeps_a_minimal_orientation():
    cleaned = strip_webp(webp(orientation=6))
    assert b"PortalTestCam" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert dict(image.getexif()) == {0x0112: 6}
    assert pixels(cleaned) == pixels(webp())


def test_truncated_webp_is_refused():
    with pytest.raises(BadImage):
        strip_webp(webp()[:-10])


# --- orientation block --------------------------------------------------------------------


@pytest.mark.parametrize("orientation", range(1, 9))
def test_orientation_block_round_trips(orientation):
    assert tiff_orientation(orientation_exif(orientation)) == orientation
    assert tiff_orientation(b"Exif\x00\x00" + orientation_exif(orientation)) == orientation


def test_little_endian_exif_and_garbage_give_an_orientation_or_normal():
    exif = Image.Exif()
    exif[0x0112] = 5
    assert tiff_orientation(exif.tobytes()) == 5  # Pillow writes little-endian
    for garbage in (b"", b"II*\x00", b"MM\x00*\x00\x00\xff\xff", b"not tiff at all"):
        assert tiff_orientation(garbage) == 1


# --- through the form field -------------------------------------------------------------------


def test_field_stores_the_photo_without_gps_and_it_still_opens():
    [clean] = PrivateFileField(allowed_kinds=("jpg",)).clean(
        SimpleUploadedFile("chan-dung.jpg", jpeg(orientation=6), content_type="image/jpeg")
    )
    stored = clean.file.read()
    assert b"PortalTestCam" not in stored and b"Secret Model" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        image.load()
        assert not image.getexif().get_ifd(GPS)
    assert clean.size == len(stored)


def test_field_accepts_a_phone_multi_picture_jpeg_and_keeps_the_first_picture():
    first, second = picture(), Image.new("RGB", (48, 32), (0, 200, 0))
    output = io.BytesIO()
    first.save(output, "MPO", save_all=True, append_images=[second], exif=exif_with_gps())
    with Image.open(io.BytesIO(output.getvalue())) as check:
        assert check.format == "MPO" and check.n_frames == 2
    [clean] = PrivateFileField(allowed_kinds=("jpg",)).clean(SimpleUploadedFile("chan-dung.jpg", output.getvalue()))
    stored = clean.file.read()
    assert b"MPF\x00" not in stored and b"PortalTestCam" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and getattr(image, "n_frames", 1) == 1
    first_only = io.BytesIO()
    first.save(first_only, "JPEG")
    assert pixels(stored) == pixels(first_only.getvalue())


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("anh.jpg", jpeg()[: len(jpeg()) - 200]),
        ("anh.png", png()[:100]),
        ("anh.webp", webp()[:-10]),
        ("anh.jpg", b"\xff\xd8\xff" * 9),
    ],
)
def test_field_refuses_a_truncated_or_garbage_image_with_the_broken_image_message(name, content):
    field = PrivateFileField(allowed_kinds=("jpg", "png", "webp"))
    with pytest.raises(ValidationError) as error:
        field.clean(SimpleUploadedFile(name, content))
    assert error.value.error_list[0].code == "bad_image"
    assert error.value.messages == [f"Ảnh “{name}” bị hỏng hoặc không đọc được. Vui lòng chụp hoặc chọn lại ảnh."]
