"""Default notification templates (vi + en) for every event; staff edit them in the admin.

Reversible: the reverse deletes only templates still identical to these defaults.
"""

from django.db import migrations

TRACK_VI = "Theo dõi hồ sơ: {{ tracking_url }}"
TRACK_EN = "Track your application: {{ tracking_url }}"

# event: (vi subject, vi sentence, en subject, en sentence)
MESSAGES = {
    "submitted": (
        "Đã nhận hồ sơ {{ code }}",
        "Cổng dịch vụ công đã nhận hồ sơ {{ code }} ({{ procedure }}). Cơ quan sẽ kiểm tra và tiếp nhận hồ sơ.",
        "Application {{ code }} submitted",
        "The public service portal has received application {{ code }} ({{ procedure }}). The office will check and accept it.",
    ),
    "received": (
        "Hồ sơ {{ code }} đã được tiếp nhận",
        "Hồ sơ {{ code }} ({{ procedure }}) đã được tiếp nhận.{% if due_date %} Ngày hẹn trả kết quả: {{ due_date }}.{% endif %}",
        "Application {{ code }} accepted",
        "Application {{ code }} ({{ procedure }}) has been accepted.{% if due_date %} Result expected on {{ due_date }}.{% endif %}",
    ),
    "refused": (
        "Hồ sơ {{ code }} không được tiếp nhận",
        "Hồ sơ {{ code }} ({{ procedure }}) không được tiếp nhận. Xem lý do tại trang theo dõi.",
        "Application {{ code }} not accepted",
        "Application {{ code }} ({{ procedure }}) was not accepted. See the reason on the tracking page.",
    ),
    "supplement_requested": (
        "Hồ sơ {{ code }} cần bổ sung",
        "Hồ sơ {{ code }} ({{ procedure }}) cần bổ sung giấy tờ. Vui lòng bổ sung tại trang theo dõi.",
        "Application {{ code }} needs more documents",
        "Application {{ code }} ({{ procedure }}) needs more documents. Please add them on the tracking page.",
    ),
    "fee_requested": (
        "Hồ sơ {{ code }}: yêu cầu nộp lệ phí",
        "Hồ sơ {{ code }} ({{ procedure }}) cần nộp lệ phí để tiếp tục xử lý. Xem hướng dẫn tại trang theo dõi.",
        "Application {{ code }}: fee requested",
        "A fee is due for application {{ code }} ({{ procedure }}) before processing continues. See the tracking page.",
    ),
    "finished": (
        "Hồ sơ {{ code }} đã có kết quả",
        "Hồ sơ {{ code }} ({{ procedure }}) đã có kết quả.",
        "Application {{ code }}: result ready",
        "The result of application {{ code }} ({{ procedure }}) is ready.",
    ),
    "result_returned": (
        "Hồ sơ {{ code }} đã trả kết quả",
        "Kết quả hồ sơ {{ code }} ({{ procedure }}) đã được trả.",
        "Application {{ code }}: result delivered",
        "The result of application {{ code }} ({{ procedure }}) has been delivered.",
    ),
    "withdrawn": (
        "Hồ sơ {{ code }} đã được rút",
        "Hồ sơ {{ code }} ({{ procedure }}) đã được rút theo yêu cầu.",
        "Application {{ code }} withdrawn",
        "Application {{ code }} ({{ procedure }}) has been withdrawn as requested.",
    ),
}


def _rows():
    for event, (vi_subject, vi_text, en_subject, en_text) in MESSAGES.items():
        for language, subject, text, track in (
            ("vi", vi_subject, vi_text, TRACK_VI),
            ("en", en_subject, en_text, TRACK_EN),
        ):
            yield {
                "event": event,
                "channel": "email",
                "language": language,
                "subject": subject,
                "body_text": f"{text}\n\n{track}\n",
                "body_html": f'<p>{text}</p>\n<p><a href="{{{{ tracking_url }}}}">{track.split(":")[0]}</a></p>\n',
            }
            yield {
                "event": event,
                "channel": "sms",
                "language": language,
                "subject": "",
                "body_text": f"{text} {track}",
                "body_html": "",
            }


def forwards(apps, schema_editor):
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for row in _rows():
        NotificationTemplate.objects.get_or_create(
            event=row["event"], channel=row["channel"], language=row["language"], defaults=row
        )


def backwards(apps, schema_editor):
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for row in _rows():
        NotificationTemplate.objects.filter(**row).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
