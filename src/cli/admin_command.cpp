// `codezero admin create-user --email ADDRESS [--name NAME]`: creates a platform admin (Code
// Zero staff, no company), the only way to get one. The password is generated and printed once;
// change it with PATCH /v1/me.
#include <iostream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "auth/password_hasher.h"
#include "cli/command.h"
#include "common/random.h"
#include "db/pool.h"
#include "db/pool_options.h"
#include "domain/email_address.h"

namespace codezero::cli {
namespace {

namespace asio = boost::asio;

constexpr db::Statement kInsertAdmin{
    "admin_cli_insert",
    "INSERT INTO users (email, name, locale, password_hash, role, platform_admin, "
    "email_verified_at) "
    "VALUES ($1, $2, 'en', $3, 'member', true, now()) RETURNING id::text"};
constexpr db::Statement kAudit{
    "admin_cli_audit",
    "INSERT INTO audit_log (action, subject_id, client) VALUES ('admin_created', $1::uuid, 'cli')"};

}  // namespace

void DescribeAdminSettings(SettingsReader& reader) {
  ReadLogSettings(reader);
  (void)db::ReadConnectOptions(reader, "codezero-admin");
  (void)auth::ReadPasswordPolicy(reader);
}

int RunAdminCommand(std::span<char* const> args) {
  const std::string email = domain::NormalizeEmail(FlagValue(args, "--email"));
  const std::string name = FlagValue(args, "--name");
  if (args.empty() || std::string_view(args[0]) != "create-user" ||
      !domain::IsPlausibleEmail(email)) {
    std::cerr << "usage: codezero admin create-user --email ADDRESS [--name NAME]\n";
    return kExitUsage;
  }
  SettingsReader reader(ProcessEnvironment());
  ReadLogSettings(reader);
  db::PoolOptions options;
  options.connect = db::ReadConnectOptions(reader, "codezero-admin");
  options.size = 1;
  const auth::PasswordPolicy policy = auth::ReadPasswordPolicy(reader);
  if (ReportSettingsProblems("admin", reader)) return kExitUsage;

  const std::string password = RandomToken(18);  // 24 characters, 144 bits
  asio::io_context context;
  db::Pool pool(context.get_executor(), options);
  auth::PasswordHasher hasher(policy, 1);
  int exit_code = kExitFailure;
  asio::co_spawn(
      context,
      [&]() -> asio::awaitable<void> {
        auto hash = co_await hasher.Hash(password);
        if (!hash) {
          std::cerr << "codezero admin: " << hash.error().message << "\n";
          co_return;
        }
        auto created = co_await pool.Transact(
            [&](db::Transaction& tx) -> asio::awaitable<Result<std::string>> {
              auto user = co_await tx.Execute(kInsertAdmin, email, name, *hash);
              if (!user) co_return tl::unexpected(user.error());
              const std::string id(user->Text(0, 0));
              if (auto audited = co_await tx.Execute(kAudit, id); !audited)
                co_return tl::unexpected(audited.error());
              co_return id;
            });
        if (!created) {
          std::cerr << "codezero admin: "
                    << (db::SqlStateOf(created.error()) == "23505"
                            ? "this address already has an account"
                            : created.error().reason)
                    << "\n";
        } else {
          std::cout << "created platform admin " << email << " (" << *created << ")\n"
                    << "password (shown once): " << password << "\n";
          exit_code = kExitOk;
        }
        pool.Close();
      },
      asio::detached);
  context.run();
  return exit_code;
}

}  // namespace codezero::cli
