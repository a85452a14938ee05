from django.contrib import admin

from .models import PledgeTemplate, VanguardAct


@admin.register(PledgeTemplate)
class PledgeTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "campaign", "active", "created_at")
    list_filter = ("active",)


@admin.register(VanguardAct)
class VanguardActAdmin(admin.ModelAdmin):
    list_display = ("person", "done_on", "status")
    list_filter = ("status",)
    readonly_fields = ("status", "verified_by")
