from django.contrib import admin

from .models import Notice, UnitReport


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("document_number", "title", "status", "report_deadline")
    list_filter = ("status",)
    readonly_fields = ("status", "published_at", "created_by")


@admin.register(UnitReport)
class UnitReportAdmin(admin.ModelAdmin):
    list_display = ("notice", "unit", "status", "received_at", "reported_at")
    list_filter = ("status",)
    readonly_fields = ("status", "received_at", "received_by", "reported_at", "reported_by")
