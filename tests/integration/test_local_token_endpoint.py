"""The local OAuth2 token endpoint (client credentials) on moto's Cognito, and the local gateway's
check of a method's OAuth scopes: what lets the inbound exchange run locally as deployed."""

from __future__ import annotations

import base64
import json
import threading

import boto3
import pytest
import requests
from moto import mock_aws

from infra.local.engine.cognito_local import TOKEN_PATH, LocalTokenEndpoint, issue_client_credentials_token
from infra.local.engine.gateway import CognitoVerifier


def _claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


@pytest.fixture
def pool(aws_credentials):
    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
        cognito.create_resource_server(UserPoolId=pool_id, Identifier="exchange", Name="exchange",
                                       Scopes=[{"ScopeName": "report.market", "ScopeDescription": "d"},
                                               {"ScopeName": "orders", "ScopeDescription": "d"}])
        system = cognito.create_user_pool_client(
            UserPoolId=pool_id, ClientName="system", GenerateSecret=True, AllowedOAuthFlows=["client_credentials"],
            AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthScopes=["exchange/report.market"])["UserPoolClient"]
        web = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="web")["UserPoolClient"]
        yield pool_id, system, web


def test_a_client_gets_an_access_token_with_its_scopes(pool):
    pool_id, system, _ = pool
    status, body = issue_client_credentials_token(system["ClientId"], system["ClientSecret"], None)
    assert status == 200 and body["token_type"] == "Bearer"
    claims = _claims(body["access_token"])
    assert (claims["token_use"], claims["client_id"], claims["scope"]) == ("access", system["ClientId"], "exchange/report.market")
    assert claims["iss"].endswith(pool_id)


def test_wrong_secrets_other_flows_and_foreign_scopes_get_no_token(pool):
    _, system, web = pool
    assert issue_client_credentials_token(system["ClientId"], "wrong", None) == (400, {"error": "invalid_client"})
    assert issue_client_credentials_token(web["ClientId"], "", None) == (400, {"error": "invalid_client"})
    assert issue_client_credentials_token(system["ClientId"], system["ClientSecret"], "exchange/orders") == (400, {"error": "invalid_scope"})


def test_the_endpoint_takes_basic_auth_and_form_grants(pool):
    _, system, _ = pool
    server = LocalTokenEndpoint(("127.0.0.1", 0))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"{server.url}{TOKEN_PATH}"
        ok = requests.post(url, auth=(system["ClientId"], system["ClientSecret"]), data={"grant_type": "client_credentials"}, timeout=10)
        assert ok.status_code == 200 and ok.json()["access_token"]
        assert requests.post(url, data={"grant_type": "password"}, timeout=10).json() == {"error": "unsupported_grant_type"}
    finally:
        server.shutdown()
        server.server_close()


def test_the_verifier_wants_an_access_token_holding_one_of_the_methods_scopes(pool, monkeypatch):
    pool_id, system, _ = pool
    token = issue_client_credentials_token(system["ClientId"], system["ClientSecret"], None)[1]["access_token"]
    verifier = CognitoVerifier("http://moto.invalid", "us-east-1", boto3.Session(region_name="us-east-1"))
    monkeypatch.setattr(verifier, "_jwks_client", lambda _: _MotoKeys())
    verifier._cognito = boto3.client("cognito-idp", region_name="us-east-1")  # the in-process moto
    assert verifier.verify(f"Bearer {token}", [pool_id], ["exchange/report.market", "exchange/report.planning"])["client_id"] == system["ClientId"]
    assert verifier.verify(f"Bearer {token}", [pool_id], ["exchange/orders"]) is None
    assert verifier.verify(f"Bearer {token}", [pool_id]) is None  # a method without scopes takes ID tokens only


class _MotoKeys:
    """moto's pool key, as its JWKS serves it."""

    def get_signing_key_from_jwt(self, token: str):
        import jwt
        from moto.cognitoidp.models import load_resource

        return jwt.PyJWK(load_resource("cognitoidp/resources/jwks-public.json")["keys"][0])
