// libvips, opened with dlopen when first needed instead of linked into `bonafides`.
//
// Linked, the dynamic linker maps and relocates libvips and the ~68 libraries it needs (librsvg,
// poppler's cairo and pango, OpenEXR, HDF5 …) each time the binary starts, and VIPS_INIT then
// loads its modules (ImageMagick, poppler, libheif, libjxl): 21 of an idle server's 36 MiB of
// resident memory, thumbnails or not. Opened here, they are mapped by the first thumbnail (or the
// drawing of `serve --demo`'s first run), ~40 ms once (docs/performance.md, "Idle RSS"). It is
// the same file from the same Debian package (libvips42), and `bonafides` is still one file.
#pragma once

#include <vips/vips.h>  // the types, constants and declarations; no libvips symbol is linked

#include "core/result.h"

namespace bf::media {

// The libvips and GLib functions src/media calls. A new call needs its name here: calling the
// function directly fails at link time, as nothing links libvips.
#define BF_VIPS_FUNCTIONS(X)    \
  X(vips_init)                  \
  X(vips_block_untrusted_set)   \
  X(vips_operation_block_set)   \
  X(vips_cache_set_max)         \
  X(vips_error_buffer)          \
  X(vips_error_clear)           \
  X(vips_image_new_from_buffer) \
  X(vips_image_get_width)       \
  X(vips_image_get_height)      \
  X(vips_image_get_n_pages)     \
  X(vips_image_hasalpha)        \
  X(vips_image_set_int)         \
  X(vips_thumbnail_buffer)      \
  X(vips_colourspace)           \
  X(vips_array_double_new)      \
  X(vips_area_unref)            \
  X(vips_flatten)               \
  X(vips_cast_uchar)            \
  X(vips_black)                 \
  X(vips_linear)                \
  X(vips_text)                  \
  X(vips_embed)                 \
  X(vips_ifthenelse)            \
  X(vips_jpegsave_buffer)       \
  X(vips_pngsave_buffer)        \
  X(vips_webpsave_buffer)       \
  X(vips_heifsave_buffer)       \
  X(g_object_unref)             \
  X(g_free)

// Each function of BF_VIPS_FUNCTIONS, of the type the libvips headers declare.
struct VipsLibrary {
#define BF_VIPS_FUNCTION_POINTER(name) decltype(&::name) name = nullptr;
  BF_VIPS_FUNCTIONS(BF_VIPS_FUNCTION_POINTER)
#undef BF_VIPS_FUNCTION_POINTER
};

// The file opened: libvips.so.N, N being the ABI these headers were written for (the number
// VIPS_INIT checks), so a libvips of another ABI is never opened.
inline constexpr int kVipsAbi = VIPS_LIBRARY_CURRENT - VIPS_LIBRARY_AGE;

// Opens libvips (dlopen, never closed) with the libraries it needs and resolves every function
// of BF_VIPS_FUNCTIONS; does not initialise it (InitVips does). 500 naming the file or the
// function when either is missing (libvips42 not installed, or broken). Thread-safe.
Result<VipsLibrary> OpenVips();

}  // namespace bf::media
