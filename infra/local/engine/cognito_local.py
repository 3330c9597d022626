"""What Cognito does around self-registration that moto leaves out, so that a citizen's sign-up
runs locally as it does deployed; and the OAuth2 token endpoint (client credentials) that other
systems use for the inbound exchange (at the end of this module).

- Codes: SignUp, ResendConfirmationCode and ForgotPassword e-mail a 6-digit code, and
  ConfirmSignUp and ConfirmForgotPassword check it (wrong: CodeMismatchException; older than a
  day: ExpiredCodeException). moto sends nothing and accepts any code, and has no
  ResendConfirmationCode. Locally the e-mail goes to a `LocalMailbox`, which the runner shows at
  /__local/mail, and the message text is the pool's own verification template.
- Confirmation: a confirmed sign-up verifies the e-mail address, and a new password is checked
  against the pool's policy, as Cognito does.
- Write attributes: SignUp and UpdateUserAttributes refuse an attribute the app client may not
  write (its WriteAttributes, from the template) with NotAuthorizedException, as Cognito does;
  moto writes anything. (`name`, `custom:department` and
  `custom:government` are for administrators only.)
- Triggers: after ConfirmSignUp and ConfirmForgotPassword, the pool's PostConfirmation Lambda
  (its LambdaConfig, from the template) is invoked with Cognito's event; moto calls no
  triggers. The invocation goes through moto's Lambda, so the runner's dispatcher runs our
  handler. A failing trigger is reported as UnexpectedLambdaException, the account stays
  confirmed, as on AWS.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import secrets
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

log = logging.getLogger(__name__)

CODE_VALIDITY_SECONDS = 24 * 3600  # Cognito's sign-up and password-reset codes last a day
MAILBOX_SIZE = 200
DEFAULT_MESSAGE = "Your verification code is {####}."  # Cognito's default without a template
DEFAULT_SUBJECT = "Your verification code"


@dataclass(frozen=True)
class LocalMail:
    to: str
    username: str
    subject: str
    body: str
    code: str
    purpose: str  # "sign_up" or "forgot_password"
    sent_at: float = field(default_factory=time.time)


class LocalMailbox:
    """The e-mails Cognito would have sent, newest first (bounded)."""

    def __init__(self, size: int = MAILBOX_SIZE) -> None:
        self._mails: deque[LocalMail] = deque(maxlen=size)
        self._lock = threading.Lock()

    def deliver(self, mail: LocalMail) -> None:
        with self._lock:
            self._mails.appendleft(mail)
        log.info("local mail to %s (%s): %s", mail.to, mail.username, mail.body)

    def mails(self, to_user: str | None = None) -> list[LocalMail]:
        with self._lock:
            mails = list(self._mails)
        return [m for m in mails if to_user is None or m.username.lower() == to_user.lower()]

    def as_json(self) -> list[dict[str, Any]]:
        return [asdict(mail) for mail in self.mails()]

    def as_html(self) -> str:
        rows = "".join(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><b>{}</b></td></tr>".format(
                time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(mail.sent_at)),
                *(html.escape(value) for value in (mail.to, mail.username, mail.subject, mail.code)))
            for mail in self.mails())
        return (
            "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>本地邮箱</title>"
            "<meta http-equiv='refresh' content='5'>"
            "<style>body{font-family:sans-serif;margin:24px}td,th{border-bottom:1px solid #ddd;padding:6px 12px;"
            "text-align:left}</style></head><body><h2>本地邮箱（仅本地运行）</h2>"
            "<p>部署后这些邮件由 Cognito 发送到用户邮箱；本地运行时在此查看注册和找回密码的验证码。</p>"
            "<table><tr><th>时间</th><th>收件人</th><th>用户名</th><th>主题</th><th>验证码</th></tr>"
            f"{rows or '<tr><td colspan=5>暂无邮件</td></tr>'}</table></body></html>"
        )


_installed: dict[str, Any] = {}
_codes: dict[tuple[str, str, str], tuple[str, float]] = {}  # (pool, username, purpose) → (code, expires)
_codes_lock = threading.Lock()


def install_cognito_emulation(mailbox: LocalMailbox) -> None:
    from moto.cognitoidp.responses import CognitoIdpResponse

    if _installed:
        return
    _installed.update(
        mailbox=mailbox,
        sign_up=CognitoIdpResponse.sign_up,
        confirm_sign_up=CognitoIdpResponse.confirm_sign_up,
        forgot_password=CognitoIdpResponse.forgot_password,
        confirm_forgot_password=CognitoIdpResponse.confirm_forgot_password,
        update_user_attributes=CognitoIdpResponse.update_user_attributes,
    )
    CognitoIdpResponse.sign_up = _sign_up
    CognitoIdpResponse.confirm_sign_up = _confirm_sign_up
    CognitoIdpResponse.forgot_password = _forgot_password
    CognitoIdpResponse.confirm_forgot_password = _confirm_forgot_password
    CognitoIdpResponse.resend_confirmation_code = _resend_confirmation_code  # type: ignore[attr-defined]  # moto has none
    CognitoIdpResponse.update_user_attributes = _update_user_attributes


def uninstall_cognito_emulation() -> None:
    from moto.cognitoidp.responses import CognitoIdpResponse

    if not _installed:
        return
    for name in ("sign_up", "confirm_sign_up", "forgot_password", "confirm_forgot_password", "update_user_attributes"):
        setattr(CognitoIdpResponse, name, _installed[name])
    del CognitoIdpResponse.resend_confirmation_code  # type: ignore[attr-defined]  # ours, added above
    _installed.clear()
    with _codes_lock:
        _codes.clear()


# -- the patched actions (self is moto's CognitoIdpResponse) ------------------------------------


def _sign_up(self: Any) -> Any:
    _, pool, _ = _lookup(self)
    _check_writable(pool.clients[self._get_param("ClientId")], self._get_param("UserAttributes") or [])
    result = _installed["sign_up"](self)
    backend, pool, user = _lookup(self)
    if user is not None and _email(user):
        _send_code(pool, user, "sign_up")
    return result


def _confirm_sign_up(self: Any) -> Any:
    from moto.cognitoidp.exceptions import NotAuthorizedError, UserNotFoundError
    from moto.cognitoidp.models import UserStatus

    backend, pool, user = _lookup(self)
    if user is None:
        raise UserNotFoundError("Username/client id combination not found.")
    if user.status == UserStatus.CONFIRMED:
        raise NotAuthorizedError(f"User cannot be confirmed. Current status is {user.status}")
    _check_code(pool, user, "sign_up", self._get_param("ConfirmationCode") or "")
    result = _installed["confirm_sign_up"](self)
    if _email(user):
        user.update_attributes([{"Name": "email_verified", "Value": "true"}])
    _post_confirmation(pool, user, self._get_param("ClientId"), "PostConfirmation_ConfirmSignUp",
                       self._get_param("ClientMetadata") or {})
    return result


def _update_user_attributes(self: Any) -> Any:
    from moto.cognitoidp.exceptions import NotAuthorizedError
    from moto.cognitoidp.models import RegionAgnosticBackend

    token = self._get_param("AccessToken") or ""
    backend = RegionAgnosticBackend(self.current_account, self.region)._find_backend_by_access_token(token)
    pool = next((p for p in backend.user_pools.values() if token in p.access_tokens), None)
    if pool is None:
        raise NotAuthorizedError("Invalid Access Token")
    client_id, _ = pool.access_tokens[token]
    _check_writable(pool.clients[client_id], self._get_param("UserAttributes") or [])
    return _installed["update_user_attributes"](self)


def _check_writable(client: Any, attributes: list[dict[str, str]]) -> None:
    """Cognito refuses a write of an attribute the client's WriteAttributes leave out (a client
    without the setting may write every mutable attribute)."""
    from moto.cognitoidp.exceptions import NotAuthorizedError

    writable = client.extended_config.get("WriteAttributes")
    if writable is None:
        return
    refused = sorted({a.get("Name", "") for a in attributes} - set(writable))
    if refused:
        raise NotAuthorizedError(f"A client attempted to write unauthorized attribute: {', '.join(refused)}")


def _resend_confirmation_code(self: Any) -> Any:
    from moto.cognitoidp.exceptions import InvalidParameterException, UserNotFoundError
    from moto.cognitoidp.models import UserStatus
    from moto.core.responses import ActionResult

    backend, pool, user = _lookup(self)
    if user is None:
        raise UserNotFoundError("Username/client id combination not found.")
    if user.status == UserStatus.CONFIRMED:
        raise InvalidParameterException("User is already confirmed.")
    if not _email(user):
        raise InvalidParameterException("No verified email or phone number to send the code to.")
    _send_code(pool, user, "sign_up")
    details = backend._get_code_delivery_details(pool.extended_config.get("AccountRecoverySetting"), user, user.username)
    return ActionResult({"CodeDeliveryDetails": details})


def _forgot_password(self: Any) -> Any:
    from moto.cognitoidp.exceptions import InvalidParameterException

    backend, pool, user = _lookup(self)
    if user is not None and not _verified_email(user):
        raise InvalidParameterException(
            "Cannot reset password for the user as there is no registered/verified email or phone_number")
    result = _installed["forgot_password"](self)
    self.response_headers.pop("x-moto-forgot-password-confirmation-code", None)
    if user is not None:
        _send_code(pool, user, "forgot_password")
    return result


def _confirm_forgot_password(self: Any) -> Any:
    from moto.cognitoidp.exceptions import UserNotFoundError

    backend, pool, user = _lookup(self)
    if user is None:
        raise UserNotFoundError("Username/client id combination not found.")
    # A password the policy refuses leaves the code valid for another try.
    _check_code(pool, user, "forgot_password", self._get_param("ConfirmationCode") or "", consume=False)
    backend._validate_password(pool.id, self._get_param("Password") or "")
    result = _installed["confirm_forgot_password"](self)
    _forget_code(pool, user, "forgot_password")
    _post_confirmation(pool, user, self._get_param("ClientId"), "PostConfirmation_ConfirmForgotPassword")
    return result


# -- helpers ------------------------------------------------------------------------------------


def _lookup(response: Any) -> tuple[Any, Any, Any]:
    """(backend, pool, user or None) for the request's ClientId and Username."""
    from moto.cognitoidp.exceptions import ResourceNotFoundError
    from moto.cognitoidp.models import RegionAgnosticBackend

    client_id = response._get_param("ClientId")
    backend = RegionAgnosticBackend(response.current_account, response.region)._find_backend_for_clientid(client_id)
    pool = next((p for p in backend.user_pools.values() if client_id in p.clients), None)
    if pool is None:
        raise ResourceNotFoundError(client_id)
    return backend, pool, pool._get_user(response._get_param("Username") or "")


def _email(user: Any) -> str | None:
    return user.attribute_lookup.get("email")


def _verified_email(user: Any) -> bool:
    return bool(_email(user)) and str(user.attribute_lookup.get("email_verified", "")).lower() == "true"


def _send_code(pool: Any, user: Any, purpose: str) -> None:
    code = f"{secrets.randbelow(1_000_000):06d}"
    with _codes_lock:
        _codes[(pool.id, user.username, purpose)] = (code, time.time() + CODE_VALIDITY_SECONDS)
    template = pool.extended_config.get("VerificationMessageTemplate") or {}
    message = template.get("EmailMessage") or pool.extended_config.get("EmailVerificationMessage") or DEFAULT_MESSAGE
    subject = template.get("EmailSubject") or pool.extended_config.get("EmailVerificationSubject") or DEFAULT_SUBJECT
    _installed["mailbox"].deliver(LocalMail(to=_email(user) or "", username=user.username, subject=subject,
                                            body=message.replace("{####}", code), code=code, purpose=purpose))


def _check_code(pool: Any, user: Any, purpose: str, given: str, *, consume: bool = True) -> None:
    from moto.cognitoidp.exceptions import CodeMismatchException, ExpiredCodeException

    with _codes_lock:
        sent = _codes.get((pool.id, user.username, purpose))
    if sent is None:
        raise ExpiredCodeException("Invalid code provided, please request a code again.")
    code, expires = sent
    if time.time() > expires:
        raise ExpiredCodeException("Invalid code provided, please request a code again.")
    if not secrets.compare_digest(code, given.strip()):
        raise CodeMismatchException("Invalid verification code provided, please try again.")
    if consume:
        _forget_code(pool, user, purpose)


def _forget_code(pool: Any, user: Any, purpose: str) -> None:
    with _codes_lock:
        _codes.pop((pool.id, user.username, purpose), None)


def _unexpected_lambda(message: str) -> Exception:
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError("UnexpectedLambdaException", message)


def _post_confirmation(pool: Any, user: Any, client_id: str, trigger_source: str,
                       client_metadata: dict[str, str] | None = None) -> None:
    from moto.awslambda.utils import get_backend

    function_arn = (pool.extended_config.get("LambdaConfig") or {}).get("PostConfirmation")
    if not function_arn:
        return
    _, _, _, region, account, *_ = function_arn.split(":")
    event = {
        "version": "1",
        "region": region,
        "userPoolId": pool.id,
        "userName": user.username,
        "triggerSource": trigger_source,
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": client_id},
        "request": {"userAttributes": {
            "sub": user.id, **{k: v for k, v in user.attribute_lookup.items() if k != "sub"},
            "cognito:user_status": "CONFIRMED",
        }, **({"clientMetadata": client_metadata} if client_metadata else {})},
        "response": {},
    }
    response_headers: dict[str, Any] = {}
    try:
        get_backend(account, region).invoke(function_arn, None, json.dumps(event),
                                                {"X-Amz-Invocation-Type": "RequestResponse"}, response_headers)
    except Exception as error:  # moto's own errors (unknown function...) end the same way
        log.exception("post-confirmation trigger %s failed", function_arn)
        raise _unexpected_lambda(f"PostConfirmation failed with error {error}.") from error
    if response_headers.get("x-amz-function-error"):
        raise _unexpected_lambda("PostConfirmation failed with error: the function returned an error.")


# -- the OAuth2 token endpoint (client credentials) ------------------------------------------------
#
# Cognito serves /oauth2/token on the pool's domain (https://<prefix>.auth.<region>.amazoncognito.com);
# moto has no such endpoint. Locally a small server issues the access token a system gets with its
# app client's id and secret (grant_type=client_credentials), signed with moto's pool key, so the
# local gateway verifies it against moto's JWKS as API Gateway does Cognito's: token_use "access",
# client_id, and `scope` (the requested scopes, or all the client's), as Cognito issues them.

TOKEN_PATH = "/oauth2/token"
ACCESS_TOKEN_SECONDS = 3600


def issue_client_credentials_token(client_id: str, client_secret: str, requested_scope: str | None) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body) of Cognito's token endpoint for a client-credentials request."""
    import uuid

    from moto.cognitoidp import models as cognito_models
    from moto.cognitoidp.models import cognitoidp_backends

    for account_backends in cognitoidp_backends.values():
        for backend in account_backends.values():
            for pool in backend.user_pools.values():
                client = pool.clients.get(client_id)
                if client is None:
                    continue
                if not client.generate_secret or not secrets.compare_digest(client.secret, client_secret or ""):
                    return 400, {"error": "invalid_client"}
                flows = client.extended_config.get("AllowedOAuthFlows") or []
                if "client_credentials" not in flows:
                    return 400, {"error": "unauthorized_client"}
                allowed = list(client.extended_config.get("AllowedOAuthScopes") or [])
                scopes = (requested_scope or "").split() or allowed
                if not scopes or any(s not in allowed for s in scopes):
                    return 400, {"error": "invalid_scope"}
                now = int(time.time())
                payload = {
                    "iss": f"https://cognito-idp.{pool.region}.amazonaws.com/{pool.id}", "sub": client_id,
                    "client_id": client_id, "token_use": "access", "scope": " ".join(scopes), "auth_time": now,
                    "iat": now, "exp": now + ACCESS_TOKEN_SECONDS, "jti": str(uuid.uuid4()), "version": 2,
                }
                token = cognito_models.jwt.encode({"kid": "dummy", "alg": "RS256"}, payload, pool.json_web_key)
                return 200, {"access_token": token, "expires_in": ACCESS_TOKEN_SECONDS, "token_type": "Bearer"}
    return 400, {"error": "invalid_client"}


class _TokenRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(length).decode("utf-8", "replace")))
        client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
        authorization = self.headers.get("Authorization") or ""
        if authorization.lower().startswith("basic "):
            try:
                client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
            except ValueError:
                client_id = ""
        if urlsplit(self.path).path != TOKEN_PATH:
            status, body = 404, {"error": "not_found"}
        elif form.get("grant_type") != "client_credentials":
            status, body = 400, {"error": "unsupported_grant_type"}
        else:
            status, body = issue_client_credentials_token(client_id, client_secret, form.get("scope"))
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LocalTokenEndpoint(ThreadingHTTPServer):
    """Serves POST /oauth2/token (client credentials) for the local user pools."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _TokenRequestHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"
