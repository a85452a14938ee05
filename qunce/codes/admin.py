from django.contrib import admin

from .models import Discipline, Industry, Region


class CodeEntryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    ordering = ("code",)

    def has_change_permission(self, request, obj=None):
        # National standards change by a new data file and migration, never by hand.
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Discipline, CodeEntryAdmin)
admin.site.register(Industry, CodeEntryAdmin)
admin.site.register(Region, CodeEntryAdmin)
