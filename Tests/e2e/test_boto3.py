# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""The emulator as boto3's Lambda client sees it (endpoint_url pointing at the invoke API)."""

import json

import boto3
import pytest
from botocore.config import Config


def lambda_client(emu):
    return boto3.client(
        "lambda",
        endpoint_url=f"http://127.0.0.1:{emu.invoke_port}",
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=30, connect_timeout=5),
    )


def test_boto3_invoke_returns_the_payload(curl_runtime):
    emu = curl_runtime("echo")
    resp = lambda_client(emu).invoke(FunctionName="function", Payload=json.dumps({"from": "boto3"}).encode())
    assert resp["StatusCode"] == 200
    assert "FunctionError" not in resp
    assert json.loads(resp["Payload"].read()) == {"from": "boto3"}


@pytest.mark.ours_only("Function name in the path")
def test_boto3_invoke_with_any_function_name(curl_runtime):
    emu = curl_runtime("echo")
    resp = lambda_client(emu).invoke(FunctionName="my-function", Payload=b'{"n":1}')
    assert resp["StatusCode"] == 200
    assert resp["Payload"].read() == b'{"n":1}'


@pytest.mark.ours_only("Function errors")
def test_boto3_sees_function_error_unhandled(curl_runtime):
    emu = curl_runtime("error")
    resp = lambda_client(emu).invoke(FunctionName="function", Payload=b"{}")
    assert resp["StatusCode"] == 200
    assert resp.get("FunctionError") == "Unhandled"
    assert json.loads(resp["Payload"].read())["errorType"] == "FixtureError"
