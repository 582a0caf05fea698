// The syntax of entity tags (RFC 9110 §8.8.3) for credentials, which HTTP alone knows: the ETag a
// credential is answered with, and the If-Match header that makes a change conditional on it.
// The service sees revisions only (service/credential_service.h RevisionCondition).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "service/credential_service.h"

namespace bf::http {

// The ETag of a credential at `revision`: the revision in quotes, e.g. "\"7\"".
std::string RevisionEtag(int64_t revision);

// The If-Match header value (absent: empty) as the revisions it names: unconditional when empty;
// else a comma-separated list whose "*" allows any revision and whose tags written as
// RevisionEtag writes them name those revisions. Any other tag (weak, another spelling of the
// number) names none, so a list of nothing else allows no change (412).
RevisionCondition ParseIfMatch(std::string_view header);

}  // namespace bf::http
