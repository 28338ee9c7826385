"""Strict-Transport-Security: on every response to a request made over HTTPS, never over plain
http; behind a proxy that terminates TLS, the proxy's X-Forwarded-Proto counts only where
SALDO_BEHIND_TLS_PROXY=1 says such a proxy is there."""

import pytest

from saldo import settings as saldo_settings

ONE_YEAR = 365 * 24 * 60 * 60
PATHS = ["/", "/masuk/", "/api/v1/openapi.json", "/healthz"]


@pytest.mark.parametrize("path", PATHS)
def test_a_request_over_https_gets_strict_transport_security_for_a_year(client, path):
    response = client.get(path, secure=True)
    assert response["Strict-Transport-Security"] == f"max-age={ONE_YEAR}"


@pytest.mark.parametrize("path", PATHS)
def test_a_request_over_plain_http_gets_none(client, path):
    assert "Strict-Transport-Security" not in client.get(path).headers


def test_subdomains_are_included_only_when_the_operator_says_so(client, settings):
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    assert client.get("/", secure=True)["Strict-Transport-Security"] == f"max-age={ONE_YEAR}; includeSubDomains"


def test_the_defaults_are_a_year_without_subdomains_nor_preload_and_no_proxy_header(settings, monkeypatch):
    monkeypatch.delenv("SALDO_BEHIND_TLS_PROXY", raising=False)
    assert (settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD) == (
        ONE_YEAR, False, False)
    assert saldo_settings._proxy_ssl_header() is None


@pytest.mark.parametrize("choice, header", [(None, None), ("0", None), ("1", ("HTTP_X_FORWARDED_PROTO", "https"))])
def test_the_proxy_header_is_trusted_only_behind_a_tls_proxy(monkeypatch, choice, header):
    """What SECURE_PROXY_SSL_HEADER is set from, for a server started with this SALDO_BEHIND_TLS_PROXY."""
    if choice is None:
        monkeypatch.delenv("SALDO_BEHIND_TLS_PROXY", raising=False)
    else:
        monkeypatch.setenv("SALDO_BEHIND_TLS_PROXY", choice)
    assert saldo_settings._proxy_ssl_header() == header


def test_behind_a_tls_proxy_its_forwarded_https_gets_the_header(client, settings, monkeypatch):
    monkeypatch.setenv("SALDO_BEHIND_TLS_PROXY", "1")
    settings.SECURE_PROXY_SSL_HEADER = saldo_settings._proxy_ssl_header()
    assert client.get("/", headers={"X-Forwarded-Proto": "https"})["Strict-Transport-Security"] == (
        f"max-age={ONE_YEAR}")
    assert "Strict-Transport-Security" not in client.get("/", headers={"X-Forwarded-Proto": "http"}).headers


def test_without_a_tls_proxy_a_client_s_forwarded_https_is_not_believed(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers
