#include "billing/referrals.h"

#include <set>

#include "billing/order_context.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "domain/referral.h"
#include "queue/enqueue.h"
#include "stripe/api_error.h"
#include "stripe/objects.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;

// The order's referral code when it is a company's, with what the rules need of both companies.
constexpr db::Statement kReferredOrder{
    "referral_order",
    "SELECT rc.code, rc.company_id::text, o.company_id::text, o.currency, o.catalog_version, "
    "coalesce(ref.stripe_customer_id, ''), coalesce(me.stripe_customer_id, ''), "
    "ref.deleted_at IS NOT NULL, coalesce(upper(replace(ref.vat_id, ' ', '')), ''), "
    "coalesce(upper(replace(me.vat_id, ' ', '')), '') "
    "FROM orders o JOIN referral_codes rc ON rc.code = o.discount_code "
    "JOIN companies ref ON ref.id = rc.company_id JOIN companies me ON me.id = o.company_id "
    "WHERE o.id = $1::uuid AND o.discount_kind = 'referral'"};
// One referrer's redemptions are decided one at a time: the monthly count holds.
constexpr db::Statement kLockReferrer{"referral_lock_referrer",
                                      "SELECT pg_advisory_xact_lock(hashtext('referral:' || $1))"};
constexpr db::Statement kMailDomains{
    "referral_mail_domains",
    "SELECT DISTINCT lower(split_part(email::text, '@', 2)) FROM users "
    "WHERE company_id = $1::uuid AND email_verified_at IS NOT NULL AND anonymized_at IS NULL"};
// Held or credited since the first of this month, German time.
constexpr db::Statement kCreditsThisMonth{
    "referral_credits_this_month",
    "SELECT count(*) FROM referral_redemptions WHERE referrer_company_id = $1::uuid "
    "AND state IN ('holding', 'credited') AND paid_at >= "
    "(date_trunc('month', now() AT TIME ZONE 'Europe/Berlin') AT TIME ZONE 'Europe/Berlin')"};
constexpr db::Statement kInsertRedemption{
    "referral_insert",
    "INSERT INTO referral_redemptions (code, referrer_company_id, referee_company_id, order_id, "
    "state, refusal, reward_amount, currency, paid_at, hold_until) "
    "VALUES ($1, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7, $8, now(), "
    "now() + make_interval(days => $9)) ON CONFLICT (order_id) DO NOTHING RETURNING id::text"};

constexpr db::Statement kRefuseHeld{
    "referral_refuse_held",
    "UPDATE referral_redemptions SET state = 'refused', refusal = $2 "
    "WHERE order_id = $1::uuid AND state = 'holding' RETURNING id::text"};
constexpr db::Statement kCreditedOfOrder{
    "referral_credited_of_order",
    "SELECT id::text FROM referral_redemptions WHERE order_id = $1::uuid "
    "AND credit_transaction IS NOT NULL AND reversal_transaction IS NULL"};

// A redemption as the credit needs it.
constexpr db::Statement kForCredit{
    "referral_for_credit",
    "SELECT r.state, greatest(0, ceil(extract(epoch FROM r.hold_until - now())))::bigint, "
    "r.reward_amount, r.currency, coalesce(c.stripe_customer_id, ''), o.status, "
    "EXISTS (SELECT 1 FROM subscriptions s WHERE s.order_id = o.id "
    "AND (s.cancellation_received_at IS NOT NULL OR s.status IN ('canceled', "
    "'incomplete_expired'))), coalesce(r.credit_transaction, ''), "
    "coalesce(r.reversal_transaction, '') "
    "FROM referral_redemptions r JOIN orders o ON o.id = r.order_id "
    "JOIN companies c ON c.id = r.referrer_company_id WHERE r.id = $1::uuid FOR UPDATE OF r"};
constexpr db::Statement kRefuse{
    "referral_refuse",
    "UPDATE referral_redemptions SET state = 'refused', refusal = $2 WHERE id = $1::uuid"};
// A refund may have refused it while Stripe was being asked: the credit stands recorded, and
// its reversal follows.
constexpr db::Statement kCredited{
    "referral_credited",
    "UPDATE referral_redemptions SET state = CASE WHEN state = 'holding' THEN 'credited' "
    "ELSE state END, credited_at = now(), credit_transaction = $2 WHERE id = $1::uuid "
    "RETURNING state"};
constexpr db::Statement kReversed{
    "referral_reversed",
    "UPDATE referral_redemptions SET state = CASE WHEN state = 'voided' THEN 'voided' "
    "ELSE 'reversed' END, refusal = NULL, reversed_at = now(), reversal_transaction = $2, "
    "credit_transaction = coalesce(credit_transaction, $3) "
    "WHERE id = $1::uuid AND reversal_transaction IS NULL"};

constexpr db::Statement kVoid{
    "referral_void",
    "UPDATE referral_redemptions SET state = 'voided', voided_at = now(), voided_by = $2::uuid "
    "WHERE id = $1::uuid AND state IN ('holding', 'credited') "
    "RETURNING credit_transaction IS NOT NULL AND reversal_transaction IS NULL"};

struct Redemption {
  std::string state;
  std::int64_t wait = 0;
  std::int64_t reward = 0;
  std::string currency;
  std::string customer;
  std::string order_status;
  bool cancelled = false;
  std::string credit;
  std::string reversal;
};

Redemption ReadRedemption(const db::Rows& rows) {
  Redemption r;
  r.state = std::string(rows.Text(0, 0));
  r.wait = rows.Int64(0, 1);
  r.reward = rows.Int64(0, 2);
  r.currency = std::string(rows.Text(0, 3));
  r.customer = std::string(rows.Text(0, 4));
  r.order_status = std::string(rows.Text(0, 5));
  r.cancelled = rows.Bool(0, 6);
  r.credit = std::string(rows.Text(0, 7));
  r.reversal = std::string(rows.Text(0, 8));
  return r;
}

asio::awaitable<Result<void>> EnqueueFor(db::Transaction& tx, const queue::JobKind& kind,
                                         std::string redemption, std::int64_t delay_seconds) {
  JsonWriter args(96);
  args.BeginObject();
  args.Member("redemption", redemption);
  args.EndObject();
  auto queued = co_await queue::Enqueue(tx, kind, std::move(args).Take(),
                                        std::string(kind.name) + ":" + redemption, delay_seconds);
  if (!queued) co_return tl::unexpected(queued.error());
  co_return Result<void>();
}

asio::awaitable<Result<std::set<std::string>>> DomainsOf(db::Transaction& tx, std::string company) {
  auto rows = co_await tx.Execute(kMailDomains, company);
  if (!rows) co_return tl::unexpected(rows.error());
  std::set<std::string> domains;
  for (int row = 0; row < rows->size(); ++row) {
    std::string domain(rows->Text(row, 0));
    if (!domain::IsPublicMailDomain(domain)) domains.insert(std::move(domain));
  }
  co_return domains;
}

// A customer balance transaction: negative credits the customer.
asio::awaitable<Result<std::string>> Adjust(stripe::Client& stripe, std::string customer,
                                            std::int64_t amount, std::string currency,
                                            std::string redemption, std::string what) {
  stripe::FormFields fields{
      {"amount", std::to_string(amount)},
      {"currency", currency},
      {"description", what == "credit" ? "Referral credit" : "Referral credit reversed"},
      {"metadata[redemption]", redemption}};
  auto made = co_await stripe.Post("/v1/customers/" + customer + "/balance_transactions",
                                   std::move(fields), "referral:" + redemption + ":" + what);
  if (!made) co_return tl::unexpected(stripe::ToError(made.error()));
  co_return stripe::StringOf(*made, "id");
}

// What Stripe holds for a redemption, found by its metadata: the credit and its reversal, if
// made. Asked before making either, so a credit whose recording was lost (a crash after
// Stripe's answer) is neither made again nor left standing after a refund, whatever the age of
// its idempotency key (Stripe keeps keys for 24 hours). The customer's newest 100 are searched.
struct AtStripe {
  std::string credit;
  std::string reversal;
};

asio::awaitable<Result<AtStripe>> FindAtStripe(stripe::Client& stripe, std::string customer,
                                               std::string redemption) {
  stripe::FormFields query{{"limit", "100"}};  // named: ADR 0001
  auto listed =
      co_await stripe.Get("/v1/customers/" + customer + "/balance_transactions", std::move(query));
  if (!listed) co_return tl::unexpected(stripe::ToError(listed.error()));
  AtStripe found;
  const auto* data = listed->if_contains("data");
  if (data == nullptr || !data->is_array()) co_return found;
  for (const boost::json::value& entry : data->as_array()) {
    if (!entry.is_object()) continue;
    const auto* metadata = entry.as_object().if_contains("metadata");
    if (metadata == nullptr || !metadata->is_object() ||
        stripe::StringOf(metadata->as_object(), "redemption") != redemption) {
      continue;
    }
    const std::int64_t amount = stripe::IntOf(entry.as_object(), "amount").value_or(0);
    (amount < 0 ? found.credit : found.reversal) = stripe::StringOf(entry.as_object(), "id");
  }
  co_return found;
}

}  // namespace

asio::awaitable<Result<void>> RecordReferral(db::Transaction& tx, std::string order_id) {
  auto order = co_await tx.Execute(kReferredOrder, order_id);
  if (!order) co_return tl::unexpected(order.error());
  if (order->empty()) co_return Result<void>();  // no company's code
  const std::string code(order->Text(0, 0));
  const std::string referrer(order->Text(0, 1));
  const std::string referee(order->Text(0, 2));
  const std::string currency(order->Text(0, 3));
  auto catalog = co_await LoadCatalog(tx, static_cast<int>(order->Int64(0, 4)));
  if (!catalog) co_return tl::unexpected(catalog.error());
  const domain::ReferralTerms terms = catalog->referral;

  auto locked = co_await tx.Execute(kLockReferrer, referrer);
  if (!locked) co_return tl::unexpected(locked.error());
  domain::ReferralFacts facts;
  facts.same_company = referrer == referee;
  facts.referrer_closed = order->Bool(0, 7);
  facts.referrer_is_customer = !order->Text(0, 5).empty();
  facts.same_customer = facts.referrer_is_customer && order->Text(0, 5) == order->Text(0, 6);
  facts.same_vat_id = !order->Text(0, 8).empty() && order->Text(0, 8) == order->Text(0, 9);
  auto theirs = co_await DomainsOf(tx, referrer);
  if (!theirs) co_return tl::unexpected(theirs.error());
  auto ours = co_await DomainsOf(tx, referee);
  if (!ours) co_return tl::unexpected(ours.error());
  for (const std::string& domain : *ours) facts.shared_email_domain |= theirs->contains(domain);
  auto count = co_await tx.Execute(kCreditsThisMonth, referrer);
  if (!count) co_return tl::unexpected(count.error());
  facts.credits_this_month = static_cast<int>(count->Int64(0, 0));
  facts.monthly_limit = terms.monthly_limit;

  const std::optional<std::string_view> refusal = domain::ReferralRefusal(facts);
  const std::optional<std::string> refusal_text =
      refusal ? std::optional<std::string>(std::string(*refusal)) : std::nullopt;
  const std::string state = refusal ? "refused" : "holding";
  auto inserted =
      co_await tx.Execute(kInsertRedemption, code, referrer, referee, order_id, state, refusal_text,
                          terms.reward_amount, currency, terms.holding_days);
  if (!inserted) co_return tl::unexpected(inserted.error());
  if (inserted->empty()) co_return Result<void>();  // recorded before
  const std::string id(inserted->Text(0, 0));
  log::Info("referral redeemed", {{"redemption", id}, {"state", state}});
  if (refusal) co_return Result<void>();
  co_return co_await EnqueueFor(tx, queue::kinds::kReferralCredit, id,
                                static_cast<std::int64_t>(terms.holding_days) * 86'400);
}

asio::awaitable<Result<void>> WithdrawReferral(db::Transaction& tx, std::string order_id) {
  auto refused = co_await tx.Execute(kRefuseHeld, order_id, "refunded");
  if (!refused) co_return tl::unexpected(refused.error());
  // A held one may have been credited at Stripe already, its recording lost: the reversal job
  // looks there and takes back what it finds.
  for (int row = 0; row < refused->size(); ++row) {
    auto queued = co_await EnqueueFor(tx, queue::kinds::kReferralReverse,
                                      std::string(refused->Text(row, 0)), 0);
    if (!queued) co_return tl::unexpected(queued.error());
  }
  auto credited = co_await tx.Execute(kCreditedOfOrder, order_id);
  if (!credited) co_return tl::unexpected(credited.error());
  for (int row = 0; row < credited->size(); ++row) {
    auto queued = co_await EnqueueFor(tx, queue::kinds::kReferralReverse,
                                      std::string(credited->Text(row, 0)), 0);
    if (!queued) co_return tl::unexpected(queued.error());
  }
  co_return Result<void>();
}

asio::awaitable<Result<std::int64_t>> CreditReferral(db::Pool& database, stripe::Client& stripe,
                                                     std::string redemption) {
  // Decided first, in its own transaction: what remains is the credit itself.
  auto decided = co_await database.Transact(
      [&](db::Transaction& tx) -> asio::awaitable<Result<std::optional<Redemption>>> {
        auto rows = co_await tx.Execute(kForCredit, redemption);
        if (!rows) co_return tl::unexpected(rows.error());
        if (rows->empty()) co_return std::optional<Redemption>();
        Redemption r = ReadRedemption(*rows);
        if (r.state != "holding" || r.wait > 0) co_return std::optional<Redemption>(r);
        std::string refusal;
        if (r.order_status == "refunded")
          refusal = "refunded";
        else if (r.order_status == "canceled" || r.cancelled)
          refusal = "cancelled";
        else if (r.customer.empty())
          refusal = "referrer_not_customer";
        if (!refusal.empty()) {
          auto refused = co_await tx.Execute(kRefuse, redemption, refusal);
          if (!refused) co_return tl::unexpected(refused.error());
          log::Info("referral refused at the end of its holding period",
                    {{"redemption", redemption}, {"refusal", refusal}});
          r.state = "refused";
        }
        co_return std::optional<Redemption>(r);
      });
  if (!decided) co_return tl::unexpected(decided.error());
  if (!*decided) co_return 0;
  const Redemption& r = **decided;
  if (r.state != "holding") co_return 0;
  if (r.wait > 0) co_return r.wait;

  auto transaction =
      co_await Adjust(stripe, r.customer, -r.reward, r.currency, redemption, "credit");
  if (!transaction) co_return tl::unexpected(transaction.error());
  auto recorded =
      co_await database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<void>> {
        auto credited = co_await tx.Execute(kCredited, redemption, *transaction);
        if (!credited) co_return tl::unexpected(credited.error());
        if (credited->empty() || credited->Text(0, 0) == "credited") co_return Result<void>();
        // Refunded (or voided) while Stripe was asked: take the credit back.
        co_return co_await EnqueueFor(tx, queue::kinds::kReferralReverse, redemption, 0);
      });
  if (!recorded) co_return tl::unexpected(recorded.error());
  log::Info("referral credited", {{"redemption", redemption}, {"amount", r.reward}});
  co_return 0;
}

asio::awaitable<Result<void>> ReverseReferral(db::Pool& database, stripe::Client& stripe,
                                              std::string redemption) {
  auto rows = co_await database.Transact(
      [&](db::Transaction& tx) -> asio::awaitable<Result<std::optional<Redemption>>> {
        auto found = co_await tx.Execute(kForCredit, redemption);
        if (!found) co_return tl::unexpected(found.error());
        if (found->empty()) co_return std::optional<Redemption>();
        co_return std::optional<Redemption>(ReadRedemption(*found));
      });
  if (!rows) co_return tl::unexpected(rows.error());
  if (!*rows || !(*rows)->reversal.empty()) co_return Result<void>();
  const Redemption& r = **rows;
  if (r.customer.empty()) co_return Result<void>();
  auto at_stripe = co_await FindAtStripe(stripe, r.customer, redemption);
  if (!at_stripe) co_return tl::unexpected(at_stripe.error());
  if (at_stripe->credit.empty()) co_return Result<void>();  // never credited: nothing to take
  Result<std::string> transaction = at_stripe->reversal;
  if (at_stripe->reversal.empty()) {
    transaction = co_await Adjust(stripe, r.customer, r.reward, r.currency, redemption, "reverse");
    if (!transaction) co_return tl::unexpected(transaction.error());
  }
  auto recorded = co_await database.Execute(kReversed, redemption, *transaction, at_stripe->credit);
  if (!recorded) co_return tl::unexpected(recorded.error());
  log::Info("referral credit reversed", {{"redemption", redemption}, {"amount", r.reward}});
  co_return Result<void>();
}

asio::awaitable<Result<bool>> VoidReferral(db::Transaction& tx, std::string redemption,
                                           std::string admin_id) {
  auto voided = co_await tx.Execute(kVoid, redemption, admin_id);
  if (!voided) co_return tl::unexpected(voided.error());
  if (voided->empty()) co_return false;
  if (voided->Bool(0, 0)) {
    auto queued = co_await EnqueueFor(tx, queue::kinds::kReferralReverse, redemption, 0);
    if (!queued) co_return tl::unexpected(queued.error());
  }
  co_return true;
}

}  // namespace codezero::billing
