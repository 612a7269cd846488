# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""The awslambdaric handler Scripts/bench invokes: returns the event, as the C runtime does."""


def echo(event, context):
    return event
