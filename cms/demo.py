"""Demo content for the cms app: agencies, site settings, home/about/contact pages in
both languages, menus, groups and demo users.

Every step looks up what it would create first and leaves existing content alone, so
running it twice creates nothing new and an existing site keeps its own pages.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import Agency, AgencyMembership, HomePage, Menu, MenuItem, SiteSettings, StandardPage
from .permissions import PUBLISHERS_GROUP

EDITORS_GROUP = "Biên tập viên"
WORKFLOW_NAME = "Duyệt nội dung trước khi đăng"
APPROVAL_TASK_NAME = "Lãnh đạo phòng duyệt"
OFFICERS_GROUP = "Cán bộ xử lý hồ sơ"

AGENCIES = [
    {
        "code": "000.20.79.H29",
        "name": "Phòng Quản lý xuất nhập cảnh – Công an TP Hồ Chí Minh",
        "name_en": "Immigration Management Division – Ho Chi Minh City Police",
        "short_name": "PA08",
        "address": "196 Nguyễn Thị Minh Khai, phường Xuân Hòa, TP Hồ Chí Minh",
        "phone": "069 3187 777",
    },
    {
        "code": "000.21.79.H29",
        "name": "Phòng Cảnh sát quản lý hành chính về trật tự xã hội – Công an TP Hồ Chí Minh",
        "name_en": "Administrative Police Division for Social Order – Ho Chi Minh City Police",
        "short_name": "PC06",
        "address": "459 Trần Hưng Đạo, phường Cầu Ông Lãnh, TP Hồ Chí Minh",
        "phone": "069 3187 600",
    },
]

HOME_VI = {
    "title": "Trang chủ",
    "hero_title": "Dịch vụ công trực tuyến về xuất nhập cảnh và căn cước",
    "hero_text": (
        "Xem hướng dẫn từng bước, nộp hồ sơ trực tuyến, tra cứu tiến độ và nhận kết quả "
        "mà không cần đến cơ quan nhiều lần."
    ),
    "featured_title": "Thủ tục thường dùng",
}
HOME_EN = {
    "title": "Home",
    "hero_title": "Online public services for immigration and ID cards",
    "hero_text": (
        "Read step-by-step guides, apply online, track your dossier and receive the result "
        "without repeated trips to the office."
    ),
    "featured_title": "Popular procedures",
}

NOTICE_VI = (
    "<p>Từ ngày 01/01/2026, lệ phí cấp hộ chiếu áp dụng mức đầy đủ theo Thông tư 25/2021/TT-BTC. "
    "Lệ phí chỉ nộp <b>sau khi</b> hồ sơ đã được kiểm tra và chấp thuận.</p>"
)
NOTICE_EN = (
    "<p>From 1 January 2026 the full passport fee under Circular 25/2021/TT-BTC applies again. "
    "The fee is paid only <b>after</b> the office has checked and approved the dossier.</p>"
)

ABOUT_VI = {
    "title": "Giới thiệu",
    "slug": "gioi-thieu",
    "intro": "Cổng giúp người dân thực hiện thủ tục xuất nhập cảnh và căn cước trực tuyến.",
    "body": (
        "<p>Phòng Quản lý xuất nhập cảnh tiếp nhận và giải quyết hồ sơ cấp hộ chiếu phổ thông, "
        "thị thực, tạm trú cho người nước ngoài và các thủ tục liên quan. Phần lớn thủ tục có thể "
        "thực hiện toàn trình trực tuyến: bạn khai hồ sơ, tải giấy tờ lên, theo dõi tiến độ bằng mã "
        "hồ sơ và nhận kết quả qua bưu chính công ích.</p>"
    ),
}
ABOUT_EN = {
    "title": "About",
    "slug": "about",
    "intro": "The portal lets citizens complete immigration and ID-card procedures online.",
    "body": (
        "<p>The Immigration Management Division receives and decides applications for ordinary "
        "passports, visas, temporary residence of foreigners and related procedures. Most of them can "
        "be done fully online: you fill in the form, upload your documents, follow progress with your "
        "dossier code and receive the result by public post.</p>"
    ),
}
CONTACT_VI = {
    "title": "Liên hệ",
    "slug": "lien-he",
    "intro": "Liên hệ cơ quan khi bạn cần hỗ trợ về hồ sơ.",
    "body": "<p>Khi gọi đường dây nóng, vui lòng chuẩn bị sẵn mã hồ sơ để được hỗ trợ nhanh hơn.</p>",
}
CONTACT_EN = {
    "title": "Contact",
    "slug": "contact",
    "intro": "Contact the office when you need help with your dossier.",
    "body": "<p>When you call the hotline, please have your dossier code ready so we can help you faster.</p>",
}


class DemoReport:
    """Collects what seeding did, for the command's output."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.created = 0

    def made(self, what):
        self.created += 1
        self.stdout.write(f"  + {what}")


def _paragraph(html):
    return [("paragraph", html)]


def ensure_locales():
    vi, _ = Locale.objects.get_or_create(language_code="vi")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return vi, en


def ensure_agencies(report):
    agencies = []
    for data in AGENCIES:
        agency, created = Agency.objects.get_or_create(code=data["code"], defaults=data)
        if created:
            report.made(f"cơ quan {agency.short_name}")
        agencies.append(agency)
    return agencies


def ensure_home(report, vi, en):
    """The Vietnamese home page is the site root; the English one is its translation."""
    home = HomePage.objects.filter(locale=vi).first()
    root = Page.get_first_root_node()
    if root is None:
        # Wagtail's migrations create the tree root; a flushed database has none.
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=vi))
    if home is None:
        # Wagtail's first migration makes a placeholder "Welcome" page; replace it only
        # when it is still that untouched placeholder.
        placeholder = Page.objects.filter(depth=2, slug="home", content_type__model="page").first()
        site = Site.objects.filter(is_default_site=True).first()
        if placeholder is not None and placeholder.get_children_count() == 0:
            placeholder.slug = "welcome-placeholder"
            placeholder.save()
        home = HomePage(slug="home", locale=vi, **HOME_VI)
        home.notices = [("notice", {"kind": "info", "title": "Lệ phí hộ chiếu năm 2026", "text": NOTICE_VI})]
        root.add_child(instance=home)
        home.save_revision().publish()
        report.made("trang chủ (vi)")
        if site is None:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Portal")
        elif placeholder is not None and site.root_page_id == placeholder.pk:
            site.root_page = home
            site.save()
            if placeholder.get_children_count() == 0:
                placeholder.delete()
    home_en = home.get_translation_or_none(en)
    if home_en is None:
        home_en = home.copy_for_translation(en)
        for field, value in HOME_EN.items():
            setattr(home_en, field, value)
        home_en.slug = "home-en"
        home_en.notices = [("notice", {"kind": "info", "title": "Passport fees in 2026", "text": NOTICE_EN})]
        home_en.save_revision().publish()
        report.made("home page (en)")
    return home.specific, home_en.specific


def ensure_standard_page(report, parent, data, *, show_contact=False, source=None, locale=None):
    """Create a standard page under `parent` (or translate `source` into `locale`)."""
    if source is not None:
        existing = source.get_translation_or_none(locale)
        if existing is not None:
            return existing.specific
        page = source.copy_for_translation(locale)
        page.title = data["title"]
        page.slug = data["slug"]
        page.intro = data["intro"]
        page.body = _paragraph(data["body"])
        page.save_revision().publish()
        report.made(f"trang {page.title} ({locale.language_code})")
        return page.specific
    existing = parent.get_children().filter(slug=data["slug"]).first()
    if existing is not None:
        return existing.specific
    page = StandardPage(
        title=data["title"],
        slug=data["slug"],
        intro=data["intro"],
        body=_paragraph(data["body"]),
        show_contact_details=show_contact,
        locale=parent.locale,
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    report.made(f"trang {page.title}")
    return page


def ensure_site_settings(report):
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    site_settings, created = SiteSettings.objects.get_or_create(site=site)
    if created or site_settings.agency_name in ("", "Cổng dịch vụ công") and not site_settings.hotline:
        site_settings.agency_name = AGENCIES[0]["name"]
        site_settings.agency_name_en = AGENCIES[0]["name_en"]
        site_settings.parent_agency = "Công an TP Hồ Chí Minh"
        site_settings.parent_agency_en = "Ho Chi Minh City Police"
        site_settings.hotline = "069 3187 777"
        site_settings.email = "xuatnhapcanh@example.gov.vn"
        site_settings.address = AGENCIES[0]["address"]
        site_settings.address_en = "196 Nguyen Thi Minh Khai, Xuan Hoa ward, Ho Chi Minh City"
        site_settings.working_hours = "Thứ Hai – Thứ Sáu: 7h30 – 11h30, 13h00 – 17h00; sáng Thứ Bảy: 7h30 – 11h30"
        site_settings.working_hours_en = "Monday – Friday: 7:30 – 11:30, 13:00 – 17:00; Saturday morning: 7:30 – 11:30"
        site_settings.facebook_url = "https://www.facebook.com/"
        site_settings.save()
        report.made("cài đặt cổng")


def ensure_menu(report, locale, location, title, pages, translation_of=None):
    menu = Menu.objects.filter(locale=locale, location=location).first()
    if menu is not None:
        return menu
    menu = Menu(locale=locale, location=location, title=title)
    if translation_of is not None:
        menu.translation_key = translation_of.translation_key
    menu.save()
    for order, page in enumerate(pages):
        MenuItem.objects.create(menu=menu, page=page, sort_order=order)
    report.made(f"menu {title} ({locale.language_code})")
    return menu


def ensure_menu_entry(report, locale, location, *, page=None, url="", label="", position=None):
    """Add one link (a page, or a path with its label) to a menu once; `position` puts it
    at that index, moving the later items down; None appends it. Menus staff edited keep
    their other items."""
    menu = Menu.objects.filter(locale=locale, location=location).first()
    if menu is None:
        return
    existing = menu.items.filter(page=page) if page is not None else menu.items.filter(url=url)
    if existing.exists():
        return
    items = list(menu.items.order_by("sort_order"))
    if position is None or position > len(items):
        position = len(items)
    for index, item in enumerate(items):
        new_order = index if index < position else index + 1
        if item.sort_order != new_order:
            item.sort_order = new_order
            item.save(update_fields=["sort_order"])
    MenuItem.objects.create(menu=menu, page=page, url=url, label=label, sort_order=position)
    report.made(f"mục menu {label or page.title} ({locale.language_code})")


def ensure_groups(report, home):
    editors, created = Group.objects.get_or_create(name=EDITORS_GROUP)
    publishers, _ = Group.objects.get_or_create(name=PUBLISHERS_GROUP)
    officers, _ = Group.objects.get_or_create(name=OFFICERS_GROUP)
    if created:
        report.made("nhóm quyền")
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for group in (editors, publishers, officers):
        group.permissions.add(access_admin)
    root = Page.get_first_root_node()
    page_perms = {
        editors: ["add_page", "change_page", "publish_page"],
        publishers: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    }
    for group, codenames in page_perms.items():
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for group in (editors, publishers):
        for app_label, codenames in {
            "wagtailimages": ["add_image", "change_image", "choose_image"],
            "wagtaildocs": ["add_document", "change_document", "choose_document"],
        }.items():
            for codename in codenames:
                permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )
        for codename in ["add_menu", "change_menu", "delete_menu"]:
            group.permissions.add(Permission.objects.get(content_type__app_label="cms", codename=codename))
    return editors, publishers, officers


def ensure_workflow(report, publishers, roots):
    """Moderation: an editor submits, a publisher approves. Applies below the home pages."""
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        report.made("quy trình duyệt nội dung")
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task = GroupApprovalTask.objects.filter(name=APPROVAL_TASK_NAME).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=APPROVAL_TASK_NAME)
            task.groups.set([publishers])
        # Workflow.workflow_tasks is a deferred (modelcluster) relation: create the row directly.
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for root in roots:
        if not WorkflowPage.objects.filter(page=root).exists():
            WorkflowPage.objects.create(page=root, workflow=workflow)
    return workflow


def ensure_users(report, groups, agencies, password, reset_passwords):
    """Create the demo logins. Returns [(username, role, password or None)]."""
    editors, publishers, officers = groups
    user_model = get_user_model()
    specs = [
        ("admin", "Quản trị hệ thống", {"is_superuser": True, "is_staff": True}, [], None),
        ("editor", "Biên tập viên (truyền thông)", {}, [editors], None),
        ("publisher", "Lãnh đạo phòng – duyệt nội dung", {}, [publishers], None),
        ("officer", f"Cán bộ {agencies[0].short_name}", {}, [officers], agencies[0]),
        ("officer2", f"Cán bộ {agencies[1].short_name}", {}, [officers], agencies[1]),
    ]
    logins = []
    for username, role, flags, user_groups, agency in specs:
        user = user_model.objects.filter(username=username).first()
        shown_password = None
        if user is None:
            user = user_model(username=username, email=f"{username}@example.gov.vn", first_name=role, **flags)
            shown_password = password or secrets.token_urlsafe(12)
            user.set_password(shown_password)
            user.save()
            user.groups.add(*user_groups)
            report.made(f"người dùng {username}")
        elif reset_passwords:
            shown_password = password or secrets.token_urlsafe(12)
            user.set_password(shown_password)
            user.save(update_fields=["password"])
        if agency is not None:
            AgencyMembership.objects.get_or_create(agency=agency, user=user)
        logins.append((username, role, shown_password))
    return logins


@transaction.atomic
def seed(report, *, password=None, reset_passwords=False):
    vi, en = ensure_locales()
    agencies = ensure_agencies(report)
    home, home_en = ensure_home(report, vi, en)
    about = ensure_standard_page(report, home, ABOUT_VI)
    contact = ensure_standard_page(report, home, CONTACT_VI, show_contact=True)
    about_en = ensure_standard_page(report, None, ABOUT_EN, source=about, locale=en)
    contact_en = ensure_standard_page(report, None, CONTACT_EN, source=contact, locale=en)
    ensure_site_settings(report)
    header_vi = ensure_menu(report, vi, Menu.Location.HEADER, "Menu chính", [home, about, contact])
    ensure_menu(report, en, Menu.Location.HEADER, "Main menu", [home_en, about_en, contact_en], header_vi)
    footer_vi = ensure_menu(report, vi, Menu.Location.FOOTER, "Chân trang", [about, contact])
    ensure_menu(report, en, Menu.Location.FOOTER, "Footer", [about_en, contact_en], footer_vi)
    # Dossier tracking is a view, not a page: the menu links to its path.
    ensure_menu_entry(report, vi, Menu.Location.HEADER, url="/tra-cuu/", label="Tra cứu hồ sơ")
    ensure_menu_entry(report, en, Menu.Location.HEADER, url="/en/tra-cuu/", label="Track a dossier")
    groups = ensure_groups(report, home)
    ensure_workflow(report, groups[1], [home, home_en])
    logins = ensure_users(report, groups, agencies, password, reset_passwords)
    return {"home": home, "home_en": home_en, "agencies": agencies, "logins": logins, "locales": (vi, en)}


def admin_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/"
