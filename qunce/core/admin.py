from django.contrib import admin

from .models import AuditEvent, Delivery, GroupRobot


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_id")
    list_filter = ("action", "target_type")
    readonly_fields = ("at", "actor", "action", "target_type", "target_id", "changes")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GroupRobot)
class GroupRobotAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "kind", "active")
    list_filter = ("kind", "active")
    raw_id_fields = ("unit",)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("at", "channel", "subject", "recipient", "robot", "outcome")
    list_filter = ("channel", "outcome")
    readonly_fields = [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
