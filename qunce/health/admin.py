from django.contrib import admin

from .models import CheckinAccess, CheckinPolicy


@admin.register(CheckinPolicy)
class CheckinPolicyAdmin(admin.ModelAdmin):
    list_display = ("campaign", "enabled", "opens_at", "deadline", "fever_threshold")


@admin.register(CheckinAccess)
class CheckinAccessAdmin(admin.ModelAdmin):
    """The read log is evidence: shown, never edited."""

    list_display = ("at", "viewer", "person", "what", "detail")
    list_filter = ("what",)
    readonly_fields = ("at", "viewer", "person", "what", "detail")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
