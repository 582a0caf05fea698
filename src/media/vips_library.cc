#include "media/vips_library.h"

#include <dlfcn.h>

#include <string>

namespace bf::media {

Result<VipsLibrary> OpenVips() {
  const std::string file = "libvips.so." + std::to_string(kVipsAbi);
  // RTLD_NOW: a broken installation fails here, not halfway through a thumbnail. RTLD_LOCAL:
  // nothing else in the process binds to libvips' (or GLib's) symbols by accident.
  void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return Internal("cannot open " + file + " (is libvips" + std::to_string(kVipsAbi) +
                    " installed?): " + ::dlerror());
  }
  VipsLibrary vips;
  void* symbol = nullptr;
#define BF_VIPS_RESOLVE(name)                                                              \
  symbol = ::dlsym(handle, #name);                                                         \
  if (symbol == nullptr) return Internal(file + " has no function " + std::string(#name)); \
  vips.name = reinterpret_cast<decltype(vips.name)>(symbol);
  BF_VIPS_FUNCTIONS(BF_VIPS_RESOLVE)
#undef BF_VIPS_RESOLVE
  return vips;
}

}  // namespace bf::media
