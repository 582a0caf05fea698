# Every dependency is a Debian package, found through its CMake config or pkg-config.
find_package(Threads REQUIRED)
find_package(Boost 1.81 EXACT REQUIRED COMPONENTS json)
find_package(tl-expected CONFIG REQUIRED)
find_package(date CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)  # libpq-dev: the PostgreSQL store
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(CURL REQUIRED)  # libcurl4-openssl-dev: email over SMTP (src/jobs/smtp_mailer.cc)
# Media (src/media): libvips for thumbnails and generated images; it reads HEIC/HEIF through
# libheif and PDF through poppler (modules of Debian's libvips42). Only its headers are used at
# build time: src/media opens libvips42 with dlopen when first needed (vips_library.h).
pkg_check_modules(VIPS REQUIRED IMPORTED_TARGET vips)
