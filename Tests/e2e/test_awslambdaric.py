# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Issue check (b): AWS's Python runtime interface client (awslambdaric) behind the emulator,
mirroring AWS's own integration tests (test_end_to_end.py)."""

import base64
import json

from harness import expected as X


def test_echo(python_runtime):
    emu = python_runtime("app.echo")
    for event in ({"hello": "world"}, {"n": [1, 2, 3]}, "text"):
        r = emu.invoke(json.dumps(event).encode())
        assert r.status == 200
        assert json.loads(r.body) == event


def test_raised_exception_is_200_with_error_json(python_runtime):
    emu = python_runtime("app.raise_exception")
    r = emu.invoke(b"{}")
    assert r.status == 200
    doc = json.loads(r.body)
    assert doc["errorType"] == "Exception"
    assert doc["errorMessage"] == "Raising an exception"
    assert X.UUID_RX.match(doc["requestId"])
    assert len(doc["stackTrace"]) == 1
    assert doc["stackTrace"][0].endswith('line 15, in raise_exception\n    raise Exception("Raising an exception")\n')


def test_timeout_answers_task_timed_out_then_the_next_invoke_works(python_runtime):
    emu = python_runtime("app.sleep", AWS_LAMBDA_FUNCTION_TIMEOUT="1")
    r = emu.invoke(b'{"seconds": 5}')
    assert (r.status, r.body) == (200, b"Task timed out after 1.00 seconds")
    ok = emu.invoke(b'{"seconds": 0}')
    assert (ok.status, ok.body) == (200, b'"slept 0"')


def test_sys_exit_during_invoke_is_502_runtime_exit_error(python_runtime):
    emu = python_runtime("app.exit_during_invoke")
    r = emu.invoke(b'{"code": 3}')
    assert r.status == 502
    m = X.EXIT_ERROR_RX.match(r.body)
    assert m, r.body
    request_id = m.group(1).decode()
    assert r.body == (
        b'{"errorType":"Runtime.ExitError","errorMessage":"RequestId: '
        + request_id.encode()
        + b' Error: Runtime exited with error: exit status 3"}'
    )
    # END/REPORT never name this request id in AWS's emulator; the START line does.
    assert request_id in emu.stdout()
    again = emu.invoke(b'{"code": 0}')
    m2 = X.EXIT_ERROR_RX.match(again.body)
    assert again.status == 502 and m2, again
    assert again.body == X.exit_without_reason(m2.group(1).decode())


def test_failure_at_import_is_an_init_failure_502(python_runtime):
    emu = python_runtime("initfail.handler")
    for _ in range(2):
        r = emu.invoke(b"{}")
        assert r.status == 502
        doc = json.loads(r.body)
        assert doc["errorType"] == "RuntimeError"
        assert doc["errorMessage"] == "initfail: this module fails at import"
        assert doc["requestId"] == ""


def test_environment_seen_by_the_runtime(python_runtime):
    emu = python_runtime("app.env", MyEnv="4=4", LOG_LEVEL="info", _SOME_PRIVATE="p")
    r = emu.invoke(b"{}")
    assert r.status == 200
    env = json.loads(r.body)
    assert env["MyEnv"] == "4=4"
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "test_function"
    assert env["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST"
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "3008"
    assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == "/aws/lambda/Functions"
    assert env["AWS_LAMBDA_LOG_STREAM_NAME"] == "$LATEST"
    assert env["AWS_LAMBDA_RUNTIME_API"] == f"127.0.0.1:{emu.rapi_port}"
    assert env["_HANDLER"] == "app.env"
    # Credentials are always present, empty when the emulator has none.
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        assert env[key] == "", key
    # The emulator's whole environment passes through, _-prefixed and LOG_LEVEL included.
    assert env["_SOME_PRIVATE"] == "p"
    assert env["LOG_LEVEL"] == "info"
    assert env["PATH"] == emu.env["PATH"]
    # (_X_AMZN_TRACE_ID: set by awslambdaric from Lambda-Runtime-Trace-Id, which only ours sends: test_tracing.py)
    for key in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "LAMBDA_TASK_ROOT"):
        assert key not in env, key


def test_environment_with_name_region_memory_and_credentials(python_runtime):
    emu = python_runtime(
        "app.env",
        AWS_LAMBDA_FUNCTION_NAME="MyCoolName",
        AWS_REGION="eu-west-1",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE="512",
        AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY="secret",
        AWS_SESSION_TOKEN="token",
        AWS_LAMBDA_FUNCTION_HANDLER="app.env",
    )
    env = json.loads(emu.invoke(b"{}").body)
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "MyCoolName"
    assert env["AWS_REGION"] == "eu-west-1"
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "512"
    assert (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"], env["AWS_SESSION_TOKEN"]) == (
        "AKIDEXAMPLE",
        "secret",
        "token",
    )


def test_metadata_api_is_advertised_and_answers(python_runtime):
    """AWS's emulator (sam-cli 1.170.0) sets AWS_LAMBDA_METADATA_API / _TOKEN and serves
    GET /2026-01-15/metadata/execution-environment with `Authorization: Bearer <token>`."""
    emu = python_runtime("app.env")
    env = json.loads(emu.invoke(b"{}").body)
    assert env["AWS_LAMBDA_METADATA_API"] == f"127.0.0.1:{emu.rapi_port}"
    token = env["AWS_LAMBDA_METADATA_TOKEN"]
    assert X.UUID_RX.match(token)
    path = "/2026-01-15/metadata/execution-environment"
    ok = emu.rapi("GET", path, {"Authorization": f"Bearer {token}"})
    assert (ok.status, ok.body) == (200, b'{"AvailabilityZoneID":"use1-az1"}')
    assert ok.header("Content-Type") == "application/json"
    assert ok.header("Cache-Control") == "private, max-age=43200, immutable"
    denied = emu.rapi("GET", path, {"Authorization": "Bearer wrong"})
    assert (denied.status, denied.body) == (401, b"Unauthorized\n")


def test_context_arn_name_remaining_time_and_client_context(python_runtime):
    emu = python_runtime("app.context_dump", AWS_LAMBDA_FUNCTION_TIMEOUT="10", AWS_LAMBDA_FUNCTION_NAME="MyCoolName")
    cc = {"custom": {"foo": "bar", "baz": 123}, "env": {"platform": "e2e"}}
    r = emu.invoke(b"{}", {"X-Amz-Client-Context": base64.b64encode(json.dumps(cc).encode()).decode()})
    assert r.status == 200
    ctx = json.loads(r.body)
    assert ctx["invoked_function_arn"] == "arn:aws:lambda:us-east-1:012345678912:function:MyCoolName"
    assert ctx["function_name"] == "MyCoolName"
    assert ctx["function_version"] == "$LATEST"
    assert ctx["memory_limit_in_mb"] == "3008"
    assert ctx["log_group_name"] == "/aws/lambda/Functions"
    assert ctx["log_stream_name"] == "$LATEST"
    assert 8_000 <= ctx["remaining_ms"] <= 10_000, ctx["remaining_ms"]
    assert ctx["client_context_custom"] == {"foo": "bar", "baz": 123}
    assert ctx["client_context_env"] == {"platform": "e2e"}
    assert X.UUID_RX.match(ctx["aws_request_id"])
    emu.wait_for_stdout(rf"^END RequestId: {ctx['aws_request_id']}$")


def test_context_default_arn_and_default_remaining_time(python_runtime):
    emu = python_runtime("app.context_dump")
    ctx = json.loads(emu.invoke(b"{}").body)
    assert ctx["invoked_function_arn"] == X.DEFAULT_ARN
    assert 298_000 <= ctx["remaining_ms"] <= 300_000, ctx["remaining_ms"]
    assert ctx["client_context_custom"] is None
