from django.contrib import admin

from .models import KeyProblem, Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("topic", "author", "status", "submitted_at")
    list_filter = ("status",)
    readonly_fields = ("status", "decided_by")


@admin.register(KeyProblem)
class KeyProblemAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "published_at")
    list_filter = ("status",)
    readonly_fields = ("status", "published_by")
