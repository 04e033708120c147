"""drf-spectacular hooks for the committed OpenAPI file."""

from __future__ import annotations

from typing import Any

METHODS = ("get",)


def document_malformed_requests(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """Every read may answer 400 with the error format: a request whose address (path or query) holds a NUL
    character is refused before it reaches a view (``core.middleware.RejectNullCharactersMiddleware``, code
    ``invalid``). Writes document their own 400s already."""
    response = {
        "description": "Malformed request (for example a NUL character in the address): code `invalid`.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method in METHODS:
                operation.setdefault("responses", {}).setdefault("400", response)
    # POST /api/v1/verify/ takes the credential itself as the body: without one there is nothing to verify.
    verify = result.get("paths", {}).get("/api/v1/verify/", {}).get("post", {})
    if "requestBody" in verify:
        verify["requestBody"]["required"] = True
    return result
