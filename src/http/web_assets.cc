#include "http/web_assets.h"

#include <algorithm>
#include <string>

namespace bf::http {
namespace {

std::string_view ContentType(std::string_view path) {
  auto dot = path.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "woff2") return "font/woff2";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

const WebAsset* Find(std::string_view path) {
  const auto& assets = WebAssets();
  auto it =
      std::find_if(assets.begin(), assets.end(), [&](const WebAsset& a) { return a.path == path; });
  return it == assets.end() ? nullptr : &*it;
}

constexpr char kNotBuilt[] =
    "<!doctype html><meta charset=utf-8><title>Bonafides</title>"
    "<p>The web interface was not built into this binary. Run <code>make build</code>; the API "
    "is at <a href=/api/v1/openapi.json>/api/v1/openapi.json</a>.";

constexpr char kApiReferenceNotBuilt[] =
    "<!doctype html><meta charset=utf-8><title>Bonafides API reference</title>"
    "<p>The API reference page was not built into this binary. Run <code>make build</code>; the "
    "OpenAPI document is at <a href=/api/v1/openapi.json>/api/v1/openapi.json</a>.";

constexpr char kApiReferencePage[] = "/api-docs.html";

void SetPageHeaders(Response& r, const char* csp) {
  r.Set("Content-Type", "text/html; charset=utf-8");
  r.Set("Cache-Control", "no-cache");
  r.Set("Content-Security-Policy", csp);
  r.Set("X-Frame-Options", "DENY");
  r.Set("Referrer-Policy", "same-origin");
}

}  // namespace

Result<Response> ServeApiReference() {
  // The interface's policy and the one thing more Redoc needs: it builds its search index in a
  // worker made from a blob: URL, which only a script of this origin can create. Scripts still
  // come from this origin only; no eval.
  static constexpr char kCsp[] =
      "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; "
      "worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
  const WebAsset* page = Find(kApiReferencePage);
  Response r;
  r.body = page == nullptr ? std::string(kApiReferenceNotBuilt) : std::string(page->bytes);
  SetPageHeaders(r, kCsp);
  return r;
}

Result<Response> ServeWebAsset(const Request& request) {
  std::string_view path = request.path;
  const WebAsset* asset = path == kApiReferencePage ? nullptr : Find(path);
  bool is_file_path = path.substr(path.rfind('/') + 1).find('.') != std::string_view::npos;
  if (asset == nullptr && !is_file_path) asset = Find("/index.html");
  Response r;
  if (asset == nullptr) {
    if (is_file_path) return NotFound("file");
    r.body = kNotBuilt;
    r.Set("Content-Type", "text/html; charset=utf-8");
    return r;
  }
  r.body = std::string(asset->bytes);
  r.Set("Content-Type", std::string(ContentType(asset->path)));
  bool immutable = asset->path.rfind("/assets/", 0) == 0;
  r.Set("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.Set("Content-Security-Policy",
        "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
  r.Set("X-Frame-Options", "DENY");
  r.Set("Referrer-Policy", "same-origin");
  return r;
}

}  // namespace bf::http
