#include "http/etag.h"

#include <charconv>

#include "domain/validation.h"

namespace bf::http {

std::string RevisionEtag(int64_t revision) { return "\"" + std::to_string(revision) + "\""; }

RevisionCondition ParseIfMatch(std::string_view header) {
  RevisionCondition condition;
  if (header.empty()) return condition;
  condition.given = true;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const std::string tag = Trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (tag == "*") {
      condition.any = true;
      continue;
    }
    if (tag.size() < 3 || tag.front() != '"' || tag.back() != '"') continue;
    int64_t revision = 0;
    const char* first = tag.data() + 1;
    const char* last = tag.data() + tag.size() - 1;
    const auto [end, ec] = std::from_chars(first, last, revision);
    // Only the spelling RevisionEtag writes: no sign, no leading zeros.
    if (ec == std::errc() && end == last && tag == RevisionEtag(revision)) {
      condition.revisions.push_back(revision);
    }
  }
  return condition;
}

}  // namespace bf::http
