"""The API keeps its contract (issue 12): a property-based fuzz of /api/v1/openapi.json.

schemathesis reads the document the server publishes and attacks the real server (waitress
on 127.0.0.1, the whole demo dataset, a county manager's bearer token so that most
operations answer 200) with every one of its checks, in all its phases: the document's
examples, coverage of each schema's edges, random valid and invalid data, and stateful
sequences that create, read, change and delete records through the links it infers. It must
find no server error, no answer outside the document (status, content type, headers, body
schema), no schema-valid request refused and no schema-invalid one accepted; the checks of
``schemathesis_hooks.py`` add that every error is problem+json titled by its status.

Settings: ``schemathesis.toml`` beside this file (each with its reason). The size of the run
is fixed so that CI stays within a few minutes on two cores: ``FUZZ_EXAMPLES`` cases per
operation and phase, with a fixed seed so that a red run can be replayed; set
``CHAINCRM_FUZZ_EXAMPLES`` / ``CHAINCRM_FUZZ_SEED`` to explore further.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crm.core.db import db

HERE = Path(__file__).parent
FUZZ_EXAMPLES = int(os.environ.get("CHAINCRM_FUZZ_EXAMPLES", "50"))
FUZZ_SEED = os.environ.get("CHAINCRM_FUZZ_SEED", "20261204")


@pytest.mark.fuzz
def test_no_server_error_and_no_answer_outside_the_document(demo_app, live_server, api, tmp_path):
    demo_app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is answered (and reported), not raised
    token = api.token("qishan_manager")
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(HERE / "schemathesis.toml"),
        "--no-color",
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--header",
        f"Authorization: Bearer {token}",
        "--max-examples",
        str(FUZZ_EXAMPLES),
        "--seed",
        FUZZ_SEED,
        # One worker: with two, hypothesis parses lambdas' source in two threads at once, which
        # CPython 3.11 before 3.11.8 can fail with "AST constructor recursion depth mismatch".
        "--workers",
        "1",
        "--request-timeout",
        "60",
    ]
    environment = {**os.environ, "SCHEMATHESIS_HOOKS": str(HERE / "schemathesis_hooks.py")}
    started = time.monotonic()
    run = subprocess.run(
        command, check=False, capture_output=True, text=True, env=environment, timeout=900, cwd=tmp_path
    )
    report = run.stdout + run.stderr
    summary = report[report.rfind("SUMMARY") :] if "SUMMARY" in report else report[-3000:]
    print(
        f"schemathesis: {time.monotonic() - started:.0f} s, {FUZZ_EXAMPLES} examples, seed {FUZZ_SEED}\n"
        + summary
    )
    # The failures (each with a curl command to replay it) come before the summary.
    assert run.returncode == 0, report[-20000:]
    assert "Tested: " in summary and "Stateful" in summary, summary


# Which model each response schema shows, column for column (``columns_dict``).
SCHEMA_MODELS = {
    "Company": "Company",
    "Contact": "Contact",
    "Project": "Project",
    "StageChange": "StageChange",
    "Activity": "Activity",
    "FundsRecord": "FundsRecord",
    "Chain": "Chain",
    "Policy": "Policy",
    "Commitment": "Commitment",
    "CommitmentDecision": "CommitmentDecision",
    "Fulfillment": "Fulfillment",
    "Obligation": "Obligation",
    "RewardRule": "RewardRule",
    "RewardList": "RewardList",
    "Referral": "Referral",
}


def _allows_null(schema: dict) -> bool:
    kind = schema.get("type")
    return (isinstance(kind, list) and "null" in kind) or ("enum" in schema and None in schema["enum"])


def test_response_schemas_agree_with_their_columns(app):
    """What the fuzz may not meet in the demo data: a nullable column documented as never
    null, a date or timestamp documented without its format."""
    from crm.api.openapi import document

    with app.app_context():
        schemas = document(app)["components"]["schemas"]
        models = {mapper.class_.__name__: mapper for mapper in db.Model.registry.mappers}
    disagreements = []
    for schema_name, model_name in SCHEMA_MODELS.items():
        properties = schemas[schema_name]["properties"]
        for column in models[model_name].columns:
            documented = properties.get(column.key)
            if documented is None:
                continue  # not every column is documented; an undocumented property is allowed
            kind = type(column.type).__name__
            if column.nullable and not _allows_null(documented):
                disagreements.append(f"{schema_name}.{column.key}: nullable column, schema {documented}")
            if kind == "DateTime" and documented.get("format") != "date-time":
                disagreements.append(f"{schema_name}.{column.key}: timestamp without format date-time")
            if kind == "Date" and documented.get("format") != "date":
                disagreements.append(f"{schema_name}.{column.key}: date without format date")
    assert disagreements == []


def test_every_api_route_is_documented_and_every_documented_operation_served(app):
    """The fuzz and the contract check (``crm.api.contract``) only know what the document
    lists: a route it does not list would escape both."""
    from crm.api.contract import openapi_template, unnamed
    from crm.api.openapi import HTTP_METHODS, document

    with app.app_context():
        doc = document(app)
    documented = {
        (unnamed(path), method.upper())
        for path, item in doc["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }
    served = {
        (openapi_template(rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.rule != "/api/v1/openapi.json"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert sorted(served - documented) == [] and sorted(documented - served) == []
