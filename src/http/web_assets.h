// The built web interface, embedded in the binary (see cmake/embed_web.cmake), and serving it.
#pragma once

#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace bf::http {

struct WebAsset {
  std::string_view path;  // "/index.html", "/assets/index-1a2b3c.js"
  std::string_view bytes;
};

// Every file of web/dist; empty when the interface was not built.
const std::vector<WebAsset>& WebAssets();

// Answers GET for the interface: a file by its path; "/" and client-side routes (paths without
// a file extension) get index.html; a missing file with an extension is 404. Hashed files under
// /assets/ are cached for a year; index.html is revalidated every time.
// The API reference is not one of them: /api-docs.html is served only as ServeApiReference.
Result<Response> ServeWebAsset(const Request& request);

// GET /api/docs: the API reference page (Redoc, bundled into web/dist by vite.config.ts), which
// renders /api/v1/openapi.json. It loads its script from this origin only, under a
// Content-Security-Policy of its own; without a built interface, a page that links to the
// document instead.
Result<Response> ServeApiReference();

}  // namespace bf::http
