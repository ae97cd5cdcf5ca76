from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.decorators import decorate_view

from api.auth import READ, WRITE
from api.endpoints.common import READ_ERRORS, WRITE_ERRORS, Id, account
from api.idempotency import idempotent
from api.pagination import PageParams, keyset
from api.schemas import RacerOut, page_of
from profiles import services
from profiles.models import RacerProfile

router = Router(tags=["racers"])
RacerPage = page_of(RacerOut, "RacerPage")


@router.get("", response={200: RacerPage, **READ_ERRORS}, auth=READ)
def racer_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, object]:
    """The account's racers, oldest first."""
    racers = RacerProfile.objects.owned_by(account(request)).with_vehicle_count()
    items, cursor = keyset(racers, page, order=("id",))
    return {"items": items, "next_cursor": cursor}


@router.post("/{racer_id}/default", response={200: RacerOut, **WRITE_ERRORS}, auth=WRITE)
@decorate_view(idempotent)
def racer_make_default(request: HttpRequest, racer_id: Id) -> RacerProfile:
    """Make this racer the one that loads on login (exactly one per account)."""
    user = account(request)
    try:
        services.racer_set_default(owner=user, racer_id=racer_id)
    except RacerProfile.DoesNotExist:
        raise Http404("No such racer.") from None
    return RacerProfile.objects.owned_by(user).with_vehicle_count().get(pk=racer_id)
