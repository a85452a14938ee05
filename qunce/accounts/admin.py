from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .forms import AdminLoginForm
from .models import ApiToken, User

# The admin site's own login follows the same password rule as the login page.
admin.site.login_form = AdminLoginForm


@admin.register(User)
class QunceUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Qunce", {"fields": ("must_change_password",)}))
    list_display = ("username", "first_name", "is_active", "must_change_password", "last_login")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("digest", "created_at", "last_used_at")
