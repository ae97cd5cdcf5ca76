"""Schemathesis: requests generated from the OpenAPI schema, sent over HTTP to the live app with a token.

Every operation, valid and invalid input alike: no 5xx, status codes,
content types, headers and bodies as the schema says, and every endpoint
that declares a token refuses a request without one. Bounded (a few
examples per operation) so the whole run stays under a minute.
"""

import datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from apex.tests.fixtures import make_user
from api.main import api
from api.tests.factories import bearer, make_token
from library.models import LibrarySetup
from racing.tests.factories import make_baseline, make_race_day, make_vehicle, racer_of
from sims.tests.factories import make_profile, make_simulator

# Examples from the schema and random ones; the coverage phase (every boundary
# of every field, hundreds of requests an operation) would take minutes.
CONFIG = SchemathesisConfig.from_dict(
    {
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "generation": {"max-examples": 4},
    }
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"), config=CONFIG)
# A schema cannot say everything the forms check (a parameter code, a cursor
# this list gave, a value inside a parameter's range): such a request is
# schema-valid yet rightly refused with a 422 that names the field.
NOT_CHECKED = [positive_data_acceptance]


@pytest.fixture
def live_token(transactional_db, live_server):
    user = make_user("fuzz")
    racer = racer_of(user)
    vehicle = make_vehicle(racer)
    make_baseline(vehicle)
    make_race_day(racer, make_vehicle(racer), date=datetime.date(2026, 5, 4))
    make_profile(make_simulator(), linked_user=user)
    LibrarySetup.objects.create(track="Genk", brand="Mugen", vehicle="MBX8R")
    return make_token(user, "write")


@schema.parametrize()
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_to_its_schema(case, live_server, live_token):
    # A generated bearer value gives way to a real token. A case generated
    # without the header, or with one that is not a bearer token, is sent as it
    # is: the app must refuse it (adding the token made the app accept it).
    generated = (case.headers or {}).get("Authorization")
    headers = bearer(live_token) if isinstance(generated, str) and generated.startswith("Bearer ") else None
    response = case.call_and_validate(base_url=live_server.url, headers=headers, excluded_checks=NOT_CHECKED)
    if case.meta is not None and case.meta.generation.mode.is_positive:
        assert response.status_code != 401, "a schema-valid request went without the token"
