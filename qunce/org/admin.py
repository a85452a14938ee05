from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from qunce.core.services import audit_record

from .models import Campaign, Person, RoleGrant, Unit


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_on", "ends_on", "status", "retention_days")


@admin.register(Unit)
class UnitAdmin(TreeAdmin):
    form = movenodeform_factory(Unit)
    list_display = ("name", "code", "kind")
    search_fields = ("name", "code")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("staff_no", "name", "unit", "title_level", "political_status")
    list_filter = ("title_level", "political_status")
    search_fields = ("staff_no", "name")
    raw_id_fields = ("unit", "user")


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "granted_at")
    list_filter = ("role",)
    raw_id_fields = ("user", "unit")

    def save_model(self, request, obj, form, change):
        # Roles open doors (counselling cases, whole units): every grant is on the record.
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="role_grant",
            target=obj,
            changes={"user": obj.user_id, "role": obj.role, "unit": obj.unit_id},
        )

    def delete_model(self, request, obj):
        audit_record(
            actor=request.user,
            action="role_revoke",
            target=obj,
            changes={"user": obj.user_id, "role": obj.role, "unit": obj.unit_id},
        )
        super().delete_model(request, obj)
