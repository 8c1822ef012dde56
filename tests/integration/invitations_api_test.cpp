// Invitations over HTTP against a real PostgreSQL and Redis: they live only as long as the
// owner who sent them is one and the company is open, owners list and revoke them, and
// ownership moves only by a handover, one at a time.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "support/api_test.h"
#include "support/http_client.h"

namespace codezero::api {
namespace {

using testing::JsonOf;

class InvitationsApi : public testing::ApiTest {
 protected:
  void SetUp() override {
    Start();
    SignUpAndVerify("owner@example.com", "Inviting GmbH");
    owner = Login("owner@example.com");
  }

  http::Response Invite(const Tokens& by, const std::string& email,
                        const std::string& role = "member") {
    return Send(http::Verb::post, "/v1/company/invitations",
                R"({"email":")" + email + R"(","role":")" + role + R"("})", by.access);
  }
  http::Response Accept(const std::string& email) {
    return Send(http::Verb::post, "/v1/invitations/accept",
                R"({"token":")" + LinkToken("invitation", email) +
                    R"(","name":"Mo","password":"a long passphrase"})");
  }
  // Invites and accepts: the new user's id and tokens.
  std::pair<std::string, Tokens> Join(const std::string& email, const std::string& role) {
    EXPECT_EQ(Invite(owner, email, role).result(), http::Status::created);
    const http::Response accepted = Accept(email);
    EXPECT_EQ(accepted.result(), http::Status::created) << accepted.body();
    return {std::string(JsonOf(accepted).at("id").as_string()), Login(email, "a long passphrase")};
  }
  boost::json::array Pending(const Tokens& by) {
    const http::Response listed = Send(http::Verb::get, "/v1/company/invitations", "", by.access);
    EXPECT_EQ(listed.result(), http::Status::ok) << listed.body();
    return JsonOf(listed).at("data").as_array();
  }

  Tokens owner;
};

TEST_F(InvitationsApi, OwnersListAndRevokePendingInvitations) {
  ASSERT_EQ(Invite(owner, "a@example.org").result(), http::Status::created);
  ASSERT_EQ(Invite(owner, "b@example.org", "owner").result(), http::Status::created);
  const boost::json::array pending = Pending(owner);
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].at("email"), "b@example.org");  // newest first
  EXPECT_EQ(pending[0].at("role"), "owner");
  EXPECT_EQ(pending[0].at("invited_by"), "Kim");
  const std::string revoked_id(pending[1].at("id").as_string());

  EXPECT_EQ(
      Send(http::Verb::delete_, "/v1/company/invitations/" + revoked_id, "", owner.access).result(),
      http::Status::no_content);
  EXPECT_EQ(Accept("a@example.org").result(), http::Status::bad_request) << "revoked";
  EXPECT_EQ(Pending(owner).size(), 1u);
  EXPECT_EQ(
      Send(http::Verb::delete_, "/v1/company/invitations/" + revoked_id, "", owner.access).result(),
      http::Status::not_found);

  // Members see none of it; another company's owner cannot touch it.
  auto [member_id, member] = Join("member@example.org", "member");
  EXPECT_EQ(Send(http::Verb::get, "/v1/company/invitations", "", member.access).result(),
            http::Status::forbidden);
  SignUpAndVerify("stranger@example.com", "Other GmbH");
  const Tokens stranger = Login("stranger@example.com");
  const std::string kept_id(Pending(owner)[0].at("id").as_string());
  EXPECT_EQ(
      Send(http::Verb::delete_, "/v1/company/invitations/" + kept_id, "", stranger.access).result(),
      http::Status::not_found);
  EXPECT_TRUE(Pending(stranger).empty());
  EXPECT_EQ(Accept("b@example.org").result(), http::Status::created);
}

TEST_F(InvitationsApi, AnInvitationEndsWithItsSendersOwnership) {
  auto [second_id, second] = Join("second@example.org", "owner");
  ASSERT_EQ(Invite(second, "from-second@example.org").result(), http::Status::created);
  auto [third_id, third] = Join("third@example.org", "member");
  // The second owner hands over to the third and is a member now: what they sent is void.
  ASSERT_EQ(Send(http::Verb::post, "/v1/company/owner", R"({"user_id":")" + third_id + R"("})",
                 second.access)
                .result(),
            http::Status::no_content);
  EXPECT_EQ(Accept("from-second@example.org").result(), http::Status::bad_request);

  // An invitation whose sender lost ownership otherwise (a direct demotion in the database,
  // as an admin might) is refused at acceptance too.
  ASSERT_EQ(Invite(third, "from-third@example.org").result(), http::Status::created);
  database.Execute("UPDATE users SET role = 'member' WHERE id = '" + third_id + "'");
  EXPECT_EQ(Accept("from-third@example.org").result(), http::Status::bad_request);
}

TEST_F(InvitationsApi, RemovingAMemberOrClosingTheCompanyWithdrawsWhatIsPending) {
  auto [second_id, second] = Join("second@example.org", "owner");
  ASSERT_EQ(Invite(second, "pending@example.org").result(), http::Status::created);
  // Another owner cannot simply be removed: they hand over first.
  EXPECT_EQ(
      Send(http::Verb::delete_, "/v1/company/members/" + second_id, "", owner.access).result(),
      http::Status::conflict);
  EXPECT_EQ(Pending(owner).size(), 1u);

  ASSERT_EQ(Invite(owner, "never@example.org").result(), http::Status::created);
  ASSERT_EQ(Send(http::Verb::delete_, "/v1/company", "", owner.access).result(), http::Status::ok);
  EXPECT_EQ(Accept("pending@example.org").result(), http::Status::bad_request);
  EXPECT_EQ(Accept("never@example.org").result(), http::Status::bad_request);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM email_tokens WHERE purpose = 'invite' "
                                "AND revoked_at IS NULL AND used_at IS NULL"),
            "0");
}

TEST_F(InvitationsApi, ARemovedMembersInvitationsAreWithdrawnWithThem) {
  auto [second_id, second] = Join("second@example.org", "owner");
  ASSERT_EQ(Invite(second, "pending@example.org").result(), http::Status::created);
  // No longer an owner by other means than a handover (an admin's change in the database), then
  // removed: what they sent is marked withdrawn, not merely unusable.
  database.Execute("UPDATE users SET role = 'member' WHERE id = '" + second_id + "'");
  EXPECT_EQ(
      Send(http::Verb::delete_, "/v1/company/members/" + second_id, "", owner.access).result(),
      http::Status::no_content);
  EXPECT_EQ(database.QueryValue("SELECT revoked_at IS NOT NULL FROM email_tokens "
                                "WHERE email = 'pending@example.org'"),
            "t");
  EXPECT_EQ(Accept("pending@example.org").result(), http::Status::bad_request);
}

// Eight handovers from one owner to eight members at once: one wins, the others find their
// caller no longer an owner, and the company ends with exactly the owners it should have.
TEST_F(InvitationsApi, ConcurrentHandoversLeaveOneNewOwner) {
  std::vector<std::string> members;
  for (int i = 0; i < 8; ++i)
    members.push_back(Join("m" + std::to_string(i) + "@example.org", "member").first);
  std::atomic<int> handed_over{0};
  std::vector<std::thread> clients;
  for (const std::string& member_id : members) {
    clients.emplace_back([&, member_id] {
      if (Send(http::Verb::post, "/v1/company/owner", R"({"user_id":")" + member_id + R"("})",
               owner.access)
              .result() == http::Status::no_content) {
        ++handed_over;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(handed_over.load(), 1);
  EXPECT_EQ(
      database.QueryValue("SELECT count(*) FROM users WHERE role = 'owner' AND company_id ="
                          " (SELECT company_id FROM users WHERE email = 'owner@example.com')"),
      "1");
}

}  // namespace
}  // namespace codezero::api
