# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Helpers shared by the e2e suite and the compat driver."""
