from django.contrib import admin

from advisor.forms import TheoryDocumentAdminForm
from advisor.models import AdviceRule, ConditionBoost, ParameterStep, TheoryDocument


@admin.register(TheoryDocument)
class TheoryDocumentAdmin(admin.ModelAdmin):
    form = TheoryDocumentAdminForm
    list_display = ["title", "category", "filename", "updated_at"]
    list_filter = ["category"]
    search_fields = ["title", "filename", "content"]
    readonly_fields = ["content_hash", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["upload", "title", "category"]}),
        ("Text", {"fields": ["content"]}),
        (
            "Where it came from",
            {"fields": ["filename", "file_path", "content_hash", "created_at", "updated_at"]},
        ),
    ]


@admin.register(ParameterStep)
class ParameterStepAdmin(admin.ModelAdmin):
    list_display = ["parameter", "category", "step", "increase_words", "decrease_words"]
    list_filter = ["category"]
    search_fields = ["parameter", "increase_words", "decrease_words"]


@admin.register(AdviceRule)
class AdviceRuleAdmin(admin.ModelAdmin):
    list_display = ["symptom", "parameter", "direction", "weight", "reason"]
    list_editable = ["weight"]
    list_filter = ["symptom", "parameter", "direction"]
    search_fields = ["reason"]


@admin.register(ConditionBoost)
class ConditionBoostAdmin(admin.ModelAdmin):
    list_display = ["condition", "symptom", "parameter", "direction", "boost", "note"]
    list_editable = ["boost"]
    list_filter = ["condition", "symptom", "parameter"]
    search_fields = ["note"]
