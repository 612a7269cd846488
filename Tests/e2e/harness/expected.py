# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Exact bytes AWS's aws-lambda-rie puts on the wire (rie-behavior.md, checked against AWS's binary
bundled in aws-sam-cli 1.170.0). Tests compare against these, byte for byte."""

import re

MAX_PAYLOAD = 6291556  # 6 MiB + 100

STATUS_OK = b'{"status":"OK"}\n'
INVALID_REQUEST_ID = b'{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}\n'
INVALID_RESPONSE_MODE = b'{"errorMessage":"Invalid function response mode","errorType":"InvalidFunctionResponseMode"}\n'
RAPI_PAYLOAD_TOO_LARGE = (
    b'{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}\n'
)
# What the caller gets (status 200) when the runtime's response is over MAX_PAYLOAD. Note: AWS's binary does
# not print the actual size here, although rie-behavior.md §2.3 says it does.
INVOKE_RESPONSE_TOO_LARGE = (
    b'{"errorType":"Function.ResponseSizeTooLarge",'
    b'"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes)."}'
)
NOT_FOUND = b"404 page not found\n"
TEXT_PLAIN = "text/plain; charset=utf-8"
LOGS_STUB = b'{"errorMessage":"Logs API is not supported","errorType":"Logs.NotSupported"}\n'
TELEMETRY_STUB = b'{"errorMessage":"Telemetry API is not supported","errorType":"Telemetry.NotSupported"}\n'
DEFAULT_ARN = "arn:aws:lambda:us-east-1:012345678912:function:test_function"

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
UUID_RX = re.compile(f"^{UUID}$")


def invalid_transition(current: str, target: str) -> bytes:
    """403 body of the Runtime API when the runtime's state machine refuses a call.

    current is AWS's internal state name (e.g. RuntimeResponseSentState); target is InvocationResponse,
    InvocationErrorResponse, InitError or Ready."""
    return (
        f'{{"errorMessage":"State transition from {current} to {target} failed for runtime. '
        f'Error: State transition is not allowed","errorType":"InvalidStateTransition"}}\n'
    ).encode()


def exit_error(request_id: str, reason: str) -> bytes:
    """502 body when the runtime exits during an invoke. reason: 'exit status 1', 'signal: killed', ..."""
    return (
        f'{{"errorType":"Runtime.ExitError","errorMessage":"RequestId: {request_id} '
        f'Error: Runtime exited with error: {reason}"}}'
    ).encode()


def exit_without_reason(request_id: str) -> bytes:
    """502 body when the runtime exits with status 0 during an invoke."""
    return (
        f'{{"errorType":"Runtime.ExitError","errorMessage":"RequestId: {request_id} '
        f'Error: Runtime exited without providing a reason"}}'
    ).encode()


EXIT_ERROR_RX = re.compile(
    rb'^\{"errorType":"Runtime\.ExitError","errorMessage":"RequestId: (' + UUID.encode() + rb') Error: '
)


def timed_out(seconds: int) -> bytes:
    return f"Task timed out after {seconds}.00 seconds".encode()


START_RX = re.compile(rf"^START RequestId: ({UUID}) Version: \$LATEST$", re.M)
END_RX = re.compile(rf"^END RequestId: ({UUID})$", re.M)
# The REPORT line ends with a tab. Init Duration only on the first invoke of the process.
REPORT_RX = re.compile(
    rf"^REPORT RequestId: ({UUID})\t(?:Init Duration: (\d+\.\d\d) ms\t)?Duration: (\d+\.\d\d) ms\t"
    rf"Billed Duration: (\d+) ms\tMemory Size: (\d+) MB\tMax Memory Used: (\d+) MB\t$",
    re.M,
)
