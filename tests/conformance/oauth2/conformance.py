"""OAuth 2.0 conformance of the API's token endpoints, driven by client libraries no one here
wrote: oauthlib and requests-oauthlib (Debian's python3-oauthlib, python3-requests-oauthlib).

What a standard client does against POST /v1/oauth/token (RFC 6749: the password and refresh
grants, their errors), POST /v1/oauth/revoke (RFC 7009) and a protected call, GET /v1/me
(RFC 6750), and what docs/api.md promises beyond that (refresh token rotation, reuse ends the
sign-in).

    CODEZERO_API_URL=http://127.0.0.1:8081 CODEZERO_EMAIL=kim@example.com \
    CODEZERO_PASSWORD='...' /usr/bin/python3 tests/conformance/oauth2/conformance.py

The account must exist with a confirmed address. A run signs it in 7 times and tries a wrong
password twice: within the default limit of 10 per 15 minutes per account, but not twice in a
row. Exits non-zero when a case fails. /usr/bin/python3: Debian's packages are installed for
Debian's Python (scripts/deps).
"""

import contextlib
import os
import secrets
import time
import unittest
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

import requests
from oauthlib.oauth2 import (
    BackendApplicationClient,
    InsecureTransportError,
    InvalidGrantError,
    LegacyApplicationClient,
    OAuth2Error,
    UnsupportedGrantTypeError,
)
from requests_oauthlib import OAuth2Session

API_URL = os.environ["CODEZERO_API_URL"].rstrip("/")
EMAIL = os.environ["CODEZERO_EMAIL"]
PASSWORD = os.environ["CODEZERO_PASSWORD"]

TOKEN_URL = API_URL + "/v1/oauth/token"
REVOKE_URL = API_URL + "/v1/oauth/revoke"
ME_URL = API_URL + "/v1/me"
# The API has no client registration: clients are public (RFC 6749 §2.1) and may name
# themselves with client_id in the body (§3.2.1), which the API ignores.
CLIENT_ID = "codezero-conformance"
TIMEOUT = 10  # seconds, for every request: a hung API fails the case instead of the run

# oauthlib refuses every http:// address (RFC 6749 §3.1 and §3.2 require TLS) unless
# OAUTHLIB_INSECURE_TRANSPORT is set. The API under test here listens on loopback without TLS
# (as in the integration tests), so allow plain http for loopback only; a remote http address
# is still refused by the library, as it should be.
_api = urlsplit(API_URL)
if _api.scheme == "http" and _api.hostname in ("127.0.0.1", "localhost", "::1"):
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"


_sessions = []  # closed after each case


def new_session(client=None, **kwargs):
    """An OAuth2Session that records every token endpoint response in `token_responses`."""
    session = OAuth2Session(client=client or LegacyApplicationClient(client_id=CLIENT_ID), **kwargs)
    _sessions.append(session)
    # Hermetic: no proxy, no ~/.netrc credentials from the environment.
    session.trust_env = False
    session.token_responses = []

    def record(response):
        session.token_responses.append(response)
        return response

    session.register_compliance_hook("access_token_response", record)
    session.register_compliance_hook("refresh_token_response", record)
    return session


def sign_in(session=None, password=PASSWORD, username=EMAIL):
    """The password grant (RFC 6749 §4.3) through the library; the session now holds the token."""
    session = session or new_session()
    session.fetch_token(TOKEN_URL, username=username, password=password, include_client_id=True,
                        timeout=TIMEOUT)
    return session


def session_with(token):
    """A session holding `token`, as a client that stored it would have it."""
    return new_session(token=dict(token))


def refresh(refresh_token):
    """The refresh grant (RFC 6749 §6) through the library; the new token."""
    return new_session().refresh_token(TOKEN_URL, refresh_token=refresh_token, timeout=TIMEOUT)


_plain = requests.Session()
_plain.trust_env = False


def revoke(token, hint):
    """RFC 7009 §2.1, the request as oauthlib prepares it."""
    client = LegacyApplicationClient(client_id=CLIENT_ID)
    url, headers, body = client.prepare_token_revocation_request(
        REVOKE_URL, token, token_type_hint=hint, client_id=CLIENT_ID)
    return _plain.post(url, headers=headers, data=body, timeout=TIMEOUT)


class OAuth2TestCase(unittest.TestCase):
    def tearDown(self):
        while _sessions:
            _sessions.pop().close()

    @contextlib.contextmanager
    def assertRaisesInvalidRequest(self):
        """oauthlib raises some subclass of InvalidRequestFatalError (InvalidClientIdError, the
        first by name) for every invalid_request answer instead of InvalidRequestError
        (oauthlib/oauthlib#776, open); what the client learns is the exception's `error`."""
        with self.assertRaises(OAuth2Error) as raised:
            yield raised
        self.assertEqual(raised.exception.error, "invalid_request")

    def assertTokenResponse(self, response):
        """RFC 6749 §5.1: 200, JSON, not to be cached."""
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers.get("Content-Type", "").split(";")[0].strip(),
                         "application/json")
        directives = response.headers.get("Cache-Control", "").lower().split(",")
        self.assertIn("no-store", [directive.strip() for directive in directives])
        # §5.1 also names Pragma: no-cache (HTTP/1.0); RFC 9111 deprecates it, so it is
        # optional here, but when present it must say no-cache.
        if "Pragma" in response.headers:
            self.assertEqual(response.headers["Pragma"], "no-cache")

    def assertBearerToken(self, token):
        """What the library made of a token response (RFC 6749 §5.1, RFC 6750 §4)."""
        self.assertTrue(token.get("access_token"))
        self.assertEqual(token.get("token_type", "").lower(), "bearer")
        self.assertIsInstance(token.get("expires_in"), int)
        self.assertGreater(token["expires_in"], 0)
        # The library computes expires_at from expires_in when it receives the token.
        self.assertAlmostEqual(token["expires_at"], time.time() + token["expires_in"], delta=30)
        self.assertTrue(token.get("refresh_token"))
        self.assertNotEqual(token["access_token"], token["refresh_token"])

    def assertErrorResponse(self, response, error):
        """RFC 6749 §5.2: 400 (401 only for invalid_client) with a JSON error."""
        self.assertEqual(response.status_code, 401 if error == "invalid_client" else 400)
        self.assertEqual(response.headers.get("Content-Type", "").split(";")[0].strip(),
                         "application/json")
        self.assertEqual(response.json()["error"], error)

    def assertSignedIn(self, session):
        """A protected call through the session: the library adds the Authorization header."""
        response = session.get(ME_URL, timeout=TIMEOUT)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertTrue(response.request.headers["Authorization"].startswith("Bearer "))
        self.assertEqual(response.json()["email"].lower(), EMAIL.lower())

    def assertRefused(self, access_token):
        """RFC 6750 §3.1: a revoked or unknown token is 401 with error="invalid_token"."""
        response = session_with({"access_token": access_token, "token_type": "Bearer"}).get(
            ME_URL, timeout=TIMEOUT)
        self.assertEqual(response.status_code, 401, response.text)
        challenge = response.headers.get("WWW-Authenticate", "")
        self.assertTrue(challenge.lower().startswith("bearer"), challenge)
        self.assertIn('error="invalid_token"', challenge)


class PasswordGrant(OAuth2TestCase):
    def test_issues_a_bearer_token_that_works_on_a_protected_call(self):
        session = sign_in()
        self.assertEqual(len(session.token_responses), 1)
        self.assertTokenResponse(session.token_responses[0])
        self.assertBearerToken(session.token)
        self.assertSignedIn(session)

    def test_a_wrong_password_raises_invalid_grant_with_a_description(self):
        session = new_session()
        with self.assertRaises(InvalidGrantError) as raised:
            sign_in(session, password=PASSWORD + "-wrong")
        self.assertTrue(raised.exception.description)
        response = session.token_responses[0]
        self.assertErrorResponse(response, "invalid_grant")
        self.assertEqual(response.json().get("reason"), "wrong_credentials")  # docs/api.md

    def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(self):
        wrong_password, unknown_address = new_session(), new_session()
        with self.assertRaises(InvalidGrantError) as first:
            sign_in(wrong_password, password=PASSWORD + "-wrong")
        with self.assertRaises(InvalidGrantError) as second:
            sign_in(unknown_address, username="nobody-" + secrets.token_hex(6) + "@example.com")
        self.assertEqual(first.exception.description, second.exception.description)
        self.assertEqual(wrong_password.token_responses[0].json(),
                         unknown_address.token_responses[0].json())

    def test_a_missing_password_raises_invalid_request(self):
        session = new_session()
        # oauthlib leaves empty parameters out of the body: the request has no password.
        with self.assertRaisesInvalidRequest() as raised:
            sign_in(session, password="")
        self.assertTrue(raised.exception.description)
        self.assertNotIn("password=", session.token_responses[0].request.body)
        self.assertErrorResponse(session.token_responses[0], "invalid_request")

    def test_an_unsupported_grant_type_raises_unsupported_grant_type(self):
        session = new_session(client=BackendApplicationClient(client_id=CLIENT_ID))
        with self.assertRaises(UnsupportedGrantTypeError):
            session.fetch_token(TOKEN_URL, include_client_id=True, timeout=TIMEOUT)
        self.assertIn("grant_type=client_credentials", session.token_responses[0].request.body)
        self.assertErrorResponse(session.token_responses[0], "unsupported_grant_type")


class RefreshGrant(OAuth2TestCase):
    def test_issues_a_new_access_token_and_a_new_refresh_token(self):
        first = dict(sign_in().token)
        session = new_session()
        second = session.refresh_token(TOKEN_URL, refresh_token=first["refresh_token"],
                                       timeout=TIMEOUT)
        self.assertTokenResponse(session.token_responses[0])
        self.assertBearerToken(second)
        self.assertNotEqual(second["access_token"], first["access_token"])
        self.assertNotEqual(second["refresh_token"], first["refresh_token"])
        self.assertSignedIn(session)

    def test_a_used_refresh_token_fails_and_ends_the_whole_sign_in(self):
        first = dict(sign_in().token)
        second = refresh(first["refresh_token"])
        session = new_session()
        with self.assertRaises(InvalidGrantError):
            session.refresh_token(TOKEN_URL, refresh_token=first["refresh_token"], timeout=TIMEOUT)
        self.assertErrorResponse(session.token_responses[0], "invalid_grant")
        # docs/api.md: "a used refresh token presented again revokes every token of that
        # sign-in": the rotated refresh token and every access token of it.
        with self.assertRaises(InvalidGrantError):
            refresh(second["refresh_token"])
        self.assertRefused(second["access_token"])
        self.assertRefused(first["access_token"])

    def test_an_unknown_refresh_token_raises_invalid_grant(self):
        for unknown in ("cz_rt_" + secrets.token_urlsafe(32), "not-a-token"):
            with self.subTest(unknown=unknown), self.assertRaises(InvalidGrantError):
                refresh(unknown)

    def test_a_missing_refresh_token_raises_invalid_request(self):
        session = new_session()  # holds no token, so the library sends no refresh_token
        with self.assertRaisesInvalidRequest():
            session.refresh_token(TOKEN_URL, timeout=TIMEOUT)
        self.assertNotIn("refresh_token=", session.token_responses[0].request.body)
        self.assertErrorResponse(session.token_responses[0], "invalid_request")

    def test_the_library_refreshes_an_expired_token_by_itself(self):
        token = dict(sign_in().token)
        token["expires_at"] = time.time() - 60  # as if its 15 minutes had passed
        updates = []
        session = new_session(token=token, auto_refresh_url=TOKEN_URL,
                              token_updater=updates.append)
        self.assertSignedIn(session)
        self.assertEqual(len(updates), 1)
        self.assertBearerToken(updates[0])
        self.assertNotEqual(updates[0]["access_token"], token["access_token"])
        self.assertEqual(session.token["access_token"], updates[0]["access_token"])


class Revocation(OAuth2TestCase):
    def test_revoking_the_refresh_token_ends_the_sign_in(self):
        token = dict(sign_in().token)
        response = revoke(token["refresh_token"], "refresh_token")
        self.assertEqual(response.status_code, 200, response.text)
        with self.assertRaises(InvalidGrantError):
            refresh(token["refresh_token"])
        # RFC 7009 §2.1: with a refresh token, the server SHOULD also invalidate the access
        # tokens of the same grant.
        self.assertRefused(token["access_token"])

    def test_a_revoked_access_token_is_refused(self):
        session = sign_in()
        self.assertSignedIn(session)
        response = revoke(session.token["access_token"], "access_token")
        self.assertEqual(response.status_code, 200, response.text)
        response = session.get(ME_URL, timeout=TIMEOUT)
        self.assertEqual(response.status_code, 401)
        self.assertIn('error="invalid_token"', response.headers.get("WWW-Authenticate", ""))

    def test_a_wrong_hint_does_not_stop_the_revocation(self):
        # RFC 7009 §2.1: a server that cannot find the token under the hint MUST search all
        # of its token types.
        token = dict(sign_in().token)
        self.assertEqual(revoke(token["access_token"], "refresh_token").status_code, 200)
        self.assertRefused(token["access_token"])
        self.assertEqual(revoke(token["refresh_token"], "access_token").status_code, 200)
        with self.assertRaises(InvalidGrantError):
            refresh(token["refresh_token"])

    def test_unknown_tokens_and_hints_are_answered_200(self):
        # RFC 7009 §2.2: "invalid tokens do not cause an error response"; §2.1: an unknown
        # hint value is ignored.
        cases = [("cz_rt_" + secrets.token_urlsafe(32), "refresh_token"),
                 ("cz_at_" + secrets.token_urlsafe(32), "access_token"),
                 ("not-a-token", "access_token"),
                 ("cz_rt_" + secrets.token_urlsafe(32), "id_token"),
                 ("cz_at_" + secrets.token_urlsafe(32), None)]
        for token, hint in cases:
            with self.subTest(token=token, hint=hint):
                response = revoke(token, hint)
                self.assertEqual(response.status_code, 200, response.text)

    def test_a_request_without_token_raises_invalid_request(self):
        # RFC 7009 §2.2.1: errors as in RFC 6749 §5.2, which the library parses.
        response = revoke("", "refresh_token")
        self.assertErrorResponse(response, "invalid_request")
        with self.assertRaisesInvalidRequest():
            LegacyApplicationClient(client_id=CLIENT_ID).parse_request_body_response(response.text)


class ProtectedResource(OAuth2TestCase):
    def test_a_call_without_token_is_challenged_without_an_error_code(self):
        response = new_session().get(ME_URL, timeout=TIMEOUT)
        self.assertEqual(response.status_code, 401)
        self.assertNotIn("Authorization", response.request.headers)
        challenge = response.headers.get("WWW-Authenticate", "")
        self.assertTrue(challenge.lower().startswith("bearer"), challenge)
        # RFC 6750 §3.1: without authentication information, no error code.
        self.assertNotIn("error=", challenge)

    def test_an_unknown_access_token_is_refused_as_invalid_token(self):
        self.assertRefused("cz_at_" + secrets.token_urlsafe(32))


class Transport(OAuth2TestCase):
    def test_the_library_refuses_plain_http_unless_allowed(self):
        def plain(url):
            return urlunsplit(("http",) + tuple(urlsplit(url))[1:])

        with mock.patch.dict(os.environ):
            os.environ.pop("OAUTHLIB_INSECURE_TRANSPORT", None)
            # Raised before any request goes out: the password never travels in the clear.
            session = new_session()
            with self.assertRaises(InsecureTransportError):
                session.fetch_token(plain(TOKEN_URL), username=EMAIL, password=PASSWORD,
                                    include_client_id=True, timeout=TIMEOUT)
            self.assertEqual(session.token_responses, [])
            with self.assertRaises(InsecureTransportError):
                session.refresh_token(plain(TOKEN_URL), refresh_token="cz_rt_x", timeout=TIMEOUT)
            with self.assertRaises(InsecureTransportError):
                LegacyApplicationClient(client_id=CLIENT_ID).prepare_token_revocation_request(
                    plain(REVOKE_URL), "cz_rt_x")


class RequestFormat(OAuth2TestCase):
    """How the token endpoint reads its form."""

    def test_a_repeated_parameter_is_refused_as_invalid_request(self):
        # RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than
        # once"; §5.2: invalid_request when the request "repeats a parameter". The library
        # cannot send a repeated parameter, so this request is written by hand; the library
        # reads the answer.
        body = ("grant_type=refresh_token&refresh_token=cz_rt_" + secrets.token_urlsafe(32) +
                "&refresh_token=cz_rt_" + secrets.token_urlsafe(32))
        response = _plain.post(TOKEN_URL, data=body, timeout=TIMEOUT,
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        with self.assertRaisesInvalidRequest():
            LegacyApplicationClient(client_id=CLIENT_ID).parse_request_body_response(response.text)

    def test_the_media_type_is_read_without_regard_to_case(self):
        # RFC 9110 §8.3.1: "The type and subtype tokens are case-insensitive." An unknown
        # refresh token then gets invalid_grant, not invalid_request about the form.
        body = "grant_type=refresh_token&refresh_token=cz_rt_" + secrets.token_urlsafe(32)
        response = _plain.post(TOKEN_URL, data=body, timeout=TIMEOUT,
                               headers={"Content-Type": "Application/X-WWW-Form-Urlencoded"})
        with self.assertRaises(InvalidGrantError):
            LegacyApplicationClient(client_id=CLIENT_ID).parse_request_body_response(response.text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
