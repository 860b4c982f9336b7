"""Demo content of the guides app: the procedure index and the 12 procedures of the domain brief.

Called by ``seed_demo`` after the cms content, with ``context`` holding the home pages,
agencies and locales. Every step looks up what it would create (by slug, or by the
translation of a page) and leaves existing content alone, so a second run creates nothing.

Procedure codes are placeholders in a local format (``XNC-01``): editors replace them
with the codes of the national procedure database. Amounts marked [U] in the domain brief
are sensible defaults that editors can change.
"""

from datetime import date
from decimal import Decimal
from importlib import import_module

from cms.demo import ensure_menu_entry
from cms.models import FeaturedProcedure, HomePage, Menu

from .models import (
    DeliveryMethod,
    DossierComponent,
    Fee,
    GuidePage,
    ProcedureField,
    ProcedureIndexPage,
    RelatedProcedure,
    ServiceLevel,
)

FEES_FROM = date(2026, 1, 1)  # full passport fee again from 01/01/2026 (TT 25/2021/TT-BTC)
FULL, PARTIAL = ServiceLevel.FULL, ServiceLevel.PARTIAL
IN_PERSON, POST, ELECTRONIC = DeliveryMethod.IN_PERSON, DeliveryMethod.PUBLIC_POST, DeliveryMethod.ELECTRONIC

IMMIGRATION = {"slug": "quan-ly-xuat-nhap-canh", "name": "Quản lý xuất nhập cảnh", "name_en": "Immigration management"}
IDENTITY = {"slug": "cap-quan-ly-can-cuoc", "name": "Cấp, quản lý căn cước", "name_en": "Identity cards"}

INDEX_VI = {
    "title": "Thủ tục hành chính",
    "slug": "thu-tuc",
    "intro": (
        "<p>Hướng dẫn từng bước các thủ tục xuất nhập cảnh và căn cước: giấy tờ cần chuẩn bị, lệ phí, "
        "thời hạn giải quyết và cách nhận kết quả. Dùng bộ lọc để tìm nhanh thủ tục bạn cần.</p>"
    ),
}
INDEX_EN = {
    "title": "Administrative procedures",
    "slug": "procedures",
    "intro": (
        "<p>Step-by-step guides to immigration and ID-card procedures: the papers to prepare, fees, "
        "processing times and how you receive the result. Use the filters to find your procedure.</p>"
    ),
}

ONLINE_CONDITIONS = (
    "<p>Để nộp hồ sơ trực tuyến, bạn cần:</p><ul>"
    "<li>thẻ căn cước hoặc căn cước công dân gắn chíp còn hạn (12 số);</li>"
    "<li>tài khoản định danh điện tử VNeID mức độ 2;</li>"
    "<li>số điện thoại đăng ký chính chủ;</li>"
    "<li>phương tiện thanh toán trực tuyến (thẻ ngân hàng, ví điện tử).</li></ul>"
)
PASSPORT_LEGAL = (
    "<ul><li>Luật Xuất cảnh, nhập cảnh của công dân Việt Nam năm 2019 (sửa đổi, bổ sung năm 2023);</li>"
    "<li>Thông tư 25/2021/TT-BTC quy định mức thu, chế độ thu, nộp lệ phí trong lĩnh vực xuất nhập cảnh;</li>"
    "<li>Thông tư 31/2023/TT-BCA quy định về biểu mẫu sử dụng trong lĩnh vực xuất nhập cảnh.</li></ul>"
)
FOREIGNER_LEGAL = (
    "<ul><li>Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam năm 2014 "
    "(sửa đổi, bổ sung năm 2019 và 2023);</li>"
    "<li>Thông tư 25/2021/TT-BTC quy định mức thu, chế độ thu, nộp lệ phí trong lĩnh vực xuất nhập cảnh.</li></ul>"
)
PORTAL_SUBMIT = (
    "<p>Đăng nhập Cổng dịch vụ công quốc gia hoặc Cổng dịch vụ công Bộ Công an bằng tài khoản VNeID, "
    "chọn đúng tên thủ tục, khai tờ khai điện tử và tải lên ảnh, giấy tờ đã chuẩn bị. Kiểm tra kỹ "
    "thông tin rồi bấm <b>Nộp hồ sơ</b>. Hệ thống gửi mã hồ sơ qua tin nhắn và email.</p>"
)
TRACK = (
    "<p>Tra cứu tiến độ bằng mã hồ sơ trên cổng. Khi cơ quan đã kiểm tra và chấp nhận hồ sơ, bạn nhận "
    "thông báo nộp lệ phí và thanh toán trực tuyến. Nếu được yêu cầu bổ sung giấy tờ, hãy bổ sung đúng "
    "hạn để hồ sơ không bị dừng xử lý.</p>"
)
PASSPORT_RECEIVE = (
    "<p>Khi có kết quả, bạn nhận tin nhắn hoặc email. Mang giấy hẹn và căn cước đến nhận hộ chiếu tại "
    "Phòng Quản lý xuất nhập cảnh, hoặc nhận tại nhà qua bưu chính công ích nếu đã chọn khi nộp hồ sơ "
    "(trả thêm cước chuyển phát).</p>"
)
PHOTO_SPEC = "4×6 cm, chụp trong 6 tháng gần nhất, nhìn thẳng, đầu để trần, lộ rõ hai tai, không đeo kính, phông nền trắng; ảnh tải lên là tệp JPG dưới 2 MB."


def step(title, body, note=None, kind="tip"):
    value = {"title": title, "body": body}
    if note:
        value.update(note=f"<p>{note}</p>", note_kind=kind)
    return ("step", value)


def fee(label, amount, currency="VND", effective=FEES_FROM):
    return {"label": label, "amount": Decimal(amount), "currency": currency, "effective_date": effective}


def component(name, description="", copies=1, required=True):
    return {"name": name, "description": description, "copies": copies, "is_required": required}


PASSPORT_STEPS = [
    step(
        "Chuẩn bị hồ sơ",
        "<p>Chuẩn bị ảnh chân dung, ảnh chụp hai mặt thẻ căn cước và hộ chiếu cũ (nếu có). "
        "Đọc trước tờ khai TK01 để có sẵn thông tin về cha, mẹ, vợ hoặc chồng và nơi làm việc.</p>",
        f"Ảnh chân dung: {PHOTO_SPEC}",
    ),
    step("Nộp hồ sơ trực tuyến", PORTAL_SUBMIT),
    step(
        "Theo dõi hồ sơ và nộp lệ phí",
        TRACK,
        "Không khai là “cấp lần đầu” nếu bạn đã từng có hộ chiếu: khai sai bị xử phạt theo Nghị định 144/2021/NĐ-CP.",
        "warning",
    ),
    step("Nhận kết quả", PASSPORT_RECEIVE),
]

PROCEDURES = [
    {
        "number": 1,
        "slug": "cap-ho-chieu-khong-gan-chip",
        "title": "Cấp hộ chiếu phổ thông không gắn chíp điện tử ở trong nước",
        "code": "XNC-01",
        "summary": "Dành cho công dân Việt Nam ở trong nước cần hộ chiếu để ra nước ngoài. Nộp và theo dõi hoàn toàn trực tuyến.",
        "agency": 0,
        "level": FULL,
        "days": 8,
        "time_note": "5 ngày làm việc nếu nộp tại Cục Quản lý xuất nhập cảnh",
        "fees": [
            fee("Cấp mới (lần đầu hoặc hộ chiếu cũ hết hạn)", 200000),
            fee("Cấp lại do bị mất hoặc hư hỏng", 400000),
            fee("Cấp giấy xác nhận yếu tố nhân sự", 100000),
        ],
        "components": [
            component("Tờ khai đề nghị cấp hộ chiếu (mẫu TK01)", "Khai trực tuyến trên cổng dịch vụ công."),
            component("Ảnh chân dung", PHOTO_SPEC, copies=2),
            component("Ảnh chụp hai mặt thẻ căn cước", "Ảnh rõ nét, không bị lóa, đủ bốn góc thẻ."),
            component(
                "Hộ chiếu gần nhất",
                "Nếu còn hạn thì nộp lại hoặc gửi qua bưu chính; nếu đã mất thì kèm đơn trình báo mất.",
                required=False,
            ),
        ],
        "conditions": ONLINE_CONDITIONS,
        "legal": PASSPORT_LEGAL,
        "result": "Hộ chiếu phổ thông không gắn chíp, thời hạn 10 năm (người từ đủ 14 tuổi), không được gia hạn.",
        "delivery": [IN_PERSON, POST],
        "steps": PASSPORT_STEPS,
        "faq": [
            (
                "Khi nào tôi phải nộp lệ phí?",
                "<p>Lệ phí chỉ nộp <b>sau khi</b> cơ quan đã kiểm tra và chấp nhận hồ sơ. Bạn nhận thông báo "
                "kèm đường dẫn thanh toán trực tuyến.</p>",
            ),
            (
                "Tôi có phải đến cơ quan không?",
                "<p>Không. Hộ chiếu không gắn chíp được cấp toàn trình trực tuyến; bạn có thể nhận kết quả "
                "tại nhà qua bưu chính công ích.</p>",
            ),
        ],
        "related": [2, 3, 4],
    },
    {
        "number": 2,
        "slug": "cap-ho-chieu-gan-chip",
        "title": "Cấp hộ chiếu phổ thông có gắn chíp điện tử",
        "code": "XNC-02",
        "summary": "Hộ chiếu điện tử có chíp lưu ảnh và vân tay. Lần đầu cấp phải đến cơ quan để chụp ảnh, lấy vân tay.",
        "agency": 0,
        "level": PARTIAL,
        "days": 8,
        "time_note": "5 ngày làm việc nếu nộp tại Cục Quản lý xuất nhập cảnh",
        "fees": [
            fee("Cấp mới (lần đầu hoặc hộ chiếu cũ hết hạn)", 200000),
            fee("Cấp lại do bị mất hoặc hư hỏng", 400000),
        ],
        "components": [
            component("Tờ khai đề nghị cấp hộ chiếu (mẫu TK01)", "Chọn “có gắn chíp điện tử” ở mục đề nghị."),
            component("Ảnh chân dung", PHOTO_SPEC, copies=2),
            component("Ảnh chụp hai mặt thẻ căn cước"),
            component("Hộ chiếu gần nhất", "Nếu còn hạn thì nộp lại khi đến lấy vân tay.", required=False),
        ],
        "conditions": ONLINE_CONDITIONS
        + "<p>Lần đầu đề nghị cấp hộ chiếu gắn chíp phải có mặt tại cơ quan để thu nhận ảnh và vân tay.</p>",
        "legal": PASSPORT_LEGAL,
        "result": "Hộ chiếu phổ thông gắn chíp điện tử, thời hạn 10 năm, không được gia hạn.",
        "delivery": [IN_PERSON, POST],
        "steps": [
            PASSPORT_STEPS[0],
            PASSPORT_STEPS[1],
            step(
                "Đến cơ quan chụp ảnh, lấy vân tay",
                "<p>Sau khi hồ sơ được tiếp nhận, đặt lịch và đến Phòng Quản lý xuất nhập cảnh để cán bộ chụp "
                "ảnh và thu nhận vân tay. Mang theo thẻ căn cước và hộ chiếu cũ (nếu có).</p>",
                "Đặt lịch hẹn trên cổng để không phải xếp hàng; nên đến sớm 10 phút.",
            ),
            PASSPORT_STEPS[2],
            PASSPORT_STEPS[3],
        ],
        "faq": [
            (
                "Vì sao hộ chiếu gắn chíp chỉ là dịch vụ “một phần”?",
                "<p>Lần đầu cấp cần thu nhận vân tay trực tiếp, nên không thể làm hoàn toàn trực tuyến.</p>",
            ),
        ],
        "related": [1, 3],
    },
    {
        "number": 3,
        "slug": "cap-ho-chieu-cho-tre-duoi-14-tuoi",
        "title": "Cấp hộ chiếu phổ thông cho người chưa đủ 14 tuổi",
        "code": "XNC-03",
        "summary": "Cha, mẹ hoặc người giám hộ khai và nộp hồ sơ thay cho trẻ em dưới 14 tuổi.",
        "agency": 0,
        "level": FULL,
        "days": 8,
        "time_note": "",
        "fees": [fee("Cấp mới", 200000), fee("Cấp lại do bị mất hoặc hư hỏng", 400000)],
        "components": [
            component("Tờ khai cho người chưa đủ 14 tuổi (mẫu TK01a)", "Người đại diện theo pháp luật khai và ký."),
            component("Ảnh chân dung của trẻ", PHOTO_SPEC, copies=2),
            component("Bản sao giấy khai sinh hoặc trích lục khai sinh của trẻ"),
            component("Ảnh chụp hai mặt thẻ căn cước của người đại diện"),
        ],
        "conditions": ONLINE_CONDITIONS.replace("bạn cần", "người đại diện (cha, mẹ hoặc người giám hộ) cần"),
        "legal": PASSPORT_LEGAL,
        "result": "Hộ chiếu phổ thông không gắn chíp, thời hạn 5 năm, không được gia hạn.",
        "delivery": [IN_PERSON, POST],
        "steps": [
            step(
                "Chuẩn bị hồ sơ cho trẻ",
                "<p>Chuẩn bị ảnh chân dung của trẻ, bản chụp giấy khai sinh và thẻ căn cước của người đại diện. "
                "Mở trước tờ khai TK01a: phần A do người đại diện khai, phần B là thông tin của trẻ.</p>",
                "Chụp ảnh trẻ trên phông trắng, mắt mở, miệng khép; ảnh trẻ nhỏ không được có tay người lớn.",
            ),
            step(
                "Nộp hồ sơ trực tuyến",
                "<p>Người đại diện đăng nhập bằng tài khoản VNeID của mình, chọn thủ tục cấp hộ chiếu cho người "
                "chưa đủ 14 tuổi, khai tờ khai TK01a và tải lên ảnh, giấy tờ của trẻ.</p>",
            ),
            PASSPORT_STEPS[2],
            PASSPORT_STEPS[3],
        ],
        "faq": [
            (
                "Trẻ dưới 14 tuổi có được cấp hộ chiếu gắn chíp không?",
                "<p>Hiện nay trẻ dưới 14 tuổi được cấp hộ chiếu không gắn chíp, thời hạn 5 năm.</p>",
            ),
        ],
        "related": [1],
    },
    {
        "number": 4,
        "slug": "trinh-bao-mat-ho-chieu",
        "title": "Trình báo mất hộ chiếu phổ thông",
        "code": "XNC-04",
        "summary": "Báo ngay khi hộ chiếu bị mất để hủy giá trị, tránh bị người khác sử dụng.",
        "agency": 0,
        "level": FULL,
        "days": 1,
        "time_note": "",
        "fees": [fee("Trình báo mất hộ chiếu", 0)],
        "components": [
            component(
                "Đơn trình báo mất hộ chiếu phổ thông (mẫu TK05)", "Nộp trong vòng 48 giờ kể từ khi phát hiện mất."
            ),
        ],
        "conditions": "<p>Nộp đơn trình báo trong vòng <b>48 giờ</b> kể từ khi phát hiện hộ chiếu bị mất.</p>",
        "legal": PASSPORT_LEGAL,
        "result": "Thông báo đã tiếp nhận đơn trình báo; hộ chiếu bị mất bị hủy giá trị sử dụng.",
        "delivery": [ELECTRONIC],
        "steps": [
            step(
                "Chuẩn bị thông tin",
                "<p>Ghi lại số hộ chiếu, ngày cấp (nếu nhớ), thời gian, địa điểm và hoàn cảnh bị mất.</p>",
                "Trình báo trong 48 giờ. Nếu mất ở nước ngoài, báo cơ quan đại diện Việt Nam nơi gần nhất.",
                "warning",
            ),
            step(
                "Nộp đơn trình báo trực tuyến",
                "<p>Đăng nhập cổng dịch vụ công bằng tài khoản VNeID, chọn thủ tục trình báo mất hộ chiếu và "
                "khai đơn TK05. Thủ tục này miễn phí.</p>",
            ),
            step(
                "Theo dõi hồ sơ",
                "<p>Tra cứu tiến độ bằng mã hồ sơ. Cơ quan xác minh và hủy giá trị hộ chiếu trong một ngày "
                "làm việc.</p>",
            ),
            step(
                "Nhận thông báo",
                "<p>Bạn nhận thông báo điện tử qua cổng và email. Sau đó có thể làm thủ tục cấp lại hộ chiếu.</p>",
                "Nếu sau này tìm thấy hộ chiếu, không dùng nó để xuất cảnh: hãy làm thủ tục khôi phục giá trị sử dụng.",
                "warning",
            ),
        ],
        "faq": [
            (
                "Trình báo mất có tốn phí không?",
                "<p>Không, trình báo mất hộ chiếu được miễn phí. Khi cấp lại hộ chiếu, lệ phí là 400.000 đ.</p>",
            ),
        ],
        "related": [1, 5],
    },
    {
        "number": 5,
        "slug": "khoi-phuc-gia-tri-ho-chieu",
        "title": "Khôi phục giá trị sử dụng hộ chiếu phổ thông",
        "code": "XNC-05",
        "summary": "Khi tìm lại được hộ chiếu đã trình báo mất mà hộ chiếu còn nguyên vẹn, còn thị thực nước ngoài.",
        "agency": 0,
        "level": PARTIAL,
        "days": 5,
        "time_note": "3 ngày làm việc nếu nộp tại Cục Quản lý xuất nhập cảnh",
        "fees": [fee("Khôi phục giá trị sử dụng hộ chiếu", 0)],
        "components": [
            component("Tờ khai đề nghị khôi phục giá trị sử dụng hộ chiếu (mẫu TK04)"),
            component(
                "Hộ chiếu đã tìm lại được", "Còn nguyên vẹn, còn thời hạn và có thị thực nước ngoài còn giá trị."
            ),
        ],
        "conditions": (
            "<ul><li>Hộ chiếu đã được trình báo mất và bị hủy giá trị;</li>"
            "<li>hộ chiếu còn nguyên vẹn, còn thời hạn sử dụng;</li>"
            "<li>có thị thực của nước ngoài còn giá trị.</li></ul>"
        ),
        "legal": PASSPORT_LEGAL,
        "result": "Hộ chiếu được khôi phục giá trị sử dụng.",
        "delivery": [IN_PERSON, POST],
        "steps": [
            step("Chuẩn bị hồ sơ", "<p>Chuẩn bị tờ khai TK04 và hộ chiếu đã tìm lại được.</p>"),
            step(
                "Nộp tờ khai trực tuyến",
                "<p>Khai tờ khai TK04 trên cổng dịch vụ công và ghi rõ số thị thực nước ngoài còn giá trị.</p>",
            ),
            step(
                "Nộp hộ chiếu cho cơ quan",
                "<p>Mang hộ chiếu đến Phòng Quản lý xuất nhập cảnh hoặc gửi qua bưu chính công ích để cán bộ "
                "kiểm tra.</p>",
            ),
            step("Nhận kết quả", "<p>Nhận lại hộ chiếu đã khôi phục tại cơ quan hoặc qua bưu chính.</p>"),
        ],
        "faq": [],
        "related": [4],
    },
    {
        "number": 6,
        "slug": "trinh-bao-mat-giay-thong-hanh",
        "title": "Trình báo mất giấy thông hành",
        "code": "XNC-06",
        "summary": "Báo mất giấy thông hành (dùng qua biên giới với nước láng giềng) để hủy giá trị sử dụng.",
        "agency": 0,
        "level": FULL,
        "days": 1,
        "time_note": "",
        "fees": [fee("Trình báo mất giấy thông hành", 0)],
        "components": [component("Đơn trình báo mất giấy thông hành")],
        "conditions": "<p>Trình báo trong vòng 48 giờ kể từ khi phát hiện giấy thông hành bị mất.</p>",
        "legal": PASSPORT_LEGAL,
        "result": "Thông báo hủy giá trị sử dụng giấy thông hành.",
        "delivery": [ELECTRONIC],
        "steps": [
            step("Chuẩn bị thông tin", "<p>Ghi lại số giấy thông hành, thời gian và nơi bị mất.</p>"),
            step("Nộp đơn trình báo trực tuyến", PORTAL_SUBMIT),
            step("Theo dõi hồ sơ", "<p>Tra cứu tiến độ bằng mã hồ sơ trên cổng.</p>"),
            step("Nhận thông báo", "<p>Nhận thông báo hủy giá trị giấy thông hành qua cổng và email.</p>"),
        ],
        "faq": [],
        "related": [4],
    },
    {
        "number": 7,
        "slug": "khai-bao-tam-tru-nguoi-nuoc-ngoai",
        "title": "Khai báo tạm trú cho người nước ngoài qua Trang thông tin điện tử",
        "code": "XNC-07",
        "summary": "Cơ sở lưu trú, chủ nhà khai báo tạm trú cho khách nước ngoài, 24/7, xác nhận ngay.",
        "agency": 0,
        "level": FULL,
        "days": None,
        "time_note": "ngay lập tức (24/7)",
        "fees": [fee("Khai báo tạm trú", 0)],
        "components": [
            component(
                "Thông tin người nước ngoài",
                "Họ tên, giới tính, ngày sinh, quốc tịch, số hộ chiếu, ngày đến và dự kiến ngày đi.",
            ),
        ],
        "conditions": (
            "<p>Cơ sở lưu trú (khách sạn, nhà nghỉ, nhà cho thuê) phải khai báo trong vòng <b>12 giờ</b> "
            "(24 giờ ở vùng sâu, vùng xa) kể từ khi người nước ngoài đến; cần tài khoản trên trang khai báo "
            "tạm trú.</p>"
        ),
        "legal": FOREIGNER_LEGAL,
        "result": "Xác nhận đã khai báo tạm trú.",
        "delivery": [ELECTRONIC],
        "steps": [
            step(
                "Đăng ký tài khoản cơ sở lưu trú",
                "<p>Lần đầu, đăng ký tài khoản cho cơ sở lưu trú trên Trang thông tin điện tử khai báo tạm trú; "
                "tài khoản được kích hoạt qua email.</p>",
            ),
            step(
                "Chuẩn bị thông tin khách",
                "<p>Chụp trang thông tin hộ chiếu và thị thực của khách, ghi ngày đến và dự kiến ngày đi.</p>",
            ),
            step(
                "Khai báo trực tuyến",
                "<p>Đăng nhập, chọn <b>Khai báo tạm trú</b>, nhập thông tin từng khách và bấm gửi.</p>",
                "Khai báo trong 12 giờ kể từ khi khách đến để tránh bị xử phạt hành chính.",
                "warning",
            ),
            step("Nhận xác nhận", "<p>Hệ thống xác nhận ngay; lưu lại mã khai báo để đối chiếu khi cần.</p>"),
        ],
        "faq": [
            (
                "Khách đổi phòng, gia hạn ở thêm có phải khai báo lại không?",
                "<p>Có, hãy cập nhật ngày đi dự kiến trong mục đã khai báo.</p>",
            ),
        ],
        "related": [8],
    },
    {
        "number": 8,
        "slug": "gia-han-tam-tru-nguoi-nuoc-ngoai",
        "title": "Gia hạn tạm trú cho người nước ngoài",
        "code": "XNC-08",
        "summary": "Cơ quan, tổ chức, cá nhân bảo lãnh đề nghị gia hạn tạm trú cho người nước ngoài đang ở Việt Nam.",
        "agency": 0,
        "level": PARTIAL,
        "days": 5,
        "time_note": "",
        "fees": [fee("Gia hạn tạm trú", 10, "USD")],
        "components": [
            component(
                "Tờ khai đề nghị gia hạn tạm trú (mẫu NA5)", "Có xác nhận của cơ quan, tổ chức, cá nhân bảo lãnh."
            ),
            component("Hộ chiếu của người nước ngoài", "Hộ chiếu gốc, còn hạn."),
            component(
                "Giấy tờ chứng minh mục đích ở lại", "Ví dụ: giấy phép lao động, hợp đồng, giấy xác nhận học tập."
            ),
        ],
        "conditions": "<p>Có cơ quan, tổ chức hoặc cá nhân tại Việt Nam bảo lãnh; hộ chiếu còn hạn.</p>",
        "legal": FOREIGNER_LEGAL,
        "result": "Chứng nhận gia hạn tạm trú.",
        "delivery": [IN_PERSON, POST],
        "steps": [
            step("Chuẩn bị hồ sơ", "<p>Chuẩn bị tờ khai NA5, hộ chiếu và giấy tờ chứng minh mục đích ở lại.</p>"),
            step(
                "Nộp hồ sơ trực tuyến",
                "<p>Người bảo lãnh khai hồ sơ trên Cổng dịch vụ công Bộ Công an và tải lên giấy tờ.</p>",
            ),
            step(
                "Gửi hộ chiếu và nộp lệ phí",
                "<p>Sau khi hồ sơ được chấp nhận, gửi hộ chiếu gốc qua bưu chính công ích hoặc nộp trực tiếp, "
                "và nộp lệ phí theo thông báo.</p>",
                "Nộp hồ sơ trước khi hết hạn tạm trú ít nhất 5 ngày làm việc.",
                "warning",
            ),
            step("Nhận kết quả", "<p>Nhận hộ chiếu có chứng nhận gia hạn tại cơ quan hoặc qua bưu chính.</p>"),
        ],
        "faq": [],
        "related": [9, 7],
    },
    {
        "number": 9,
        "slug": "cap-thi-thuc-nguoi-nuoc-ngoai",
        "title": "Cấp thị thực cho người nước ngoài tại Việt Nam",
        "code": "XNC-09",
        "summary": "Cấp thị thực mới cho người nước ngoài đang ở Việt Nam, theo đề nghị của người bảo lãnh.",
        "agency": 0,
        "level": PARTIAL,
        "days": 5,
        "time_note": "",
        "fees": [
            fee("Thị thực một lần", 25, "USD"),
            fee("Thị thực nhiều lần, thời hạn không quá 3 tháng", 50, "USD"),
            fee("Thị thực nhiều lần, thời hạn trên 3 tháng đến 6 tháng", 95, "USD"),
            fee("Thị thực nhiều lần, thời hạn trên 6 tháng đến 1 năm", 135, "USD"),
        ],
        "components": [
            component("Tờ khai đề nghị cấp thị thực (mẫu NA5)"),
            component("Hộ chiếu của người nước ngoài", "Gửi hộ chiếu gốc qua bưu chính khi được yêu cầu."),
        ],
        "conditions": "<p>Có cơ quan, tổ chức hoặc cá nhân tại Việt Nam bảo lãnh; hộ chiếu còn hạn ít nhất 6 tháng.</p>",
        "legal": FOREIGNER_LEGAL,
        "result": "Thị thực dán vào hộ chiếu.",
        "delivery": [IN_PERSON, POST],
        "steps": [
            step("Chuẩn bị hồ sơ", "<p>Chuẩn bị tờ khai NA5 và ảnh chụp trang nhân thân của hộ chiếu.</p>"),
            step("Nộp hồ sơ trực tuyến", PORTAL_SUBMIT),
            step(
                "Gửi hộ chiếu và nộp lệ phí",
                "<p>Gửi hộ chiếu gốc qua bưu chính công ích và nộp lệ phí bằng USD hoặc VND quy đổi theo "
                "thông báo.</p>",
            ),
            step("Nhận kết quả", "<p>Nhận hộ chiếu có thị thực tại cơ quan hoặc qua bưu chính.</p>"),
        ],
        "faq": [],
        "related": [8],
    },
    {
        "number": 10,
        "slug": "cap-giay-phep-xuat-nhap-canh-nguoi-khong-quoc-tich",
        "title": "Cấp giấy phép xuất nhập cảnh cho người không quốc tịch",
        "code": "XNC-10",
        "summary": "Dành cho người không quốc tịch thường trú tại Việt Nam cần đi nước ngoài và trở về.",
        "agency": 0,
        "level": PARTIAL,
        "days": 5,
        "time_note": "",
        "fees": [fee("Cấp giấy phép xuất nhập cảnh", 200000)],
        "components": [
            component("Tờ khai đề nghị cấp giấy phép xuất nhập cảnh (mẫu NC14)"),
            component("Bản sao thẻ thường trú", "Mang bản chính để đối chiếu."),
            component("Ảnh chân dung", PHOTO_SPEC, copies=2),
        ],
        "conditions": "<p>Người không quốc tịch đang thường trú hợp pháp tại Việt Nam.</p>",
        "legal": FOREIGNER_LEGAL,
        "result": "Giấy phép xuất nhập cảnh.",
        "delivery": [IN_PERSON],
        "steps": [
            step("Chuẩn bị hồ sơ", "<p>Chuẩn bị tờ khai NC14, bản sao thẻ thường trú và ảnh.</p>"),
            step("Nộp hồ sơ trực tuyến", PORTAL_SUBMIT),
            step(
                "Đến cơ quan đối chiếu giấy tờ",
                "<p>Mang thẻ thường trú bản chính đến Phòng Quản lý xuất nhập cảnh để đối chiếu và nộp lệ phí.</p>",
            ),
            step("Nhận kết quả", "<p>Nhận giấy phép tại cơ quan theo ngày hẹn.</p>"),
        ],
        "faq": [],
        "related": [],
    },
    {
        "number": 11,
        "slug": "dong-y-thuong-tru-nguoi-viet-nam-dinh-cu-o-nuoc-ngoai",
        "title": "Cấp văn bản đồng ý giải quyết thường trú cho người Việt Nam định cư ở nước ngoài",
        "code": "XNC-11",
        "summary": "Người Việt Nam định cư ở nước ngoài còn quốc tịch Việt Nam đề nghị về nước thường trú.",
        "agency": 0,
        "level": PARTIAL,
        "days": 40,
        "time_note": "tối đa 40 ngày, do Cục Quản lý xuất nhập cảnh giải quyết",
        "fees": [fee("Cấp văn bản đồng ý giải quyết thường trú", 0)],
        "components": [
            component("Đơn đề nghị về Việt Nam thường trú"),
            component("Bản sao hộ chiếu"),
            component("Giấy tờ chứng minh có quốc tịch Việt Nam"),
            component("Ảnh chân dung", PHOTO_SPEC, copies=2),
        ],
        "conditions": "<p>Người đề nghị còn quốc tịch Việt Nam và có nơi cư trú hợp pháp tại Việt Nam.</p>",
        "legal": PASSPORT_LEGAL,
        "result": "Văn bản đồng ý cho giải quyết thường trú.",
        "delivery": [IN_PERSON, POST],
        "steps": [
            step("Chuẩn bị hồ sơ", "<p>Chuẩn bị đơn, bản sao hộ chiếu, giấy tờ về quốc tịch và ảnh.</p>"),
            step("Nộp hồ sơ trực tuyến", PORTAL_SUBMIT),
            step(
                "Cơ quan xác minh",
                "<p>Cục Quản lý xuất nhập cảnh xác minh nhân thân và quốc tịch; bạn có thể được yêu cầu bổ sung "
                "giấy tờ.</p>",
            ),
            step(
                "Nhận kết quả",
                "<p>Nhận văn bản đồng ý, sau đó đăng ký thường trú tại Công an cấp xã nơi cư trú.</p>",
            ),
        ],
        "faq": [],
        "related": [],
    },
    {
        "number": 12,
        "slug": "cap-the-can-cuoc-dang-ky-truc-tuyen",
        "title": "Cấp thẻ căn cước (đăng ký trực tuyến)",
        "code": "CC-12",
        "summary": "Đăng ký trước trên mạng, chọn lịch hẹn, rồi đến cơ quan để thu nhận sinh trắc học.",
        "agency": 1,
        "field": IDENTITY,
        "level": PARTIAL,
        "days": 7,
        "time_note": "",
        "fees": [
            fee("Cấp lần đầu", 0),
            fee("Cấp đổi", 30000),
            fee("Cấp lại do bị mất, hư hỏng", 70000),
        ],
        "components": [
            component(
                "Đăng ký trực tuyến và lịch hẹn", "Thông tin được đối chiếu với Cơ sở dữ liệu quốc gia về dân cư."
            ),
            component("Thẻ căn cước cũ", "Khi cấp đổi.", required=False),
        ],
        "conditions": "<p>Có thông tin trong Cơ sở dữ liệu quốc gia về dân cư; có mặt để thu nhận sinh trắc học.</p>",
        "legal": "<ul><li>Luật Căn cước năm 2023;</li><li>Nghị định 70/2024/NĐ-CP.</li></ul>",
        "result": "Thẻ căn cước.",
        "delivery": [IN_PERSON, POST],
        "steps": [
            step(
                "Đăng ký trực tuyến",
                "<p>Đăng nhập ứng dụng VNeID hoặc cổng dịch vụ công, chọn thủ tục cấp thẻ căn cước và kiểm tra "
                "thông tin dân cư của bạn.</p>",
            ),
            step("Chọn lịch hẹn", "<p>Chọn nơi làm thủ tục và khung giờ còn trống.</p>"),
            step(
                "Đến thu nhận sinh trắc học",
                "<p>Đến đúng hẹn để chụp ảnh, lấy vân tay và mống mắt.</p>",
                "Mang theo thẻ cũ (nếu có) và đến sớm 10 phút.",
            ),
            step("Nhận thẻ", "<p>Nhận thẻ tại cơ quan hoặc qua bưu chính công ích.</p>"),
        ],
        "faq": [],
        "related": [],
    },
]

ENGLISH = {
    1: {
        "slug": "ordinary-passport-without-chip",
        "title": "Ordinary passport without chip (application in Vietnam)",
        "summary": "For Vietnamese citizens in Vietnam who need a passport to travel abroad. Apply and follow it fully online.",
        "time_note": "5 working days at the central Immigration Department",
        "fees": [
            ("First issue (or the old passport has expired)", 200000, "VND"),
            ("Re-issue after loss or damage", 400000, "VND"),
            ("Certificate of personal details", 100000, "VND"),
        ],
        "components": [
            ("Passport application form (TK01)", "Filled in online on the public-service portal."),
            ("Portrait photos", "4×6 cm, taken within 6 months, facing forward, white background; JPG under 2 MB."),
            ("Photos of both sides of the ID card", "Sharp, no glare, all four corners visible."),
            ("Most recent passport", "Hand it in or post it if still valid; attach the loss report if lost."),
        ],
        "conditions": (
            "<p>To apply online you need:</p><ul><li>a valid 12-digit chip ID card;</li>"
            "<li>a level-2 VNeID account;</li><li>a phone number registered in your own name;</li>"
            "<li>a way to pay online.</li></ul>"
        ),
        "result": "An ordinary passport without chip, valid for 10 years (age 14 or over); it cannot be extended.",
        "steps": [
            (
                "Prepare your documents",
                "<p>Prepare a portrait photo, photos of both sides of your ID card and your old passport, if any.</p>",
            ),
            (
                "Apply online",
                "<p>Log in to the National Public Service Portal with VNeID, fill in the form, upload your documents and submit. You receive a dossier code by SMS and email.</p>",
            ),
            (
                "Follow your dossier and pay the fee",
                "<p>Track progress with your dossier code. Pay the fee online once the office has approved the dossier.</p>",
            ),
            (
                "Receive your passport",
                "<p>Collect it at the Immigration Division, or receive it at home by public post if you chose so.</p>",
            ),
        ],
        "faq": [
            ("When do I pay the fee?", "<p>Only <b>after</b> the office has checked and approved your dossier.</p>"),
            (
                "Do I have to go to the office?",
                "<p>No. The non-chip passport is issued fully online and can be delivered by post.</p>",
            ),
        ],
    },
    4: {
        "slug": "report-lost-passport",
        "title": "Report a lost passport",
        "summary": "Report a lost passport at once so that it is cancelled and nobody else can use it.",
        "time_note": "",
        "fees": [("Reporting a lost passport", 0, "VND")],
        "components": [("Lost passport report (TK05)", "Submit within 48 hours of noticing the loss.")],
        "conditions": "<p>Report the loss within <b>48 hours</b> of noticing it.</p>",
        "result": "A notice that the report was received; the lost passport is cancelled.",
        "steps": [
            (
                "Gather the details",
                "<p>Note the passport number, its issue date if you know it, and when and where it was lost.</p>",
            ),
            (
                "Report online",
                "<p>Log in to the public-service portal with VNeID, choose the lost-passport procedure and fill in form TK05. It is free.</p>",
            ),
            (
                "Follow your dossier",
                "<p>Track it with your dossier code. The passport is cancelled within one working day.</p>",
            ),
            ("Receive the notice", "<p>You receive an electronic notice. You can then apply for a new passport.</p>"),
        ],
        "faq": [("Is there a fee?", "<p>No. A replacement passport costs 400.000 đ.</p>")],
    },
    7: {
        "slug": "temporary-residence-declaration-for-foreigners",
        "title": "Temporary-residence declaration for foreigners",
        "summary": "Hotels and hosts declare foreign guests online, 24/7, with immediate confirmation.",
        "time_note": "immediately (24/7)",
        "fees": [("Temporary-residence declaration", 0, "VND")],
        "components": [
            (
                "Guest details",
                "Name, gender, date of birth, nationality, passport number, arrival and expected departure dates.",
            ),
        ],
        "conditions": "<p>Accommodation providers declare a foreign guest within <b>12 hours</b> of arrival (24 hours in remote areas).</p>",
        "result": "Confirmation of the declaration.",
        "steps": [
            (
                "Register an account",
                "<p>The first time, register your accommodation on the temporary-residence website; the account is activated by email.</p>",
            ),
            (
                "Collect the guest's details",
                "<p>Copy the passport and visa pages and note the arrival and departure dates.</p>",
            ),
            (
                "Declare online",
                "<p>Log in, choose <b>Declare temporary residence</b>, enter each guest and submit.</p>",
            ),
            ("Receive the confirmation", "<p>The system confirms at once; keep the declaration code.</p>"),
        ],
        "faq": [
            ("Must I declare again when a guest extends the stay?", "<p>Yes: update the expected departure date.</p>")
        ],
    },
}

PASSPORT_LEGAL_EN = (
    "<ul><li>Law on Exit and Entry of Vietnamese Citizens, 2019 (amended 2023);</li>"
    "<li>Circular 25/2021/TT-BTC on immigration fees;</li>"
    "<li>Circular 31/2023/TT-BCA on immigration forms.</li></ul>"
)
FOREIGNER_LEGAL_EN = (
    "<ul><li>Law on Entry, Exit, Transit and Residence of Foreigners in Vietnam, 2014 (amended 2019 and 2023);</li>"
    "<li>Circular 25/2021/TT-BTC on immigration fees.</li></ul>"
)
ENGLISH[1]["legal"] = ENGLISH[4]["legal"] = PASSPORT_LEGAL_EN
ENGLISH[7]["legal"] = FOREIGNER_LEGAL_EN

FEATURED = [
    (1, "Toàn trình trực tuyến, lệ phí 200.000 đ.", "Fully online, fee 200.000 đ."),
    (2, "Hộ chiếu điện tử, cần lấy vân tay lần đầu.", "E-passport; fingerprints taken in person the first time."),
    (7, "Dành cho cơ sở lưu trú, xác nhận ngay.", "For accommodation providers; confirmed at once."),
    (12, "Đăng ký trước, hẹn lịch lấy sinh trắc học.", "Register online, book a biometrics appointment."),
]


def ensure_field(report, data):
    field = ProcedureField.objects.filter(slug=data["slug"]).first()
    if field is None:
        field = ProcedureField.objects.create(**data)
        report.made(f"lĩnh vực {field.name}")
    return field


def ensure_index(report, home):
    index = home.get_children().filter(slug=INDEX_VI["slug"]).first()
    if index is not None:
        return index.specific
    index = ProcedureIndexPage(
        title=INDEX_VI["title"], slug=INDEX_VI["slug"], intro=INDEX_VI["intro"], locale=home.locale
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    report.made(f"trang {index.title}")
    return index


def ensure_index_translation(report, index, locale):
    existing = index.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    index_en = index.copy_for_translation(locale)
    for name, value in INDEX_EN.items():
        setattr(index_en, name, value)
    index_en.save_revision().publish()
    report.made(f"page {index_en.title} (en)")
    return index_en


def ensure_guide(report, index, spec, agencies, fields):
    existing = index.get_children().filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing.specific
    guide = GuidePage(
        title=spec["title"],
        slug=spec["slug"],
        locale=index.locale,
        procedure_code=spec["code"],
        summary=spec["summary"],
        procedure_field=fields[spec.get("field", IMMIGRATION)["slug"]],
        agency=agencies[spec["agency"]],
        service_level=spec["level"],
        processing_days=spec["days"],
        processing_time_note=spec["time_note"],
        conditions=spec["conditions"],
        legal_basis=spec["legal"],
        result=spec["result"],
        delivery_methods=[str(method) for method in spec["delivery"]],
        steps=spec["steps"],
        faq=[("question", {"question": question, "answer": answer}) for question, answer in spec["faq"]],
    )
    guide.fees = [Fee(sort_order=order, **data) for order, data in enumerate(spec["fees"])]
    guide.dossier_components = [
        DossierComponent(sort_order=order, **data) for order, data in enumerate(spec["components"])
    ]
    index.add_child(instance=guide)
    guide.save_revision().publish()
    report.made(f"hướng dẫn #{spec['number']} {guide.title}")
    return guide


def ensure_related(guides_by_number):
    """Link related procedures once all guides exist; guides that already have links keep them."""
    for spec in PROCEDURES:
        guide = guides_by_number[spec["number"]]
        if not spec["related"] or guide.related_procedures.exists():
            continue
        guide.related_procedures = [
            RelatedProcedure(sort_order=order, related_page=guides_by_number[number])
            for order, number in enumerate(spec["related"])
        ]
        guide.save_revision().publish()


def ensure_guide_translation(report, guide, locale, data):
    existing = guide.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    # Copies every field and child row (fees, components, related links); then the
    # Vietnamese text is replaced with the English one.
    guide_en = guide.copy_for_translation(locale)
    guide_en.title = data["title"]
    guide_en.slug = data["slug"]
    guide_en.summary = data["summary"]
    guide_en.processing_time_note = data["time_note"]
    guide_en.conditions = data["conditions"]
    guide_en.legal_basis = data["legal"]
    guide_en.result = data["result"]
    guide_en.steps = [("step", {"title": title, "body": body}) for title, body in data["steps"]]
    guide_en.faq = [("question", {"question": question, "answer": answer}) for question, answer in data["faq"]]
    source_fees = list(guide.fees.all())
    guide_en.fees = [
        Fee(
            sort_order=order,
            label=label,
            amount=Decimal(amount),
            currency=currency,
            effective_date=source.effective_date,
        )
        for order, ((label, amount, currency), source) in enumerate(zip(data["fees"], source_fees, strict=True))
    ]
    source_components = list(guide.dossier_components.all())
    guide_en.dossier_components = [
        DossierComponent(
            sort_order=order,
            name=name,
            description=description,
            is_required=source.is_required,
            copies=source.copies,
            template_document=source.template_document,
        )
        for order, ((name, description), source) in enumerate(zip(data["components"], source_components, strict=True))
    ]
    guide_en.save_revision().publish()
    report.made(f"guide {guide_en.title} (en)")
    return guide_en


def ensure_featured(report, home, guides_by_number, *, english):
    home = HomePage.objects.get(pk=home.pk)
    if home.featured_procedures.exists():
        return
    home.featured_procedures = [
        FeaturedProcedure(
            sort_order=order, page=guides_by_number[number], description=description_en if english else description
        )
        for order, (number, description, description_en) in enumerate(FEATURED)
    ]
    home.save_revision().publish()
    report.made(f"thủ tục nổi bật trên trang chủ ({home.locale.language_code})")


def seed(report, context):
    vi, en = context["locales"]
    agencies = context["agencies"]
    fields = {data["slug"]: ensure_field(report, data) for data in (IMMIGRATION, IDENTITY)}
    index = ensure_index(report, context["home"])
    index_en = ensure_index_translation(report, index, en)
    guides_by_number = {spec["number"]: ensure_guide(report, index, spec, agencies, fields) for spec in PROCEDURES}
    ensure_related(guides_by_number)
    guides_en = {
        number: ensure_guide_translation(report, guides_by_number[number], en, data) for number, data in ENGLISH.items()
    }
    ensure_featured(report, context["home"], guides_by_number, english=False)
    ensure_featured(report, context["home_en"], guides_by_number, english=True)
    # The procedure index comes second in the header menu, after the home page.
    ensure_menu_entry(report, vi, Menu.Location.HEADER, page=index, position=1)
    ensure_menu_entry(report, en, Menu.Location.HEADER, page=index_en, position=1)
    context.update(procedure_index=index, procedure_index_en=index_en, guides=guides_by_number, guides_en=guides_en)
    seed_qr_codes(report, context)
    return context


def seed_qr_codes(report, context):
    """QR codes for the guides, owned by the QR module (``guides/demo_qr.py``); the
    guides must exist first, so it runs here. Skipped while that module does not exist."""
    try:
        demo_qr = import_module("guides.demo_qr")
    except ModuleNotFoundError as exc:
        if exc.name != "guides.demo_qr":
            raise
        return
    demo_qr.seed_qr(report, context)
