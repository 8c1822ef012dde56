// /v1/test_helpers/test_clocks: create, retrieve, list, delete, advance. Advancing answers at
// once with status `advancing`; the engine then runs everything due up to the new time, in
// order, and sets the clock `ready` (test_helpers.test_clock.ready).
#include "stripe_fake/clock.h"
#include "stripe_fake/ids.h"
#include "stripe_fake/listing.h"
#include "stripe_fake/params.h"
#include "stripe_fake/routes/routes.h"

namespace codezero::stripe_fake {

namespace json = boost::json;

void AddTestClockRoutes(Api& api, Core& core) {
  api.Post("/v1/test_helpers/test_clocks", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs{{"frozen_time", ParamKind::kInteger}, {"name"}};
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::optional<std::int64_t> frozen = Int(call.params, "frozen_time");
    if (!frozen) return tl::unexpected(ParameterMissing("frozen_time"));
    json::object clock;
    clock["id"] = NewId("clock_");
    clock["object"] = "test_helpers.test_clock";
    clock["created"] = WallSeconds();
    clock["deletes_after"] = WallSeconds() + 30 * 86'400;
    clock["frozen_time"] = *frozen;
    clock["livemode"] = false;
    clock["name"] = OrNull(Str(call.params, "name").value_or(""));
    clock["status"] = "ready";
    clock["status_details"] = json::object();
    json::object& stored = core.store.Insert("test_helpers.test_clock", std::move(clock));
    core.events.Emit("test_helpers.test_clock.created", stored, *frozen);
    return stored;
  });
  api.Get("/v1/test_helpers/test_clocks/{id}", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> none;
    STRIPE_FAKE_CHECK(Validate(call.params, none));
    const json::object* clock = core.store.Find(call.Param("id"), "test_helpers.test_clock");
    if (clock == nullptr) return tl::unexpected(NoSuch("test_clock", call.Param("id")));
    return *clock;
  });
  api.Get("/v1/test_helpers/test_clocks", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs = ListParams({});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    return ListOf(core, "test_helpers.test_clock", call.params, "/v1/test_helpers/test_clocks",
                  nullptr);
  });
  api.Delete("/v1/test_helpers/test_clocks/{id}", [&core](ApiCall& call) -> ApiResult {
    const std::string id = call.Param("id");
    const json::object* clock = core.store.Find(id, "test_helpers.test_clock");
    if (clock == nullptr) return tl::unexpected(NoSuch("test_clock", id));
    core.events.Emit("test_helpers.test_clock.deleted", *clock, Number(*clock, "frozen_time"));
    core.store.Remove(id);
    json::object deleted;
    deleted["id"] = id;
    deleted["object"] = "test_helpers.test_clock";
    deleted["deleted"] = true;
    return deleted;
  });
  api.Post("/v1/test_helpers/test_clocks/{id}/advance", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs{{"frozen_time", ParamKind::kInteger}};
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::string id = call.Param("id");
    json::object* clock = core.store.Find(id, "test_helpers.test_clock");
    if (clock == nullptr) return tl::unexpected(NoSuch("test_clock", id));
    const std::optional<std::int64_t> target = Int(call.params, "frozen_time");
    if (!target) return tl::unexpected(ParameterMissing("frozen_time"));
    if (Text(*clock, "status") != "ready") {
      return tl::unexpected(
          InvalidState("The test clock " + id + " is advancing; wait until it is ready."));
    }
    if (*target <= Number(*clock, "frozen_time")) {
      return tl::unexpected(
          InvalidParam("frozen_time",
                       "Cannot advance a test clock to a time earlier than or equal to its "
                       "current frozen time."));
    }
    (*clock)["status"] = "advancing";
    json::object details;
    json::object advancing;
    advancing["target_frozen_time"] = *target;
    details["advancing"] = std::move(advancing);
    (*clock)["status_details"] = std::move(details);
    core.store.Private(id)["target"] = *target;
    core.events.Emit("test_helpers.test_clock.advancing", *clock, Number(*clock, "frozen_time"));
    core.wake();
    return *clock;
  });
}

}  // namespace codezero::stripe_fake
