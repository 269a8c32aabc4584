"""Configuration screens: activity types and day services are the admin's to edit.

Activities and registrations change only through the staff pages (services, audit, capacity
rules), so they are read-only here."""

from django.contrib import admin

from .models import Activity, ActivityType, DayService, Registration


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_competition", "is_recruitment", "position", "active"]
    list_editable = ["position", "active"]


@admin.register(DayService)
class DayServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position", "active"]
    list_editable = ["position", "active"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "type", "jurisdiction", "starts_at", "capacity", "status"]
    list_filter = ["status", "type", "jurisdiction"]
    search_fields = ["title"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["activity", "masked_name", "status", "waitlist_position", "checked_in_at"]
    list_filter = ["status", "source"]
    exclude = ["mobile"]
