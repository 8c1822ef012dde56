// The OAuth 2.0 endpoints as a maintained client library no one here wrote sees them: oauthlib
// and requests-oauthlib (Debian's python3-oauthlib and python3-requests-oauthlib, installed by
// scripts/deps) run tests/conformance/oauth2/conformance.py against the API: the password and
// refresh grants and their errors (RFC 6749), revocation (RFC 7009) and bearer calls (RFC 6750).
#include <gtest/gtest.h>

#include <string>

#include "support/api_test.h"
#include "support/child_process.h"

namespace codezero::api {
namespace {

// Debian's Python, which has Debian's packages; a python3 found on PATH may not.
constexpr char kPython[] = "/usr/bin/python3";

class OAuth2Conformance : public testing::ApiTest {};

TEST_F(OAuth2Conformance, AStandardClientLibraryGetsWhatTheRfcsPromise) {
  Start();
  const std::string email = SignUpAndVerify("oauth2-conformance@example.com");
  const std::string script =
      std::string(CODEZERO_SOURCE_DIR) + "/tests/conformance/oauth2/conformance.py";
  const testing::CommandOutput run = testing::RunToEnd(
      kPython, {script},
      {"CODEZERO_API_URL=http://127.0.0.1:" + std::to_string(api->port()),
       "CODEZERO_EMAIL=" + email, "CODEZERO_PASSWORD=" + std::string(testing::kTestPassword)});
  // 127: no /usr/bin/python3 (scripts/deps installs it with the libraries).
  EXPECT_EQ(run.exit_code, 0) << kPython << " " << script << "\n" << run.output;
}

}  // namespace
}  // namespace codezero::api
