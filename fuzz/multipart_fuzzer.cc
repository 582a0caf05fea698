// Fuzzes the streaming multipart reader: any body, split at places the input chooses, must give
// exactly the events and the error of the same body fed whole, and never crash or read out of
// bounds. Input: 1 byte picks the boundary, 1 byte seeds the split sizes, the rest is the body.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "http/multipart.h"

namespace {

using bf::Ok;
using bf::Status;

// Logs the events, merging the data of one part however it was split.
class Recorder final : public bf::http::MultipartHandler {
 public:
  Status OnPartBegin(const bf::http::MultipartPart& part) override {
    log += "\nbegin " + part.name + "|" + part.filename.value_or("-") + "|" + part.content_type +
           "\ndata ";
    return Ok();
  }
  Status OnPartData(std::string_view data) override {
    if (data.empty()) std::abort();  // data is never reported empty
    log.append(data);
    return Ok();
  }
  Status OnPartEnd() override {
    log += "\nend";
    return Ok();
  }
  std::string log;
};

std::string Run(const std::string& boundary, std::string_view body,
                const std::vector<size_t>& splits) {
  Recorder recorder;
  bf::http::MultipartReader reader(boundary, recorder);
  Status status = Ok();
  size_t at = 0;
  for (size_t n : splits) {
    if (!status || at >= body.size()) break;
    n = std::min(n, body.size() - at);
    status = reader.Feed(body.substr(at, n));
    at += n;
  }
  if (status) status = reader.Finish();
  return (status ? std::string("ok") : status.error().reason) + recorder.log;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static const char* kBoundaries[] = {"b", "--", "XyZ", "a-b-a-b", "boundary", "aaaa", "ab"};
  const std::string boundary = kBoundaries[data[0] % (sizeof kBoundaries / sizeof *kBoundaries)];
  unsigned seed = data[1];
  std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);

  std::vector<size_t> whole = {body.size()};
  std::vector<size_t> ones(body.size(), 1);
  std::vector<size_t> varied;
  for (size_t total = 0; total < body.size();) {
    seed = seed * 1103515245u + 12345u;
    size_t n = 1 + (seed >> 16) % 13;
    varied.push_back(n);
    total += n;
  }
  const std::string expected = Run(boundary, body, whole);
  if (Run(boundary, body, ones) != expected) std::abort();
  if (Run(boundary, body, varied) != expected) std::abort();
  return 0;
}
