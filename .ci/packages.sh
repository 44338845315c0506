# What the tests need beyond a JDK and Maven, from Debian's packages (sourced by ./test and .ci/run):
# headless Chromium with its driver for the console's browser tests, a PostgreSQL server for the PostgreSQL
# store's tests. Installed when missing and this shell may (root with apt-get); otherwise says what is missing.

install_test_packages() {
  local need=()
  command -v chromium >/dev/null || need+=(chromium)
  command -v chromedriver >/dev/null || need+=(chromium-driver)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}"
  else
    echo "test: missing Debian packages ${need[*]}: install them (as root: apt-get install ${need[*]});" \
      "without them the browser tests fail and the PostgreSQL tests are skipped" >&2
  fi
}
