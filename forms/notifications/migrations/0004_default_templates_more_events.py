"""Default templates of the events added in 0003 (vi + en), and the result_returned split.

* New citizen events (email + SMS): returned in person / by post / electronically, stopped by
  the office, rating request; officer events (email only): new dossier, assignment, supplement
  returned. ``get_or_create``: a template staff already made is kept.
* The supplement request now links to the signed supplement page (``{{ supplement_url }}``);
  only a template still identical to its 0002 default is rewritten.
* ``result_returned`` was one event: its untouched default templates are deleted (the three
  variants replace them), a template staff edited becomes the in-person variant, and past
  messages take the variant of their dossier's return method.

Reversible: the reverse deletes the defaults added here (if unchanged), puts the 0002
supplement text back and maps the three variants to ``result_returned`` again.
"""

from importlib import import_module

from django.db import migrations

OLD = import_module("forms.notifications.migrations.0002_default_templates")

# event: (vi subject, vi sentence, vi link label, link placeholder, en subject, en sentence, en link label)
CITIZEN = {
    "supplement_requested": (
        "Hồ sơ {{ code }} cần bổ sung",
        "Hồ sơ {{ code }} ({{ procedure }}) cần bổ sung giấy tờ. Xem nội dung cần bổ sung và gửi bổ sung tại đường dẫn dưới đây.",
        "Bổ sung hồ sơ",
        "supplement_url",
        "Application {{ code }} needs more documents",
        "Application {{ code }} ({{ procedure }}) needs more documents. See what is needed and send it at the link below.",
        "Add documents",
    ),
    "returned_in_person": (
        "Hồ sơ {{ code }}: đã trả kết quả trực tiếp",
        "Kết quả hồ sơ {{ code }} ({{ procedure }}) đã được trả trực tiếp tại cơ quan.",
        "Theo dõi hồ sơ",
        "tracking_url",
        "Application {{ code }}: result handed over",
        "The result of application {{ code }} ({{ procedure }}) was handed over at the office.",
        "Track your application",
    ),
    "returned_by_post": (
        "Hồ sơ {{ code }}: kết quả đã gửi qua bưu chính",
        "Kết quả hồ sơ {{ code }} ({{ procedure }}) đã được gửi qua bưu chính công ích.{% if waybill %} Số vận đơn: {{ waybill }}.{% endif %}",
        "Theo dõi hồ sơ",
        "tracking_url",
        "Application {{ code }}: result sent by post",
        "The result of application {{ code }} ({{ procedure }}) has been sent by public post.{% if waybill %} Tracking number: {{ waybill }}.{% endif %}",
        "Track your application",
    ),
    "returned_electronic": (
        "Hồ sơ {{ code }}: đã có kết quả điện tử",
        "Kết quả điện tử của hồ sơ {{ code }} ({{ procedure }}) đã sẵn sàng. Tải về tại trang theo dõi.",
        "Tải kết quả",
        "tracking_url",
        "Application {{ code }}: electronic result ready",
        "The electronic result of application {{ code }} ({{ procedure }}) is ready. Download it from the tracking page.",
        "Download the result",
    ),
    "stopped": (
        "Hồ sơ {{ code }} bị dừng xử lý",
        "Cơ quan đã dừng xử lý hồ sơ {{ code }} ({{ procedure }}). Xem lý do tại trang theo dõi.",
        "Theo dõi hồ sơ",
        "tracking_url",
        "Application {{ code }}: processing stopped",
        "The office has stopped processing application {{ code }} ({{ procedure }}). See the reason on the tracking page.",
        "Track your application",
    ),
    "rating_requested": (
        "Đánh giá việc giải quyết hồ sơ {{ code }}",
        "Mời bạn đánh giá mức độ hài lòng với việc giải quyết hồ sơ {{ code }} ({{ procedure }}).",
        "Đánh giá",
        "rating_url",
        "How was application {{ code }} handled?",
        "Please tell us how satisfied you are with how application {{ code }} ({{ procedure }}) was handled.",
        "Rate the service",
    ),
}

OFFICER = {
    "officer_new_dossier": (
        "Hồ sơ mới {{ code }}",
        "Có hồ sơ mới {{ code }} ({{ procedure }}) chờ tiếp nhận.",
        "Mở hồ sơ",
        "admin_url",
        "New application {{ code }}",
        "A new application {{ code }} ({{ procedure }}) is waiting to be accepted.",
        "Open the application",
    ),
    "officer_assigned": (
        "Bạn được phân công hồ sơ {{ code }}",
        "Bạn được phân công thụ lý hồ sơ {{ code }} ({{ procedure }}).{% if due_date %} Hạn trả kết quả: {{ due_date }}.{% endif %}",
        "Mở hồ sơ",
        "admin_url",
        "Application {{ code }} assigned to you",
        "You have been assigned application {{ code }} ({{ procedure }}).{% if due_date %} Due on {{ due_date }}.{% endif %}",
        "Open the application",
    ),
    "officer_supplement": (
        "Hồ sơ {{ code }} đã được bổ sung",
        "Người dân đã bổ sung hồ sơ {{ code }} ({{ procedure }}); hồ sơ tiếp tục được xử lý.",
        "Mở hồ sơ",
        "admin_url",
        "Application {{ code }}: documents added",
        "The applicant has added the requested documents to application {{ code }} ({{ procedure }}); processing continues.",
        "Open the application",
    ),
}


def _email(event, language, subject, text, label, link):
    return {
        "event": event,
        "channel": "email",
        "language": language,
        "subject": subject,
        "body_text": f"{text}\n\n{label}: {{{{ {link} }}}}\n",
        "body_html": f'<p>{text}</p>\n<p><a href="{{{{ {link} }}}}">{label}</a></p>\n',
    }


def _sms(event, language, text, label, link):
    return {
        "event": event,
        "channel": "sms",
        "language": language,
        "subject": "",
        "body_text": f"{text} {label}: {{{{ {link} }}}}",
        "body_html": "",
    }


def _rows():
    for event, (vi_subject, vi_text, vi_label, link, en_subject, en_text, en_label) in CITIZEN.items():
        yield _email(event, "vi", vi_subject, vi_text, vi_label, link)
        yield _sms(event, "vi", vi_text, vi_label, link)
        yield _email(event, "en", en_subject, en_text, en_label, link)
        yield _sms(event, "en", en_text, en_label, link)
    for event, (vi_subject, vi_text, vi_label, link, en_subject, en_text, en_label) in OFFICER.items():
        yield _email(event, "vi", vi_subject, vi_text, vi_label, link)
        yield _email(event, "en", en_subject, en_text, en_label, link)


def _key(row):
    return row["event"], row["channel"], row["language"]


OLD_DEFAULTS = {_key(row): row for row in OLD._rows()}
RETURN_EVENT = {"truc_tiep": "returned_in_person", "buu_chinh": "returned_by_post", "dien_tu": "returned_electronic"}


def forwards(apps, schema_editor):
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    Notification = apps.get_model("notifications", "Notification")
    for template in NotificationTemplate.objects.filter(event="result_returned"):
        default = OLD_DEFAULTS[
            _key({"event": "result_returned", "channel": template.channel, "language": template.language})
        ]
        edited = any(getattr(template, field) != default[field] for field in ("subject", "body_text", "body_html"))
        taken = NotificationTemplate.objects.filter(
            event="returned_in_person", channel=template.channel, language=template.language
        ).exists()
        if edited and not taken:
            template.event = "returned_in_person"
            template.save(update_fields=["event"])
        else:
            template.delete()
    for row in _rows():
        old = OLD_DEFAULTS.get(_key(row))
        if old is not None:
            NotificationTemplate.objects.filter(**old).update(**row)
        NotificationTemplate.objects.get_or_create(
            event=row["event"], channel=row["channel"], language=row["language"], defaults=row
        )
    for method, event in RETURN_EVENT.items():
        Notification.objects.filter(event="result_returned", dossier__return_method=method).update(event=event)
    Notification.objects.filter(event="result_returned").update(event="returned_in_person")


def backwards(apps, schema_editor):
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    Notification = apps.get_model("notifications", "Notification")
    for row in _rows():
        old = OLD_DEFAULTS.get(_key(row))
        if old is not None:
            NotificationTemplate.objects.filter(**row).update(**old)
        else:
            NotificationTemplate.objects.filter(**row).delete()
    NotificationTemplate.objects.filter(event="returned_in_person").update(event="result_returned")
    NotificationTemplate.objects.filter(event__in=["returned_by_post", "returned_electronic"]).delete()
    for row in OLD._rows():
        if row["event"] == "result_returned":
            NotificationTemplate.objects.get_or_create(
                event=row["event"], channel=row["channel"], language=row["language"], defaults=row
            )
    Notification.objects.filter(event__in=list(RETURN_EVENT.values())).update(event="result_returned")


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_more_events_and_officers")]

    operations = [migrations.RunPython(forwards, backwards)]
