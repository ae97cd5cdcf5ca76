from django.db import models
from django.urls import reverse

from profiles.models import RacerProfile


class Vehicle(models.Model):
    racer = models.ForeignKey(RacerProfile, on_delete=models.CASCADE, related_name="vehicles")
    brand = models.CharField(max_length=60)
    model = models.CharField(max_length=100)
    nickname = models.CharField(max_length=60, blank=True)
    transponder = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["brand", "model", "nickname", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["racer", "brand", "model", "nickname"],
                name="unique_vehicle_per_racer",
                violation_error_message="This racer already has a vehicle with that brand, model and nickname.",
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.brand} {self.model}"
        return f"{label} “{self.nickname}”" if self.nickname else label

    def get_absolute_url(self) -> str:
        return reverse("vehicle_detail", args=[self.pk])
