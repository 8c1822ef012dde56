# Every dependency comes from Debian 12's packages (scripts/deps installs them).
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS json url)
find_package(tl-expected REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
