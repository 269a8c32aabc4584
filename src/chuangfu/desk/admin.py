"""Configuration screens: categories and their time limits, routing rules, figure definitions."""

from django.contrib import admin

from .models import Category, MetricDefinition, RoutingRule


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "jurisdiction",
        "accept_days",
        "answer_days",
        "rectify_days",
        "default_unit",
        "order",
        "active",
    ]
    list_filter = ["jurisdiction", "active"]
    list_editable = ["accept_days", "answer_days", "rectify_days", "order", "active"]
    search_fields = ["name"]
    autocomplete_fields = ["default_unit"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "category", "keywords", "unit", "priority", "active"]
    list_filter = ["jurisdiction", "active"]
    list_editable = ["priority", "active"]
    search_fields = ["name", "keywords"]
    autocomplete_fields = ["unit"]


@admin.register(MetricDefinition)
class MetricDefinitionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "basis", "description", "order", "active"]
    list_editable = ["order", "active"]
