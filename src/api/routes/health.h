// Liveness, readiness and version, for load balancers and orchestrators:
//   GET /healthz  200 {"status":"ok"} while the process serves requests
//   GET /readyz   200 {"status":"ok","checks":{"postgres":"ok","redis":"ok"}} when both answer
//                 within 500 ms; otherwise 503 with the failing check named
//   GET /version  {"version","commit","built_at"}
#pragma once

#include <chrono>

#include "db/pool.h"
#include "http/router.h"
#include "redis/client.h"

namespace codezero::api {

struct HealthDependencies {
  db::Pool& database;
  redis::Client& cache;
  std::chrono::milliseconds check_timeout{500};
};

void AddHealthRoutes(http::Router& router, HealthDependencies dependencies);

// Only GET /healthz (what a process that serves HTTP answers while it runs).
void AddLivenessRoute(http::Router& router);

}  // namespace codezero::api
