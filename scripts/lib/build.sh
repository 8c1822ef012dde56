# shellcheck shell=bash
# Configures and builds into build/<name> with Ninja and ccache. Sourced, not run.
# cmake_build NAME BUILD_TYPE [extra cmake args...]

cmake_build() {
  local name=$1 type=$2
  shift 2
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  local dir="$root/build/$name"
  # ccache and precompiled headers: compare the PCH by content, not by time stamps.
  export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
  export CCACHE_BASEDIR=$root
  if [[ ! -f "$dir/build.ninja" ]]; then
    cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  fi
  cmake --build "$dir" --parallel "$(nproc)"
}
