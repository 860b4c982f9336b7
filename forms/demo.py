"""Demo content of the forms app: three application forms and 50 dossiers for the officers.

Called by ``seed_demo`` with the context of the cms and guides seeds. Idempotent: a form
page is looked up under its guide by slug, a demo dossier by its idempotency key
(``demo:<n>``); existing ones are left alone.

Forms: the passport (TK01, with the TK01a representative step for a child under 14 and the
lost-passport upload), ID-card pre-registration and the temporary-residence declaration of
foreigners. Dossiers are created through ``forms.services`` so codes, versions and status
histories are real; the people in them are invented.
"""

import io
import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from cms.models import AgencyMembership
from guides.models import GuidePage

from .constants import Channel, DossierStatus
from .models import ApplicationFormField, ApplicationFormPage, Dossier, FieldType
from .services import change_status, submit_application

FORM_SLUG = "nop-truc-tuyen"
DEMO_DOSSIERS = 50

T = FieldType
YES_NO = "co | Có\nkhong | Không"
GENDERS = "nam | Nam\nnu | Nữ"


def f(field_type, label, key="", *, required=True, help_text="", choices="", default="", condition=None, **extra):
    """One field row. ``condition`` is ``(key, operator, value)``."""
    row = {
        "field_type": field_type,
        "label": label,
        "clean_name": key,
        "required": required,
        "help_text": help_text,
        "choices": choices,
        "default_value": default,
        **extra,
    }
    if condition:
        row.update(condition_field=condition[0], condition_operator=condition[1], condition_value=condition[2])
    return row


def step(title, help_text="", condition=None):
    return f(T.STEP, title, required=False, help_text=help_text, condition=condition)


PASSPORT_FIELDS = [
    step("Người đề nghị", "Thông tin của người được cấp hộ chiếu, đúng như trên thẻ căn cước."),
    f(
        T.RADIO,
        "Người đề nghị",
        "loai_nguoi_de_nghi",
        choices=(
            "ban_than | Tôi đề nghị cấp hộ chiếu cho bản thân (tờ khai TK01)\n"
            "tre_em_duoi_14 | Tôi đề nghị cấp hộ chiếu cho trẻ em dưới 14 tuổi (tờ khai TK01a)"
        ),
        default="ban_than",
    ),
    f(T.PERSON_NAME, "Họ", "ho", help_text="Viết chữ in hoa có dấu, ví dụ NGUYỄN."),
    f(T.PERSON_NAME, "Chữ đệm và tên", "chu_dem_ten", help_text="Ví dụ VĂN AN."),
    f(T.RADIO, "Giới tính", "gioi_tinh", choices=GENDERS),
    f(T.VN_DATE, "Ngày sinh", "ngay_sinh", min_age=0),
    f(T.PROVINCE, "Nơi sinh", "noi_sinh", help_text="Tỉnh, thành phố nơi đăng ký khai sinh."),
    f(T.PERSONAL_ID, "Số định danh cá nhân", "so_dinh_danh", help_text="12 chữ số in trên thẻ căn cước."),
    f(T.PREVIOUS_ID, "Số CMND cũ (nếu có)", "so_cmnd_cu", required=False),
    f(T.VN_DATE, "Ngày cấp thẻ căn cước", "ngay_cap"),
    f(T.SINGLELINE, "Dân tộc", "dan_toc", default="Kinh"),
    f(T.SINGLELINE, "Tôn giáo", "ton_giao", default="Không"),
    step(
        "Người đại diện (tờ khai TK01a)",
        "Cha, mẹ hoặc người giám hộ khai và ký thay cho trẻ em dưới 14 tuổi.",
        condition=("loai_nguoi_de_nghi", "eq", "tre_em_duoi_14"),
    ),
    f(T.PERSON_NAME, "Họ và tên người đại diện", "nguoi_dai_dien_ho_ten"),
    f(T.VN_DATE, "Ngày sinh của người đại diện", "nguoi_dai_dien_ngay_sinh", min_age=18),
    f(T.RADIO, "Giới tính của người đại diện", "nguoi_dai_dien_gioi_tinh", choices=GENDERS),
    f(T.PERSONAL_ID, "Số định danh cá nhân của người đại diện", "nguoi_dai_dien_so_dinh_danh"),
    f(T.ADDRESS, "Địa chỉ thường trú của người đại diện", "nguoi_dai_dien_dia_chi"),
    f(T.PHONE, "Số điện thoại của người đại diện", "nguoi_dai_dien_so_dien_thoai"),
    f(T.DROPDOWN, "Quan hệ với trẻ em", "quan_he", choices="cha | Cha\nme | Mẹ\nnguoi_giam_ho | Người giám hộ"),
    f(
        T.FILE,
        "Giấy khai sinh hoặc trích lục khai sinh của trẻ em",
        "giay_khai_sinh",
        max_size_mb=5,
        allowed_kinds="jpg, png, pdf",
    ),
    step("Liên hệ, địa chỉ và gia đình"),
    f(
        T.PHONE,
        "Số điện thoại",
        "so_dien_thoai",
        help_text="Số di động đăng ký chính chủ; cơ quan nhắn tin báo kết quả.",
    ),
    f(T.EMAIL, "Email", "email", required=False),
    f(
        T.RADIO,
        "Nhận thông báo về hồ sơ qua",
        "nhan_thong_bao",
        choices="ca_hai | Email và tin nhắn SMS\nemail | Chỉ email\nsms | Chỉ tin nhắn SMS",
        default="ca_hai",
        required=False,
        help_text="Trang tra cứu hồ sơ luôn hiển thị các thông báo đã gửi.",
    ),
    f(T.ADDRESS, "Địa chỉ thường trú", "dia_chi_thuong_tru"),
    f(T.ADDRESS, "Địa chỉ tạm trú (nếu khác thường trú)", "dia_chi_tam_tru", required=False),
    f(T.SINGLELINE, "Nghề nghiệp", "nghe_nghiep"),
    f(T.SINGLELINE, "Tên và địa chỉ cơ quan, nơi làm việc (nếu có)", "co_quan", required=False),
    f(T.HEADING, "Thông tin gia đình", required=False, help_text="Họ tên và năm sinh; bỏ trống nếu không có."),
    f(T.SINGLELINE, "Cha: họ tên, năm sinh", "cha", required=False),
    f(T.SINGLELINE, "Mẹ: họ tên, năm sinh", "me", required=False),
    f(T.SINGLELINE, "Vợ hoặc chồng: họ tên, năm sinh", "vo_chong", required=False),
    step("Hộ chiếu và nơi nhận kết quả"),
    f(
        T.RADIO,
        "Lần đề nghị",
        "lan_de_nghi",
        choices="lan_dau | Cấp lần đầu\ntu_lan_hai | Cấp từ lần thứ hai trở đi",
        help_text="Khai sai là “cấp lần đầu” khi đã từng có hộ chiếu bị xử phạt theo Nghị định 144/2021/NĐ-CP.",
    ),
    f(
        T.HEADING,
        "Hộ chiếu gần nhất",
        required=False,
        condition=("lan_de_nghi", "eq", "tu_lan_hai"),
    ),
    f(T.SINGLELINE, "Số hộ chiếu gần nhất", "ho_chieu_gan_nhat_so", condition=("lan_de_nghi", "eq", "tu_lan_hai")),
    f(
        T.VN_DATE,
        "Ngày cấp hộ chiếu gần nhất",
        "ho_chieu_gan_nhat_ngay_cap",
        condition=("lan_de_nghi", "eq", "tu_lan_hai"),
    ),
    f(
        T.RADIO,
        "Hộ chiếu cũ bị mất?",
        "ho_chieu_gan_nhat_bi_mat",
        choices=YES_NO,
        condition=("lan_de_nghi", "eq", "tu_lan_hai"),
    ),
    f(
        T.FILE,
        "Đơn trình báo mất hộ chiếu (có xác nhận của cơ quan công an)",
        "don_trinh_bao_mat",
        max_size_mb=5,
        allowed_kinds="jpg, png, pdf",
        condition=("ho_chieu_gan_nhat_bi_mat", "eq", "co"),
    ),
    f(T.RADIO, "Hộ chiếu có gắn chíp điện tử?", "gan_chip", choices=YES_NO, default="khong"),
    f(
        T.RADIO,
        "Nơi nhận kết quả",
        "noi_nhan_ket_qua",
        choices=(
            "truc_tiep | Nhận trực tiếp tại Phòng Quản lý xuất nhập cảnh\n"
            "buu_chinh | Nhận qua bưu chính công ích tại địa chỉ (trả thêm cước)"
        ),
        default="truc_tiep",
    ),
    f(T.ADDRESS, "Địa chỉ nhận kết quả", "dia_chi_nhan_ket_qua", condition=("noi_nhan_ket_qua", "eq", "buu_chinh")),
    step("Ảnh và giấy tờ, cam đoan"),
    f(
        T.FILE,
        "Ảnh chân dung",
        "anh_chan_dung",
        help_text="Ảnh 4×6 cm chụp trong 6 tháng, nhìn thẳng, đầu để trần, không đeo kính, nền trắng; tệp JPG dưới 2 MB.",
        max_size_mb=2,
        allowed_kinds="jpg",
    ),
    f(T.FILE, "Ảnh mặt trước thẻ căn cước", "anh_can_cuoc_mat_truoc", max_size_mb=5, allowed_kinds="jpg, png"),
    f(T.FILE, "Ảnh mặt sau thẻ căn cước", "anh_can_cuoc_mat_sau", max_size_mb=5, allowed_kinds="jpg, png"),
    f(T.CONSENT, "Tôi xin cam đoan những thông tin khai trên là đúng sự thật.", "cam_doan"),
]

ID_CARD_FIELDS = [
    step("Thông tin cá nhân"),
    f(T.PERSON_NAME, "Họ, chữ đệm và tên", "ho_ten"),
    f(T.VN_DATE, "Ngày sinh", "ngay_sinh", min_age=0),
    f(T.RADIO, "Giới tính", "gioi_tinh", choices=GENDERS),
    f(T.PERSONAL_ID, "Số định danh cá nhân", "so_dinh_danh"),
    f(T.PHONE, "Số điện thoại", "so_dien_thoai"),
    f(T.EMAIL, "Email", "email", required=False),
    step("Đặt lịch làm thủ tục"),
    f(
        T.RADIO,
        "Lý do",
        "ly_do",
        choices="cap_lan_dau | Cấp lần đầu\ncap_doi | Cấp đổi (hết hạn, thay đổi thông tin)\ncap_lai | Cấp lại (bị mất)",
    ),
    f(
        T.DROPDOWN,
        "Nơi làm thủ tục",
        "noi_lam_thu_tuc",
        choices=("pc06 | Phòng Cảnh sát QLHC về TTXH – 459 Trần Hưng Đạo\nca_phuong | Công an phường, xã nơi cư trú"),
    ),
    f(T.VN_DATE, "Ngày hẹn", "ngay_hen", help_text="Ngày làm việc bạn muốn đến thu nhận vân tay, ảnh."),
    f(T.RADIO, "Buổi", "buoi", choices="sang | Buổi sáng\nchieu | Buổi chiều"),
    step("Xác nhận"),
    f(T.CONSENT, "Tôi xin cam đoan những thông tin khai trên là đúng sự thật.", "cam_doan"),
]

FOREIGNER_FIELDS = [
    step("Cơ sở lưu trú"),
    f(T.SINGLELINE, "Tên cơ sở lưu trú hoặc chủ hộ", "co_so_luu_tru"),
    f(T.ADDRESS, "Địa chỉ cơ sở lưu trú", "dia_chi_co_so"),
    f(T.PHONE, "Số điện thoại liên hệ", "so_dien_thoai"),
    f(T.EMAIL, "Email", "email", required=False),
    step("Người nước ngoài tạm trú"),
    f(T.SINGLELINE, "Họ và tên (như trong hộ chiếu)", "ho_ten"),
    f(T.RADIO, "Giới tính", "gioi_tinh", choices=GENDERS),
    f(T.VN_DATE, "Ngày sinh", "ngay_sinh", min_age=0),
    f(T.SINGLELINE, "Quốc tịch", "quoc_tich"),
    f(T.SINGLELINE, "Số hộ chiếu", "so_ho_chieu"),
    f(T.VN_DATE, "Ngày đến", "ngay_den"),
    f(T.VN_DATE, "Ngày dự kiến đi", "ngay_di", required=False),
    f(T.FILE, "Ảnh trang thông tin hộ chiếu (nếu có)", "anh_ho_chieu", required=False, allowed_kinds="jpg, png, pdf"),
    step("Xác nhận"),
    f(T.CONSENT, "Tôi xin cam đoan những thông tin khai trên là đúng sự thật.", "cam_doan"),
]

FORMS = [
    {
        "procedure": 1,
        "code": "XNC-01",
        "title": "Tờ khai đề nghị cấp hộ chiếu phổ thông (TK01, TK01a)",
        "intro": (
            "<p>Khai trực tuyến tờ khai TK01 (hoặc TK01a cho trẻ em dưới 14 tuổi), tải lên ảnh chân dung và ảnh hai "
            "mặt thẻ căn cước. Chuẩn bị sẵn thông tin về cha, mẹ, vợ hoặc chồng. Mất khoảng 10 phút.</p>"
        ),
        "next_steps": (
            "<p>Lệ phí chỉ nộp <b>sau khi</b> cơ quan đã kiểm tra và chấp nhận hồ sơ: bạn nhận thông báo kèm đường "
            "dẫn thanh toán. Nếu hộ chiếu cũ còn hạn, hãy nộp lại hoặc gửi qua bưu chính công ích.</p>"
        ),
        "fields": PASSPORT_FIELDS,
    },
    {
        "procedure": 12,
        "code": "CC-12",
        "title": "Đăng ký trực tuyến cấp thẻ căn cước",
        "intro": "<p>Đăng ký trước và chọn lịch hẹn; đến đúng hẹn để thu nhận vân tay, ảnh chân dung.</p>",
        "next_steps": "<p>Mang theo giấy tờ tùy thân khi đến làm thủ tục theo lịch hẹn.</p>",
        "fields": ID_CARD_FIELDS,
    },
    {
        "procedure": 7,
        "code": "XNC-07",
        "title": "Khai báo tạm trú cho người nước ngoài",
        "intro": "<p>Cơ sở lưu trú khai báo tạm trú cho người nước ngoài trong 12 giờ (24 giờ ở vùng sâu, vùng xa).</p>",
        "next_steps": "<p>Cơ quan xác nhận khai báo qua email hoặc tin nhắn.</p>",
        "fields": FOREIGNER_FIELDS,
    },
]


def find_guide(context, spec):
    guides = context.get("guides") or {}
    guide = guides.get(spec["procedure"])
    if guide is None:
        guide = GuidePage.objects.filter(procedure_code=spec["code"], locale__language_code="vi").first()
    return guide.specific if guide is not None else None


def ensure_form(report, guide, spec):
    existing = ApplicationFormPage.objects.child_of(guide).filter(slug=FORM_SLUG).first()
    if existing is not None:
        return existing.specific
    page = ApplicationFormPage(
        title=spec["title"],
        slug=FORM_SLUG,
        intro=spec["intro"],
        next_steps=spec["next_steps"],
        procedure=guide,
        agency=guide.agency,
        locale=guide.locale,
        form_fields=[ApplicationFormField(sort_order=order, **row) for order, row in enumerate(spec["fields"])],
    )
    guide.add_child(instance=page)
    page.save_revision().publish()
    report.made(f"biểu mẫu {spec['code']}")
    return page


# --- demo dossiers ----------------------------------------------------------------------

SURNAMES = ["NGUYỄN", "TRẦN", "LÊ", "PHẠM", "HOÀNG", "HUỲNH", "PHAN", "VŨ", "VÕ", "ĐẶNG", "BÙI", "ĐỖ", "HỒ", "NGÔ"]
MALE_NAMES = ["VĂN AN", "MINH TUẤN", "QUỐC BẢO", "ĐỨC THẮNG", "HOÀNG NAM", "THANH TÙNG", "GIA HUY", "VĂN HÙNG"]
FEMALE_NAMES = ["THỊ LAN", "NGỌC ANH", "THU HÀ", "MINH THƯ", "THỊ HỒNG", "KHÁNH LINH", "BẢO NGỌC", "THỊ MAI"]
JOBS = ["Nhân viên văn phòng", "Kỹ sư", "Giáo viên", "Kinh doanh tự do", "Sinh viên", "Công nhân", "Bác sĩ"]
STREETS = ["12 Lê Lợi", "45 Nguyễn Huệ", "7 Pasteur", "230 Điện Biên Phủ", "18 Võ Văn Tần", "99 Cách Mạng Tháng Tám"]
HCMC_WARDS = [("26740", "Phường Sài Gòn"), ("26743", "Phường Bến Thành"), ("27316", "Phường An Đông")]
PHONE_PREFIXES = ["090", "091", "093", "097", "098", "070", "079", "086", "088", "032", "035"]
FOREIGNERS = [
    ("SMITH JOHN", "Hoa Kỳ"),
    ("KIM MIN JUN", "Hàn Quốc"),
    ("TANAKA YUKI", "Nhật Bản"),
    ("MÜLLER ANNA", "Đức"),
]

# The way each status is reached from 1 "Mới đăng ký" (domain brief (b)).
STATUS_PATHS = {
    DossierStatus.NEW: [],
    DossierStatus.ACCEPTED: [DossierStatus.ACCEPTED],
    DossierStatus.REFUSED: [DossierStatus.REFUSED],
    DossierStatus.PROCESSING: [DossierStatus.ACCEPTED, DossierStatus.PROCESSING],
    DossierStatus.SUPPLEMENT_REQUESTED: [DossierStatus.SUPPLEMENT_REQUESTED],
    DossierStatus.PAYMENT_REQUESTED: [DossierStatus.PAYMENT_REQUESTED],
    DossierStatus.WITHDRAWN: [DossierStatus.WITHDRAWN],
    DossierStatus.STOPPED: [DossierStatus.ACCEPTED, DossierStatus.PROCESSING, DossierStatus.STOPPED],
    DossierStatus.DONE: [
        DossierStatus.PAYMENT_REQUESTED,
        DossierStatus.ACCEPTED,
        DossierStatus.PROCESSING,
        DossierStatus.DONE,
    ],
    DossierStatus.DELIVERED: [
        DossierStatus.PAYMENT_REQUESTED,
        DossierStatus.ACCEPTED,
        DossierStatus.PROCESSING,
        DossierStatus.DONE,
        DossierStatus.DELIVERED,
    ],
}
NOTES = {
    DossierStatus.ACCEPTED: "Hồ sơ đầy đủ, hợp lệ.",
    DossierStatus.REFUSED: "Ảnh chân dung không đúng quy cách; đề nghị nộp lại hồ sơ mới.",
    DossierStatus.SUPPLEMENT_REQUESTED: "Đề nghị bổ sung ảnh mặt sau thẻ căn cước rõ nét hơn.",
    DossierStatus.PAYMENT_REQUESTED: "Đề nghị nộp lệ phí 200.000 đồng qua cổng thanh toán.",
    DossierStatus.WITHDRAWN: "Công dân đề nghị rút hồ sơ.",
    DossierStatus.STOPPED: "Không đủ điều kiện cấp theo quy định.",
    DossierStatus.DONE: "Đã có kết quả, chờ trả.",
    DossierStatus.DELIVERED: "Đã trả kết quả.",
}


def _personal_id(rng, birth, gender):
    century_digit = (0 if birth.year < 2000 else 2) + (1 if gender == "nu" else 0)
    return f"079{century_digit}{birth.year % 100:02d}{rng.randint(0, 999999):06d}"


def _address(rng):
    ward, ward_name = rng.choice(HCMC_WARDS)
    return {
        "province": "79",
        "province_name": "Thành phố Hồ Chí Minh",
        "ward": ward,
        "ward_name": ward_name,
        "street": rng.choice(STREETS),
    }


def _portrait_upload(number):
    """A tiny grey JPEG standing in for a portrait (the officer's file view needs a file)."""
    from PIL import Image

    from .fields import CleanUpload

    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 200, 200)).save(buffer, "JPEG")
    data = buffer.getvalue()
    import hashlib

    return CleanUpload(
        name=f"anh-chan-dung-{number}.jpg",
        content_type="image/jpeg",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        file=ContentFile(data, name=f"anh-chan-dung-{number}.jpg"),
        kind="jpg",
    )


def _person(rng):
    gender = rng.choice(["nam", "nu"])
    birth = date(rng.randint(1965, 2004), rng.randint(1, 12), rng.randint(1, 28))
    given = rng.choice(MALE_NAMES if gender == "nam" else FEMALE_NAMES)
    return {
        "surname": rng.choice(SURNAMES),
        "given": given,
        "gender": gender,
        "birth": birth,
        "id": _personal_id(rng, birth, gender),
        "phone": rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 9999999):07d}",
    }


def passport_answers(rng, number):
    person = _person(rng)
    by_post = rng.random() < 0.4
    answers = {
        "loai_nguoi_de_nghi": "ban_than",
        "ho": person["surname"],
        "chu_dem_ten": person["given"],
        "gioi_tinh": person["gender"],
        "ngay_sinh": person["birth"],
        "noi_sinh": "79",
        "so_dinh_danh": person["id"],
        "ngay_cap": date(2021, rng.randint(1, 12), rng.randint(1, 28)),
        "dan_toc": "Kinh",
        "ton_giao": "Không",
        "so_dien_thoai": person["phone"],
        "email": f"congdan{number}@example.com",
        "dia_chi_thuong_tru": _address(rng),
        "nghe_nghiep": rng.choice(JOBS),
        "lan_de_nghi": "lan_dau",
        "gan_chip": rng.choice(["co", "khong"]),
        "noi_nhan_ket_qua": "buu_chinh" if by_post else "truc_tiep",
        "cam_doan": True,
        "anh_chan_dung": [],
    }
    if by_post:
        answers["dia_chi_nhan_ket_qua"] = answers["dia_chi_thuong_tru"]
    return answers


def id_card_answers(rng, number):
    person = _person(rng)
    return {
        "ho_ten": f"{person['surname']} {person['given']}",
        "ngay_sinh": person["birth"],
        "gioi_tinh": person["gender"],
        "so_dinh_danh": person["id"],
        "so_dien_thoai": person["phone"],
        "ly_do": rng.choice(["cap_lan_dau", "cap_doi", "cap_lai"]),
        "noi_lam_thu_tuc": "pc06",
        "ngay_hen": timezone.localdate() + timedelta(days=rng.randint(2, 20)),
        "buoi": rng.choice(["sang", "chieu"]),
        "cam_doan": True,
    }


def foreigner_answers(rng, number):
    name, nationality = rng.choice(FOREIGNERS)
    return {
        "co_so_luu_tru": rng.choice(["Khách sạn Bến Thành", "Nhà nghỉ Sài Gòn Xanh", "Căn hộ dịch vụ Tân Định"]),
        "dia_chi_co_so": _address(rng),
        "so_dien_thoai": rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 9999999):07d}",
        "ho_ten": name,
        "gioi_tinh": rng.choice(["nam", "nu"]),
        "ngay_sinh": date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28)),
        "quoc_tich": nationality,
        "so_ho_chieu": f"X{rng.randint(1000000, 9999999)}",
        "ngay_den": timezone.localdate() - timedelta(days=rng.randint(0, 10)),
        "cam_doan": True,
    }


ANSWER_MAKERS = {"XNC-01": passport_answers, "CC-12": id_card_answers, "XNC-07": foreigner_answers}


def _officer_of(agency):
    membership = AgencyMembership.objects.filter(agency=agency).select_related("user").first()
    if membership is not None:
        return membership.user
    return get_user_model().objects.filter(is_superuser=True).first()


def ensure_dossiers(report, forms_by_code):
    """50 dossiers over every status 1–10 and both agencies, with their histories."""
    rng = random.Random(20260315)  # noqa: S311 - demo data, not security
    codes = [code for code in ("XNC-01", "CC-12", "XNC-07") if code in forms_by_code]
    if not codes:
        return
    statuses = [status for status in DossierStatus if status != DossierStatus.DRAFT]
    now = timezone.now()
    created = 0
    for number in range(1, DEMO_DOSSIERS + 1):
        # Every second dossier is an ID card (the other agency), the rest passports/declarations.
        code = (
            "CC-12" if number % 2 == 0 and "CC-12" in codes else rng.choice([c for c in codes if c != "CC-12"] or codes)
        )
        page = forms_by_code[code]
        answers = ANSWER_MAKERS[code](rng, number)
        uploads = {}
        if code == "XNC-01":
            uploads = {"anh_chan_dung": [_portrait_upload(number)]}
            answers["anh_chan_dung"] = uploads["anh_chan_dung"]
        submitted_at = now - timedelta(days=rng.randint(1, 25), hours=rng.randint(0, 9), minutes=rng.randint(0, 59))
        key = f"demo:{number}"
        if Dossier.objects.filter(idempotency_key=key).exists():
            continue
        result = submit_application(
            page,
            answers,
            uploads,
            idempotency_key=key,
            language="vi",
            channel=Channel.ONLINE,
            submitted_at=submitted_at,
            # Invented people: their messages would only fill the worker's queue on the first
            # `make run`; forms.notifications.demo records a few as already sent instead.
            notify=False,
        )
        target = statuses[(number - 1) % len(statuses)]
        officer = _officer_of(result.dossier.agency)
        moment = submitted_at
        for to_status in STATUS_PATHS[target]:
            moment = moment + timedelta(hours=rng.randint(2, 30))
            actor = None if to_status == DossierStatus.WITHDRAWN else officer
            change_status(result.dossier.pk, to_status, actor=actor, note=NOTES.get(to_status, ""), at=min(moment, now))
        created += 1
    if created:
        report.made(f"{created} hồ sơ mẫu")


def seed(report, context):
    if not context.get("guides"):
        # seed_demo runs apps in INSTALLED_APPS order (forms first): make sure the guides exist.
        from guides import demo as guides_demo

        guides_demo.seed(report, context)
    forms_by_code = {}
    for spec in FORMS:
        guide = find_guide(context, spec)
        if guide is None:
            continue
        forms_by_code[spec["code"]] = ensure_form(report, guide, spec)
    ensure_dossiers(report, forms_by_code)
    context["application_forms"] = forms_by_code
    return context
