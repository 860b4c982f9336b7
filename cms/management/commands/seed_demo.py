"""Load the demo content of every app. Idempotent: a second run creates nothing."""

import os
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from cms import demo as cms_demo


class Command(BaseCommand):
    help = "Tạo nội dung mẫu (trang, cài đặt, người dùng demo). Chạy lại không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Đặt lại mật khẩu của các tài khoản demo đã có (theo DEMO_PASSWORD hoặc ngẫu nhiên).",
        )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or None
        report = cms_demo.DemoReport(self.stdout)
        with transaction.atomic():
            context = cms_demo.seed(report, password=password, reset_passwords=options["reset_passwords"])
            # Other apps contribute their own demo content through a `demo.seed(report, context)`
            # function; cms does not import them (imports flow forms -> guides -> cms).
            for app_config in apps.get_app_configs():
                if app_config.name == "cms":
                    continue
                try:
                    module = import_module(f"{app_config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app_config.name}.demo":
                        raise
                    continue
                module.seed(report, context)
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {report.created} mục mới."))
        self.stdout.write("")
        self.stdout.write(f"Trang quản trị: {cms_demo.admin_url()}")
        for username, role, shown in context["logins"]:
            if shown:
                self.stdout.write(f"  {username:<9} mật khẩu: {shown}   ({role})")
            else:
                self.stdout.write(
                    f"  {username:<9} (đã có; mật khẩu giữ nguyên – đặt lại: seed_demo --reset-passwords)   ({role})"
                )
