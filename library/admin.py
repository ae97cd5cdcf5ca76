from django.contrib import admin

from library.models import LibrarySetup
from racing.setup_params import admin_fieldsets


@admin.register(LibrarySetup)
class LibrarySetupAdmin(admin.ModelAdmin):
    list_display = ["track", "brand", "vehicle", "condition", "date", "added_by", "created_at"]
    list_filter = ["brand", "condition", "date"]
    search_fields = ["track", "brand", "vehicle", "condition", "source", "added_by__username"]
    list_select_related = ["added_by"]
    raw_id_fields = ["added_by"]
    date_hierarchy = "date"
    fieldsets = [
        (None, {"fields": ["track", "brand", "vehicle", "condition", "date", "source", "added_by"]}),
        *admin_fieldsets(),
    ]
