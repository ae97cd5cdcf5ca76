from django.conf import settings
from django.http import HttpRequest


def features(request: HttpRequest) -> dict[str, bool]:
    return {"ENABLE_PUBLIC_PROFILES": settings.ENABLE_PUBLIC_PROFILES}
