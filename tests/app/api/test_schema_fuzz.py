"""Schemathesis: cases generated from the OpenAPI document never get a 5xx or an off-schema answer.

Every check runs except positive_data_acceptance: a schema-valid request can still be wrong in ways
a schema cannot say (``until`` before ``since``, an unknown name), and those get a documented 4xx.

The schema is built at import (schemathesis needs it to generate the tests), over a seeded store
in a temporary folder. TRADEGRAPH_FUZZ_EXAMPLES sets the examples per operation (bench/ runs more).
"""

import os
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.main import create_app
from app.settings import Settings
from graph.embedded import EmbeddedStore
from ingest.structured import load_facts
from tests.conftest import FACTS

EXAMPLES = int(os.environ.get("TRADEGRAPH_FUZZ_EXAMPLES", "25"))

_store = EmbeddedStore(Path(tempfile.mkdtemp(prefix="tradegraph-fuzz-")) / "fuzz.db")
_store.upsert(load_facts(FACTS))
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings(), store=_store))
# An invalid body can also be refused for its size before it is read (413, documented), which is as
# much a rejection of invalid data as a 422.
schema.config.checks.negative_data_rejection.expected_statuses.append("413")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests(case):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
