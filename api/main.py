"""The JSON API: ``/api/v1/…``, its OpenAPI 3.1 schema at ``/api/openapi.json``, docs at ``/api/docs``.

django-ninja builds the schema from the typed endpoint functions and their
pydantic schemas, so the contract cannot drift from the code and mypy
checks both.
"""

from typing import Any

from ninja import NinjaAPI

from api import problems
from api.endpoints import garage, library, race_days, racers, sims, webhooks
from api.problems import PROBLEM_CONTENT_TYPE
from api.throttling import THROTTLE


class ApexAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Error answers are documented as ``application/problem+json``, which is what they are."""
        schema = super().get_openapi_schema(**kwargs)
        for path in schema["paths"].values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content")
                    if int(status) >= 400 and content and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = ApexAPI(
    title="Apex API",
    version="1",
    description=(
        "Racers, vehicles, baselines, race days, the track log, the setup library, the advisor and sim "
        "profiles. Authenticate with `Authorization: Bearer <token>` (create one on the API tokens page); "
        "the directory and the library need none. Writes accept `Idempotency-Key`. Errors are "
        "`application/problem+json`."
    ),
    urls_namespace="api",
    throttle=[THROTTLE],
)
problems.install(api)
api.add_router("/v1/racers", racers.router)
api.add_router("/v1", garage.router)
api.add_router("/v1", race_days.router)
api.add_router("/v1", library.router)
api.add_router("/v1", sims.router)
api.add_router("/v1", webhooks.router)
