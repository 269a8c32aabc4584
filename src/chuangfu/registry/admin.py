"""Django admin for the registry's configuration (enterprise tags).

People, enterprises, carriers and mentors are shown read-only here: every change to them goes
through the staff pages or the API, which validate, scope and audit it.
"""

from django.contrib import admin

from .models import Carrier, Enterprise, Mentor, Person, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class ReadOnlyAdmin(admin.ModelAdmin):
    list_select_related = ["jurisdiction"]
    show_full_result_count = False  # no COUNT(*) over a million rows on every page

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["name", "masked_id_number", "gender", "birth_date", "jurisdiction"]
    fields = [
        "name",
        "masked_id_number",
        "masked_mobile",
        "gender",
        "birth_date",
        "hukou_kind",
        "jurisdiction",
        "education",
        "employment_status",
    ]
    readonly_fields = fields
    search_fields = ["name"]


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ["name", "uscc", "entity_type", "registration_status", "jurisdiction"]
    list_filter = ["entity_type", "registration_status"]
    search_fields = ["=uscc", "name"]
    exclude = ["name_pinyin"]


@admin.register(Carrier)
class CarrierAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "jurisdiction", "workstations_free", "workstations_total"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Mentor)
class MentorAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "jurisdiction", "available"]
    list_filter = ["available"]
    search_fields = ["name", "organisation"]
