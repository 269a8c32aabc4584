"""Configuration screens: each town's innovation criteria (what a firm is scored on and how many
points each is worth) are the administrator's to keep. The chain itself is kept on the office's
own pages (audited, checked for cycles), so it is not edited here."""

from django.contrib import admin

from .models import InnovationCriterion


@admin.register(InnovationCriterion)
class InnovationCriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "max_points", "position", "active"]
    list_editable = ["max_points", "position", "active"]
    list_filter = ["jurisdiction", "active"]
    search_fields = ["name"]
