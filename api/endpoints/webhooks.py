"""Webhooks: a URL that receives a signed POST for chosen events; their deliveries with status."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status
from ninja.decorators import decorate_view

from api import services
from api.auth import READ, WRITE
from api.endpoints.common import READ_ERRORS, WRITE_ERRORS, Id, account
from api.idempotency import idempotent
from api.models import Webhook
from api.pagination import PageParams, keyset
from api.problems import ApiProblem
from api.schemas import DeliveryOut, WebhookCreatedOut, WebhookIn, WebhookOut, page_of

router = Router(tags=["webhooks"])
WebhookPage = page_of(WebhookOut, "WebhookPage")
DeliveryPage = page_of(DeliveryOut, "DeliveryPage")
_url = URLValidator(schemes=["http", "https"])


def own_webhook(request: HttpRequest, webhook_id: int) -> Webhook:
    webhook = Webhook.objects.owned_by(account(request)).filter(pk=webhook_id).first()
    if webhook is None:
        raise Http404("No such webhook.")
    return webhook


@router.get("/webhooks", response={200: WebhookPage, **READ_ERRORS}, auth=READ)
def webhook_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, object]:
    items, cursor = keyset(Webhook.objects.owned_by(account(request)), page, order=("-id",))
    return {"items": items, "next_cursor": cursor}


@router.post("/webhooks", response={201: WebhookCreatedOut, **WRITE_ERRORS}, auth=WRITE)
@decorate_view(idempotent)
def webhook_create(request: HttpRequest, payload: WebhookIn) -> Status[Webhook]:
    """Register a URL for events; the answer holds the signing secret, shown only this once."""
    try:
        _url(payload.url)
    except ValidationError:
        raise ApiProblem(
            422,
            "url: give an http or https URL.",
            errors=[{"field": "url", "message": "Give an http or https URL."}],
        ) from None
    return Status(201, services.webhook_create(user=account(request), url=payload.url, events=payload.events))


@router.delete("/webhooks/{webhook_id}", response={204: None, **WRITE_ERRORS}, auth=WRITE)
@decorate_view(idempotent)
def webhook_delete(request: HttpRequest, webhook_id: Id) -> Status[None]:
    if not services.webhook_delete(user=account(request), webhook_id=webhook_id):
        raise Http404("No such webhook.")
    return Status(204, None)


@router.get("/webhooks/{webhook_id}/deliveries", response={200: DeliveryPage, **READ_ERRORS}, auth=READ)
def webhook_deliveries(request: HttpRequest, webhook_id: Id, page: Query[PageParams]) -> dict[str, object]:
    """Each delivery with its status (pending, delivered, failed), attempts and last answer; newest first."""
    webhook = own_webhook(request, webhook_id)
    items, cursor = keyset(webhook.deliveries.all(), page, order=("-id",))
    return {"items": items, "next_cursor": cursor}
