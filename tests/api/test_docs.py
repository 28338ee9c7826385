"""The OpenAPI document at /api/v1/openapi.json and its docs page, served with no CDN."""

import re

import pytest


def test_the_openapi_document_is_at_api_v1(api):
    answer = api.get("/openapi.json")
    assert answer.status_code == 200
    document = answer.json()
    assert (document["openapi"], document["info"]["title"], document["info"]["version"]) == ("3.1.0", "Saldo API", "1")
    assert "/api/v1/cards/{kpj}/balance" in document["paths"]


def test_every_error_response_is_documented_as_problem_json(api):
    document = api.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], f"{method} {path} {status}"
                    assert response["content"]["application/problem+json"]["schema"] == {
                        "$ref": "#/components/schemas/Problem"
                    }
            assert "429" in operation["responses"], f"{method} {path}: every operation is rate limited"
            if "security" in operation:
                assert "401" in operation["responses"], f"{method} {path}"


def test_the_docs_page_loads_nothing_from_elsewhere(api):
    page = api.client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "an external script, style or icon"
    assert "cdn" not in html.lower()
    csp = page["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "https:" not in csp
    assert '"validatorUrl": null' in html  # Swagger UI would send the document to validator.swagger.io
    assert '"url": "/api/v1/openapi.json"' in html


def test_every_asset_of_the_docs_page_is_served_here(api):
    html = api.client.get("/api/v1/docs").content.decode()
    assets = re.findall(r"""(?:src|href)="([^"]+)\"""", html)
    assert len(assets) == 5
    for asset in assets:
        answer = api.client.get(asset)
        assert answer.status_code == 200, asset
        assert b"".join(answer.streaming_content), asset


@pytest.mark.parametrize("name", ["../../settings.py", "swagger-ui-bundle.js.map", "nothing.js"])
def test_only_the_docs_assets_are_served(api, name):
    assert api.client.get(f"/api/v1/docs/assets/{name}").status_code == 404
