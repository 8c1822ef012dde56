#include "web/session.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_to.hpp>

#include "common/digest.h"
#include "common/random.h"
#include "common/unix_time.h"
#include "redis/script.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

// KEYS: the old session, the new one. ARGV: the new one's value, its idle timeout (ms).
// Moves a session to a new id only while the old one still exists: a session signed out
// meanwhile stays signed out.
const redis::Script kRotate(R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if not redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return -1 end
redis.call('DEL', KEYS[1], KEYS[1] .. ':refresh')
return 1
)lua");

// KEYS: the lock. ARGV: its owner's value. Lets go only of one's own lock (it may have
// expired and been taken by another request meanwhile).
const redis::Script kRelease(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua");

std::string Milliseconds(std::chrono::milliseconds duration) {
  return std::to_string(duration.count());
}

}  // namespace

std::string SessionKey(std::string_view id) {
  const Sha256Digest digest = Sha256(id);
  return "web:session:" + ToHex(digest.data(), digest.size());
}

std::string SerializeSession(const Session& session) {
  return json::serialize(json::object{{"user_id", session.user_id},
                                      {"company_id", session.company_id},
                                      {"email", session.email},
                                      {"name", session.name},
                                      {"role", session.role},
                                      {"locale", domain::ToString(session.locale)},
                                      {"access_token", session.access_token},
                                      {"refresh_token", session.refresh_token},
                                      {"access_expires_at", session.access_expires_at},
                                      {"started_at_ms", session.started_at_ms},
                                      // for an instance of the version before, in a rolling
                                      // deployment
                                      {"started_at", session.started_at_ms / 1000}});
}

std::optional<Session> DeserializeSession(std::string_view text) {
  boost::system::error_code ec;
  const json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  try {
    const json::object& object = value.as_object();
    Session session;
    session.user_id = json::value_to<std::string>(object.at("user_id"));
    session.company_id = json::value_to<std::string>(object.at("company_id"));
    session.email = json::value_to<std::string>(object.at("email"));
    session.name = json::value_to<std::string>(object.at("name"));
    session.role = json::value_to<std::string>(object.at("role"));
    const auto locale = domain::ParseLocale(object.at("locale").as_string());
    if (!locale) return std::nullopt;
    session.locale = *locale;
    session.access_token = json::value_to<std::string>(object.at("access_token"));
    session.refresh_token = json::value_to<std::string>(object.at("refresh_token"));
    session.access_expires_at = object.at("access_expires_at").to_number<std::int64_t>();
    // A session stored by the version before has its start in whole seconds only.
    session.started_at_ms = object.contains("started_at_ms")
                                ? object.at("started_at_ms").to_number<std::int64_t>()
                                : object.at("started_at").to_number<std::int64_t>() * 1000;
    return session;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

SessionStore::SessionStore(redis::Client& cache, SessionOptions options)
    : cache_(cache), options_(options) {}

asio::awaitable<Result<Session>> SessionStore::Create(Session session) {
  session.id = RandomToken(32);
  if (session.started_at_ms == 0) session.started_at_ms = NowMilliseconds();
  const redis::SetOptions fresh{.expire = options_.idle, .only_if_absent = true};
  auto stored = co_await cache_.Set(SessionKey(session.id), SerializeSession(session), fresh);
  if (!stored) co_return tl::unexpected(stored.error());
  if (!*stored) co_return Fail(ErrorCode::kConflict, "session id taken", "random id collision");
  co_return session;
}

asio::awaitable<Result<void>> SessionStore::Save(Session session) {
  // XX: a session deleted meanwhile (signed out in another tab, ended by a refused refresh) is
  // not brought back by a request that was still under way.
  const redis::SetOptions existing{.expire = options_.idle, .only_if_present = true};
  auto stored = co_await cache_.Set(SessionKey(session.id), SerializeSession(session), existing);
  if (!stored) co_return tl::unexpected(stored.error());
  if (!*stored) co_return Fail(ErrorCode::kUnauthenticated, "the session has ended", "saved late");
  co_return Result<void>();
}

asio::awaitable<Result<std::optional<Session>>> SessionStore::Find(std::string id) {
  if (id.size() != 43) co_return std::optional<Session>();  // RandomToken(32): 43 characters
  const std::string key = SessionKey(id);
  auto stored = co_await cache_.Get(key);
  if (!stored) co_return tl::unexpected(stored.error());
  if (!*stored) co_return std::optional<Session>();
  auto session = DeserializeSession(**stored);
  if (!session) co_return std::optional<Session>();
  // In milliseconds: a start in whole seconds ended sessions up to a second early.
  if (NowMilliseconds() - session->started_at_ms >= options_.lifetime.count()) {
    std::vector<std::string> expired{key};
    (void)co_await cache_.Del(std::move(expired));
    co_return std::optional<Session>();
  }
  session->id = std::move(id);
  auto renewed = co_await cache_.Run("PEXPIRE", key, Milliseconds(options_.idle));
  if (!renewed) co_return tl::unexpected(renewed.error());
  co_return session;
}

asio::awaitable<Result<void>> SessionStore::Delete(std::string id) {
  std::vector<std::string> keys{SessionKey(id), SessionKey(id) + ":refresh"};
  auto deleted = co_await cache_.Del(std::move(keys));
  if (!deleted) co_return tl::unexpected(deleted.error());
  co_return Result<void>();
}

asio::awaitable<Result<Session>> SessionStore::Rotate(Session session) {
  const std::string old_key = SessionKey(session.id);
  session.id = RandomToken(32);
  std::vector<std::string> keys{old_key, SessionKey(session.id)};
  std::vector<std::string> args{SerializeSession(session), Milliseconds(options_.idle)};
  auto moved = co_await cache_.Eval(kRotate, std::move(keys), std::move(args));
  if (!moved) co_return tl::unexpected(moved.error());
  if (moved->integer == 0) {
    co_return Fail(ErrorCode::kUnauthenticated, "the session has ended", "ended before rotation");
  }
  if (moved->integer != 1) co_return Fail(ErrorCode::kConflict, "session id taken", "collision");
  co_return session;
}

asio::awaitable<std::optional<std::string>> SessionStore::LockRefresh(const std::string& id) {
  std::string owner = RandomToken(16);
  const redis::SetOptions lock{.expire = kRefreshLockLifetime, .only_if_absent = true};
  auto taken = co_await cache_.Set(SessionKey(id) + ":refresh", owner, lock);
  if (taken && *taken) co_return owner;
  co_return std::nullopt;
}

asio::awaitable<void> SessionStore::ReleaseRefresh(const std::string& id, std::string owner) {
  std::vector<std::string> keys{SessionKey(id) + ":refresh"};
  std::vector<std::string> args{std::move(owner)};
  (void)co_await cache_.Eval(kRelease, std::move(keys), std::move(args));
}

}  // namespace codezero::web
