"""A consumer that hands a response body to the Zoho CRM Python SDK's own response parser.

The SDK (PyPI: zohocrmsdk8-0, not a dependency of this project) turns a decoded JSON
body into its model objects with `JSONConverter.get_response`, the step its API calls
run on every response. Nothing here reimplements the SDK: it only builds the converter
the way the SDK's request handler does, without a network call.
"""

from __future__ import annotations

import json
import os
from typing import Any

from zohocrmsdk.src.com.zoho.crm.api import initializer
from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
from zohocrmsdk.src.com.zoho.crm.api.util.common_api_handler import CommonAPIHandler
from zohocrmsdk.src.com.zoho.crm.api.util.constants import Constants
from zohocrmsdk.src.com.zoho.crm.api.util.json_converter import JSONConverter

PACKAGE = "zohocrmsdk.src.com.zoho.crm.api.portal_invite."

if not Initializer.json_details:  # what Initializer.initialize() loads, minus the login
    _details = os.path.join(os.path.dirname(initializer.__file__), "..", "..", "..", "..",
                            Constants.JSON_DETAILS_FILE_PATH)
    with open(_details, encoding="utf-8") as file:
        Initializer.json_details = json.load(file)


def _parse(body: Any, handler: str) -> Any:
    api = CommonAPIHandler()
    api.set_module_api_name("Contacts")
    return JSONConverter(api).get_response(body, PACKAGE + handler)


def invite(body: Any) -> Any:
    """Parse an Invite User response as the SDK's invite_users() does."""
    return _parse(body, "action_handler")


def job_status(body: Any) -> Any:
    """Parse a Bulk Invite Job Status response as the SDK does."""
    return _parse(body, "response_wrapper")
