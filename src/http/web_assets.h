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
Result<Response> ServeWebAsset(const Request& request);

}  // namespace bf::http
