"""Add requests: a driver's ID waiting for staff to see its code on the simulator, and their audit actions."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sims", "0007_search_text_trigram_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Added"),
                    ("link", "Linked"),
                    ("unlink", "Unlinked"),
                    ("visibility", "Visibility changed"),
                    ("verification_requested", "Verification requested"),
                    ("verification_approved", "Verification approved"),
                    ("verification_rejected", "Verification rejected"),
                    ("add_requested", "Add requested"),
                    ("add_approved", "Add approved"),
                    ("add_rejected", "Add rejected"),
                    ("add_cancelled", "Add cancelled"),
                ],
                max_length=30,
            ),
        ),
        migrations.CreateModel(
            name="AddRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "profile_identifier",
                    models.CharField(
                        max_length=100,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[^/\\s]+$",
                                "Use the simulator's ID for the driver, without spaces or slashes.",
                            )
                        ],
                        verbose_name="identifier",
                    ),
                ),
                ("profile_name", models.CharField(max_length=100, verbose_name="name")),
                ("code", models.CharField(max_length=20, unique=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField()),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sim_add_requests",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "simulator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="add_requests",
                        to="sims.simulator",
                    ),
                ),
            ],
            options={
                "verbose_name": "add request",
                "ordering": ["-created_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "pending")),
                        fields=("requested_by", "simulator", "profile_identifier"),
                        name="one_pending_add_request_per_user_and_identifier",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["pending", "approved", "rejected", "cancelled"])),
                        name="add_request_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("decided_at__isnull", True), ("status", "pending")),
                            models.Q(
                                models.Q(("status", "pending"), _negated=True), ("decided_at__isnull", False)
                            ),
                            _connector="OR",
                        ),
                        name="add_request_decided_when_not_pending",
                    ),
                ],
            },
        ),
    ]
