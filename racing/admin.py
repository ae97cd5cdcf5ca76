from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from racing.models import (
    BaselineVersion,
    RaceDay,
    RaceDayChange,
    RaceDayLap,
    RaceDayRound,
    TrackLog,
    Vehicle,
)
from racing.setup_params import FIELD_NAMES, admin_fieldsets


class BaselineVersionInline(admin.TabularInline):
    model = BaselineVersion
    fields = ["number", "note", "created_at"]
    readonly_fields = ["number", "note", "created_at"]
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-number"]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # New versions come from baseline_save, which numbers them safely.
        return False


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "racer", "brand", "model", "nickname", "transponder", "created_at"]
    list_filter = ["brand", "created_at"]
    search_fields = ["brand", "model", "nickname", "transponder", "racer__name", "racer__owner__username"]
    list_select_related = ["racer"]
    autocomplete_fields = ["racer"]
    inlines = [BaselineVersionInline]


@admin.register(BaselineVersion)
class BaselineVersionAdmin(admin.ModelAdmin):
    list_display = ["vehicle", "number", "note", "created_at"]
    list_filter = ["created_at", "vehicle__brand"]
    search_fields = ["vehicle__brand", "vehicle__model", "vehicle__nickname", "note", "vehicle__racer__name"]
    list_select_related = ["vehicle"]
    # A version is history: only its note can be corrected.
    readonly_fields = ["vehicle", "number", "created_at", *FIELD_NAMES]
    fieldsets = [(None, {"fields": ["vehicle", "number", "note", "created_at"]}), *admin_fieldsets()]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class RaceDayChangeInline(admin.TabularInline):
    model = RaceDayChange
    fields = ["parameter", "old_value", "new_value", "reason", "symptom", "status"]
    extra = 0


class RaceDayRoundInline(admin.TabularInline):
    model = RaceDayRound
    fields = ["kind", "result", "note"]
    extra = 0
    show_change_link = True  # the round's page holds its laps


class RaceDayLapInline(admin.TabularInline):
    model = RaceDayLap
    fields = ["lap_no", "time"]
    extra = 0


@admin.register(RaceDayRound)
class RaceDayRoundAdmin(admin.ModelAdmin):
    list_display = ["__str__", "race_day", "kind", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["race_day__track", "race_day__racer__name", "result"]
    list_select_related = ["race_day__vehicle"]
    raw_id_fields = ["race_day"]
    inlines = [RaceDayLapInline]


@admin.register(RaceDay)
class RaceDayAdmin(admin.ModelAdmin):
    list_display = ["track", "date", "racer", "vehicle", "status", "surface", "grip", "weather"]
    list_filter = ["status", "date", "surface"]
    search_fields = ["track", "racer__name", "vehicle__brand", "vehicle__model", "vehicle__nickname"]
    list_select_related = ["racer", "vehicle"]
    raw_id_fields = ["racer", "vehicle", "based_on"]
    date_hierarchy = "date"
    inlines = [RaceDayChangeInline, RaceDayRoundInline]
    fieldsets = [
        (None, {"fields": ["racer", "vehicle", "based_on", "track", "date", "status", "closed_at"]}),
        ("Conditions", {"fields": ["surface", "grip", "temperature", "weather"]}),
        *admin_fieldsets(),
    ]


@admin.register(TrackLog)
class TrackLogAdmin(admin.ModelAdmin):
    list_display = ["timestamp", "track", "racer", "vehicle", "event"]
    list_filter = ["timestamp", "event"]
    search_fields = ["track", "event", "note", "racer__name"]
    list_select_related = ["racer", "vehicle"]
    raw_id_fields = ["racer", "vehicle", "race_day"]
    date_hierarchy = "timestamp"
