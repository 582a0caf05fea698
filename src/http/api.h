// The route table of API version 1: one line a route.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "http/handlers.h"
#include "http/router.h"

namespace bf::http {

// Every route, the OpenAPI document among them. `api` must outlive the routes.
std::vector<Route> ApiRoutes(Api& api);

// The router of the whole server: every API route, and the web interface for other GETs.
std::unique_ptr<Router> MakeRouter(Api& api);
// The router of a listener for monitoring alone (--metrics-listen): /metrics and /healthz.
std::unique_ptr<Router> MakeMetricsRouter(Api& api);

// An OpenAPI 3.1 document describing exactly `routes`.
std::string OpenApiDocument(const std::vector<Route>& routes);

}  // namespace bf::http
