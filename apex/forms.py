"""How every form renders: through the project's templates, one template per field.

``{{ form }}`` writes non-field errors, then each field through
``templates/forms/field.html`` (``{{ form.field.as_field_group }}`` writes
one): label, input, help text and errors, with ``aria-describedby`` linking
the input to its help text and errors. Widget attributes (input modes,
placeholders, htmx attributes) belong in the form classes, not templates.
"""

from django.forms.renderers import TemplatesSetting


class ApexFormRenderer(TemplatesSetting):
    """Django's template-based renderer with the project's form and field templates."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
