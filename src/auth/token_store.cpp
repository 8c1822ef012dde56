#include "auth/token_store.h"

#include "auth/tokens.h"
#include "common/log.h"
#include "redis/script.h"

namespace codezero::auth {
namespace {

namespace asio = boost::asio;

constexpr db::Statement kInsertAccess{
    "tokens_insert_access",
    "INSERT INTO access_tokens (token_hash, family_id, user_id, expires_at) "
    "VALUES (decode($1, 'hex'), $2::uuid, $3::uuid, now() + make_interval(secs => $4))"};
// $4: when the family began ("" for a new one: now); the token ends with its own lifetime
// ($5 seconds) or the family's ($6 seconds after its start), whichever comes first.
constexpr db::Statement kInsertRefresh{
    "tokens_insert_refresh",
    "INSERT INTO refresh_tokens (token_hash, family_id, user_id, family_started_at, expires_at) "
    "SELECT decode($1, 'hex'), $2::uuid, $3::uuid, started, "
    "least(now() + make_interval(secs => $5), started + make_interval(secs => $6)) "
    "FROM (SELECT coalesce(nullif($4, '')::timestamptz, now()) AS started) AS family"};
constexpr db::Statement kUseRefresh{
    "tokens_use_refresh",
    "UPDATE refresh_tokens SET used_at = now() WHERE token_hash = decode($1, 'hex') "
    "AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now() "
    "AND family_started_at + make_interval(secs => $2) > now() "
    "RETURNING family_id::text, user_id::text, family_started_at::text"};
constexpr db::Statement kFindRefresh{
    "tokens_find_refresh",
    "SELECT family_id::text, user_id::text, used_at IS NOT NULL, revoked_at IS NOT NULL "
    "FROM refresh_tokens WHERE token_hash = decode($1, 'hex')"};
constexpr db::Statement kUserActive{
    "tokens_user_active",
    "SELECT 1 FROM users WHERE id = $1::uuid AND disabled_at IS NULL AND anonymized_at IS NULL "
    "AND email_verified_at IS NOT NULL"};
constexpr db::Statement kRevokeFamilyRefresh{"tokens_revoke_family_refresh",
                                             "UPDATE refresh_tokens SET revoked_at = now() WHERE "
                                             "family_id = $1::uuid AND revoked_at IS NULL"};
constexpr db::Statement kRevokeFamilyAccess{
    "tokens_revoke_family_access",
    "UPDATE access_tokens SET revoked_at = now() WHERE family_id = $1::uuid "
    "AND revoked_at IS NULL AND expires_at > now() RETURNING encode(token_hash, 'hex')"};
constexpr db::Statement kRevokeUserRefresh{
    "tokens_revoke_user_refresh",
    "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1::uuid AND revoked_at IS NULL"};
constexpr db::Statement kRevokeUserAccess{
    "tokens_revoke_user_access",
    "UPDATE access_tokens SET revoked_at = now() WHERE user_id = $1::uuid "
    "AND revoked_at IS NULL AND expires_at > now() RETURNING encode(token_hash, 'hex')"};
constexpr db::Statement kRevokeAccess{
    "tokens_revoke_access",
    "UPDATE access_tokens SET revoked_at = now() WHERE token_hash = decode($1, 'hex') "
    "AND revoked_at IS NULL"};
constexpr db::Statement kLiveAccessOfUser{
    "tokens_live_access_of_user",
    "SELECT encode(token_hash, 'hex') FROM access_tokens WHERE user_id = $1::uuid "
    "AND revoked_at IS NULL AND expires_at > now()"};
constexpr db::Statement kFindAccess{
    "tokens_find_access",
    "SELECT u.id::text, coalesce(u.company_id::text, ''), u.role, u.platform_admin, u.email, "
    "u.name, u.locale, a.family_id::text, "
    "(extract(epoch FROM a.expires_at - now()) * 1000)::bigint "
    "FROM access_tokens a JOIN users u ON u.id = a.user_id "
    "WHERE a.token_hash = decode($1, 'hex') AND a.revoked_at IS NULL AND a.expires_at > now() "
    "AND u.disabled_at IS NULL AND u.anonymized_at IS NULL"};
constexpr db::Statement kNewFamily{"tokens_new_family", "SELECT gen_random_uuid()::text"};
constexpr db::Statement kAuditReuse{
    "tokens_audit_reuse",
    "INSERT INTO audit_log (action, actor_id, subject_id, client, details) "
    "VALUES ('token_reuse_detected', $1::uuid, $1::uuid, $2, jsonb_build_object('family_id', "
    "$3::text))"};

std::string CacheKey(std::string_view hash) { return "at:" + std::string(hash); }

// What a cache entry holds besides a principal's JSON: the token was revoked (refuse it without
// asking PostgreSQL), or what is known of it changed (ask PostgreSQL and cache nothing). A
// check caches a principal only where no entry is (SET NX), so a check that read PostgreSQL
// just before a revocation cannot put the token back into the cache after it.
constexpr std::string_view kRevokedMark = "revoked";
constexpr std::string_view kStaleMark = "stale";
// How long a "stale" mark holds off caching: far longer than any check takes from its read of
// PostgreSQL to its write to the cache.
constexpr std::chrono::seconds kStaleMarkLifetime{60};

// KEYS: cache keys; ARGV[1]: the mark, ARGV[2]: its lifetime in ms.
const redis::Script kMark(R"lua(
for _, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
end
return #KEYS
)lua");

Error InvalidGrant(RefreshRefusal refusal) {
  static constexpr std::string_view kReasons[] = {"unknown", "reused", "inactive_user"};
  return Error{ErrorCode::kUnauthenticated,
               "The refresh token is invalid, expired or revoked.",
               std::string(kReasons[static_cast<int>(refusal)]),
               {}};
}

struct RotationOutcome {
  std::optional<IssuedTokens> tokens;
  std::optional<RefreshRefusal> refusal;
  std::vector<std::string> evict;
};

}  // namespace

TokenStore::TokenStore(db::Pool& database, redis::Client& cache, TokenOptions options)
    : database_(database), cache_(cache), options_(options) {}

asio::awaitable<Result<IssuedTokens>> TokenStore::IssueFamily(db::Transaction& tx,
                                                              std::string user_id) {
  auto family = co_await tx.Execute(kNewFamily);
  if (!family) co_return tl::unexpected(family.error());
  IssuedTokens issued;
  issued.family_id = std::string(family->Text(0, 0));
  issued.user_id = user_id;
  const NewToken access = MakeToken(kAccessTokenPrefix);
  const NewToken refresh = MakeToken(kRefreshTokenPrefix);
  const auto access_seconds = static_cast<long>(options_.access_lifetime.count());
  const auto refresh_seconds = static_cast<long>(options_.refresh_lifetime.count());
  const auto family_seconds = static_cast<long>(options_.family_lifetime.count());
  if (auto inserted = co_await tx.Execute(kInsertAccess, access.hash, issued.family_id, user_id,
                                          access_seconds);
      !inserted) {
    co_return tl::unexpected(inserted.error());
  }
  const std::string starts_now;
  if (auto inserted = co_await tx.Execute(kInsertRefresh, refresh.hash, issued.family_id, user_id,
                                          starts_now, refresh_seconds, family_seconds);
      !inserted) {
    co_return tl::unexpected(inserted.error());
  }
  issued.access_token = access.value;
  issued.refresh_token = refresh.value;
  issued.expires_in = access_seconds;
  co_return issued;
}

asio::awaitable<Result<std::vector<std::string>>> TokenStore::RevokeFamily(db::Transaction& tx,
                                                                           std::string family_id) {
  if (auto revoked = co_await tx.Execute(kRevokeFamilyRefresh, family_id); !revoked) {
    co_return tl::unexpected(revoked.error());
  }
  auto access = co_await tx.Execute(kRevokeFamilyAccess, family_id);
  if (!access) co_return tl::unexpected(access.error());
  std::vector<std::string> hashes;
  for (int row = 0; row < access->size(); ++row) hashes.emplace_back(access->Text(row, 0));
  co_return hashes;
}

asio::awaitable<Result<IssuedTokens>> TokenStore::Rotate(std::string refresh_token,
                                                         std::string client) {
  if (!refresh_token.starts_with(kRefreshTokenPrefix)) {
    co_return tl::unexpected(InvalidGrant(RefreshRefusal::kUnknown));
  }
  const std::string hash = HashToken(refresh_token);
  auto outcome = co_await database_.Transact(
      [&](db::Transaction& tx) -> asio::awaitable<Result<RotationOutcome>> {
        RotationOutcome result;
        const auto family_seconds = static_cast<long>(options_.family_lifetime.count());
        auto used = co_await tx.Execute(kUseRefresh, hash, family_seconds);
        if (!used) co_return tl::unexpected(used.error());
        if (!used->empty()) {
          const std::string family(used->Text(0, 0));
          const std::string user(used->Text(0, 1));
          const std::string family_started(used->Text(0, 2));
          auto active = co_await tx.Execute(kUserActive, user);
          if (!active) co_return tl::unexpected(active.error());
          if (active->empty()) {
            result.refusal = RefreshRefusal::kInactiveUser;
            co_return result;
          }
          const NewToken access = MakeToken(kAccessTokenPrefix);
          const NewToken refresh = MakeToken(kRefreshTokenPrefix);
          const auto access_seconds = static_cast<long>(options_.access_lifetime.count());
          const auto refresh_seconds = static_cast<long>(options_.refresh_lifetime.count());
          if (auto ok =
                  co_await tx.Execute(kInsertAccess, access.hash, family, user, access_seconds);
              !ok) {
            co_return tl::unexpected(ok.error());
          }
          if (auto ok = co_await tx.Execute(kInsertRefresh, refresh.hash, family, user,
                                            family_started, refresh_seconds, family_seconds);
              !ok) {
            co_return tl::unexpected(ok.error());
          }
          result.tokens = IssuedTokens{access.value, refresh.value, access_seconds, family, user};
          co_return result;
        }
        auto known = co_await tx.Execute(kFindRefresh, hash);
        if (!known) co_return tl::unexpected(known.error());
        if (known->empty() || !known->Bool(0, 2) || known->Bool(0, 3)) {
          result.refusal = RefreshRefusal::kUnknown;  // unknown, expired, or already revoked
          co_return result;
        }
        // A used refresh token came back: revoke everything of its login.
        const std::string family(known->Text(0, 0));
        const std::string user(known->Text(0, 1));
        auto evict = co_await RevokeFamily(tx, family);
        if (!evict) co_return tl::unexpected(evict.error());
        if (auto audited = co_await tx.Execute(kAuditReuse, user, client, family); !audited) {
          co_return tl::unexpected(audited.error());
        }
        result.refusal = RefreshRefusal::kReused;
        result.evict = std::move(*evict);
        co_return result;
      });
  if (!outcome) co_return tl::unexpected(outcome.error());
  if (!outcome->evict.empty()) {
    log::Warn("refresh token reuse detected; the token family is revoked");
    co_await Evict(std::move(outcome->evict));
  }
  if (outcome->refusal) co_return tl::unexpected(InvalidGrant(*outcome->refusal));
  co_return std::move(*outcome->tokens);
}

asio::awaitable<Result<Principal>> TokenStore::Authenticate(std::string access_token) {
  if (!access_token.starts_with(kAccessTokenPrefix) || access_token.size() > 128) {
    co_return Fail(ErrorCode::kUnauthenticated, "The access token is invalid.");
  }
  const std::string hash = HashToken(access_token);
  const std::string key = CacheKey(hash);
  auto cached = co_await cache_.Get(key);
  bool may_cache = static_cast<bool>(cached);
  if (cached && *cached) {
    if (**cached == kRevokedMark) {
      co_return Fail(ErrorCode::kUnauthenticated, "The access token is invalid.");
    }
    if (**cached == kStaleMark) {
      may_cache = false;
    } else if (auto principal = PrincipalFromJson(**cached)) {
      co_return std::move(*principal);
    }
  } else if (!cached) {
    log::Warn("token cache unavailable; checking the database",
              {{"reason", cached.error().reason}});
  }
  auto rows = co_await database_.Execute(kFindAccess, hash);
  if (!rows) co_return tl::unexpected(rows.error());
  if (rows->empty()) co_return Fail(ErrorCode::kUnauthenticated, "The access token is invalid.");
  Principal principal;
  principal.user_id = std::string(rows->Text(0, 0));
  principal.company_id = std::string(rows->Text(0, 1));
  principal.role = std::string(rows->Text(0, 2));
  principal.platform_admin = rows->Bool(0, 3);
  principal.email = std::string(rows->Text(0, 4));
  principal.name = std::string(rows->Text(0, 5));
  principal.locale = std::string(rows->Text(0, 6));
  principal.family_id = std::string(rows->Text(0, 7));
  const std::int64_t remaining_ms = rows->Int64(0, 8);
  if (before_cache_write_) before_cache_write_();
  if (may_cache && remaining_ms > 0) {
    (void)co_await cache_.Set(
        key, PrincipalToJson(principal),
        {.expire = std::chrono::milliseconds(remaining_ms), .only_if_absent = true});
  }
  co_return principal;
}

asio::awaitable<Result<void>> TokenStore::Revoke(std::string token) {
  const std::string hash = HashToken(token);
  if (token.starts_with(kAccessTokenPrefix)) {
    auto revoked = co_await database_.Execute(kRevokeAccess, hash);
    if (!revoked) co_return tl::unexpected(revoked.error());
    std::vector<std::string> evict{hash};
    co_await Evict(std::move(evict));
    co_return Result<void>{};
  }
  if (!token.starts_with(kRefreshTokenPrefix)) co_return Result<void>{};
  auto evict = co_await database_.Transact(
      [&](db::Transaction& tx) -> asio::awaitable<Result<std::vector<std::string>>> {
        auto known = co_await tx.Execute(kFindRefresh, hash);
        if (!known) co_return tl::unexpected(known.error());
        if (known->empty()) co_return std::vector<std::string>{};
        co_return co_await RevokeFamily(tx, std::string(known->Text(0, 0)));
      });
  if (!evict) co_return tl::unexpected(evict.error());
  co_await Evict(std::move(*evict));
  co_return Result<void>{};
}

asio::awaitable<Result<std::vector<std::string>>> TokenStore::RevokeUser(db::Transaction& tx,
                                                                         std::string user_id) {
  if (auto revoked = co_await tx.Execute(kRevokeUserRefresh, user_id); !revoked) {
    co_return tl::unexpected(revoked.error());
  }
  auto access = co_await tx.Execute(kRevokeUserAccess, user_id);
  if (!access) co_return tl::unexpected(access.error());
  std::vector<std::string> hashes;
  for (int row = 0; row < access->size(); ++row) hashes.emplace_back(access->Text(row, 0));
  co_return hashes;
}

asio::awaitable<void> TokenStore::Mark(std::vector<std::string> access_hashes,
                                       std::string_view mark, std::chrono::milliseconds lifetime) {
  if (access_hashes.empty()) co_return;
  std::vector<std::string> keys;
  keys.reserve(access_hashes.size());
  for (const std::string& hash : access_hashes) keys.push_back(CacheKey(hash));
  std::vector<std::string> args{std::string(mark), std::to_string(lifetime.count())};
  auto marked = co_await cache_.Eval(kMark, std::move(keys), std::move(args));
  if (!marked) {
    // The cache may still vouch for these tokens until they expire (at most the access
    // lifetime). Redis being down, its entries are usually gone with it; still, say so.
    log::Error("could not mark tokens in the cache", {{"tokens", access_hashes.size()},
                                                      {"mark", std::string(mark)},
                                                      {"reason", marked.error().reason}});
  }
}

asio::awaitable<void> TokenStore::Evict(std::vector<std::string> access_hashes) {
  // Revoked tokens live at most the access lifetime: so long the mark must last.
  co_await Mark(std::move(access_hashes), kRevokedMark, options_.access_lifetime);
}

asio::awaitable<void> TokenStore::EvictUser(std::string user_id) {
  auto rows = co_await database_.Execute(kLiveAccessOfUser, user_id);
  if (!rows) {
    log::Error("could not list a user's tokens to evict", {{"reason", rows.error().reason}});
    co_return;
  }
  std::vector<std::string> hashes;
  for (int row = 0; row < rows->size(); ++row) hashes.emplace_back(rows->Text(row, 0));
  co_await Mark(std::move(hashes), kStaleMark, kStaleMarkLifetime);
}

}  // namespace codezero::auth
